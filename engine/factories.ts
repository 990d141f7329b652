/** Creating tensors: from values, constant fills, ranges and the seeded random generator. */
import { allocate, DEFAULT_DTYPE, isFloatingPoint, type DType } from "./dtype";
import { RuntimeError, TorchTypeError } from "./errors";
import { numelOf } from "./shape";
import { Tensor, assertShape } from "./tensor";
import { normal, uniform, randomInt } from "./random";

export interface TensorOptions {
  /** Default float32. JS has no integer literals, so integer data needs dtype: "int64". */
  dtype?: DType;
  requiresGrad?: boolean;
}

type Nested = number | boolean | readonly Nested[];
export type ShapeArgs = [number[]] | [number[], TensorOptions] | number[] | [...number[], TensorOptions];

function finish(t: Tensor, options: TensorOptions | undefined): Tensor {
  if (options?.requiresGrad) {
    if (!t.isFloatingPoint()) throw new RuntimeError("Only Tensors of floating point and complex dtype can require gradients");
    t.requiresGrad = true;
  }
  return t;
}

/** Accepts `zeros([2, 3], opts)`, `zeros(2, 3)` and, as PyTorch's `zeros(2, 3, requires_grad=True)`, `zeros(2, 3, opts)`. */
function parseShapeArgs(args: ShapeArgs): { shape: number[]; options: TensorOptions | undefined } {
  if (Array.isArray(args[0])) return { shape: (args[0] as number[]).slice(), options: args[1] as TensorOptions | undefined };
  const last = args[args.length - 1];
  if (typeof last === "object" && last !== null) return { shape: args.slice(0, -1) as number[], options: last as TensorOptions };
  return { shape: (args as number[]).slice(), options: undefined };
}

function inferNestedShape(data: Nested): number[] {
  const shape: number[] = [];
  let level: Nested = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0]!;
  }
  return shape;
}

/** A tensor from (nested) numbers, booleans or a typed array. */
export function tensor(data: Nested | Float32Array | Float64Array | Int32Array, options: TensorOptions = {}): Tensor {
  let dtype: DType;
  let values: number[] | ArrayLike<number>;
  let shape: number[];
  if (ArrayBuffer.isView(data)) {
    dtype = options.dtype ?? (data instanceof Float64Array ? "float64" : data instanceof Int32Array ? "int64" : DEFAULT_DTYPE);
    values = data;
    shape = [data.length];
  } else {
    shape = inferNestedShape(data);
    const flat: number[] = [];
    let sawBoolean = false;
    const walk = (node: Nested, depth: number) => {
      if (Array.isArray(node)) {
        if (node.length !== shape[depth]) {
          throw new TorchTypeError(`expected sequence of length ${shape[depth]} at dim ${depth} (got ${node.length})`);
        }
        for (const child of node) walk(child as Nested, depth + 1);
      } else if (depth !== shape.length) {
        throw new TorchTypeError(`expected a sequence at dim ${depth}`);
      } else if (typeof node === "boolean") {
        sawBoolean = true;
        flat.push(node ? 1 : 0);
      } else if (typeof node === "number") {
        flat.push(node);
      } else {
        throw new TorchTypeError(`Could not infer dtype of ${typeof node}`);
      }
    };
    walk(data as Nested, 0);
    dtype = options.dtype ?? (sawBoolean ? "bool" : DEFAULT_DTYPE);
    values = flat;
  }
  const storage = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    storage[i] = dtype === "int64" ? Math.trunc(v) : dtype === "bool" ? (v ? 1 : 0) : v;
  }
  return finish(new Tensor(storage, shape, dtype), options);
}

function filled(shape: number[], value: number, options: TensorOptions | undefined): Tensor {
  assertShape(shape);
  const dtype = options?.dtype ?? DEFAULT_DTYPE;
  const storage = allocate(dtype, numelOf(shape));
  if (value !== 0) storage.fill(value);
  return finish(new Tensor(storage, shape, dtype), options);
}

export function zeros(...args: ShapeArgs): Tensor {
  const { shape, options } = parseShapeArgs(args);
  return filled(shape, 0, options);
}

export function ones(...args: ShapeArgs): Tensor {
  const { shape, options } = parseShapeArgs(args);
  return filled(shape, 1, options);
}

export function full(shape: number[], value: number, options?: TensorOptions): Tensor {
  return filled(shape.slice(), value, options);
}

function sampled(args: ShapeArgs, draw: () => number): Tensor {
  const { shape, options } = parseShapeArgs(args);
  assertShape(shape);
  const dtype = options?.dtype ?? DEFAULT_DTYPE;
  if (!isFloatingPoint(dtype)) throw new RuntimeError(`"check_uniform_bounds" not implemented for '${dtype === "int64" ? "Long" : "Bool"}'`);
  const storage = allocate(dtype, numelOf(shape));
  for (let i = 0; i < storage.length; i++) storage[i] = draw();
  return finish(new Tensor(storage, shape, dtype), options);
}

/** Uniform on [0, 1), from the generator seeded by manualSeed. */
export function rand(...args: ShapeArgs): Tensor {
  return sampled(args, uniform);
}

/** Standard normal, from the generator seeded by manualSeed. */
export function randn(...args: ShapeArgs): Tensor {
  return sampled(args, normal);
}

/** Integers uniform in [low, high), as int64. */
export function randint(low: number, high: number, shape: number[]): Tensor {
  const storage = allocate("int64", numelOf(shape));
  for (let i = 0; i < storage.length; i++) storage[i] = randomInt(low, high);
  return new Tensor(storage, shape.slice(), "int64");
}

/** A random permutation of 0..n-1 as int64 (Fisher–Yates). */
export function randperm(n: number): Tensor {
  const storage = allocate("int64", n);
  for (let i = 0; i < n; i++) storage[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [storage[i], storage[j]] = [storage[j]!, storage[i]!];
  }
  return new Tensor(storage, [n], "int64");
}

/** `arange(end)` or `arange(start, end, step)`. */
export function arange(start: number, end?: number, step = 1, options?: TensorOptions): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0) throw new RuntimeError("step must be nonzero");
  if ((end - start) / step < 0) throw new RuntimeError("upper bound and larger bound inconsistent with step sign");
  const count = Math.ceil((end - start) / step);
  const dtype = options?.dtype ?? DEFAULT_DTYPE;
  const storage = allocate(dtype, count);
  for (let i = 0; i < count; i++) storage[i] = start + i * step;
  return finish(new Tensor(storage, [count], dtype), options);
}

export function linspace(start: number, end: number, steps: number, options?: TensorOptions): Tensor {
  const dtype = options?.dtype ?? DEFAULT_DTYPE;
  const storage = allocate(dtype, steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++) storage[i] = start + i * delta;
  return finish(new Tensor(storage, [steps], dtype), options);
}

/** Identity matrix n×m. */
export function eye(n: number, m = n, options?: TensorOptions): Tensor {
  const t = filled([n, m], 0, options?.requiresGrad ? { ...options, requiresGrad: false } : options);
  for (let i = 0; i < Math.min(n, m); i++) t._storage[i * m + i] = 1;
  return finish(t, options);
}

export function zerosLike(x: Tensor, options?: TensorOptions): Tensor {
  return filled(x._shape.slice(), 0, { dtype: x.dtype, ...options });
}

export function onesLike(x: Tensor, options?: TensorOptions): Tensor {
  return filled(x._shape.slice(), 1, { dtype: x.dtype, ...options });
}

export function fullLike(x: Tensor, value: number, options?: TensorOptions): Tensor {
  return filled(x._shape.slice(), value, { dtype: x.dtype, ...options });
}

export function randLike(x: Tensor, options?: TensorOptions): Tensor {
  return rand(x._shape.slice(), { dtype: x.dtype, ...options });
}

export function randnLike(x: Tensor, options?: TensorOptions): Tensor {
  return randn(x._shape.slice(), { dtype: x.dtype, ...options });
}
