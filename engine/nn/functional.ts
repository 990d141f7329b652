/**
 * nn.functional: the stateless layer functions the modules call (PyTorch's torch.nn.functional).
 * Losses live in ./lossFunctions and are re-exported here, so `functional.crossEntropy` works.
 */
import { allocate } from "../dtype";
import { ValueError } from "../errors";
import { addmm } from "../ops/linalg";
import { uniform } from "../random";
import { Tensor } from "../tensor";
import { warn } from "../warnings";

export * from "./lossFunctions";

/**
 * y = x·Wᵀ + b, dispatched as PyTorch 1.13 does so gradFn names match: 2-D input with bias is
 * one addmm (AddmmBackward0); contiguous 3-D input with bias is an addmm on the flattened
 * batch viewed back (ViewBackward0); anything else is matmul then add.
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  if (bias !== null && input.dim() === 2) return addmm(bias, input, weight.t());
  if (bias !== null && input.dim() === 3 && input.isContiguous()) {
    const [batch, rows, features] = input.shape as [number, number, number];
    const flat = addmm(bias, input.view(batch * rows, features), weight.t());
    return flat.view(batch, rows, flat.shape[1]!);
  }
  const product = input.matmul(weight.t());
  return bias === null ? product : product.add(bias);
}

export function relu(input: Tensor): Tensor {
  return input.relu();
}

export function sigmoid(input: Tensor): Tensor {
  return input.sigmoid();
}

export function tanh(input: Tensor): Tensor {
  return input.tanh();
}

/** PyTorch's legacy choice when softmax is called without a dim (with its deprecation warning). */
export function implicitSoftmaxDim(name: string, ndim: number): number {
  warn(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`);
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

export function softmax(input: Tensor, dim?: number | null): Tensor {
  return input.softmax(dim ?? implicitSoftmaxDim("softmax", input.dim()));
}

export function logSoftmax(input: Tensor, dim?: number | null): Tensor {
  return input.logSoftmax(dim ?? implicitSoftmaxDim("log_softmax", input.dim()));
}

export function checkDropoutProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new ValueError(`dropout probability has to be between 0 and 1, but got ${p}`);
}

/**
 * In training, zero each element with probability p (draws from the seeded global generator)
 * and scale the survivors by 1/(1-p) so the expectation is unchanged; identity otherwise.
 * The mask is a constant, so the gradient is g·mask (MulBackward0, as PyTorch 1.13 records).
 */
export function dropout(input: Tensor, p = 0.5, training = true): Tensor {
  checkDropoutProbability(p);
  if (!training || p === 0) return input;
  const n = input.numel();
  const mask = allocate(input.dtype, n);
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const keep = 1 - p;
  for (let i = 0; i < n; i++) mask[i] = uniform() < keep ? scale : 0;
  return input.mul(new Tensor(mask, input.shape.slice(), input.dtype));
}
