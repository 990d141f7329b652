/**
 * What the analysis needs to know about the "gradscope" API, as plain name tables mirroring
 * engine/tensor.ts, engine/factories.ts, engine/index.ts and engine/nn. Kept here (and not
 * imported from the engine) because the extension must not bundle engine runtime code.
 */

/** Factories: their results are leaves; they require grad only with `requiresGrad: true`. */
export const FACTORIES = new Set([
  "tensor", "zeros", "ones", "full", "rand", "randn", "arange", "linspace", "eye",
  "zerosLike", "onesLike", "fullLike", "randLike", "randnLike",
]);

/** Integer factories: leaves that can never require grad. */
export const INTEGER_FACTORIES = new Set(["randint", "randperm"]);

/** Tensor methods recorded by autograd: the result is a non-leaf when an input requires grad. */
export const DIFFERENTIABLE_METHODS = new Set([
  "add", "sub", "mul", "div", "neg", "pow", "exp", "log", "sqrt", "square", "abs", "relu", "sigmoid",
  "tanh", "clamp", "maximum", "minimum", "sum", "mean", "max", "min", "norm", "matmul", "mm", "dot", "t",
  "view", "reshape", "flatten", "transpose", "permute", "expand", "expandAs", "squeeze", "unsqueeze",
  "narrow", "select", "index", "slice", "contiguous", "clone", "gather", "indexSelect", "softmax",
  "logSoftmax", "to", "float", "double",
]);

/** `max(dim)` / `min(dim)` return `{ values, indices }`, not a tensor. */
export const TENSOR_ONLY_WITHOUT_ARGUMENTS = new Set(["max", "min"]);

/** Tensor methods whose result never requires grad (comparisons, indices, integer casts). */
export const NON_DIFFERENTIABLE_METHODS = new Set([
  "eq", "ne", "lt", "le", "gt", "ge", "isnan", "isinf", "argmax", "argmin", "long",
]);

/** In-place methods: they return the receiver, which becomes a non-leaf if an input requires grad. */
export const IN_PLACE_METHODS = new Set([
  "add_", "sub_", "mul_", "div_", "zero_", "fill_", "copy_", "clamp_", "relu_", "uniform_", "normal_",
]);

/** Getters that are themselves differentiable ops (`x.T`). */
export const DIFFERENTIABLE_GETTERS = new Set(["T"]);

/** Free functions exported by "gradscope" (and `nn.functional`) that are differentiable ops. */
export const DIFFERENTIABLE_FUNCTIONS = new Set([
  "add", "sub", "mul", "div", "neg", "pow", "exp", "log", "sqrt", "abs", "relu", "sigmoid", "tanh", "clamp",
  "maximum", "minimum", "rsub", "sum", "mean", "matmul", "mm", "bmm", "mv", "dot", "addmm", "t", "transpose",
  "permute", "reshape", "flatten", "squeeze", "unsqueeze", "narrow", "select", "cat", "stack", "where",
  "gather", "indexSelect", "softmax", "logSoftmax",
  // nn.functional
  "linear", "dropout", "mseLoss", "l1Loss", "nllLoss", "crossEntropy", "binaryCrossEntropy",
  "binaryCrossEntropyWithLogits",
]);

export const NON_DIFFERENTIABLE_FUNCTIONS = new Set(["argmax", "argmin", "eq", "isnan"]);

/** nn module classes whose own parameters require grad by default. */
export const MODULES_WITH_PARAMETERS = new Set(["Linear"]);

/** nn module classes (activations and losses) without parameters: output follows the inputs. */
export const MODULES_WITHOUT_PARAMETERS = new Set([
  "ReLU", "Sigmoid", "Tanh", "Dropout", "Identity", "Flatten", "Softmax", "LogSoftmax",
  "MSELoss", "CrossEntropyLoss", "NLLLoss", "L1Loss", "BCELoss", "BCEWithLogitsLoss",
]);

/** Callees that never change a tensor's flags, so passing a tensor to them keeps what we know. */
export const HARMLESS_GLOBAL_RECEIVERS = new Set(["console", "JSON", "Math", "String", "Number", "Object", "Array"]);
