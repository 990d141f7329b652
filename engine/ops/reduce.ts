/** Reductions: sum, mean, max, min (whole tensor or along dims) and their backward rules. */
import { allocate, isFloatingPoint, type DType } from "../dtype";
import { RuntimeError } from "../errors";
import { record } from "../autograd/record";
import { fromStorage, toContiguousStorage } from "../kernels/elementwise";
import { argExtremeAlong, splitAt, sumAlong } from "../kernels/reduce";
import { binaryMap } from "../kernels/elementwise";
import { normalizeDim, numelOf } from "../shape";
import { Tensor } from "../tensor";
import { expand, reshape } from "./view";

/** Integer and bool sums are int64; floating sums keep their type. */
function sumType(dtype: DType): DType {
  return isFloatingPoint(dtype) ? dtype : "int64";
}

function normalizeDims(dim: number | number[] | null | undefined, rank: number): number[] | null {
  if (dim === undefined || dim === null) return null;
  const dims = (Array.isArray(dim) ? dim : [dim]).map((d) => normalizeDim(d, rank));
  return [...new Set(dims)].sort((x, y) => x - y);
}

/** The shape after reducing `dims`, with size-1 dims kept or dropped. */
function reducedShape(shape: readonly number[], dims: number[], keepdim: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!dims.includes(i)) out.push(d);
    else if (keepdim) out.push(1);
  });
  return out;
}

/** Undo a reduction's dropped dims on the gradient so it broadcasts back over the input. */
function restoreReducedDims(g: Tensor, inputShape: readonly number[], dims: number[], keepdim: boolean): Tensor {
  return keepdim ? g : reshape(g, reducedShape(inputShape, dims, true));
}

function sumValues(x: Tensor, dims: number[]): Tensor {
  const dtype = sumType(x.dtype);
  let values = toContiguousStorage(x, dtype === "int64" ? "float64" : dtype);
  const shape = x._shape.slice();
  for (let i = dims.length - 1; i >= 0; i--) {
    values = sumAlong(values, splitAt(shape, dims[i]!), dtype);
    shape[dims[i]!] = 1;
  }
  return fromStorage(values, shape, dtype);
}

function sumAll(x: Tensor): number {
  const n = x.numel();
  const src = x._contiguous ? x._storage : toContiguousStorage(x);
  const start = x._contiguous ? x._offset : 0;
  let total = 0;
  for (let i = 0; i < n; i++) total += src[start + i]!;
  return total;
}

/** Σ over all elements (SumBackward0) or over `dim` (SumBackward1):  ∂x = g broadcast back */
export function sum(x: Tensor, dim?: number | number[] | null, keepdim = false): Tensor {
  const inputShape = x._shape; // shape arrays are never mutated: no copy needed
  const dims = normalizeDims(dim, x._shape.length);
  if (dims === null) {
    const total = x._isLazyScalar ? x._scalar! : sumAll(x);
    return record(Tensor.scalar(total, sumType(x.dtype)), "SumBackward0", [x], [], (g) => [expand(g, inputShape)]);
  }
  const summed = sumValues(x, dims);
  const out = detachedResult(reshape(summed, reducedShape(inputShape, dims, keepdim)));
  return record(out, "SumBackward1", [x], [], (g) => [
    expand(restoreReducedDims(g, inputShape, dims, keepdim), inputShape),
  ]);
}

/** A fresh tensor on `t`'s values with no history (kernels build results through views). */
function detachedResult(t: Tensor): Tensor {
  return new Tensor(t._storage, t._shape, t.dtype, t._strides, t._offset);
}

/** Mean over all elements (MeanBackward0) or `dim` (MeanBackward1):  ∂x = g/n broadcast back */
export function mean(x: Tensor, dim?: number | number[] | null, keepdim = false): Tensor {
  if (!isFloatingPoint(x.dtype)) {
    throw new RuntimeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${x.dtype === "int64" ? "Long" : "Bool"}`,
    );
  }
  const inputShape = x._shape;
  const dims = normalizeDims(dim, x._shape.length);
  const count = dims === null ? x.numel() : dims.reduce((n, d) => n * inputShape[d]!, 1);
  const total = dims === null ? sum(x) : sumValues(x, dims);
  const values = binaryMap(total, count, (s, n) => s / n, x.dtype);
  if (dims === null) {
    return record(values, "MeanBackward0", [x], [], (g) => [expand(g.div(count), inputShape)]);
  }
  const out = detachedResult(reshape(values, reducedShape(inputShape, dims, keepdim)));
  return record(out, "MeanBackward1", [x], [], (g) => [
    expand(restoreReducedDims(g, inputShape, dims, keepdim).div(count), inputShape),
  ]);
}

export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

/** max/min over all elements: the gradient is shared evenly among the elements equal to the result. */
function extremeAll(x: Tensor, sign: 1 | -1, name: string): Tensor {
  if (x.numel() === 0) {
    throw new RuntimeError(`${sign === 1 ? "max" : "min"}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  }
  const flat = toContiguousStorage(x);
  const { values } = argExtremeAlong(flat, { outer: 1, size: flat.length, inner: 1 }, x.dtype, sign);
  const out = fromStorage(values, [], x.dtype);
  return record(out, name, [x], [x, out], (g, [input, result]) => {
    const isExtreme = binaryMap(input!, result!, (v, r) => (v === r ? 1 : 0), g.dtype);
    const ties = sum(isExtreme).item();
    return [isExtreme.mul(g.div(ties))];
  });
}

export function maxAll(x: Tensor): Tensor {
  return extremeAll(x, 1, "MaxBackward1");
}

export function minAll(x: Tensor): Tensor {
  return extremeAll(x, -1, "MinBackward1");
}

/** max/min along `dim`, returning values and int64 indices; the gradient goes to the selected element. */
function extremeDim(x: Tensor, dim: number, keepdim: boolean, sign: 1 | -1, name: string): ValuesIndices {
  const d = normalizeDim(dim, x._shape.length);
  const inputShape = x._shape.slice();
  const split = splitAt(inputShape, d);
  const found = argExtremeAlong(toContiguousStorage(x), split, x.dtype, sign);
  const shape = reducedShape(inputShape, [d], keepdim);
  const indices = fromStorage(found.indices, shape, "int64");
  const values = record(fromStorage(found.values, shape, x.dtype), name, [x], [], (g) => {
    const selected = oneHotAlong(restoreReducedDims(indices, inputShape, [d], keepdim), inputShape, d, g.dtype);
    return [selected.mul(restoreReducedDims(g, inputShape, [d], keepdim))];
  });
  return { values, indices };
}

/** A 0/1 tensor of `shape` with a 1 where the position along `dim` equals `index` (kept dim of size 1). */
export function oneHotAlong(index: Tensor, shape: readonly number[], dim: number, dtype: DType): Tensor {
  const { outer, size, inner } = splitAt(shape, dim);
  const picks = toContiguousStorage(index, "float64");
  const out = new Tensor(allocate(dtype, numelOf(shape)), shape.slice(), dtype);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const k = picks[o * inner + i]!;
      if (k >= 0 && k < size) out._storage[(o * size + k) * inner + i] = 1;
    }
  }
  return out;
}

export function maxDim(x: Tensor, dim: number, keepdim = false): ValuesIndices {
  return extremeDim(x, dim, keepdim, 1, "MaxBackward0");
}

export function minDim(x: Tensor, dim: number, keepdim = false): ValuesIndices {
  return extremeDim(x, dim, keepdim, -1, "MinBackward0");
}

/** Indices of the max/min (no gradient): over the flattened tensor, or along `dim`. */
function argExtreme(x: Tensor, dim: number | undefined, keepdim: boolean, sign: 1 | -1): Tensor {
  const values = dim === undefined ? reshape(x.detach(), [x.numel()]) : x.detach();
  return extremeDim(values, dim ?? 0, dim === undefined ? false : keepdim, sign, "").indices;
}

export const argmax = (x: Tensor, dim?: number, keepdim = false): Tensor => argExtreme(x, dim, keepdim, 1);
export const argmin = (x: Tensor, dim?: number, keepdim = false): Tensor => argExtreme(x, dim, keepdim, -1);
