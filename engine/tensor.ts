/**
 * The Tensor: a strided view on typed-array storage plus its autograd state, following
 * PyTorch's semantics. Math lives in ops/; this class holds the state and delegates.
 */
import { allocate, DEFAULT_DTYPE, isFloatingPoint, type DType, type Storage } from "./dtype";
import { RuntimeError } from "./errors";
import { contiguousStrides, isContiguous, numelOf, type Shape } from "./shape";
import { warn } from "./warnings";
import type { Node, GradHook, RemovableHandle } from "./autograd/node";
import type { AccumulateGrad } from "./autograd/accumulateGrad";
import { gradientEdge } from "./autograd/record";
import { backward as runBackward, type BackwardOptions } from "./autograd/backward";
import * as pw from "./ops/pointwise";
import * as red from "./ops/reduce";
import * as lin from "./ops/linalg";
import * as vw from "./ops/view";
import * as idx from "./ops/indexing";
import * as sm from "./ops/softmax";
import * as cmp from "./ops/compare";
import * as ip from "./ops/inplace";
import { formatTensor } from "./format";
import { describeTensor, debugProperties } from "./debug/describe";
import { gradWriteObserver } from "./debug/gradWrites";

/** Shared by a tensor and its views: bumped by every in-place op (PyTorch's `_version`). */
export interface VersionCounter {
  value: number;
}

export type TensorLike = Tensor | number;

let nextTensorId = 0;

/** The id the next tensor will get: lets the backward engine tell tensors it created. */
export function nextTensorIdPeek(): number {
  return nextTensorId;
}
const SCALAR_SHAPE: number[] = [];

/**
 * The fields only some tensors need, kept out of line as PyTorch keeps its AutogradMeta: every
 * field on Tensor itself costs 4 bytes on every tensor, and long chains of small ops spend most
 * of their time collecting what the graph keeps alive.
 */
class TensorExtras {
  base: Tensor | null = null;
  /** Shared by a tensor, its views and its detached aliases; created on first use. */
  version: VersionCounter | null = null;
  grad: Tensor | null = null;
  retainsGrad = false;
  accumulator: AccumulateGrad | null = null;
}

const NON_LEAF_GRAD_WARNING =
  "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated " +
  "during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, use " +
  ".retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access the leaf " +
  "Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more informations.";

export function requiresGradLeafError(requiresGrad: boolean): RuntimeError {
  let message = "you can only change requires_grad flags of leaf variables.";
  if (!requiresGrad) {
    message +=
      " If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().";
  }
  return new RuntimeError(message);
}

export class Tensor {
  readonly id = ++nextTensorId;
  /** The values, or null for a one-element tensor whose value sits in `_scalar` (see `_storage`). */
  private _data: Storage | null;
  /**
   * The value of a lazy scalar. null (not 0) on every other tensor: a field that has held a
   * double makes V8 box a heap number in every instance, one more object per tensor.
   */
  _scalar: number | null = null;
  _shape: number[];
  _strides: number[];
  _offset: number;
  /** True when the elements are the storage's [offset, offset + numel) in row-major order. */
  _contiguous: boolean;
  readonly dtype: DType;
  /** What few tensors have (see TensorExtras); null on most. */
  private _extras: TensorExtras | null = null;

  /** A leaf's own flag; non-leaves require grad because they have a gradFn. */
  _requiresGrad = false;
  _gradFn: Node | null = null;

  /**
   * Shape and stride arrays are never mutated after construction, so tensors share them freely.
   * `storage` may be null only for a one-element tensor created by `Tensor.scalar`.
   */
  constructor(
    storage: Storage | null,
    shape: number[],
    dtype: DType = DEFAULT_DTYPE,
    strides: number[] = shape.length === 0 ? shape : contiguousStrides(shape),
    offset = 0,
    base: Tensor | null = null,
  ) {
    this._data = storage;
    this._shape = shape;
    this._strides = strides;
    this._offset = offset;
    this._contiguous = shape.length === 0 || isContiguous(shape, strides);
    this.dtype = dtype;
    if (base !== null) this.extrasForWrite.base = base;
  }

  private get extrasForWrite(): TensorExtras {
    return (this._extras ??= new TensorExtras());
  }

  /** The tensor this one is a view of, if any. */
  get _base(): Tensor | null {
    const extras = this._extras;
    return extras === null ? null : extras.base;
  }

  /** A leaf's accumulated gradient, or a non-leaf's retained one. */
  get _grad(): Tensor | null {
    const extras = this._extras;
    return extras === null ? null : extras.grad;
  }

  set _grad(grad: Tensor | null) {
    if (grad !== null || this._extras !== null) this.extrasForWrite.grad = grad;
  }

  get _retainsGrad(): boolean {
    const extras = this._extras;
    return extras !== null && extras.retainsGrad;
  }

  set _retainsGrad(flag: boolean) {
    if (flag || this._extras !== null) this.extrasForWrite.retainsGrad = flag;
  }

  /** A leaf's AccumulateGrad node, made when an op first uses the leaf. */
  get _accumulator(): AccumulateGrad | null {
    const extras = this._extras;
    return extras === null ? null : extras.accumulator;
  }

  set _accumulator(node: AccumulateGrad | null) {
    if (node !== null || this._extras !== null) this.extrasForWrite.accumulator = node;
  }

  /**
   * A one-element tensor (0-d unless `shape` says otherwise) holding `value`. Its typed array is created only if something reads `_storage`:
   * long chains of scalar ops (a 100,000-step loss, say) would otherwise spend most of their
   * time allocating and collecting one-element typed arrays.
   */
  static scalar(value: number, dtype: DType, shape: number[] = SCALAR_SHAPE): Tensor {
    const t = new Tensor(null, shape, dtype, shape.length === 0 ? SCALAR_SHAPE : contiguousStrides(shape));
    t._scalar = dtype === "float32" ? Math.fround(value) : value;
    return t;
  }

  /** The typed array behind this tensor (shared with its views). */
  get _storage(): Storage {
    if (this._data === null) {
      const data = allocate(this.dtype, 1);
      data[0] = this._scalar!;
      this._data = data;
    }
    return this._data;
  }

  set _storage(storage: Storage) {
    this._data = storage;
  }

  /** True while the value lives in `_scalar` (no typed array yet). */
  get _isLazyScalar(): boolean {
    return this._data === null;
  }

  /** Shared by a tensor, its views and its detached aliases; created on first use. */
  get _version(): VersionCounter {
    const extras = this.extrasForWrite;
    return (extras.version ??= extras.base ? extras.base._version : { value: 0 });
  }

  set _version(counter: VersionCounter) {
    this.extrasForWrite.version = counter;
  }

  // ---- shape and values -------------------------------------------------------------

  get shape(): readonly number[] {
    return this._shape;
  }

  get ndim(): number {
    return this._shape.length;
  }

  size(dim?: number): number | readonly number[] {
    return dim === undefined ? this._shape : this._shape[dim < 0 ? dim + this._shape.length : dim]!;
  }

  stride(): readonly number[] {
    return this._strides;
  }

  numel(): number {
    return numelOf(this._shape);
  }

  dim(): number {
    return this._shape.length;
  }

  isContiguous(): boolean {
    return this._contiguous;
  }

  isFloatingPoint(): boolean {
    return isFloatingPoint(this.dtype);
  }

  /** The value of a one-element tensor as a JS number. */
  item(): number {
    const n = this.numel();
    if (n !== 1) throw new RuntimeError(`a Tensor with ${n} elements cannot be converted to Scalar`);
    return this._data === null ? this._scalar! : this._storage[this._offset]!;
  }

  /** Nested arrays of numbers (booleans for bool tensors), like PyTorch's tolist(). */
  tolist(): unknown {
    const contiguous = this.contiguous();
    const flat = contiguous._storage;
    const start = contiguous._offset;
    const asValue = this.dtype === "bool" ? (v: number) => v !== 0 : (v: number) => v;
    const build = (dim: number, at: number): unknown => {
      if (dim === this._shape.length) return asValue(flat[at]!);
      const out: unknown[] = [];
      const step = numelOf(this._shape.slice(dim + 1));
      for (let i = 0; i < this._shape[dim]!; i++) out.push(build(dim + 1, at + i * step));
      return out;
    };
    return build(0, start);
  }

  /** A flat, row-major copy of the values. */
  toArray(): number[] {
    const c = this.contiguous();
    return Array.from(c._storage.subarray(c._offset, c._offset + c.numel()));
  }

  /** PyTorch's `.data`: the same values, detached from the graph. */
  get data(): Tensor {
    return this.detach();
  }

  // ---- autograd state -----------------------------------------------------------------

  get isLeaf(): boolean {
    return this._gradFn === null;
  }

  get requiresGrad(): boolean {
    return this._gradFn !== null || this._requiresGrad;
  }

  set requiresGrad(flag: boolean) {
    if (this._gradFn !== null) throw requiresGradLeafError(flag);
    this.setLeafRequiresGrad(flag);
  }

  requiresGrad_(flag = true): this {
    if (this._gradFn !== null) {
      if (!flag) throw requiresGradLeafError(flag);
      return this;
    }
    // PyTorch words this check differently on each path; these are its texts.
    this.setLeafRequiresGrad(flag, "only Tensors of floating point dtype can require gradients");
    return this;
  }

  private setLeafRequiresGrad(flag: boolean, message = "only Tensors of floating point and complex dtype can require gradients"): void {
    if (flag && !isFloatingPoint(this.dtype)) throw new RuntimeError(message);
    this._requiresGrad = flag;
  }

  get gradFn(): Node | null {
    return this._gradFn;
  }

  get grad(): Tensor | null {
    if (this._gradFn !== null && !this._retainsGrad && this._grad === null) warn(NON_LEAF_GRAD_WARNING);
    return this._grad;
  }

  set grad(value: Tensor | null) {
    if (value !== null) {
      if (value.dtype !== this.dtype) throw new RuntimeError("assigned grad has data of a different type");
      if (value._shape.join() !== this._shape.join()) throw new RuntimeError("assigned grad has data of a different size");
    }
    this._grad = value;
    if (gradWriteObserver !== null) gradWriteObserver(this);
  }

  get retainsGrad(): boolean {
    return this._retainsGrad;
  }

  /** Keep this non-leaf's gradient in `.grad` after backward. A no-op on leaves. */
  retainGrad(): void {
    if (!this.requiresGrad) throw new RuntimeError("can't retain_grad on Tensor that has requires_grad=False");
    if (this.isLeaf) return;
    this._retainsGrad = true;
    this._gradFn!.retainer = this;
  }

  /** Run `hook(grad)` when this tensor's gradient is computed; a returned tensor replaces it. */
  registerHook(hook: GradHook): RemovableHandle {
    if (!this.requiresGrad) throw new RuntimeError("cannot register a hook on a tensor that doesn't require gradient");
    return gradientEdge(this)!.registerPrehook(hook);
  }

  /** The in-place version counter (PyTorch's `_version`). */
  get version(): number {
    // Read without creating the counter: ops read the versions of every tensor they save.
    const extras = this._extras;
    if (extras === null) return 0;
    if (extras.version !== null) return extras.version.value;
    return extras.base === null ? 0 : extras.base.version;
  }

  backward(gradient?: Tensor | null, options: BackwardOptions = {}): void {
    runBackward([this], gradient ? [gradient] : null, options);
  }

  detach(): Tensor {
    return vw.detach(this);
  }

  /** Detach in place: this tensor becomes a leaf that does not require grad. */
  detach_(): this {
    if (this._base !== null && this._base.requiresGrad) {
      throw new RuntimeError(
        "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.",
      );
    }
    this._gradFn = null;
    this._requiresGrad = false;
    this._retainsGrad = false;
    return this;
  }

  // ---- pointwise math -----------------------------------------------------------------

  add(other: TensorLike, alpha?: number): Tensor { return pw.add(this, other, alpha); }
  sub(other: TensorLike, alpha?: number): Tensor { return pw.sub(this, other, alpha); }
  mul(other: TensorLike): Tensor { return pw.mul(this, other); }
  div(other: TensorLike): Tensor { return pw.div(this, other); }
  neg(): Tensor { return pw.neg(this); }
  pow(exponent: TensorLike): Tensor { return pw.pow(this, exponent); }
  exp(): Tensor { return pw.exp(this); }
  log(): Tensor { return pw.log(this); }
  sqrt(): Tensor { return pw.sqrt(this); }
  square(): Tensor { return pw.pow(this, 2); }
  abs(): Tensor { return pw.abs(this); }
  relu(): Tensor { return pw.relu(this); }
  sigmoid(): Tensor { return pw.sigmoid(this); }
  tanh(): Tensor { return pw.tanh(this); }
  clamp(min?: number | null, max?: number | null): Tensor { return pw.clamp(this, min, max); }
  maximum(other: Tensor): Tensor { return pw.maximum(this, other); }
  minimum(other: Tensor): Tensor { return pw.minimum(this, other); }

  // ---- comparisons (no gradient) ------------------------------------------------------

  eq(other: TensorLike): Tensor { return cmp.eq(this, other); }
  ne(other: TensorLike): Tensor { return cmp.ne(this, other); }
  lt(other: TensorLike): Tensor { return cmp.lt(this, other); }
  le(other: TensorLike): Tensor { return cmp.le(this, other); }
  gt(other: TensorLike): Tensor { return cmp.gt(this, other); }
  ge(other: TensorLike): Tensor { return cmp.ge(this, other); }
  isnan(): Tensor { return cmp.isnan(this); }
  isinf(): Tensor { return cmp.isinf(this); }
  argmax(dim?: number, keepdim?: boolean): Tensor { return red.argmax(this, dim, keepdim); }
  argmin(dim?: number, keepdim?: boolean): Tensor { return red.argmin(this, dim, keepdim); }
  allclose(other: Tensor, rtol?: number, atol?: number): boolean { return cmp.allclose(this, other, rtol, atol); }
  equal(other: Tensor): boolean { return cmp.equal(this, other); }

  // ---- reductions ---------------------------------------------------------------------

  sum(dim?: number | number[] | null, keepdim?: boolean): Tensor { return red.sum(this, dim, keepdim); }
  mean(dim?: number | number[] | null, keepdim?: boolean): Tensor { return red.mean(this, dim, keepdim); }
  max(): Tensor;
  max(dim: number, keepdim?: boolean): red.ValuesIndices;
  max(dim?: number, keepdim?: boolean): Tensor | red.ValuesIndices { return dim === undefined ? red.maxAll(this) : red.maxDim(this, dim, keepdim); }
  min(): Tensor;
  min(dim: number, keepdim?: boolean): red.ValuesIndices;
  min(dim?: number, keepdim?: boolean): Tensor | red.ValuesIndices { return dim === undefined ? red.minAll(this) : red.minDim(this, dim, keepdim); }
  norm(): Tensor { return this.mul(this).sum().sqrt(); }

  // ---- linear algebra -----------------------------------------------------------------

  matmul(other: Tensor): Tensor { return lin.matmul(this, other); }
  mm(other: Tensor): Tensor { return lin.mm(this, other); }
  dot(other: Tensor): Tensor { return lin.dot(this, other); }
  t(): Tensor { return vw.t(this); }
  get T(): Tensor { return vw.permute(this, this._shape.map((_, i) => this._shape.length - 1 - i)); }

  // ---- shape --------------------------------------------------------------------------

  view(...shape: number[] | [number[]]): Tensor { return vw.view(this, flattenShapeArgs(shape)); }
  reshape(...shape: number[] | [number[]]): Tensor { return vw.reshape(this, flattenShapeArgs(shape)); }
  flatten(startDim = 0, endDim = -1): Tensor { return vw.flatten(this, startDim, endDim); }
  transpose(dim0: number, dim1: number): Tensor { return vw.transpose(this, dim0, dim1); }
  permute(...dims: number[] | [number[]]): Tensor { return vw.permute(this, flattenShapeArgs(dims)); }
  expand(...shape: number[] | [number[]]): Tensor { return vw.expand(this, flattenShapeArgs(shape)); }
  expandAs(other: Tensor): Tensor { return vw.expand(this, other._shape); }
  squeeze(dim?: number): Tensor { return vw.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return vw.unsqueeze(this, dim); }
  narrow(dim: number, start: number, length: number): Tensor { return vw.narrow(this, dim, start, length); }
  select(dim: number, index: number): Tensor { return vw.select(this, dim, index); }
  /** `t[i]`: select along the first dimension. */
  index(i: number): Tensor { return vw.select(this, 0, i); }
  slice(dim: number, start?: number, end?: number, step?: number): Tensor { return vw.slice(this, dim, start, end, step); }
  contiguous(): Tensor { return vw.contiguous(this); }
  clone(): Tensor { return vw.clone(this); }
  gather(dim: number, index: Tensor): Tensor { return idx.gather(this, dim, index); }
  indexSelect(dim: number, index: Tensor): Tensor { return idx.indexSelect(this, dim, index); }
  softmax(dim: number): Tensor { return sm.softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return sm.logSoftmax(this, dim); }
  to(dtype: DType): Tensor { return vw.toDtype(this, dtype); }
  float(): Tensor { return vw.toDtype(this, "float32"); }
  double(): Tensor { return vw.toDtype(this, "float64"); }
  long(): Tensor { return vw.toDtype(this, "int64"); }

  // ---- in place -----------------------------------------------------------------------

  add_(other: TensorLike, alpha?: number): this { return ip.add_(this, other, alpha); }
  sub_(other: TensorLike, alpha?: number): this { return ip.sub_(this, other, alpha); }
  mul_(other: TensorLike): this { return ip.mul_(this, other); }
  div_(other: TensorLike): this { return ip.div_(this, other); }
  zero_(): this { return ip.fill_(this, 0, "ZeroBackward0"); }
  fill_(value: number): this { return ip.fill_(this, value); }
  copy_(source: Tensor): this { return ip.copy_(this, source); }
  clamp_(min?: number | null, max?: number | null): this { return ip.clamp_(this, min, max); }
  relu_(): this { return ip.clamp_(this, 0, null); }
  uniform_(low = 0, high = 1): this { return ip.uniform_(this, low, high); }
  normal_(mean = 0, std = 1): this { return ip.normal_(this, mean, std); }

  // ---- presentation -------------------------------------------------------------------

  toString(): string {
    return formatTensor(this);
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return formatTensor(this);
  }

  /** Read by VS Code's JavaScript debugger (and ours) as the one-line value. */
  [Symbol.for("debug.description")](): string {
    return describeTensor(this);
  }

  /** Read by VS Code's JavaScript debugger as the children to show. */
  [Symbol.for("debug.properties")](): Record<string, unknown> {
    return debugProperties(this);
  }
}

function flattenShapeArgs(args: number[] | [number[]]): number[] {
  return Array.isArray(args[0]) ? (args[0] as number[]).slice() : (args as number[]);
}

export function isTensor(value: unknown): value is Tensor {
  return value instanceof Tensor;
}

/** A shape-compatible list check used by factories. */
export function assertShape(shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RuntimeError(`Trying to create tensor with negative dimension ${d}: [${shape.join(", ")}]`);
  }
}
