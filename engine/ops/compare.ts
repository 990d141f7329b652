/** Comparisons and tests: bool results, never differentiable. */
import { binaryMap, unaryMap } from "../kernels/elementwise";
import { sameShape } from "../shape";
import type { Tensor, TensorLike } from "../tensor";

const compare = (a: Tensor, b: TensorLike, test: (x: number, y: number) => boolean) =>
  binaryMap(a, b, (x, y) => (test(x, y) ? 1 : 0), "bool");

export const eq = (a: Tensor, b: TensorLike) => compare(a, b, (x, y) => x === y);
export const ne = (a: Tensor, b: TensorLike) => compare(a, b, (x, y) => x !== y);
export const lt = (a: Tensor, b: TensorLike) => compare(a, b, (x, y) => x < y);
export const le = (a: Tensor, b: TensorLike) => compare(a, b, (x, y) => x <= y);
export const gt = (a: Tensor, b: TensorLike) => compare(a, b, (x, y) => x > y);
export const ge = (a: Tensor, b: TensorLike) => compare(a, b, (x, y) => x >= y);
export const isnan = (a: Tensor) => unaryMap(a, (x) => (x !== x ? 1 : 0), "bool");
export const isinf = (a: Tensor) => unaryMap(a, (x) => (x === Infinity || x === -Infinity ? 1 : 0), "bool");

/** |a − b| ≤ atol + rtol·|b| everywhere (NaNs unequal), like torch.allclose. */
export function allclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8): boolean {
  const close = binaryMap(a, b, (x, y) => (Math.abs(x - y) <= atol + rtol * Math.abs(y) || x === y ? 1 : 0), "bool");
  return close._storage.every((v) => v === 1);
}

/** Same shape and the same values. */
export function equal(a: Tensor, b: Tensor): boolean {
  return sameShape(a._shape, b._shape) && eq(a, b)._storage.every((v) => v === 1);
}
