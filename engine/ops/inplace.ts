/**
 * In-place ops (`add_`, `mul_`, `zero_`, ...). They write into the tensor's storage, bump
 * its version counter (so saved tensors can tell they changed), and when grad is recorded
 * the tensor's history is rebased onto the op (PyTorch's in-place autograd).
 */
import { RuntimeError } from "../errors";
import { isGradEnabled } from "../autograd/gradMode";
import { anyRequiresGrad, gradientEdge, record } from "../autograd/record";
import { OpNode } from "../autograd/node";
import { noGrad } from "../autograd/gradMode";
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
  const n = self.numel();
  // A fresh contiguous result (the usual case) is copied straight in, not through a temporary.
  const direct = values._contiguous && values.dtype === self.dtype && values.numel() === n;
  const src = direct ? values._storage.subarray(values._offset, values._offset + n) : toContiguousStorage(values, self.dtype);
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
  if (self._base !== null) return inPlaceOnView(self, op);
  const before = new Tensor(toContiguousStorage(self), self._shape.slice(), self.dtype);
  before._gradFn = self._gradFn;
  before._requiresGrad = self._requiresGrad;
  before._accumulator = self._accumulator;
  const result = op(before);
  writeInto(self, result);
  self._gradFn = result._gradFn;
  return self;
}

/**
 * In-place on a view of a tensor with history (PyTorch's CopySlices): the base's gradFn
 * becomes a node that routes the gradient of the written region through the op and the rest
 * straight through, and the view is re-derived from the new base.
 * Not differentiable twice (createGraph through CopySlices is not supported).
 */
function inPlaceOnView(view: Tensor, op: (current: Tensor) => Tensor): Tensor {
  const base = view._base!;
  if (!base._contiguous || base._offset !== 0) {
    throw new RuntimeError("in-place operations on views are supported only when the base tensor is contiguous; call .contiguous() first");
  }
  // The op runs on a stand-in for the view's old values; its node gives the rule and the other inputs' edges.
  const before = new Tensor(toContiguousStorage(view), view._shape.slice(), view.dtype);
  before._requiresGrad = true;
  const result = op(before);
  const opNode = result._gradFn!;
  writeInto(view, result);
  const region = (t: Tensor) => new Tensor(t._storage, view._shape, t.dtype, view._strides, view._offset);
  const copySlices = new OpNode("CopySlices", [gradientEdge(base), ...opNode.next.slice(1)], [], (g) =>
    noGrad(() => {
      const res = new Tensor(toContiguousStorage(g), base._shape.slice(), g.dtype);
      const [gradBefore, ...others] = opNode.apply(region(res).contiguous());
      const written = region(res);
      if (gradBefore) writeInto(written, gradBefore);
      else forEachStrided(written._shape, written._strides, written._offset, (_, at) => (res._storage[at] = 0));
      return [res, ...others];
    }),
  );
  base._gradFn = copySlices;
  view._gradFn = new OpNode("AsStridedBackward0", [copySlices], [], (g) =>
    noGrad(() => {
      const res = new Tensor(allocate(g.dtype, base.numel()), base._shape.slice(), g.dtype);
      writeInto(region(res), g);
      return [res];
    }),
  );
  return view;
}

export const add_ = <T extends Tensor>(self: T, other: TensorLike, alpha?: number): T =>
  inPlace(self, other, (x) => pw.add(x, other, alpha)) as T;
export const sub_ = <T extends Tensor>(self: T, other: TensorLike, alpha?: number): T =>
  inPlace(self, other, (x) => pw.sub(x, other, alpha)) as T;
export const mul_ = <T extends Tensor>(self: T, other: TensorLike): T => inPlace(self, other, (x) => pw.mul(x, other)) as T;
export const div_ = <T extends Tensor>(self: T, other: TensorLike): T => inPlace(self, other, (x) => pw.div(x, other)) as T;
export const clamp_ = <T extends Tensor>(self: T, min?: number | null, max?: number | null): T =>
  inPlace(self, null, (x) => pw.clamp(x, min, max)) as T;

/** Every element ← value:  ∂old = 0 (PyTorch names it ZeroBackward0 for zero_, FillBackward2 for fill_) */
export function fill_<T extends Tensor>(self: T, value: number, opName = "FillBackward2"): T {
  if (!anyRequiresGrad([self])) {
    // Nothing to record (zeroing a .grad, say): fill in place instead of building a filled copy.
    checkInPlaceAllowed(self);
    if (self._contiguous) self._storage.fill(value, self._offset, self._offset + self.numel());
    else forEachStrided(self._shape, self._strides, self._offset, (_, at) => (self._storage[at] = value));
    self._version.value++;
    return self;
  }
  return inPlace(self, null, (x) => {
    const filled = new Tensor(allocate(self.dtype, self.numel()).fill(value), self._shape.slice(), self.dtype);
    return record(filled, opName, [x], [], (g) => [g.mul(0)]);
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
