/** Reductions along one dimension of a contiguous buffer viewed as [outer, size, inner]. */
import { allocate, type DType, type Storage } from "../dtype";

export interface DimSplit {
  outer: number;
  size: number;
  inner: number;
}

export function splitAt(shape: readonly number[], dim: number): DimSplit {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < dim; i++) outer *= shape[i]!;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i]!;
  return { outer, size: shape[dim]!, inner };
}

export function sumAlong(src: Storage, { outer, size, inner }: DimSplit, dtype: DType): Storage {
  const out = allocate(dtype, outer * inner);
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let k = 0; k < size; k++) {
      const row = base + k * inner;
      const dst = o * inner;
      for (let i = 0; i < inner; i++) out[dst + i] += src[row + i]!;
    }
  }
  return out;
}

/** Values and first indices of the max (or min, with `sign = -1`) along the dim. NaN wins, as in PyTorch. */
export function argExtremeAlong(src: Storage, { outer, size, inner }: DimSplit, dtype: DType, sign: 1 | -1): { values: Storage; indices: Float64Array } {
  const values = allocate(dtype, outer * inner);
  const indices = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * size * inner + i;
      let best = src[base]!;
      let bestAt = 0;
      for (let k = 1; k < size && best === best; k++) {
        const v = src[base + k * inner]!;
        if (v !== v || sign * v > sign * best) {
          best = v;
          bestAt = k;
        }
      }
      values[o * inner + i] = best;
      indices[o * inner + i] = bestAt;
    }
  }
  return { values, indices };
}
