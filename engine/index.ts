/**
 * Gradscope's autograd engine: PyTorch's semantics with camelCase names.
 * User programs import it as "gradscope".
 */
import { Tensor } from "./tensor";
import * as pw from "./ops/pointwise";
import * as red from "./ops/reduce";
import * as lin from "./ops/linalg";
import * as vw from "./ops/view";
import * as idx from "./ops/indexing";
import * as sm from "./ops/softmax";
import * as cmp from "./ops/compare";
import { backward, grad } from "./autograd/backward";
import { detectAnomaly, setDetectAnomaly, isAnomalyEnabled } from "./autograd/gradMode";
import { installInspector } from "./debug/inspector";

export { Tensor, isTensor, type TensorLike } from "./tensor";
export type { DType } from "./dtype";
export { RuntimeError, ValueError, IndexError, KeyError, TorchTypeError } from "./errors";
export { warn, onWarning, captureWarnings, setWarningsPrinted, type Warning } from "./warnings";
export { noGrad, enableGrad, setGradEnabled, isGradEnabled } from "./autograd/gradMode";
export { Node } from "./autograd/node";
export { manualSeed } from "./random";
export {
  tensor, zeros, ones, full, rand, randn, randint, randperm, arange, linspace, eye,
  zerosLike, onesLike, fullLike, randLike, randnLike, type TensorOptions,
} from "./factories";

export * as nn from "./nn/index";
export * as optim from "./optim/index";

export const autograd = { backward, grad, detectAnomaly, setDetectAnomaly, isAnomalyEnabled };

// torch.* functions that mirror the tensor methods.
export const add = pw.add;
export const sub = pw.sub;
export const mul = pw.mul;
export const div = pw.div;
export const neg = pw.neg;
export const pow = (base: Tensor | number, exponent: Tensor | number): Tensor =>
  typeof base === "number" ? pw.powScalarBase(base, exponent as Tensor) : pw.pow(base, exponent);
export const exp = pw.exp;
export const log = pw.log;
export const sqrt = pw.sqrt;
export const abs = pw.abs;
export const relu = pw.relu;
export const sigmoid = pw.sigmoid;
export const tanh = pw.tanh;
export const clamp = pw.clamp;
export const maximum = pw.maximum;
export const minimum = pw.minimum;
export const rsub = pw.rsub;
export const sum = red.sum;
export const mean = red.mean;
export const argmax = red.argmax;
export const argmin = red.argmin;
export const matmul = lin.matmul;
export const mm = lin.mm;
export const bmm = lin.bmm;
export const mv = lin.mv;
export const dot = lin.dot;
export const addmm = lin.addmm;
export const t = vw.t;
export const transpose = vw.transpose;
export const permute = vw.permute;
export const reshape = vw.reshape;
export const flatten = vw.flatten;
export const squeeze = vw.squeeze;
export const unsqueeze = vw.unsqueeze;
export const narrow = vw.narrow;
export const select = vw.select;
export const cat = idx.cat;
export const stack = idx.stack;
export const where = idx.where;
export const gather = idx.gather;
export const indexSelect = idx.indexSelect;
export const softmax = sm.softmax;
export const logSoftmax = sm.logSoftmax;
export const eq = cmp.eq;
export const allclose = cmp.allclose;
export const equal = cmp.equal;
export const isnan = cmp.isnan;

export const inspector = installInspector();
