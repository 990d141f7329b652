/**
 * Ops that change how storage is read without copying (views), and the few that must copy
 * (contiguous, clone, dtype casts). A view shares its base's storage and version counter.
 */
import { type DType } from "../dtype";
import { IndexError, RuntimeError } from "../errors";
import { record } from "../autograd/record";
import { toContiguousStorage } from "../kernels/elementwise";
import { contiguousStrides, formatShape, inferShape, normalizeDim, numelOf, sameShape } from "../shape";
import { Tensor } from "../tensor";
import { zeros } from "../factories";
import { sumToShape } from "./reduceGrad";

function makeView(x: Tensor, shape: number[], strides: number[], offset: number): Tensor {
  return new Tensor(x._storage, shape, x.dtype, strides, offset, x._base ?? x);
}

/** Strides that read `x` as `shape` without copying, or null when impossible (PyTorch's computeStride). */
function viewStrides(x: Tensor, shape: number[]): number[] | null {
  if (x._contiguous) return contiguousStrides(shape);
  const oldShape = x._shape;
  const oldStrides = x._strides;
  const newStrides = new Array<number>(shape.length);
  if (numelOf(oldShape) === 0) return contiguousStrides(shape);
  let viewD = shape.length - 1;
  let chunkBaseStride = oldStrides[oldStrides.length - 1] ?? 1;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let tensorD = oldShape.length - 1; tensorD >= 0; tensorD--) {
    tensorNumel *= oldShape[tensorD]!;
    if (tensorD === 0 || (oldShape[tensorD - 1] !== 1 && oldStrides[tensorD - 1] !== tensorNumel * chunkBaseStride)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= shape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (tensorD > 0) {
        chunkBaseStride = oldStrides[tensorD - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : null;
}

/** Same values, new shape, no copy:  ∂x = g reshaped back */
export function view(x: Tensor, requested: number[]): Tensor {
  const shape = inferShape(requested, x.numel());
  const strides = viewStrides(x, shape);
  if (strides === null) {
    throw new RuntimeError(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  }
  const inputShape = x._shape.slice();
  return record(makeView(x, shape, strides, x._offset), "ViewBackward0", [x], [], (g) => [reshape(g, inputShape)]);
}

/** A view when the strides allow it, else a copy (CloneBackward0 then UnsafeViewBackward0, as PyTorch). */
export function reshape(x: Tensor, requested: number[]): Tensor {
  const shape = inferShape(requested, x.numel());
  if (sameShape(shape, x._shape)) return x.requiresGrad ? view(x, shape) : x;
  if (viewStrides(x, shape) !== null) return view(x, shape);
  const copy = contiguous(x);
  const inputShape = copy._shape.slice();
  const out = new Tensor(copy._storage, shape, x.dtype);
  return record(out, "UnsafeViewBackward0", [copy], [], (g) => [reshape(g, inputShape)]);
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x._shape.length === 0) return reshape(x, [1]);
  const start = normalizeDim(startDim, x._shape.length);
  const end = normalizeDim(endDim, x._shape.length);
  if (start > end) throw new RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim");
  const merged = x._shape.slice(start, end + 1).reduce((n, d) => n * d, 1);
  return reshape(x, [...x._shape.slice(0, start), merged, ...x._shape.slice(end + 1)]);
}

/** Swap two dims:  ∂x = gᵀ (the same swap) */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const rank = x._shape.length;
  const a = normalizeDim(dim0, rank);
  const b = normalizeDim(dim1, rank);
  const shape = x._shape.slice();
  const strides = x._strides.slice();
  [shape[a], shape[b]] = [shape[b]!, shape[a]!];
  [strides[a], strides[b]] = [strides[b]!, strides[a]!];
  return record(makeView(x, shape, strides, x._offset), "TransposeBackward0", [x], [], (g) => [transpose(g, a, b)]);
}

/** 2-D transpose (identity on 0-D and 1-D):  ∂x = gᵀ */
export function t(x: Tensor): Tensor {
  if (x._shape.length > 2) {
    throw new RuntimeError(`t() expects a tensor with <= 2 dimensions, but self is ${x._shape.length}D`);
  }
  const shape = x._shape.slice().reverse();
  const strides = x._strides.slice().reverse();
  return record(makeView(x, shape, strides, x._offset), "TBackward0", [x], [], (g) => [t(g)]);
}

/** Reorder dims:  ∂x = g with the inverse permutation */
export function permute(x: Tensor, dims: number[]): Tensor {
  const rank = x._shape.length;
  if (dims.length !== rank) {
    throw new RuntimeError(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${rank} is not equal to len(dims) = ${dims.length}`,
    );
  }
  const order = dims.map((d) => normalizeDim(d, rank));
  if (new Set(order).size !== rank) throw new RuntimeError("permute(): duplicate dims are not allowed.");
  const inverse = new Array<number>(rank);
  order.forEach((d, i) => (inverse[d] = i));
  const view = makeView(x, order.map((d) => x._shape[d]!), order.map((d) => x._strides[d]!), x._offset);
  return record(view, "PermuteBackward0", [x], [], (g) => [permute(g, inverse)]);
}

/** Broadcast to a larger shape with zero strides:  ∂x = g summed over the expanded dims */
export function expand(x: Tensor, requested: number[]): Tensor {
  const lead = requested.length - x._shape.length;
  if (lead < 0) {
    throw new RuntimeError(
      `expand(${x.dtype === "float32" ? "torch.FloatTensor" : "torch.DoubleTensor"}{${formatShape(x._shape)}}, size=${formatShape(requested)}): the number of sizes provided (${requested.length}) must be greater or equal to the number of dimensions in the tensor (${x._shape.length})`,
    );
  }
  const shape = new Array<number>(requested.length);
  const strides = new Array<number>(requested.length);
  for (let i = 0; i < requested.length; i++) {
    const own = i - lead;
    const size = own >= 0 ? x._shape[own]! : 1;
    const want = requested[i] === -1 ? size : requested[i]!;
    if (own >= 0 && size !== 1 && size !== want) {
      throw new RuntimeError(
        `The expanded size of the tensor (${want}) must match the existing size (${size}) at non-singleton dimension ${i}.  Target sizes: ${formatShape(requested)}.  Tensor sizes: ${formatShape(x._shape)}`,
      );
    }
    shape[i] = want;
    strides[i] = own >= 0 && size === want ? x._strides[own]! : 0;
  }
  if (sameShape(shape, x._shape)) return x;
  const inputShape = x._shape.slice();
  return record(makeView(x, shape, strides, x._offset), "ExpandBackward0", [x], [], (g) => [sumToShape(g, inputShape)]);
}

/** Drop size-1 dims (all, or just `dim`):  ∂x = g reshaped back */
export function squeeze(x: Tensor, dim?: number): Tensor {
  const keep = (size: number, i: number) => size !== 1 || (dim !== undefined && i !== normalizeDim(dim, x._shape.length));
  const shape = x._shape.filter(keep);
  const strides = x._strides.filter((_, i) => keep(x._shape[i]!, i));
  const inputShape = x._shape.slice();
  const name = dim === undefined ? "SqueezeBackward0" : "SqueezeBackward1";
  return record(makeView(x, shape, strides, x._offset), name, [x], [], (g) => [reshape(g, inputShape)]);
}

/** Insert a size-1 dim:  ∂x = g with that dim removed */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x._shape.length + 1);
  const shape = x._shape.slice();
  const strides = x._strides.slice();
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x._shape.length ? x._shape[d]! * x._strides[d]! : 1);
  return record(makeView(x, shape, strides, x._offset), "UnsqueezeBackward0", [x], [], (g) => [squeeze(g, d)]);
}

/** Elements start, start+step, … < end along `dim`:  ∂x = g placed back into zeros */
export function slice(x: Tensor, dim: number, start = 0, end = Number.MAX_SAFE_INTEGER, step = 1): Tensor {
  const d = normalizeDim(dim, x._shape.length);
  const size = x._shape[d]!;
  if (step <= 0) throw new RuntimeError("slice step must be positive");
  const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  const from = clampIndex(start);
  const to = Math.max(clampIndex(end), from);
  const shape = x._shape.slice();
  const strides = x._strides.slice();
  shape[d] = Math.ceil((to - from) / step);
  strides[d] = x._strides[d]! * step;
  const inputShape = x._shape.slice();
  const out = makeView(x, shape, strides, x._offset + from * x._strides[d]!);
  return record(out, "SliceBackward0", [x], [], (g) => [sliceScatter(g, inputShape, d, from, to, step)]);
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, x._shape.length);
  const size = x._shape[d]!;
  const from = start < 0 ? start + size : start;
  if (from < 0 || from + length > size || length < 0) {
    throw new RuntimeError(`start (${start}) + length (${length}) exceeds dimension size (${size}).`);
  }
  return slice(x, d, from, from + length);
}

/** The `index`-th entry along `dim`, dropping that dim:  ∂x = g placed back into zeros */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normalizeDim(dim, x._shape.length);
  const size = x._shape[d]!;
  if (index < -size || index >= size) {
    throw new IndexError(`select(): index ${index} out of range for tensor of size ${formatShape(x._shape)} at dimension ${d}`);
  }
  const i = index < 0 ? index + size : index;
  const shape = x._shape.filter((_, k) => k !== d);
  const strides = x._strides.filter((_, k) => k !== d);
  const inputShape = x._shape.slice();
  const out = makeView(x, shape, strides, x._offset + i * x._strides[d]!);
  return record(out, "SelectBackward0", [x], [], (g) => [
    sliceScatter(unsqueeze(g, d), inputShape, d, i, i + 1, 1),
  ]);
}

/** zeros(shape) with `src` written into a slice: the adjoint of slicing (and differentiable itself). */
export function sliceScatter(src: Tensor, shape: readonly number[], dim: number, start: number, end: number, step: number): Tensor {
  const out = zeros(shape.slice(), { dtype: src.dtype });
  const target = slice(out, dim, start, end, step);
  const values = toContiguousStorage(src);
  let k = 0;
  forEachIndex(target, (at) => (target._storage[at] = values[k++]!));
  return record(out, "SliceScatterBackward0", [src], [], (g) => [slice(g, dim, start, end, step)]);
}

function forEachIndex(t: Tensor, visit: (storageIndex: number) => void): void {
  const rank = t._shape.length;
  const n = t.numel();
  const counter = new Array<number>(rank).fill(0);
  for (let i = 0; i < n; i++) {
    let at = t._offset;
    for (let d = 0; d < rank; d++) at += counter[d]! * t._strides[d]!;
    visit(at);
    for (let d = rank - 1; d >= 0; d--) {
      if (++counter[d]! < t._shape[d]!) break;
      counter[d] = 0;
    }
  }
}

/** A contiguous tensor (itself when already contiguous); a copy records CloneBackward0. */
export function contiguous(x: Tensor): Tensor {
  return x._contiguous ? x : clone(x);
}

/** A copy with its own storage:  ∂x = g */
export function clone(x: Tensor): Tensor {
  const out = new Tensor(toContiguousStorage(x), x._shape.slice(), x.dtype);
  return record(out, "CloneBackward0", [x], [], (g) => [g]);
}

/** The same storage without history: a new leaf that does not require grad. */
export function detach(x: Tensor): Tensor {
  const out = new Tensor(x._storage, x._shape, x.dtype, x._strides, x._offset);
  // Shares the version counter (in-place changes stay visible to saved-tensor checks) but is
  // not a differentiable view, so in-place ops on it are allowed, as in PyTorch.
  out._version = x._version;
  return out;
}

/** A copy in another dtype:  ∂x = g cast back */
export function toDtype(x: Tensor, dtype: DType): Tensor {
  if (dtype === x.dtype) return x;
  const out = new Tensor(toContiguousStorage(x, dtype), x._shape.slice(), dtype);
  if (dtype === "int64" || dtype === "bool") {
    const values = out._storage;
    for (let i = 0; i < values.length; i++) values[i] = dtype === "bool" ? (values[i] ? 1 : 0) : Math.trunc(values[i]!);
    return out;
  }
  const from = x.dtype;
  return record(out, "ToCopyBackward0", [x], [], (g) => [toDtype(g, from)]);
}
