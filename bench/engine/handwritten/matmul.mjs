// Hand-written float32 matmul with 4×4 register tiles: the plain-Float32Array anchor the
// engines' matmuls are compared to. C[M,N] (+)= op(A)·op(B), row-major, where op(A) is
// A [M,K] or, with transA, Aᵀ of an A stored [K,M]; likewise op(B) is B [K,N] or Bᵀ of a
// B stored [N,K]. The transposed forms are what an MLP's backward pass needs.
//
// For each block of KC values of k, B is packed into panels of 4 columns (4 floats per k,
// contiguous) and each 4-row strip of A into 4 floats per k, zero-padded to multiples of
// 4, so the inner k loop reads 8 sequential floats and does 16 multiply-adds into 16
// accumulators that live in registers.

const KC = 256;

export function matmul(A, B, M, K, N, C = new Float32Array(M * N), opts = {}) {
  const { transA = false, transB = false, accumulate = false } = opts;
  if (!accumulate) C.fill(0);
  const Mp = (M + 3) & ~3;
  const Np = (N + 3) & ~3;
  const ap = new Float32Array(4 * KC);
  const bp = new Float32Array(KC * Np);
  for (let k0 = 0; k0 < K; k0 += KC) {
    const k1 = Math.min(k0 + KC, K);
    const kc = k1 - k0;
    packB(B, K, N, Np, k0, k1, transB, bp);
    for (let i = 0; i < Mp; i += 4) {
      packA(A, M, K, i, k0, k1, transA, ap);
      for (let j = 0; j < Np; j += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        let pb = j * kc;
        const end = 4 * kc;
        for (let pa = 0; pa < end; pa += 4) {
          const a0 = ap[pa], a1 = ap[pa + 1], a2 = ap[pa + 2], a3 = ap[pa + 3];
          const b0 = bp[pb], b1 = bp[pb + 1], b2 = bp[pb + 2], b3 = bp[pb + 3];
          c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
          c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
          c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
          c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
          pb += 4;
        }
        if (i + 4 <= M && j + 4 <= N) {
          let pc = i * N + j;
          C[pc] += c00; C[pc + 1] += c01; C[pc + 2] += c02; C[pc + 3] += c03; pc += N;
          C[pc] += c10; C[pc + 1] += c11; C[pc + 2] += c12; C[pc + 3] += c13; pc += N;
          C[pc] += c20; C[pc + 1] += c21; C[pc + 2] += c22; C[pc + 3] += c23; pc += N;
          C[pc] += c30; C[pc + 1] += c31; C[pc + 2] += c32; C[pc + 3] += c33;
        } else {
          // Edge tile: only the rows and columns that exist.
          const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
          for (let r = 0; r < 4 && i + r < M; r++) {
            for (let c = 0; c < 4 && j + c < N; c++) C[(i + r) * N + j + c] += tile[r * 4 + c];
          }
        }
      }
    }
  }
  return C;
}

/** op(B)[k0:k1, :] into panels of 4 columns: bp[j*kc + (k-k0)*4 + c] = op(B)[k, j+c]. */
function packB(B, K, N, Np, k0, k1, transB, bp) {
  const kc = k1 - k0;
  for (let j = 0; j < Np; j += 4) {
    let p = j * kc;
    for (let k = k0; k < k1; k++) {
      for (let c = 0; c < 4; c++) {
        const col = j + c;
        bp[p + c] = col < N ? (transB ? B[col * K + k] : B[k * N + col]) : 0;
      }
      p += 4;
    }
  }
}

/** Rows i..i+3 of op(A)[:, k0:k1] interleaved: ap[(k-k0)*4 + r] = op(A)[i+r, k]. */
function packA(A, M, K, i, k0, k1, transA, ap) {
  let p = 0;
  for (let k = k0; k < k1; k++) {
    for (let r = 0; r < 4; r++) {
      const row = i + r;
      ap[p + r] = row < M ? (transA ? A[k * M + row] : A[row * K + k]) : 0;
    }
    p += 4;
  }
}
