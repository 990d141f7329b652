/** Shapes, strides and broadcasting, as NumPy and PyTorch define them. */
import { IndexError, RuntimeError } from "./errors";

export type Shape = readonly number[];

export function numelOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i]!;
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/** Broadcast two shapes; throws PyTorch's message when they are incompatible. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  // Returns `a` itself when the shapes match: shape arrays are never mutated.
  if (sameShape(a, b)) return a as number[];
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 1; i <= rank; i++) {
    const da = i <= a.length ? a[a.length - i]! : 1;
    const db = i <= b.length ? b[b.length - i]! : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RuntimeError(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${rank - i}`,
      );
    }
    out[rank - i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read a tensor of `shape`/`strides` as if it had `target` shape (0 on broadcast dims). */
export function broadcastStrides(shape: Shape, strides: readonly number[], target: Shape): number[] {
  const out = new Array<number>(target.length).fill(0);
  const shift = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[i + shift] = shape[i] === 1 && target[i + shift] !== 1 ? 0 : strides[i]!;
  }
  return out;
}

/** Wrap a possibly negative dim; PyTorch's IndexError text when out of range. */
export function normalizeDim(dim: number, rank: number): number {
  const effectiveRank = Math.max(rank, 1);
  if (!Number.isInteger(dim) || dim < -effectiveRank || dim >= effectiveRank) {
    throw new IndexError(
      `Dimension out of range (expected to be in range of [${-effectiveRank}, ${effectiveRank - 1}], but got ${dim})`,
    );
  }
  return dim < 0 ? dim + effectiveRank : dim;
}

export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== expected) return false;
    expected *= shape[i]!;
  }
  return true;
}

/** Resolve a single -1 in a requested shape, checking the element count. */
export function inferShape(requested: readonly number[], numel: number): number[] {
  let inferred = -1;
  let known = 1;
  for (let i = 0; i < requested.length; i++) {
    const d = requested[i]!;
    if (d === -1) {
      if (inferred >= 0) throw new RuntimeError("only one dimension can be inferred");
      inferred = i;
    } else if (d < 0 || !Number.isInteger(d)) {
      throw new RuntimeError(`invalid shape dimension ${d}`);
    } else known *= d;
  }
  const out = requested.slice();
  if (inferred >= 0) {
    if (known === 0 || numel % known !== 0) {
      throw new RuntimeError(`shape '${formatShape(requested)}' is invalid for input of size ${numel}`);
    }
    out[inferred] = numel / known;
  } else if (known !== numel) {
    throw new RuntimeError(`shape '${formatShape(requested)}' is invalid for input of size ${numel}`);
  }
  return out;
}
