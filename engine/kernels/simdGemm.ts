/**
 * Float32 matrix multiply on WebAssembly SIMD: the same packed panels as the JS kernel in
 * matmul.ts, but each step of k is four f32x4 multiply-adds (about 6× the JS kernel here).
 * Sums are float32, as in PyTorch's own CPU matmul; float64 products stay in JS (doubles).
 *
 * The module (gemm4x4.wat, 346 bytes) is compiled once, synchronously, on first use; where
 * WebAssembly or its SIMD is missing, `simdGemm` returns false and the caller uses JS.
 */
import type { Storage } from "../dtype";
import type { MatrixView } from "./matmul";
import { GEMM4X4_WASM } from "./gemm4x4Wasm";

interface Kernel {
  memory: WebAssembly.Memory;
  strip(ap: number, bp: number, c: number, K: number, panels: number, ldc: number): void;
}

/** undefined: not tried yet; null: unavailable here. */
let kernel: Kernel | null | undefined;
let enabled = true;
let floats = new Float32Array(0);

function loadKernel(): Kernel | null {
  try {
    const bytes = Uint8Array.from(atob(GEMM4X4_WASM), (ch) => ch.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    return instance.exports as unknown as Kernel;
  } catch {
    return null;
  }
}

/** The kernel's memory as floats, grown to hold at least `count`. */
function memoryFor(k: Kernel, count: number): Float32Array {
  const bytes = count * 4;
  if (k.memory.buffer.byteLength < bytes) k.memory.grow(Math.ceil((bytes - k.memory.buffer.byteLength) / 65536));
  if (floats.buffer !== k.memory.buffer) floats = new Float32Array(k.memory.buffer);
  return floats;
}

/** Tests compare the two kernels on the same inputs. */
export function setSimdGemmEnabled(flag: boolean): void {
  enabled = flag;
}

/** B's columns are packed in blocks of at most this many floats (1 MB: stays in L2). */
const B_BLOCK_FLOATS = 1 << 18;

/**
 * C[M×N] (+)= A[M×K]·B[K×N] for float32 operands and output; false when the SIMD kernel
 * is unavailable (nothing is written then).
 */
export function simdGemm(M: number, N: number, K: number, a: MatrixView, b: MatrixView, c: Float32Array, cOffset: number, accumulate: boolean): boolean {
  if (!enabled || K === 0) return false;
  if (kernel === undefined) kernel = loadKernel();
  if (kernel === null) return false;

  const panelsPerBlock = Math.max(1, Math.min(Math.ceil(N / 4), Math.floor(B_BLOCK_FLOATS / (K * 4))));
  const blockCols = panelsPerBlock * 4;
  // Layout in the kernel's memory: A strip (K·4), B block (K·blockCols), C strip (4·blockCols).
  const aAt = 0;
  const bAt = aAt + K * 4;
  const cAt = bAt + K * blockCols;
  const mem = memoryFor(kernel, cAt + 4 * blockCols);

  for (let j0 = 0; j0 < N; j0 += blockCols) {
    const cols = Math.min(blockCols, N - j0);
    const panels = Math.ceil(cols / 4);
    packColumnPanels(b, K, j0, cols, panels, mem, bAt);
    for (let i = 0; i < M; i += 4) {
      const rows = Math.min(4, M - i);
      packRowStrip(a, K, i, rows, mem, aAt);
      kernel.strip(aAt * 4, bAt * 4, cAt * 4, K, panels, panels * 4);
      for (let r = 0; r < rows; r++) {
        const from = cAt + r * panels * 4;
        const to = cOffset + (i + r) * N + j0;
        if (accumulate) for (let col = 0; col < cols; col++) c[to + col] += mem[from + col]!;
        else c.set(mem.subarray(from, from + cols), to);
      }
    }
  }
  return true;
}

/**
 * mem[at + p·K·4 + k·4 + c] = B[k, j0 + p·4 + c], zero past the last column. Written in
 * order, four columns at a time: twice as fast as filling one column of a panel at a time.
 */
function packColumnPanels(b: MatrixView, K: number, j0: number, cols: number, panels: number, mem: Float32Array, at: number): void {
  const { data, offset, rowStride, colStride } = b;
  for (let p = 0; p < panels; p++) {
    const first = j0 + p * 4;
    const width = Math.min(4, cols - p * 4);
    interleave4(data, offset + first * colStride, colStride, rowStride, width, K, mem, at + p * K * 4);
  }
}

/** mem[at + k·4 + r] = A[i + r, k], zero past the last row. */
function packRowStrip(a: MatrixView, K: number, i: number, rows: number, mem: Float32Array, at: number): void {
  interleave4(a.data, a.offset + i * a.rowStride, a.rowStride, a.colStride, rows, K, mem, at);
}

/**
 * Four strided sequences side by side: mem[at + k·4 + s] = data[start + s·apart + k·step]
 * for s < count, 0 for count ≤ s < 4.
 */
function interleave4(data: Storage, start: number, apart: number, step: number, count: number, K: number, mem: Float32Array, at: number): void {
  if (count === 4) {
    let s0 = start, s1 = start + apart, s2 = s1 + apart, s3 = s2 + apart;
    for (let k = 0, to = at; k < K; k++, to += 4, s0 += step, s1 += step, s2 += step, s3 += step) {
      mem[to] = data[s0]!;
      mem[to + 1] = data[s1]!;
      mem[to + 2] = data[s2]!;
      mem[to + 3] = data[s3]!;
    }
    return;
  }
  for (let s = 0; s < 4; s++) {
    let from = start + s * apart;
    for (let k = 0, to = at + s; k < K; k++, to += 4, from += step) mem[to] = s < count ? data[from]! : 0;
  }
}
