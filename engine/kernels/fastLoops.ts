/**
 * Monomorphic loops for the hottest elementwise ops. A shared loop calling `f(x, y)` through
 * a megamorphic call site makes V8 box every returned double (one heap allocation per
 * element), which made a 1e6-element op ~10× slower. Each case here is its own loop.
 */
import type { Storage } from "../dtype";

export type BinaryOpCode = "add" | "sub" | "mul" | "div" | "reluGrad";
export type UnaryOpCode = "neg" | "exp" | "log" | "sqrt" | "abs" | "relu" | "sigmoid" | "tanh" | "square" | "positive";

/** out[i] = a[ao + i] ∘ b[bo + i] */
export function binaryLoop(code: BinaryOpCode, a: Storage, ao: number, b: Storage, bo: number, out: Storage, n: number): void {
  switch (code) {
    case "add": for (let i = 0; i < n; i++) out[i] = a[ao + i]! + b[bo + i]!; return;
    case "sub": for (let i = 0; i < n; i++) out[i] = a[ao + i]! - b[bo + i]!; return;
    case "mul": for (let i = 0; i < n; i++) out[i] = a[ao + i]! * b[bo + i]!; return;
    case "div": for (let i = 0; i < n; i++) out[i] = a[ao + i]! / b[bo + i]!; return;
    case "reluGrad": reluGradLoop(a, ao, b, bo, out, n); return;
  }
}

/**
 * out[i] = result[i] > 0 ? g[i] : 0, exactly (a NaN or Inf gradient where the output was 0
 * must give 0, so no multiply-by-mask). Branch-free by masking the bits through integer views.
 */
function reluGradLoop(g: Storage, go: number, result: Storage, ro: number, out: Storage, n: number): void {
  const words = g.BYTES_PER_ELEMENT / 4;
  if (out.BYTES_PER_ELEMENT !== g.BYTES_PER_ELEMENT) {
    for (let i = 0; i < n; i++) out[i] = result[ro + i]! > 0 ? g[go + i]! : 0;
    return;
  }
  const gBits = new Int32Array(g.buffer, g.byteOffset, g.length * words);
  const outBits = new Int32Array(out.buffer, out.byteOffset, out.length * words);
  if (words === 1) {
    for (let i = 0; i < n; i++) outBits[i] = gBits[go + i]! & -((result[ro + i]! > 0) as unknown as number);
  } else {
    for (let i = 0; i < n; i++) {
      const keep = -((result[ro + i]! > 0) as unknown as number);
      const at = 2 * (go + i);
      outBits[2 * i] = gBits[at]! & keep;
      outBits[2 * i + 1] = gBits[at + 1]! & keep;
    }
  }
}

/** out[i] = a[ao + i] ∘ y */
export function binaryConstantRightLoop(code: BinaryOpCode, a: Storage, ao: number, y: number, out: Storage, n: number): void {
  switch (code) {
    case "add": for (let i = 0; i < n; i++) out[i] = a[ao + i]! + y; return;
    case "sub": for (let i = 0; i < n; i++) out[i] = a[ao + i]! - y; return;
    case "mul": for (let i = 0; i < n; i++) out[i] = a[ao + i]! * y; return;
    case "div": for (let i = 0; i < n; i++) out[i] = a[ao + i]! / y; return;
    case "reluGrad": for (let i = 0; i < n; i++) out[i] = y > 0 ? a[ao + i]! : 0; return;
  }
}

/** out[i] = x ∘ b[bo + i] */
export function binaryConstantLeftLoop(code: BinaryOpCode, x: number, b: Storage, bo: number, out: Storage, n: number): void {
  switch (code) {
    case "add": for (let i = 0; i < n; i++) out[i] = x + b[bo + i]!; return;
    case "sub": for (let i = 0; i < n; i++) out[i] = x - b[bo + i]!; return;
    case "mul": for (let i = 0; i < n; i++) out[i] = x * b[bo + i]!; return;
    case "div": for (let i = 0; i < n; i++) out[i] = x / b[bo + i]!; return;
    // A finite constant times the 0/1 mask is exact; NaN or Inf would turn 0 into NaN.
    case "reluGrad":
      if (Number.isFinite(x)) for (let i = 0; i < n; i++) out[i] = x * ((b[bo + i]! > 0) as unknown as number);
      else for (let i = 0; i < n; i++) out[i] = b[bo + i]! > 0 ? x : 0;
      return;
  }
}

/** out[i] = f(a[ao + i]) */
export function unaryLoop(code: UnaryOpCode, a: Storage, ao: number, out: Storage, n: number): void {
  switch (code) {
    case "neg": for (let i = 0; i < n; i++) out[i] = -a[ao + i]!; return;
    case "exp": for (let i = 0; i < n; i++) out[i] = Math.exp(a[ao + i]!); return;
    case "log": for (let i = 0; i < n; i++) out[i] = Math.log(a[ao + i]!); return;
    case "sqrt": for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[ao + i]!); return;
    case "abs": for (let i = 0; i < n; i++) out[i] = Math.abs(a[ao + i]!); return;
    case "square": for (let i = 0; i < n; i++) { const v = a[ao + i]!; out[i] = v * v; } return;
    case "tanh": for (let i = 0; i < n; i++) out[i] = Math.tanh(a[ao + i]!); return;
    case "sigmoid": for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-a[ao + i]!)); return;
    // Branch-free (random signs defeat branch prediction): (v + |v|)/2 is v for v > 0 and 0
    // otherwise; NaN stays NaN as in PyTorch; only -Infinity (giving NaN) needs the fix-up.
    case "relu":
      for (let i = 0; i < n; i++) {
        const v = a[ao + i]!;
        const r = (v + Math.abs(v)) * 0.5;
        out[i] = r === r || v !== -Infinity ? r : 0;
      }
      return;
    case "positive": for (let i = 0; i < n; i++) out[i] = a[ao + i]! > 0 ? 1 : 0; return;
  }
}

export const UNARY_FUNCTIONS: Record<UnaryOpCode, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  square: (x) => x * x,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  relu: (x) => (x > 0 || x !== x ? x : 0),
  positive: (x) => (x > 0 ? 1 : 0),
};

export const BINARY_FUNCTIONS: Record<BinaryOpCode, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  /** ReLU's backward in one pass: the gradient where the output was positive, else 0. */
  reluGrad: (g, result) => (result > 0 ? g : 0),
};
