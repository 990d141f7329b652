/**
 * Elementwise loops over strided, broadcast operands. Everything else builds on these:
 * a contiguous fast path (one flat loop) and a general path that walks the output in
 * row-major order while carrying each operand's storage offset.
 */
import { allocate, type DType, type Storage } from "../dtype";
import { broadcastShapes, broadcastStrides, contiguousStrides, numelOf, sameShape } from "../shape";
import { Tensor } from "../tensor";
import {
  BINARY_FUNCTIONS, UNARY_FUNCTIONS, binaryConstantLeftLoop, binaryConstantRightLoop, binaryLoop, unaryLoop,
  type BinaryOpCode, type UnaryOpCode,
} from "./fastLoops";

export type UnaryFn = (x: number) => number;
export type BinaryFn = (x: number, y: number) => number;

/** True when every element of `t` is the same storage slot (a broadcast scalar). */
function isBroadcastScalar(t: Tensor): boolean {
  const strides = t._strides;
  for (let i = 0; i < strides.length; i++) if (strides[i] !== 0 && t._shape[i] !== 1) return false;
  return true;
}

/**
 * Walks a strided tensor row by row (rows along the last dim): `row(outStart, storageStart)`.
 * One call per row, not per element, so callers keep their per-element loops inline.
 */
function forEachRow(shape: readonly number[], strides: readonly number[], offset: number, row: (outStart: number, at: number) => void): void {
  const rank = shape.length;
  const n = numelOf(shape);
  if (n === 0 || rank === 0) return;
  const last = rank - 1;
  const lastSize = shape[last]!;
  const counter = new Array<number>(rank).fill(0);
  let base = offset;
  for (let o = 0; o < n; o += lastSize) {
    row(o, base);
    for (let d = last - 1; d >= 0; d--) {
      base += strides[d]!;
      if (++counter[d]! < shape[d]!) break;
      base -= strides[d]! * shape[d]!;
      counter[d] = 0;
    }
  }
}

/** Visit every element of a strided tensor in row-major order: `visit(outIndex, storageIndex)`. */
export function forEachStrided(shape: readonly number[], strides: readonly number[], offset: number, visit: (i: number, at: number) => void): void {
  if (shape.length === 0) {
    visit(0, offset);
    return;
  }
  const lastSize = shape[shape.length - 1]!;
  const lastStride = strides[strides.length - 1]!;
  forEachRow(shape, strides, offset, (o, base) => {
    for (let j = 0; j < lastSize; j++) visit(o + j, base + j * lastStride);
  });
}

/** out ← the elements at (shape, strides, offset) in row-major order; no callback per element. */
function copyStrided(src: Storage, shape: readonly number[], strides: readonly number[], offset: number, out: Storage): void {
  if (shape.length === 0) {
    if (out.length > 0) out[0] = src[offset]!;
    return;
  }
  const lastSize = shape[shape.length - 1]!;
  const lastStride = strides[strides.length - 1]!;
  forEachRow(shape, strides, offset, (o, base) => {
    for (let j = 0, at = base; j < lastSize; j++, at += lastStride) out[o + j] = src[at]!;
  });
}

/** The elements of `t` in row-major order as a fresh storage. */
export function toContiguousStorage(t: Tensor, dtype: DType = t.dtype): Storage {
  const n = t.numel();
  const out = allocate(dtype, n);
  const src = t._storage;
  if (t._contiguous && dtype === t.dtype) out.set(src.subarray(t._offset, t._offset + n));
  else copyStrided(src, t._shape, t._strides, t._offset, out);
  return out;
}

/** `f` elementwise; pass an op code for the hot ops (see fastLoops.ts). */
export function unaryMap(x: Tensor, op: UnaryFn | UnaryOpCode, outDtype: DType = x.dtype): Tensor {
  const f = typeof op === "string" ? UNARY_FUNCTIONS[op] : op;
  if (isSingleValue(x)) return Tensor.scalar(f(broadcastValue(x)), outDtype, x._shape);
  const n = x.numel();
  const out = allocate(outDtype, n);
  const src = x._storage;
  if (x._contiguous) {
    const off = x._offset;
    if (typeof op === "string") unaryLoop(op, src, off, out, n);
    else for (let i = 0; i < n; i++) out[i] = f(src[off + i]!);
    return new Tensor(out, x._shape, outDtype, x._offset === 0 ? x._strides : undefined);
  }
  forEachStrided(x._shape, x._strides, x._offset, (i, at) => (out[i] = f(src[at]!)));
  return new Tensor(out, x._shape, outDtype);
}

/**
 * One element: its result is a lazy scalar too, so chains of scalar ops (a loss accumulated
 * step by step) allocate no typed arrays at all.
 */
function isSingleValue(t: Tensor): boolean {
  return t._isLazyScalar || t.numel() === 1;
}

/** The single value of a tensor whose elements all read one storage slot. */
function broadcastValue(t: Tensor): number {
  return t._isLazyScalar ? t._scalar! : t._storage[t._offset]!;
}

/** out[i] = f(a[i], y) over a contiguous `a`. */
function withConstantRight(a: Tensor, y: number, f: BinaryFn, code: BinaryOpCode | null, outDtype: DType): Tensor {
  const n = a.numel();
  const out = allocate(outDtype, n);
  const src = a._storage;
  const off = a._offset;
  if (code) binaryConstantRightLoop(code, src, off, y, out, n);
  else for (let i = 0; i < n; i++) out[i] = f(src[off + i]!, y);
  return new Tensor(out, a._shape, outDtype, off === 0 ? a._strides : undefined);
}

/** out[i] = f(x, b[i]) over a contiguous `b`. */
function withConstantLeft(x: number, b: Tensor, f: BinaryFn, code: BinaryOpCode | null, outDtype: DType): Tensor {
  const n = b.numel();
  const out = allocate(outDtype, n);
  const src = b._storage;
  const off = b._offset;
  if (code) binaryConstantLeftLoop(code, x, src, off, out, n);
  else for (let i = 0; i < n; i++) out[i] = f(x, src[off + i]!);
  return new Tensor(out, b._shape, outDtype, off === 0 ? b._strides : undefined);
}

/** `f(a, b)` with NumPy broadcasting; `b` may be a plain number. Pass an op code for the hot ops. */
export function binaryMap(a: Tensor, b: Tensor | number, op: BinaryFn | BinaryOpCode, outDtype: DType): Tensor {
  const code = typeof op === "string" ? op : null;
  const f = typeof op === "string" ? BINARY_FUNCTIONS[op] : op;
  if (typeof b === "number") {
    if (isSingleValue(a)) return Tensor.scalar(f(broadcastValue(a), b), outDtype, a._shape);
    if (a._contiguous) return withConstantRight(a, b, f, code, outDtype);
    return unaryMap(a, (x) => f(x, b), outDtype);
  }
  const shape = broadcastShapes(a._shape, b._shape);
  if (isSingleValue(a) && isSingleValue(b)) return Tensor.scalar(f(broadcastValue(a), broadcastValue(b)), outDtype, shape);
  const aFills = sameShape(shape, a._shape);
  const bFills = sameShape(shape, b._shape);
  // Fast paths: both flat and the same shape, or one side a single broadcast value.
  if (aFills && bFills && a._contiguous && b._contiguous) {
    const n = a.numel();
    const out = allocate(outDtype, n);
    const as = a._storage;
    const bs = b._storage;
    const ao = a._offset;
    const bo = b._offset;
    if (code) binaryLoop(code, as, ao, bs, bo, out, n);
    else for (let i = 0; i < n; i++) out[i] = f(as[ao + i]!, bs[bo + i]!);
    return new Tensor(out, a._shape, outDtype, ao === 0 ? a._strides : undefined);
  }
  if (aFills && a._contiguous && isBroadcastScalar(b)) return withConstantRight(a, broadcastValue(b), f, code, outDtype);
  if (bFills && b._contiguous && isBroadcastScalar(a)) return withConstantLeft(broadcastValue(a), b, f, code, outDtype);
  return stridedBinary(a, b, shape, f, outDtype);
}

/** The general case: walk the broadcast output row by row, carrying each operand's offset. */
function stridedBinary(a: Tensor, b: Tensor, shape: number[], f: BinaryFn, outDtype: DType): Tensor {
  const n = numelOf(shape);
  const out = allocate(outDtype, n);
  const as = a._storage;
  const bs = b._storage;
  const aStrides = broadcastStrides(a._shape, a._strides, shape);
  const bStrides = broadcastStrides(b._shape, b._strides, shape);
  const rank = shape.length;
  if (rank === 0) {
    out[0] = f(as[a._offset]!, bs[b._offset]!);
    return new Tensor(out, shape, outDtype);
  }
  const last = rank - 1;
  const lastSize = shape[last]!;
  const aLast = aStrides[last]!;
  const bLast = bStrides[last]!;
  const counter = new Array<number>(rank).fill(0);
  let ai = a._offset;
  let bi = b._offset;
  for (let o = 0; o < n; o += lastSize) {
    for (let j = 0; j < lastSize; j++) out[o + j] = f(as[ai + j * aLast]!, bs[bi + j * bLast]!);
    for (let d = last - 1; d >= 0; d--) {
      ai += aStrides[d]!;
      bi += bStrides[d]!;
      if (++counter[d]! < shape[d]!) break;
      ai -= aStrides[d]! * shape[d]!;
      bi -= bStrides[d]! * shape[d]!;
      counter[d] = 0;
    }
  }
  return new Tensor(out, shape, outDtype);
}

/** `f(a, b, c)` elementwise with broadcasting (where, clamp-like rules). */
export function ternaryMap(a: Tensor, b: Tensor, c: Tensor, f: (x: number, y: number, z: number) => number, outDtype: DType): Tensor {
  const shape = broadcastShapes(broadcastShapes(a._shape, b._shape), c._shape);
  const n = numelOf(shape);
  const out = allocate(outDtype, n);
  const read = (t: Tensor) => {
    const values = allocate(t.dtype === "float32" ? "float32" : "float64", n);
    const src = t._storage;
    forEachStrided(shape, broadcastStrides(t._shape, t._strides, shape), t._offset, (i, at) => (values[i] = src[at]!));
    return values;
  };
  const av = read(a);
  const bv = read(b);
  const cv = read(c);
  for (let i = 0; i < n; i++) out[i] = f(av[i]!, bv[i]!, cv[i]!);
  return new Tensor(out, shape, outDtype);
}

/** A contiguous tensor with the given values. */
export function fromStorage(storage: Storage, shape: number[], dtype: DType): Tensor {
  return new Tensor(storage, shape, dtype, contiguousStrides(shape));
}
