/** Matrix products: mm, addmm, dot, mv, bmm and matmul's dispatch over them (as PyTorch's). */
import { allocate, promoteTypes } from "../dtype";
import { RuntimeError } from "../errors";
import { record } from "../autograd/record";
import { gemm, type MatrixView } from "../kernels/matmul";
import { broadcastShapes } from "../shape";
import { Tensor } from "../tensor";
import { gradFor } from "./reduceGrad";
import { expand, reshape, squeeze, t, transpose, unsqueeze } from "./view";

function matrixView(x: Tensor, offset = x._offset, dims: [number, number] = [x._shape.length - 2, x._shape.length - 1]): MatrixView {
  return { data: x._storage, offset, rowStride: x._strides[dims[0]]!, colStride: x._strides[dims[1]]! };
}

function sizeText(shape: readonly number[]): string {
  return shape.join("x");
}

/** [M×K]·[K×N] into a fresh tensor. */
function matrixProduct(a: Tensor, b: Tensor): Tensor {
  const [M, K] = a._shape as [number, number];
  const N = b._shape[1]!;
  const dtype = promoteTypes(a.dtype, b.dtype);
  const out = allocate(dtype, M * N);
  gemm(M, N, K, matrixView(a), matrixView(b), out, 0, false);
  return new Tensor(out, [M, N], dtype);
}

function checkMatrices(a: Tensor, b: Tensor): void {
  if (a._shape.length !== 2) throw new RuntimeError("self must be a matrix");
  if (b._shape.length !== 2) throw new RuntimeError("mat2 must be a matrix");
  if (a._shape[1] !== b._shape[0]) {
    throw new RuntimeError(`mat1 and mat2 shapes cannot be multiplied (${sizeText(a._shape)} and ${sizeText(b._shape)})`);
  }
}

/** A·B:  ∂A = g·Bᵀ,  ∂B = Aᵀ·g */
export function mm(a: Tensor, b: Tensor): Tensor {
  checkMatrices(a, b);
  return record(matrixProduct(a, b), "MmBackward0", [a, b], [a, b], (g, [x, y], node) => [
    node.needsInputGrad(0) ? mm(g, t(y!)) : null,
    node.needsInputGrad(1) ? matrixGradForSecond(x!, g, y!) : null,
  ]);
}

/**
 * ∂B = Aᵀ·g, laid out like B. When B is a transposed view (a Linear layer's Wᵀ), compute
 * (gᵀ·A)ᵀ instead, so that after TBackward the weight's gradient is contiguous and needs
 * no copy (PyTorch's mm_mat2_backward does the same).
 */
function matrixGradForSecond(a: Tensor, g: Tensor, b: Tensor): Tensor {
  const transposed = b._strides[0] === 1 && b._strides[1] !== 1;
  return transposed ? t(mm(t(g), a)) : mm(t(a), g);
}

/** bias + A·B (the Linear layer's op):  ∂bias = Σ g,  ∂A = g·Bᵀ,  ∂B = Aᵀ·g */
export function addmm(bias: Tensor, a: Tensor, b: Tensor): Tensor {
  checkMatrices(a, b);
  const product = matrixProduct(a, b);
  const shape = broadcastShapes(bias._shape, product._shape);
  if (shape.length !== 2 || shape[0] !== product._shape[0] || shape[1] !== product._shape[1]) {
    throw new RuntimeError(`The expanded size of the tensor (${product._shape[1]}) must match the existing size (${bias._shape[bias._shape.length - 1]}) at non-singleton dimension 1.`);
  }
  addBiasRows(product, bias);
  return record(product, "AddmmBackward0", [bias, a, b], [a, b], (g, [x, y], node) => [
    node.needsInputGrad(0) ? gradFor(g, bias) : null,
    node.needsInputGrad(1) ? mm(g, t(y!)) : null,
    node.needsInputGrad(2) ? matrixGradForSecond(x!, g, y!) : null,
  ]);
}

/** product[i, j] += bias[j] (or bias[i, j], or a scalar), reading the bias through its strides. */
function addBiasRows(product: Tensor, bias: Tensor): void {
  const [M, N] = product._shape as [number, number];
  const view = expand(bias.detach(), [M, N]);
  const values = product._storage;
  const biasValues = view._storage;
  const [rowStride, colStride] = view._strides as [number, number];
  for (let i = 0; i < M; i++) {
    let at = view._offset + i * rowStride;
    const row = i * N;
    for (let j = 0; j < N; j++, at += colStride) values[row + j] += biasValues[at]!;
  }
}

/** a·b for vectors:  ∂a = g·b,  ∂b = g·a */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a._shape.length !== 1 || b._shape.length !== 1) {
    throw new RuntimeError(`1D tensors expected, but got ${a._shape.length}D and ${b._shape.length}D tensors`);
  }
  if (a._shape[0] !== b._shape[0]) {
    throw new RuntimeError(
      `inconsistent tensor size, expected tensor [${a._shape[0]}] and src [${b._shape[0]}] to have the same number of elements, but got ${a._shape[0]} and ${b._shape[0]} elements respectively`,
    );
  }
  const product = matrixProduct(unsqueeze(a.detach(), 0), unsqueeze(b.detach(), 1));
  const out = new Tensor(product._storage, [], product.dtype);
  return record(out, "DotBackward0", [a, b], [a, b], (g, [x, y], node) => [
    node.needsInputGrad(0) ? y!.mul(g) : null,
    node.needsInputGrad(1) ? x!.mul(g) : null,
  ]);
}

/** A·v:  ∂A = g ⊗ v,  ∂v = Aᵀ·g */
export function mv(a: Tensor, v: Tensor): Tensor {
  if (a._shape[1] !== v._shape[0]) {
    throw new RuntimeError(`size mismatch, got input (${a._shape[0]}), mat (${sizeText(a._shape)}), vec (${v._shape[0]})`);
  }
  const product = matrixProduct(a.detach(), unsqueeze(v.detach(), 1));
  const out = new Tensor(product._storage, [a._shape[0]!], product.dtype);
  return record(out, "MvBackward0", [a, v], [a, v], (g, [m, x], node) => [
    node.needsInputGrad(0) ? unsqueeze(g, 1).mul(unsqueeze(x!, 0)) : null,
    node.needsInputGrad(1) ? mv(t(m!), g) : null,
  ]);
}

/** Batched [B×M×K]·[B×K×N]:  ∂A = g·Bᵀ,  ∂B = Aᵀ·g per batch */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a._shape.length !== 3 || b._shape.length !== 3) throw new RuntimeError("batch1 must be a 3D tensor");
  const [B, M, K] = a._shape as [number, number, number];
  const N = b._shape[2]!;
  if (b._shape[0] !== B || b._shape[1] !== K) {
    throw new RuntimeError(`Expected size for first two dimensions of batch2 tensor to be: [${B}, ${K}] but got: [${b._shape[0]}, ${b._shape[1]}].`);
  }
  const dtype = promoteTypes(a.dtype, b.dtype);
  const out = allocate(dtype, B * M * N);
  for (let i = 0; i < B; i++) {
    const aView = matrixView(a, a._offset + i * a._strides[0]!, [1, 2]);
    const bView = matrixView(b, b._offset + i * b._strides[0]!, [1, 2]);
    gemm(M, N, K, aView, bView, out, i * M * N, false);
  }
  return record(new Tensor(out, [B, M, N], dtype), "BmmBackward0", [a, b], [a, b], (g, [x, y], node) => [
    node.needsInputGrad(0) ? bmm(g, transpose(y!, 1, 2)) : null,
    node.needsInputGrad(1) ? bmm(transpose(x!, 1, 2), g) : null,
  ]);
}

/** PyTorch's matmul: dot, mv, mm, or a broadcast batched product, by the operands' ranks. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const ra = a._shape.length;
  const rb = b._shape.length;
  if (ra === 0 || rb === 0) {
    throw new RuntimeError(`both arguments to matmul need to be at least 1D, but they are ${ra}D and ${rb}D`);
  }
  if (ra === 1 && rb === 1) return dot(a, b);
  if (ra === 2 && rb === 1) return mv(a, b);
  if (ra === 1 && rb === 2) return squeeze(mm(unsqueeze(a, 0), b), 0);
  if (ra === 2 && rb === 2) return mm(a, b);
  // Batched: broadcast the leading dims, multiply as [batch, n, k]·[batch, k, m].
  const left = ra === 1 ? unsqueeze(a, 0) : a;
  const right = rb === 1 ? unsqueeze(b, 1) : b;
  const [n, k] = left._shape.slice(-2) as [number, number];
  const [k2, m] = right._shape.slice(-2) as [number, number];
  if (k !== k2) {
    throw new RuntimeError(`Expected size for first two dimensions of batch2 tensor to be: [?, ${k}] but got: [?, ${k2}].`);
  }
  const batch = broadcastShapes(left._shape.slice(0, -2), right._shape.slice(0, -2));
  const batchSize = batch.reduce((p, d) => p * d, 1);
  const lhs = reshape(expand(left, [...batch, n, k]), [batchSize, n, k]);
  const rhs = reshape(expand(right, [...batch, k, m]), [batchSize, k, m]);
  let out = reshape(bmm(lhs, rhs), [...batch, n, m]);
  if (ra === 1) out = squeeze(out, -2);
  if (rb === 1) out = squeeze(out, -1);
  return out;
}
