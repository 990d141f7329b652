/** The public entry points: tensor.backward(), autograd.backward() and autograd.grad(). */
import { RuntimeError } from "../errors";
import { formatShape, sameShape } from "../shape";
import type { Tensor } from "../tensor";
import { onesLike } from "../factories";
import { gradientEdge } from "./record";
import { execute } from "./engine";
import type { Node } from "./node";

export interface BackwardOptions {
  /** Keep saved tensors so the graph can be backpropagated again (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients. */
  createGraph?: boolean;
}

export interface GradOptions extends BackwardOptions {
  gradOutputs?: Array<Tensor | null> | Tensor | null;
  /** Return null for inputs the outputs do not depend on instead of raising. */
  allowUnused?: boolean;
}

function rootsAndGrads(outputs: readonly Tensor[], gradients: ReadonlyArray<Tensor | null> | null): { roots: Node[]; grads: Tensor[] } {
  if (gradients && gradients.length !== outputs.length) {
    throw new RuntimeError(`grad can be implicitly created only for scalar outputs`);
  }
  const roots: Node[] = [];
  const grads: Tensor[] = [];
  outputs.forEach((output, i) => {
    const root = output.requiresGrad ? gradientEdge(output) : null;
    if (!root) throw new RuntimeError(`element ${i} of tensors does not require grad and does not have a grad_fn`);
    let grad = gradients?.[i] ?? null;
    if (grad === null) {
      if (output.numel() !== 1) throw new RuntimeError("grad can be implicitly created only for scalar outputs");
      grad = onesLike(output);
    } else if (!sameShape(grad._shape, output._shape)) {
      throw new RuntimeError(
        `Mismatch in shape: grad_output[${i}] has a shape of torch.Size(${formatShape(grad._shape)}) and output[${i}] has a shape of torch.Size(${formatShape(output._shape)}).`,
      );
    }
    roots.push(root);
    grads.push(grad);
  });
  return { roots, grads };
}

/** Accumulate d(outputs)/d(leaf) into every leaf's .grad. */
export function backward(outputs: readonly Tensor[], gradients: ReadonlyArray<Tensor | null> | null, options: BackwardOptions = {}): void {
  const createGraph = options.createGraph ?? false;
  const { roots, grads } = rootsAndGrads(outputs, gradients);
  execute(roots, grads, { retainGraph: options.retainGraph ?? createGraph, createGraph });
}

/** d(outputs)/d(inputs), returned instead of accumulated into .grad. */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): Array<Tensor | null> {
  const outs = Array.isArray(outputs) ? outputs : [outputs as Tensor];
  const ins = Array.isArray(inputs) ? inputs : [inputs as Tensor];
  const gradOutputs = options.gradOutputs === undefined || options.gradOutputs === null
    ? null
    : Array.isArray(options.gradOutputs) ? options.gradOutputs : [options.gradOutputs as Tensor];
  const createGraph = options.createGraph ?? false;
  const captureAt = ins.map((input) => {
    const edge = input.requiresGrad ? gradientEdge(input) : null;
    if (!edge) throw new RuntimeError("One of the differentiated Tensors does not require grad");
    return edge;
  });
  const { roots, grads } = rootsAndGrads(outs, gradOutputs);
  const results = execute(roots, grads, { retainGraph: options.retainGraph ?? createGraph, createGraph, captureAt });
  return results.map((result) => {
    if (result === null && !options.allowUnused) {
      throw new RuntimeError(
        "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.",
      );
    }
    return result === null || createGraph ? result : result.detach();
  });
}
