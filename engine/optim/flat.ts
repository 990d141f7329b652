/**
 * Optimizers update parameters elementwise over their typed arrays rather than through tensor
 * ops: one pass per parameter, no temporary tensors. PyTorch's single-tensor code allocates a
 * few temporaries per parameter (d_p.add(...), exp_avg_sq.sqrt() / ...), which here would cost
 * more than the arithmetic in a small-MLP training step. Each loop performs the same operations
 * in the same order as PyTorch's `_single_tensor_*` functions, so the results match.
 */
import { allocate, type Storage } from "../dtype";
import { toContiguousStorage } from "../kernels/elementwise";
import { Tensor } from "../tensor";

/** A tensor's elements in row-major order: `data[at + i]`. */
export interface Flat {
  data: Storage;
  at: number;
}

/** Read access; a strided tensor is copied once. */
export function readFlat(t: Tensor): Flat {
  return t._contiguous ? { data: t._storage, at: t._offset } : { data: toContiguousStorage(t), at: 0 };
}

/**
 * Write access for an in-place update of `target`: write into the returned flat elements, then
 * call `finishUpdate`. A strided target is updated through a contiguous copy written back then.
 * (Two calls rather than a callback: the update loops stay plain top-level functions, which V8
 * optimises far better than per-call closures.)
 */
export function beginUpdate(target: Tensor): Flat {
  return target._contiguous ? { data: target._storage, at: target._offset } : { data: toContiguousStorage(target), at: 0 };
}

/** Publish an update: bump the version counter as an in-place op does, so saved-tensor checks see it. */
export function finishUpdate(target: Tensor, flat: Flat): void {
  if (flat.data === target._storage) target._version.value++;
  else target.copy_(new Tensor(flat.data, target._shape.slice(), target.dtype));
}

/** A zero-filled, contiguous state buffer with `like`'s shape and dtype. */
export function zerosBuffer(like: Tensor): Tensor {
  return new Tensor(allocate(like.dtype, like.numel()), like._shape.slice(), like.dtype);
}

/**
 * PyTorch rounds every intermediate of a float32 update to float32 (and casts each Python-float
 * option to float32 first); JS computes in float64. Update loops take an `f32` flag and round
 * the same intermediates with Math.fround, so float32 updates match PyTorch's (up to FMA use).
 */
export function asDtype(value: number, f32: boolean): number {
  return f32 ? Math.fround(value) : value;
}
