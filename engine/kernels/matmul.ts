/**
 * General matrix multiply C[M×N] (+)= A[M×K] · B[K×N] on row-major buffers.
 * B is packed into column panels of 4 so the inner loop keeps a 4×4 block of C in registers
 * and reads A and B sequentially; that is what makes plain JS reach several GFLOP/s.
 */
import type { Storage } from "../dtype";

export interface MatrixView {
  data: Storage;
  offset: number;
  /** Distance between rows and between columns (transposed operands just swap these). */
  rowStride: number;
  colStride: number;
}

/** B's columns j..j+3 interleaved: panel[k*4 + c] = B[k, j + c] (zero beyond N). */
function packPanels(b: MatrixView, K: number, N: number): Float64Array {
  const panels = Math.ceil(N / 4);
  const packed = new Float64Array(panels * K * 4);
  const { data, offset, rowStride, colStride } = b;
  for (let p = 0; p < panels; p++) {
    const base = p * K * 4;
    for (let c = 0; c < 4; c++) {
      const j = p * 4 + c;
      if (j >= N) break;
      let src = offset + j * colStride;
      for (let k = 0; k < K; k++, src += rowStride) packed[base + k * 4 + c] = data[src]!;
    }
  }
  return packed;
}

/** A's rows i..i+3 interleaved the same way: packed[k*4 + r] = A[i + r, k]. */
function packRows(a: MatrixView, i: number, rows: number, K: number, into: Float64Array): void {
  const { data, offset, rowStride, colStride } = a;
  for (let r = 0; r < 4; r++) {
    if (r >= rows) {
      for (let k = 0; k < K; k++) into[k * 4 + r] = 0;
      continue;
    }
    let src = offset + (i + r) * rowStride;
    for (let k = 0; k < K; k++, src += colStride) into[k * 4 + r] = data[src]!;
  }
}

export function gemm(M: number, N: number, K: number, a: MatrixView, b: MatrixView, c: Storage, cOffset: number, accumulate: boolean): void {
  const bPacked = packPanels(b, K, N);
  const aPacked = new Float64Array(K * 4);
  const panels = Math.ceil(N / 4);
  for (let i = 0; i < M; i += 4) {
    const rows = Math.min(4, M - i);
    packRows(a, i, rows, K, aPacked);
    for (let p = 0; p < panels; p++) {
      const base = p * K * 4;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0; k < K; k++) {
        const ak = k * 4;
        const bk = base + ak;
        const a0 = aPacked[ak]!, a1 = aPacked[ak + 1]!, a2 = aPacked[ak + 2]!, a3 = aPacked[ak + 3]!;
        const b0 = bPacked[bk]!, b1 = bPacked[bk + 1]!, b2 = bPacked[bk + 2]!, b3 = bPacked[bk + 3]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      const cols = Math.min(4, N - p * 4);
      const row0 = cOffset + i * N + p * 4;
      if (rows === 4 && cols === 4 && !accumulate) {
        const row1 = row0 + N, row2 = row1 + N, row3 = row2 + N;
        c[row0] = c00; c[row0 + 1] = c01; c[row0 + 2] = c02; c[row0 + 3] = c03;
        c[row1] = c10; c[row1 + 1] = c11; c[row1 + 2] = c12; c[row1 + 3] = c13;
        c[row2] = c20; c[row2 + 1] = c21; c[row2 + 2] = c22; c[row2 + 3] = c23;
        c[row3] = c30; c[row3 + 1] = c31; c[row3 + 2] = c32; c[row3 + 3] = c33;
      } else {
        // Edge tiles (and accumulation) are rare: an array here costs nothing measurable.
        const block = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let r = 0; r < rows; r++) {
          for (let col = 0; col < cols; col++) {
            const at = row0 + r * N + col;
            c[at] = accumulate ? c[at]! + block[r * 4 + col]! : block[r * 4 + col]!;
          }
        }
      }
    }
  }
}
