/**
 * Pointwise ops. Each op states its forward kernel and, right next to it, the backward rule
 * in terms of differentiable tensor ops (so createGraph gives higher-order gradients).
 * Rules follow PyTorch's tools/autograd/derivatives.yaml.
 */
import { isFloatingPoint, promoteTypes, promoteWithScalar, DEFAULT_DTYPE, type DType } from "../dtype";
import { record } from "../autograd/record";
import { binaryMap, unaryMap, type BinaryFn, type UnaryFn } from "../kernels/elementwise";
import type { BinaryOpCode, UnaryOpCode } from "../kernels/fastLoops";
import type { BackwardRule } from "../autograd/node";
import type { Tensor, TensorLike } from "../tensor";
import { gradFor } from "./reduceGrad";
import { where } from "./indexing";

/** Floating ops (exp, log, ...) turn integer inputs into the default float type, as PyTorch does. */
function floatType(dtype: DType): DType {
  return isFloatingPoint(dtype) ? dtype : DEFAULT_DTYPE;
}

function binaryType(a: Tensor, b: TensorLike): DType {
  return typeof b === "number" ? promoteWithScalar(a.dtype, b) : promoteTypes(a.dtype, b.dtype);
}

function pointwise(a: Tensor, b: TensorLike, f: BinaryFn | BinaryOpCode, dtype = binaryType(a, b)): Tensor {
  return binaryMap(a, b, f, dtype);
}

function unary(x: Tensor, f: UnaryFn | UnaryOpCode, dtype: DType = floatType(x.dtype)): Tensor {
  return unaryMap(x, f, dtype);
}

/** Shared by ops that save nothing / pass the gradient straight through: no per-op allocation. */
const NOTHING: Tensor[] = [];
const passThrough: BackwardRule = (g) => [g];
const timesConstant: BackwardRule = (g, _, node) => [g.mul(node.constant)];
const overConstant: BackwardRule = (g, _, node) => [g.div(node.constant)];

// ---- arithmetic --------------------------------------------------------------------------

/** a + alpha·b */
export function add(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  if (typeof b === "number") {
    const shift = alpha * b;
    return record(pointwise(a, shift, "add"), "AddBackward0", [a], NOTHING, passThrough);
  }
  const out = alpha === 1 ? pointwise(a, b, "add") : pointwise(a, b, (x, y) => x + alpha * y);
  return record(out, "AddBackward0", [a, b], [], (g, _, node) => [
    node.needsInputGrad(0) ? gradFor(g, a) : null,
    node.needsInputGrad(1) ? gradFor(alpha === 1 ? g : g.mul(alpha), b) : null,
  ]);
}

/** a − alpha·b */
export function sub(a: Tensor, b: TensorLike, alpha = 1): Tensor {
  if (typeof b === "number") {
    const shift = alpha * b;
    return record(pointwise(a, shift, "sub"), "SubBackward0", [a], NOTHING, passThrough);
  }
  return record(alpha === 1 ? pointwise(a, b, "sub") : pointwise(a, b, (x, y) => x - alpha * y), "SubBackward0", [a, b], [], (g, _, node) => [
    node.needsInputGrad(0) ? gradFor(g, a) : null,
    node.needsInputGrad(1) ? gradFor(g.mul(-alpha), b) : null,
  ]);
}

/** s − a, for a plain number s. */
export function rsub(a: Tensor, s: number): Tensor {
  return record(pointwise(a, s, (x) => s - x), "RsubBackward1", [a], [], (g) => [g.neg()]);
}

/** a · b:  ∂a = g·b,  ∂b = g·a */
export function mul(a: Tensor, b: TensorLike): Tensor {
  if (typeof b === "number") {
    return record(pointwise(a, b, "mul"), "MulBackward0", [a], NOTHING, timesConstant, b);
  }
  return record(pointwise(a, b, "mul"), "MulBackward0", [a, b], [a, b], (g, [x, y], node) => [
    node.needsInputGrad(0) ? gradFor(g.mul(y!), x!) : null,
    node.needsInputGrad(1) ? gradFor(g.mul(x!), y!) : null,
  ]);
}

/** a / b:  ∂a = g/b,  ∂b = −g·a/b² */
export function div(a: Tensor, b: TensorLike): Tensor {
  const dtype = floatType(binaryType(a, b));
  if (typeof b === "number") {
    return record(pointwise(a, b, "div", dtype), "DivBackward0", [a], NOTHING, overConstant, b);
  }
  return record(pointwise(a, b, "div", dtype), "DivBackward0", [a, b], [a, b], (g, [x, y], node) => [
    node.needsInputGrad(0) ? gradFor(g.div(y!), x!) : null,
    node.needsInputGrad(1) ? gradFor(g.neg().mul(x!).div(y!.mul(y!)), y!) : null,
  ]);
}

/** −a */
export function neg(a: Tensor): Tensor {
  return record(unary(a, "neg", a.dtype), "NegBackward0", [a], NOTHING, (g) => [g.neg()]);
}

// ---- powers, exponentials ------------------------------------------------------------------

/** a^e for a number e:  ∂a = g·e·a^(e−1);  a^b for a tensor b:  ∂b = g·a^b·ln a */
export function pow(a: Tensor, exponent: TensorLike): Tensor {
  if (typeof exponent === "number") {
    const e = exponent;
    const dtype = Number.isInteger(e) ? promoteWithScalar(a.dtype, e) : floatType(a.dtype);
    const f: UnaryFn | UnaryOpCode = e === 2 ? "square" : e === 0.5 ? "sqrt" : (x) => Math.pow(x, e);
    return record(unary(a, f, dtype), "PowBackward0", [a], [a], (g, [x]) => [
      e === 0 ? g.mul(0) : g.mul(x!.pow(e - 1).mul(e)),
    ]);
  }
  const b = exponent;
  const out = pointwise(a, b, Math.pow);
  return record(out, "PowBackward1", [a, b], [a, b, out], (g, [x, y, result], node) => [
    // Where the exponent is 0 the derivative in the base is 0, even at base 0 (not 0·0⁻¹ = NaN).
    node.needsInputGrad(0) ? gradFor(g.mul(zeroWhereExponentZero(y!, y!.mul(x!.pow(y!.sub(1))))), x!) : null,
    // Where a = 0 and b ≥ 0 the limit of a^b·ln a is 0 (PyTorch masks the NaN the same way).
    node.needsInputGrad(1) ? gradFor(g.mul(result!).mul(logOrZeroWhereBaseZero(x!, y!)), y!) : null,
  ]);
}

function zeroWhereExponentZero(exponent: Tensor, derivative: Tensor): Tensor {
  return where(exponent.eq(0), 0, derivative);
}

function logOrZeroWhereBaseZero(base: Tensor, exponent: Tensor): Tensor {
  return binaryMap(base, exponent, (x, y) => (x === 0 && y >= 0 ? 0 : Math.log(x)), floatType(base.dtype));
}

/** s^a for a number s:  ∂a = g·s^a·ln s */
export function powScalarBase(s: number, a: Tensor): Tensor {
  const out = unary(a, (x) => Math.pow(s, x));
  const lnS = Math.log(s);
  return record(out, "PowBackward2", [a], [out], (g, [result]) => [g.mul(result!).mul(s === 0 ? 0 : lnS)]);
}

/** eᵃ:  ∂a = g·eᵃ (the saved result) */
export function exp(a: Tensor): Tensor {
  const out = unary(a, "exp");
  return record(out, "ExpBackward0", [a], [out], (g, [result]) => [g.mul(result!)]);
}

/** ln a:  ∂a = g/a */
export function log(a: Tensor): Tensor {
  return record(unary(a, "log"), "LogBackward0", [a], [a], (g, [x]) => [g.div(x!)]);
}

/** √a:  ∂a = g / (2√a) */
export function sqrt(a: Tensor): Tensor {
  const out = unary(a, "sqrt");
  return record(out, "SqrtBackward0", [a], [out], (g, [result]) => [g.div(result!.mul(2))]);
}

/** |a|:  ∂a = g·sign(a) */
export function abs(a: Tensor): Tensor {
  return record(unary(a, "abs", a.dtype), "AbsBackward0", [a], [a], (g, [x]) => [g.mul(sign(x!))]);
}

/** sign(a), which has no gradient (its derivative is 0 almost everywhere). */
export function sign(a: Tensor): Tensor {
  return unary(a, (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN), a.dtype);
}

// ---- activations ---------------------------------------------------------------------------

/** max(a, 0):  ∂a = g·[result > 0] */
export function relu(a: Tensor): Tensor {
  const out = unary(a, "relu", a.dtype);
  return record(out, "ReluBackward0", [a], [out], (g, [result]) => [reluGrad(g, result!)]);
}

/** g where the ReLU's output was positive, else 0 (linear in g, so its own backward is itself). */
function reluGrad(g: Tensor, result: Tensor): Tensor {
  return record(binaryMap(g, result, "reluGrad", g.dtype), "ThresholdBackwardBackward0", [g], [result], (gg, [r]) => [
    reluGrad(gg, r!),
  ]);
}

/** σ(a) = 1/(1+e⁻ᵃ):  ∂a = g·σ·(1−σ) */
export function sigmoid(a: Tensor): Tensor {
  const out = unary(a, "sigmoid");
  return record(out, "SigmoidBackward0", [a], [out], (g, [s]) => [g.mul(s!.mul(rsub(s!, 1)))]);
}

/** tanh a:  ∂a = g·(1 − tanh²a) */
export function tanh(a: Tensor): Tensor {
  const out = unary(a, "tanh");
  return record(out, "TanhBackward0", [a], [out], (g, [t]) => [g.mul(rsub(t!.mul(t!), 1))]);
}

/** Clamp into [min, max]:  ∂a = g where min ≤ a ≤ max, else 0 */
export function clamp(a: Tensor, min?: number | null, max?: number | null): Tensor {
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  const out = unary(a, (x) => (x < lo ? lo : x > hi ? hi : x), a.dtype);
  return record(out, "ClampBackward1", [a], [a], (g, [x]) => [
    g.mul(unaryMap(x!, (v) => (v >= lo && v <= hi ? 1 : 0))),
  ]);
}

/** Elementwise max: the gradient goes to the larger input, split in half on ties. */
export function maximum(a: Tensor, b: Tensor): Tensor {
  return selectBetween(a, b, "MaximumBackward0", 1);
}

/** Elementwise min: the gradient goes to the smaller input, split in half on ties. */
export function minimum(a: Tensor, b: Tensor): Tensor {
  return selectBetween(a, b, "MinimumBackward0", -1);
}

function selectBetween(a: Tensor, b: Tensor, name: string, sign: 1 | -1): Tensor {
  const dtype = promoteTypes(a.dtype, b.dtype);
  const pick: BinaryFn = (x, y) => (x !== x || y !== y ? NaN : sign * x >= sign * y ? x : y);
  const share = (x: number, y: number) => (sign * x > sign * y ? 1 : x === y ? 0.5 : 0);
  return record(binaryMap(a, b, pick, dtype), name, [a, b], [a, b], (g, [x, y], node) => [
    node.needsInputGrad(0) ? gradFor(g.mul(binaryMap(x!, y!, share, g.dtype)), x!) : null,
    node.needsInputGrad(1) ? gradFor(g.mul(binaryMap(y!, x!, share, g.dtype)), y!) : null,
  ]);
}
