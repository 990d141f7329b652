/** Picking and combining elements: gather, indexSelect, where, cat, stack and their adjoints. */
import { allocate, promoteTypes } from "../dtype";
import { IndexError, RuntimeError } from "../errors";
import { record } from "../autograd/record";
import { toContiguousStorage, ternaryMap } from "../kernels/elementwise";
import { splitAt } from "../kernels/reduce";
import { formatShape, normalizeDim, numelOf } from "../shape";
import { Tensor } from "../tensor";
import { gradFor } from "./reduceGrad";
import { narrow, select, unsqueeze } from "./view";

function checkIndexTensor(index: Tensor, op: string): void {
  if (index.dtype !== "int64") throw new RuntimeError(`${op}(): Expected dtype int64 for index`);
}

/** Visit every position of `index` as (row-major position, offset into a tensor of `shape` with that dim replaced). */
function forEachGatherPosition(index: Tensor, shape: readonly number[], dim: number, visit: (i: number, target: number) => void): void {
  const idx = toContiguousStorage(index, "float64");
  const ishape = index._shape;
  const strides = shape.map((_, d) => numelOf(shape.slice(d + 1)));
  const rank = ishape.length;
  const counter = new Array<number>(rank).fill(0);
  for (let i = 0; i < idx.length; i++) {
    const k = idx[i]!;
    if (k < 0 || k >= shape[dim]!) {
      throw new RuntimeError(`index ${k} is out of bounds for dimension ${dim} with size ${shape[dim]}`);
    }
    let target = 0;
    for (let d = 0; d < rank; d++) target += (d === dim ? k : counter[d]!) * strides[d]!;
    visit(i, target);
    for (let d = rank - 1; d >= 0; d--) {
      if (++counter[d]! < ishape[d]!) break;
      counter[d] = 0;
    }
  }
}

/** out[i][j] = x[i][index[i][j]] (dim 1):  ∂x = g scattered back, adding repeats */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndexTensor(index, "gather");
  const d = normalizeDim(dim, x._shape.length);
  if (index._shape.length !== x._shape.length) {
    throw new RuntimeError("Index tensor must have the same number of dimensions as input tensor");
  }
  const src = toContiguousStorage(x);
  const out = allocate(x.dtype, index.numel());
  forEachGatherPosition(index, x._shape, d, (i, at) => (out[i] = src[at]!));
  const inputShape = x._shape.slice();
  return record(new Tensor(out, index._shape.slice(), x.dtype), "GatherBackward0", [x], [index], (g, [ix]) => [
    scatterAdd(g, inputShape, d, ix!),
  ]);
}

/** zeros(shape) with src added at index along dim: gather's adjoint (and differentiable: ∂src = gather). */
export function scatterAdd(src: Tensor, shape: readonly number[], dim: number, index: Tensor): Tensor {
  const values = toContiguousStorage(src);
  const out = allocate(src.dtype, numelOf(shape));
  forEachGatherPosition(index, shape, dim, (i, at) => (out[at] += values[i]!));
  return record(new Tensor(out, shape.slice(), src.dtype), "ScatterAddBackward0", [src], [index], (g, [ix]) => [
    gather(g, dim, ix!),
  ]);
}

/** Entries `index` along `dim`:  ∂x = g added back at those entries */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndexTensor(index, "index_select");
  if (index._shape.length > 1) throw new IndexError("index_select(): Index is supposed to be a vector");
  const d = normalizeDim(dim, x._shape.length);
  const picks = toContiguousStorage(index, "float64");
  const { outer, size, inner } = splitAt(x._shape, d);
  const src = toContiguousStorage(x);
  const out = allocate(x.dtype, outer * picks.length * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < picks.length; j++) {
      const k = picks[j]!;
      if (k < 0 || k >= size) throw new IndexError(`index out of range in self`);
      out.set(src.subarray((o * size + k) * inner, (o * size + k + 1) * inner), (o * picks.length + j) * inner);
    }
  }
  const shape = x._shape.slice();
  shape[d] = picks.length;
  const inputShape = x._shape.slice();
  return record(new Tensor(out, shape, x.dtype), "IndexSelectBackward0", [x], [index], (g, [ix]) => [
    indexAdd(g, inputShape, d, ix!),
  ]);
}

/** zeros(shape) with src's slices added at `index` along dim: indexSelect's adjoint. */
export function indexAdd(src: Tensor, shape: readonly number[], dim: number, index: Tensor): Tensor {
  const picks = toContiguousStorage(index, "float64");
  const { outer, size, inner } = splitAt(shape, dim);
  const values = toContiguousStorage(src);
  const out = allocate(src.dtype, numelOf(shape));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < picks.length; j++) {
      const to = (o * size + picks[j]!) * inner;
      const from = (o * picks.length + j) * inner;
      for (let i = 0; i < inner; i++) out[to + i] += values[from + i]!;
    }
  }
  return record(new Tensor(out, shape.slice(), src.dtype), "IndexAddBackward0", [src], [index], (g, [ix]) => [
    indexSelect(g, dim, ix!),
  ]);
}

/** cond ? a : b elementwise:  ∂a = g where cond,  ∂b = g elsewhere */
export function where(condition: Tensor, a: Tensor | number, b: Tensor | number): Tensor {
  if (condition.dtype !== "bool") throw new RuntimeError("where expected condition to be a boolean tensor, but got a tensor with dtype " + condition.dtype);
  const left = typeof a === "number" ? scalarLike(a, b) : a;
  const right = typeof b === "number" ? scalarLike(b, left) : b;
  const dtype = promoteTypes(left.dtype, right.dtype);
  const out = ternaryMap(condition, left, right, (c, x, y) => (c ? x : y), dtype);
  return record(out, "WhereBackward0", [left, right], [condition], (g, [cond], node) => [
    node.needsInputGrad(0) ? gradFor(where(cond!, g, 0), left) : null,
    node.needsInputGrad(1) ? gradFor(where(cond!, 0, g), right) : null,
  ]);
}

function scalarLike(value: number, other: Tensor | number): Tensor {
  const dtype = typeof other === "number" ? "float32" : other.dtype;
  const storage = allocate(dtype, 1);
  storage[0] = value;
  return new Tensor(storage, [], dtype);
}

/** Join along an existing dim:  ∂xᵢ = the matching slice of g */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RuntimeError("torch.cat(): expected a non-empty list of Tensors");
  const first = tensors[0]!;
  const d = normalizeDim(dim, first._shape.length);
  for (const t of tensors) {
    if (t._shape.length !== first._shape.length || t._shape.some((s, i) => i !== d && s !== first._shape[i])) {
      throw new RuntimeError(
        `Sizes of tensors must match except in dimension ${d}. Expected size ${first._shape.find((_, i) => i !== d) ?? 0} but got size ${t._shape.find((_, i) => i !== d) ?? 0} for tensor number ${tensors.indexOf(t)} in the list.`,
      );
    }
  }
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  const sizes = tensors.map((t) => t._shape[d]!);
  const shape = first._shape.slice();
  shape[d] = sizes.reduce((a, b) => a + b, 0);
  const { outer, inner } = splitAt(shape, d);
  const out = allocate(dtype, numelOf(shape));
  let offset = 0;
  tensors.forEach((t, n) => {
    const chunk = sizes[n]! * inner;
    const src = toContiguousStorage(t, dtype);
    for (let o = 0; o < outer; o++) out.set(src.subarray(o * chunk, (o + 1) * chunk), o * shape[d]! * inner + offset * inner);
    offset += sizes[n]!;
  });
  const starts = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  return record(new Tensor(out, shape, dtype), "CatBackward0", tensors, [], (g, _, node) =>
    tensors.map((t, i) => (node.needsInputGrad(i) ? gradFor(narrow(g, d, starts[i]!, sizes[i]!), t) : null)),
  );
}

/** Join along a new dim:  ∂xᵢ = g's i-th entry along it */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RuntimeError("stack expects a non-empty TensorList");
  const first = tensors[0]!;
  tensors.forEach((t, i) => {
    if (formatShape(t._shape) !== formatShape(first._shape)) {
      throw new RuntimeError(
        `stack expects each tensor to be equal size, but got ${formatShape(first._shape)} at entry 0 and ${formatShape(t._shape)} at entry ${i}`,
      );
    }
  });
  const d = normalizeDim(dim, first._shape.length + 1);
  const joined = cat(tensors.map((t) => unsqueeze(t.detach(), d)), d);
  const out = new Tensor(joined._storage, joined._shape, joined.dtype);
  return record(out, "StackBackward0", tensors, [], (g, _, node) =>
    tensors.map((t, i) => (node.needsInputGrad(i) ? gradFor(select(g, d, i), t) : null)),
  );
}

