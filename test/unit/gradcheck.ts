/**
 * Finite-difference gradient check in float64 (PyTorch's torch.autograd.gradcheck, simplified).
 *
 * For a fixed pseudo-random projection v of the output, compares the autograd vector-Jacobian
 * product vᵀJ with central differences (f(x + εeᵢ)·v − f(x − εeᵢ)·v) / 2ε for every element of
 * every input. One backward and 2·N forwards; inputs must be contiguous float64 leaves.
 */
import { autograd, noGrad, tensor, type Tensor } from "gradscope";

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
}

/** Deterministic values in [-1, 1) independent of the engine's global generator. */
function projection(n: number, seed = 12345): number[] {
  let state = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out.push(state / 2 ** 31 - 1);
  }
  return out;
}

function dotWith(output: Tensor, v: number[]): number {
  const values = output.toArray();
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]! * v[i]!;
  return total;
}

/** Returns a list of mismatch descriptions (empty when the gradients agree). */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): string[] {
  const { eps = 1e-6, atol = 1e-6, rtol = 1e-4 } = options;
  for (const input of inputs) {
    if (input.dtype !== "float64" || !input.isContiguous()) throw new Error("gradcheck needs contiguous float64 inputs");
  }
  const output = fn(...inputs);
  const v = projection(output.numel());
  const gradOutput = tensor(v, { dtype: "float64" }).reshape(output.shape.slice());
  const analytic = autograd.grad(output, inputs, { gradOutputs: [gradOutput], allowUnused: true });
  const problems: string[] = [];
  inputs.forEach((input, k) => {
    if (!input.requiresGrad) return;
    const storage = input._storage;
    const expected = analytic[k] ? analytic[k]!.toArray() : new Array<number>(input.numel()).fill(0);
    for (let i = 0; i < input.numel(); i++) {
      const at = input._offset + i;
      const original = storage[at]!;
      storage[at] = original + eps;
      const plus = noGrad(() => dotWith(fn(...inputs), v));
      storage[at] = original - eps;
      const minus = noGrad(() => dotWith(fn(...inputs), v));
      storage[at] = original;
      const numeric = (plus - minus) / (2 * eps);
      const got = expected[i]!;
      if (!(Math.abs(numeric - got) <= atol + rtol * Math.abs(numeric))) {
        problems.push(`input ${k}[${i}]: autograd ${got}, finite differences ${numeric}`);
      }
    }
  });
  return problems;
}
