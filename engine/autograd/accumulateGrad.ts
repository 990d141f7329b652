/** The node at the end of every path: adds the arriving gradient into a leaf's `.grad`. */
import { isGradEnabled, noGrad } from "./gradMode";
import { Node } from "./node";
import type { Tensor } from "../tensor";

export class AccumulateGrad extends Node {
  constructor(readonly variable: Tensor) {
    super([]);
    // PyTorch gives AccumulateGrad the largest sequence number: it runs as soon as it is ready.
    this.sequenceNr = Number.MAX_SAFE_INTEGER;
  }

  name(): string {
    return "AccumulateGrad";
  }

  apply(gradOutput: Tensor): ReadonlyArray<Tensor | null> {
    const variable = this.variable;
    const existing = variable._grad;
    if (isGradEnabled()) {
      // createGraph: the accumulated gradient stays differentiable.
      variable._grad = existing ? existing.add(gradOutput) : gradOutput;
    } else if (existing) {
      noGrad(() => existing.add_(gradOutput));
    } else if (this.pendingGradExclusive && ownsItsStorage(gradOutput) && gradOutput.dtype === variable.dtype) {
      // Made during this pass for this leaf alone: keep it instead of copying (PyTorch steals it too).
      variable._grad = gradOutput;
    } else {
      // A copy: the same tensor may also flow elsewhere (AddBackward0 hands g to both inputs,
      // a hook may hold it), and users mutate .grad in place (zero_).
      variable._grad = gradOutput.detach().clone();
    }
    return [];
  }
}

/** Contiguous and covering its whole storage: nothing else can be reading other parts of it. */
function ownsItsStorage(t: Tensor): boolean {
  return t._contiguous && t._offset === 0 && t.numel() === t._storage.length;
}
