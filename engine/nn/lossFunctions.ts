/**
 * Loss functions (part of nn.functional). mseLoss and nllLoss are fused ops with their own
 * backward nodes named as PyTorch names them (MseLossBackward0, NllLossBackward0); their rules
 * are written with tensor ops so that createGraph gives higher-order gradients. crossEntropy is
 * nllLoss(logSoftmax(input)), exactly as PyTorch composes it; l1Loss is composite as in 1.13.
 */
import { allocate, type DType } from "../dtype";
import { IndexError, RuntimeError, ValueError } from "../errors";
import { noGrad } from "../autograd/gradMode";
import { record } from "../autograd/record";
import { toContiguousStorage } from "../kernels/elementwise";
import { broadcastShapes, sameShape } from "../shape";
import { Tensor } from "../tensor";
import { warn } from "../warnings";

export type Reduction = "none" | "mean" | "sum";

export interface NllLossOptions {
  /** A per-class rescaling weight of shape [C]. */
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: Reduction;
}

export interface CrossEntropyOptions extends NllLossOptions {
  /** Mix the target with the uniform distribution: (1 − ε)·target + ε/C. */
  labelSmoothing?: number;
}

export function checkReduction(reduction: string): asserts reduction is Reduction {
  if (reduction !== "none" && reduction !== "mean" && reduction !== "sum") {
    throw new ValueError(`${reduction} is not a valid value for reduction`);
  }
}

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === "none" ? loss : reduction === "sum" ? loss.sum() : loss.mean();
}

function torchSize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(", ")}])`;
}

/** PyTorch warns, then broadcasts, when a pointwise loss gets differently shaped operands. */
function broadcastLossOperands(input: Tensor, target: Tensor): [Tensor, Tensor] {
  if (sameShape(input.shape, target.shape)) return [input, target];
  warn(
    `Using a target size (${torchSize(target.shape)}) that is different to the input size (${torchSize(input.shape)}). ` +
      "This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
  );
  const shape = broadcastShapes(input.shape, target.shape);
  return [input.expand(shape), target.expand(shape)];
}

// ---- mean squared error --------------------------------------------------------------

/** ℓ = (x − y)², reduced:  ∂x = norm·(x − y)·g,  ∂y = −∂x,  norm = 2/N for mean, 2 otherwise */
export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor {
  checkReduction(reduction);
  const [x, y] = broadcastLossOperands(input, target);
  const out = noGrad(() => {
    const diff = x.sub(y);
    return reduce(diff.mul(diff), reduction);
  });
  const norm = reduction === "mean" ? 2 / x.numel() : 2;
  return record(out, "MseLossBackward0", [x, y], [x, y], (g, [a, b], node) => {
    const grad = a!.sub(b!).mul(norm).mul(g);
    return [node.needsInputGrad(0) ? grad : null, node.needsInputGrad(1) ? grad.neg() : null];
  });
}

// ---- mean absolute error ---------------------------------------------------------------

/** ℓ = |x − y|, reduced (composite, as PyTorch 1.13: AbsBackward0 then Mean/SumBackward0). */
export function l1Loss(input: Tensor, target: Tensor, reduction: Reduction = "mean"): Tensor {
  checkReduction(reduction);
  const [x, y] = broadcastLossOperands(input, target);
  return reduce(x.sub(y).abs(), reduction);
}

// ---- negative log likelihood -------------------------------------------------------------

const SCALAR_TYPE_NAMES: Record<DType, string> = { float32: "Float", float64: "Double", int64: "Long", bool: "Bool" };

/**
 * Input [N, C, d1, ...] (or [C]) read as `outer` samples × C classes × `inner` positions;
 * checks the target's dtype and shape with PyTorch's messages.
 */
function nllLayout(input: Tensor, target: Tensor): { outer: number; classes: number; inner: number } {
  if (target.dtype !== "int64") throw new RuntimeError(`expected scalar type Long but found ${SCALAR_TYPE_NAMES[target.dtype]}`);
  const dims = input.dim();
  if (dims < 1) throw new ValueError(`Expected 1 or more dimensions (got ${dims})`);
  if (dims === 1) {
    if (target.dim() !== 0) throw new RuntimeError(`size mismatch (got input: [${input.shape.join(", ")}], target: [${target.shape.join(", ")}])`);
    return { outer: 1, classes: input.shape[0]!, inner: 1 };
  }
  const batch = input.shape[0]!;
  const targetBatch = target.dim() === 0 ? 1 : target.shape[0]!;
  if (target.dim() === 0 || targetBatch !== batch) {
    throw new ValueError(`Expected input batch_size (${batch}) to match target batch_size (${targetBatch}).`);
  }
  const expected = [batch, ...input.shape.slice(2)];
  if (!sameShape(expected, target.shape)) {
    throw new RuntimeError(`Expected target size [${expected.join(", ")}], got [${target.shape.join(", ")}]`);
  }
  const inner = input.shape.slice(2).reduce((p, d) => p * d, 1);
  return { outer: batch, classes: input.shape[1]!, inner };
}

function classWeights(weight: Tensor | null, classes: number): ArrayLike<number> | null {
  if (weight === null) return null;
  if (weight.dim() !== 1 || weight.numel() !== classes) {
    throw new RuntimeError(
      `weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: [${weight.shape.join(", ")}]`,
    );
  }
  return toContiguousStorage(weight);
}

/**
 * ℓᵢ = −w[tᵢ]·x[i, tᵢ] (0 where tᵢ = ignoreIndex); mean divides by Σ w[tᵢ] over kept targets.
 * Linear in x, so ∂x is a constant selection tensor S (−w[tᵢ]/norm at [i, tᵢ]) times g.
 */
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = "mean" } = options;
  checkReduction(reduction);
  const { outer, classes, inner } = nllLayout(input, target);
  const w = classWeights(weight, classes);
  const x = toContiguousStorage(input);
  const t = toContiguousStorage(target);
  const losses = allocate(input.dtype, outer * inner);
  let total = 0;
  let totalWeight = 0;
  for (let n = 0; n < outer; n++) {
    for (let r = 0; r < inner; r++) {
      const c = t[n * inner + r]!;
      if (c === ignoreIndex) continue;
      if (!(c >= 0 && c < classes)) throw new IndexError(`Target ${c} is out of bounds.`);
      const wc = w ? w[c]! : 1;
      const loss = -wc * x[(n * classes + c) * inner + r]!;
      losses[n * inner + r] = loss;
      total += loss;
      totalWeight += wc;
    }
  }
  let out: Tensor;
  if (reduction === "none") {
    out = new Tensor(losses, target.shape.slice(), input.dtype);
  } else {
    const value = allocate(input.dtype, 1);
    // Mean over zero kept targets is 0/0 = NaN, as in PyTorch.
    value[0] = reduction === "sum" ? total : total / totalWeight;
    out = new Tensor(value, [], input.dtype);
  }
  const norm = reduction === "mean" ? totalWeight : 1;
  const inputShape = input.shape.slice();
  const dtype = input.dtype;
  return record(out, "NllLossBackward0", [input], [target], (g, [tgt]) => {
    const select = allocate(dtype, outer * classes * inner);
    const labels = toContiguousStorage(tgt!);
    for (let n = 0; n < outer; n++) {
      for (let r = 0; r < inner; r++) {
        const c = labels[n * inner + r]!;
        if (c !== ignoreIndex) select[(n * classes + c) * inner + r] = -(w ? w[c]! : 1) / norm;
      }
    }
    // For reduction "none" g has the target's shape: give it a size-1 class dim to broadcast.
    const perSample = reduction === "none" && inputShape.length > 1 ? g.unsqueeze(1) : g;
    return [new Tensor(select, inputShape.slice(), dtype).mul(perSample)];
  });
}

// ---- cross entropy ---------------------------------------------------------------------------

/**
 * Class indices (int64 target): nllLoss(logSoftmax(input, classDim), target), plus the label
 * smoothing term PyTorch adds. Class probabilities (floating target of the input's shape):
 * −Σ target·logSoftmax(input) over the class dim.
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = "mean", labelSmoothing = 0 } = options;
  checkReduction(reduction);
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new RuntimeError(`label_smoothing must be between 0.0 and 1.0. Got: ${labelSmoothing}`);
  }
  const classDim = input.dim() === 1 ? 0 : 1;
  const classes = input.shape[classDim]!;
  const logProbs = input.logSoftmax(classDim);
  const weightView = weight === null ? null : weight.reshape(input.shape.map((_, i) => (i === classDim ? classes : 1)));

  if (target.isFloatingPoint() && sameShape(target.shape, input.shape)) {
    const smoothed = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
    const weighted = weightView === null ? logProbs.mul(smoothed) : logProbs.mul(smoothed).mul(weightView);
    const perSample = weighted.sum(classDim).neg();
    if (reduction === "none") return perSample;
    if (reduction === "sum") return perSample.sum();
    return perSample.sum().div(input.numel() / classes);
  }

  const nll = nllLoss(logProbs, target, { weight, ignoreIndex, reduction });
  if (labelSmoothing === 0) return nll;

  // PyTorch's smoothing term: −Σ_c w_c·log p_c per sample, zero where the target is ignored.
  const kept = keptMask(target, ignoreIndex, input.dtype);
  const summed = (weightView === null ? logProbs : logProbs.mul(weightView)).sum(classDim).neg().mul(kept);
  let smooth: Tensor;
  if (reduction === "none") smooth = summed;
  else if (reduction === "sum") smooth = summed.sum();
  else smooth = summed.sum().div(keptWeight(target, ignoreIndex, weight));
  return nll.mul(1 - labelSmoothing).add(smooth.mul(labelSmoothing / classes));
}

/** 1 where the target is kept, 0 where it equals ignoreIndex. */
function keptMask(target: Tensor, ignoreIndex: number, dtype: DType): Tensor {
  const labels = toContiguousStorage(target);
  const mask = allocate(dtype, labels.length);
  for (let i = 0; i < labels.length; i++) mask[i] = labels[i] === ignoreIndex ? 0 : 1;
  return new Tensor(mask, target.shape.slice(), dtype);
}

/** Σ w[tᵢ] (or the count) over kept targets: the mean's denominator. */
function keptWeight(target: Tensor, ignoreIndex: number, weight: Tensor | null): number {
  const labels = toContiguousStorage(target);
  const w = weight === null ? null : toContiguousStorage(weight);
  let total = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] !== ignoreIndex) total += w ? w[labels[i]!]! : 1;
  return total;
}

// ---- binary cross entropy ---------------------------------------------------------------------

/** PyTorch's BCE kernel declares ε = 1e-12 as a C++ float: fround(1e-12), even for float64 tensors. */
const BCE_EPSILON = Math.fround(1e-12);

/**
 * ℓ = −w·(y·log x + (1 − y)·log(1 − x)), logs clamped at −100 as PyTorch does.
 * ∂x = w·(x − y) / max((1 − x)·x, ε) · g (PyTorch's BinaryCrossEntropyBackward0).
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: { weight?: Tensor | null; reduction?: Reduction } = {}): Tensor {
  const { weight = null, reduction = "mean" } = options;
  checkReduction(reduction);
  if (!sameShape(input.shape, target.shape)) {
    throw new ValueError(
      `Using a target size (${torchSize(target.shape)}) that is different to the input size (${torchSize(input.shape)}) is deprecated. Please ensure they have the same size.`,
    );
  }
  const x = toContiguousStorage(input);
  for (let i = 0; i < x.length; i++) {
    if (!(x[i]! >= 0 && x[i]! <= 1)) throw new RuntimeError("all elements of input should be between 0 and 1");
  }
  const out = noGrad(() => {
    const logX = input.log().clamp(-100, null);
    const log1mX = input.neg().add(1).log().clamp(-100, null);
    let loss = target.mul(logX).add(target.neg().add(1).mul(log1mX)).neg();
    if (weight !== null) loss = loss.mul(weight);
    return reduce(loss, reduction);
  });
  const scale = reduction === "mean" ? 1 / input.numel() : 1;
  return record(out, "BinaryCrossEntropyBackward0", [input], [input, target], (g, [p, y]) => {
    let grad = p!.sub(y!).div(p!.neg().add(1).mul(p!).clamp(BCE_EPSILON, null)).mul(g);
    if (weight !== null) grad = grad.mul(weight);
    return [scale === 1 ? grad : grad.mul(scale)];
  });
}

/** The stable form of binaryCrossEntropy(sigmoid(x), y): (1 − y)·x + log(1 + e^(−x)), composite. */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  options: { weight?: Tensor | null; posWeight?: Tensor | null; reduction?: Reduction } = {},
): Tensor {
  const { weight = null, posWeight = null, reduction = "mean" } = options;
  checkReduction(reduction);
  if (!sameShape(input.shape, target.shape)) {
    throw new ValueError(`Target size (${torchSize(target.shape)}) must be the same as input size (${torchSize(input.shape)})`);
  }
  // log(1 + e^(−x)) = max(−x, 0) + log(e^(−max) + e^(−x − max)), never overflowing.
  const maxVal = input.neg().clamp(0, null);
  const softplus = maxVal.add(maxVal.neg().exp().add(input.neg().sub(maxVal).exp()).log());
  let loss: Tensor;
  if (posWeight === null) {
    loss = target.neg().add(1).mul(input).add(softplus);
  } else {
    const logWeight = posWeight.sub(1).mul(target).add(1);
    loss = target.neg().add(1).mul(input).add(logWeight.mul(softplus));
  }
  if (weight !== null) loss = loss.mul(weight);
  return reduce(loss, reduction);
}
