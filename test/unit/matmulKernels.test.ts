/**
 * The two matrix-multiply kernels: float32 products run on WebAssembly SIMD (float32 sums),
 * everything else on the JS kernel (double sums). Both are checked against a float64
 * reference on shapes that are not multiples of the 4×4 tile, on transposed and offset
 * views, with accumulation, and across more than one packed block of B's columns.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { gemm, type MatrixView } from "../../engine/kernels/matmul";
import { setSimdGemmEnabled } from "../../engine/kernels/simdGemm";

const root = path.resolve(__dirname, "../..");

/** Deterministic values in [0, 1) (a 32-bit LCG: enough to fill test matrices). */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Row-major [rows×cols] values, stored transposed when `transposed` (a column-major view). */
function matrix(rows: number, cols: number, seed: number, transposed: boolean, pad = 3): { view: MatrixView; at: (i: number, j: number) => number } {
  const next = uniform(seed);
  const data = new Float32Array(pad + rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = next() * 2 - 1;
  const view: MatrixView = transposed
    ? { data, offset: pad, rowStride: 1, colStride: rows }
    : { data, offset: pad, rowStride: cols, colStride: 1 };
  return { view, at: (i, j) => data[pad + i * view.rowStride + j * view.colStride]! };
}

function reference(M: number, N: number, K: number, a: (i: number, k: number) => number, b: (k: number, j: number) => number): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let sum = 0;
    for (let k = 0; k < K; k++) sum += a(i, k) * b(k, j);
    out[i * N + j] = sum;
  }
  return out;
}

function maxError(actual: ArrayLike<number>, expected: ArrayLike<number>, offset = 0): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[offset + i]! - expected[i]!));
  return worst;
}

const SHAPES: Array<[number, number, number]> = [
  [1, 1, 1], [1, 7, 3], [5, 1, 9], [4, 4, 4], [3, 5, 2], [17, 13, 11], [64, 10, 128], [33, 65, 1],
];

afterEach(() => setSimdGemmEnabled(true));

describe.each([
  ["WebAssembly SIMD", true],
  ["JS", false],
])("the %s kernel", (_name, simd) => {
  it.each(SHAPES)("multiplies %i×%i by %i inner, in every layout", (M, N, K) => {
    setSimdGemmEnabled(simd);
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = matrix(M, K, M * 31 + K, ta);
      const b = matrix(K, N, N * 17 + K, tb);
      const expected = reference(M, N, K, a.at, b.at);
      const out = new Float32Array(2 + M * N).fill(Number.NaN);
      gemm(M, N, K, a.view, b.view, out, 2, false);
      // float32 inputs: sums of K products of values in [-1, 1], each rounded once or K times.
      expect(maxError(out, expected, 2)).toBeLessThan(1e-6 * (K + 4));
      expect(Number.isNaN(out[0]!) && Number.isNaN(out[1]!)).toBe(true); // nothing before the offset
    }
  });

  it("adds into the output when accumulating", () => {
    setSimdGemmEnabled(simd);
    const [M, N, K] = [6, 9, 5];
    const a = matrix(M, K, 1, false);
    const b = matrix(K, N, 2, false);
    const expected = reference(M, N, K, a.at, b.at).map((v) => v + 0.5);
    const out = new Float32Array(M * N).fill(0.5);
    gemm(M, N, K, a.view, b.view, out, 0, true);
    expect(maxError(out, expected)).toBeLessThan(1e-5);
  });

  it("splits B into several column blocks when K is long", () => {
    setSimdGemmEnabled(simd);
    // 2^18 floats per block / (K·4) → 4 panels (16 columns) per block at K = 16384.
    const [M, N, K] = [5, 37, 16384];
    const a = matrix(M, K, 3, false);
    const b = matrix(K, N, 4, true);
    const expected = reference(M, N, K, a.at, b.at);
    const out = new Float32Array(M * N);
    gemm(M, N, K, a.view, b.view, out, 0, false);
    expect(maxError(out, expected)).toBeLessThan(2e-3);
  });
});

it("float64 products keep double sums (the JS kernel)", () => {
  const data = new Float64Array([1e16, 1, -1e16]);
  const ones = new Float64Array([1, 1, 1]);
  const out = new Float64Array(1);
  gemm(1, 1, 3, { data, offset: 0, rowStride: 3, colStride: 1 }, { data: ones, offset: 0, rowStride: 1, colStride: 1 }, out, 0, false);
  expect(out[0]).toBe(0); // (1e16 + 1) − 1e16 in doubles: the 1 is lost, as in any float64 dot
  const exact = new Float64Array([0.1, 0.2]);
  gemm(1, 1, 2, { data: exact, offset: 0, rowStride: 2, colStride: 1 }, { data: new Float64Array([1, 1]), offset: 0, rowStride: 1, colStride: 1 }, out, 0, false);
  expect(out[0]).toBe(0.1 + 0.2);
});

it("the committed WebAssembly bytes match gemm4x4.wat", () => {
  const result = spawnSync(process.execPath, [path.join(root, "scripts/wasm.mjs"), "--check"], { cwd: root, encoding: "utf8" });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
});
