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
 * Write access for an in-place update of `target`; bumps its version counter as an in-place op
 * does (saved-tensor checks then see that the parameter changed). A strided target is updated
 * through a contiguous copy that is written back.
 */
export function updateFlat(target: Tensor, update: (flat: Flat) => void): void {
  if (target._contiguous) {
    update({ data: target._storage, at: target._offset });
    target._version.value++;
    return;
  }
  const copy = toContiguousStorage(target);
  update({ data: copy, at: 0 });
  target.copy_(new Tensor(copy, target._shape.slice(), target.dtype));
}

/** A zero-filled, contiguous state buffer with `like`'s shape and dtype. */
export function zerosBuffer(like: Tensor): Tensor {
  return new Tensor(allocate(like.dtype, like.numel()), like._shape.slice(), like.dtype);
}

/**
 * PyTorch rounds every intermediate of a float32 update to float32; JS computes in float64.
 * Rounding the same intermediates keeps float32 updates identical to PyTorch's (up to FMA use).
 */
export function rounderFor(t: Tensor): (x: number) => number {
  return t.dtype === "float32" ? Math.fround : identity;
}

function identity(x: number): number {
  return x;
}
