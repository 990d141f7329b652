/** softmax and logSoftmax along a dim, computed stably (shifted by the max). */
import { isFloatingPoint } from "../dtype";
import { record } from "../autograd/record";
import { fromStorage, toContiguousStorage } from "../kernels/elementwise";
import { splitAt } from "../kernels/reduce";
import { normalizeDim } from "../shape";
import type { Tensor } from "../tensor";

/** Applies `normalise(values at one softmax row)` to every row along `dim`. */
function alongDim(x: Tensor, dim: number, log: boolean): Tensor {
  const d = normalizeDim(dim, x._shape.length);
  const dtype = isFloatingPoint(x.dtype) ? x.dtype : "float32";
  const values = toContiguousStorage(x, dtype);
  const { outer, size, inner } = x._shape.length === 0 ? { outer: 1, size: 1, inner: 1 } : splitAt(x._shape, d);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let max = -Infinity;
      for (let k = 0; k < size; k++) max = Math.max(max, values[base + k * inner]!);
      let total = 0;
      for (let k = 0; k < size; k++) total += Math.exp(values[base + k * inner]! - max);
      const logTotal = Math.log(total);
      for (let k = 0; k < size; k++) {
        const at = base + k * inner;
        values[at] = log ? values[at]! - max - logTotal : Math.exp(values[at]! - max) / total;
      }
    }
  }
  return fromStorage(values, x._shape.slice(), dtype);
}

/** y = eˣ / Σeˣ:  ∂x = y·(g − Σ g·y) */
export function softmax(x: Tensor, dim: number): Tensor {
  const out = alongDim(x, dim, false);
  return record(out, "SoftmaxBackward0", [x], [out], (g, [y]) => [y!.mul(g.sub(g.mul(y!).sum(dim, true)))]);
}

/** y = x − log Σeˣ:  ∂x = g − eʸ·Σ g */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  const out = alongDim(x, dim, true);
  return record(out, "LogSoftmaxBackward0", [x], [out], (g, [y]) => [g.sub(y!.exp().mul(g.sum(dim, true)))]);
}
