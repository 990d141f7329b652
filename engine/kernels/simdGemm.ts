/**
 * Float32 matrix multiply on WebAssembly SIMD: the same packed panels as the JS kernel in
 * matmul.ts, but each step of k is four f32x4 multiply-adds (about 6× the JS kernel here).
 * Sums are float32, as in PyTorch's own CPU matmul; float64 products stay in JS (doubles).
 *
 * The module (gemm4x4.wat, 346 bytes) is compiled once, synchronously, on first use; where
 * WebAssembly or its SIMD is missing, `simdGemm` returns false and the caller uses JS.
 */
import type { MatrixView } from "./matmul";
import { packColumnPanels, packRowStrip } from "./pack";
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
