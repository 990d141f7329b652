/** Loss modules: thin holders of options around nn.functional's loss functions. */
import type { Tensor } from "../tensor";
import * as F from "./functional";
import { Module } from "./module";

/** Losses take (input, target) and keep their reduction; repr is `MSELoss()` as in PyTorch. */
abstract class Loss extends Module {
  readonly reduction: F.Reduction;

  constructor({ reduction = "mean" }: { reduction?: F.Reduction } = {}) {
    super();
    F.checkReduction(reduction);
    this.reduction = reduction;
  }

  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

export class MSELoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, this.reduction);
  }
}

export class L1Loss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, this.reduction);
  }
}

export class NLLLoss extends Loss {
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;

  constructor({ weight = null, ignoreIndex = -100, reduction = "mean" }: F.NllLossOptions = {}) {
    super({ reduction });
    this.weight = weight;
    this.ignoreIndex = ignoreIndex;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** logSoftmax + NLL over class indices (int64 target) or class probabilities (float target). */
export class CrossEntropyLoss extends Loss {
  readonly weight: Tensor | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;

  constructor({ weight = null, ignoreIndex = -100, reduction = "mean", labelSmoothing = 0 }: F.CrossEntropyOptions = {}) {
    super({ reduction });
    this.weight = weight;
    this.ignoreIndex = ignoreIndex;
    this.labelSmoothing = labelSmoothing;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
      labelSmoothing: this.labelSmoothing,
    });
  }
}

/** Binary cross entropy on probabilities in [0, 1]. */
export class BCELoss extends Loss {
  readonly weight: Tensor | null;

  constructor({ weight = null, reduction = "mean" }: { weight?: Tensor | null; reduction?: F.Reduction } = {}) {
    super({ reduction });
    this.weight = weight;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** Binary cross entropy on logits, computed stably. */
export class BCEWithLogitsLoss extends Loss {
  readonly weight: Tensor | null;
  readonly posWeight: Tensor | null;

  constructor({ weight = null, posWeight = null, reduction = "mean" }: { weight?: Tensor | null; posWeight?: Tensor | null; reduction?: F.Reduction } = {}) {
    super({ reduction });
    this.weight = weight;
    this.posWeight = posWeight;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}
