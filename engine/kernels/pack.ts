/**
 * Packing for the matrix-multiply kernels (matmul.ts in JS, simdGemm.ts in WebAssembly): B's
 * columns in panels of 4 and A's rows in strips of 4, each interleaved k-major, so that a
 * kernel's inner loop reads both sequentially.
 */
import type { Storage } from "../dtype";
import type { MatrixView } from "./matmul";

/** A packed copy: float32 when both operands are (see matmul.ts), else float64. */
export type Packed = Float32Array | Float64Array;

/**
 * into[at + p·K·4 + k·4 + c] = B[k, j0 + p·4 + c], zero past the last column. Written in
 * order, four columns at a time: twice as fast as filling one column of a panel at a time.
 */
export function packColumnPanels(b: MatrixView, K: number, j0: number, cols: number, panels: number, into: Packed, at: number): void {
  const { data, offset, rowStride, colStride } = b;
  for (let p = 0; p < panels; p++) {
    const first = j0 + p * 4;
    const width = Math.min(4, cols - p * 4);
    interleave4(data, offset + first * colStride, colStride, rowStride, width, K, into, at + p * K * 4);
  }
}

/** into[at + k·4 + r] = A[i + r, k], zero past the last row. */
export function packRowStrip(a: MatrixView, K: number, i: number, rows: number, into: Packed, at: number): void {
  interleave4(a.data, a.offset + i * a.rowStride, a.rowStride, a.colStride, rows, K, into, at);
}

/**
 * Four strided sequences side by side: into[at + k·4 + s] = data[start + s·apart + k·step]
 * for s < count, 0 for count ≤ s < 4.
 */
function interleave4(data: Storage, start: number, apart: number, step: number, count: number, K: number, into: Packed, at: number): void {
  if (count === 4) {
    let s0 = start, s1 = start + apart, s2 = s1 + apart, s3 = s2 + apart;
    for (let k = 0, to = at; k < K; k++, to += 4, s0 += step, s1 += step, s2 += step, s3 += step) {
      into[to] = data[s0]!;
      into[to + 1] = data[s1]!;
      into[to + 2] = data[s2]!;
      into[to + 3] = data[s3]!;
    }
    return;
  }
  for (let s = 0; s < 4; s++) {
    let from = start + s * apart;
    for (let k = 0, to = at + s; k < K; k++, to += 4, from += step) into[to] = s < count ? data[from]! : 0;
  }
}
