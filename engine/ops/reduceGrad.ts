/** Bringing a gradient back to an input's shape and dtype after broadcasting or promotion. */
import { sameShape } from "../shape";
import type { Tensor } from "../tensor";
import { sum } from "./reduce";
import { reshape } from "./view";

/** Sum `grad` over the dimensions that broadcasting added or stretched, to get `shape`. */
export function sumToShape(grad: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(grad._shape, shape)) return grad;
  const lead = grad._shape.length - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < grad._shape.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && grad._shape[i] !== 1)) dims.push(i);
  }
  const summed = dims.length > 0 ? sum(grad, dims, true) : grad;
  return reshape(summed, shape.slice());
}

/** The gradient for `input`: reduced over broadcast dims and cast back to its dtype. */
export function gradFor(grad: Tensor, input: Tensor): Tensor {
  const shaped = sumToShape(grad, input._shape);
  return shaped.dtype === input.dtype ? shaped : shaped.to(input.dtype);
}
