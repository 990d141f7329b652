/**
 * In-place ops (`add_`, `mul_`, `zero_`, ...). They write into the tensor's storage, bump
 * its version counter (so saved tensors can tell they changed), and when grad is recorded
 * the tensor's history is rebased onto the op (PyTorch's in-place autograd).
 */
import { RuntimeError } from "../errors";
import { isGradEnabled } from "../autograd/gradMode";
import { anyRequiresGrad, record } from "../autograd/record";
import { allocate } from "../dtype";
import { gradFor } from "./reduceGrad";
import { forEachStrided, toContiguousStorage } from "../kernels/elementwise";
import { broadcastShapes, formatShape, sameShape } from "../shape";
import { normal, uniform } from "../random";
import { Tensor, type TensorLike } from "../tensor";
import * as pw from "./pointwise";
import { expand } from "./view";

function checkInPlaceAllowed(self: Tensor): void {
  if (!isGradEnabled()) return;
  if (self._gradFn === null && self._requiresGrad) {
    throw new RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.");
  }
  if (self._base !== null && self._base.isLeaf && self._base._requiresGrad) {
    throw new RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place operation.");
  }
}

/** Write `values` (already of self's shape) into self's storage and bump the version. */
function writeInto(self: Tensor, values: Tensor): void {
  const src = toContiguousStorage(values, self.dtype);
  if (self._contiguous) self._storage.set(src, self._offset);
  else forEachStrided(self._shape, self._strides, self._offset, (i, at) => (self._storage[at] = src[i]!));
  self._version.value++;
}

function checkBroadcastsInto(self: Tensor, other: TensorLike): void {
  if (typeof other === "number") return;
  const shape = broadcastShapes(self._shape, other._shape);
  if (!sameShape(shape, self._shape)) {
    throw new RuntimeError(
      `output with shape ${formatShape(self._shape)} doesn't match the broadcast shape ${formatShape(shape)}`,
    );
  }
}

/**
 * self ← op(self, other). Without grad recording it only writes. With it, the op runs on a
 * snapshot of self's old values that carries self's history, and self takes the result's gradFn.
 */
function inPlace(self: Tensor, other: TensorLike | null, op: (current: Tensor) => Tensor): Tensor {
  checkInPlaceAllowed(self);
  if (other !== null) checkBroadcastsInto(self, other);
  const inputs = typeof other === "object" && other !== null ? [self, other] : [self];
  if (!anyRequiresGrad(inputs)) {
    writeInto(self, op(self));
    return self;
  }
  if (self._base !== null) {
    throw new RuntimeError(
      "Gradscope does not support in-place operations on views of tensors that require grad; use the out-of-place op (e.g. x = x.add(y)) instead.",
    );
  }
  const before = new Tensor(toContiguousStorage(self), self._shape.slice(), self.dtype);
  before._gradFn = self._gradFn;
  before._requiresGrad = self._requiresGrad;
  before._accumulator = self._accumulator;
  const result = op(before);
  writeInto(self, result);
  self._gradFn = result._gradFn;
  return self;
}

export const add_ = <T extends Tensor>(self: T, other: TensorLike, alpha?: number): T =>
  inPlace(self, other, (x) => pw.add(x, other, alpha)) as T;
export const sub_ = <T extends Tensor>(self: T, other: TensorLike, alpha?: number): T =>
  inPlace(self, other, (x) => pw.sub(x, other, alpha)) as T;
export const mul_ = <T extends Tensor>(self: T, other: TensorLike): T => inPlace(self, other, (x) => pw.mul(x, other)) as T;
export const div_ = <T extends Tensor>(self: T, other: TensorLike): T => inPlace(self, other, (x) => pw.div(x, other)) as T;
export const clamp_ = <T extends Tensor>(self: T, min?: number | null, max?: number | null): T =>
  inPlace(self, null, (x) => pw.clamp(x, min, max)) as T;

/** Every element ← value:  ∂old = 0 (FillBackward0) */
export function fill_<T extends Tensor>(self: T, value: number): T {
  return inPlace(self, null, (x) => {
    const filled = new Tensor(allocate(self.dtype, self.numel()).fill(value), self._shape.slice(), self.dtype);
    return record(filled, "FillBackward0", [x], [], (g) => [g.mul(0)]);
  }) as T;
}

/** self ← source (broadcast):  ∂old = 0,  ∂source = g summed to its shape (CopyBackwards) */
export function copy_<T extends Tensor>(self: T, source: Tensor): T {
  checkBroadcastsInto(self, source);
  return inPlace(self, source, (x) => {
    const copied = new Tensor(toContiguousStorage(expand(source.detach(), self._shape.slice()), self.dtype), self._shape.slice(), self.dtype);
    return record(copied, "CopyBackwards", [x, source], [], (g, _, node) => [
      node.needsInputGrad(0) ? g.mul(0) : null,
      node.needsInputGrad(1) ? gradFor(g, source) : null,
    ]);
  }) as T;
}

function sampleInto<T extends Tensor>(self: T, draw: () => number): T {
  checkInPlaceAllowed(self);
  forEachStrided(self._shape, self._strides, self._offset, (_, at) => (self._storage[at] = draw()));
  self._version.value++;
  return self;
}

export const uniform_ = <T extends Tensor>(self: T, low: number, high: number): T =>
  sampleInto(self, () => low + (high - low) * uniform());
export const normal_ = <T extends Tensor>(self: T, mean: number, std: number): T =>
  sampleInto(self, () => mean + std * normal());
