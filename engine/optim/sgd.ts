/** Stochastic gradient descent with momentum, dampening, weight decay and Nesterov, as torch.optim.SGD. */
import { ValueError } from "../errors";
import type { Tensor } from "../tensor";
import { readFlat, rounderFor, updateFlat, zerosBuffer } from "./flat";
import { checkNonNegative, Optimizer, withoutUndefined, type ParamGroup, type Params } from "./optimizer";

export interface SGDOptions {
  /** Default 1e-3, as PyTorch ≥ 2.2 (1.13 required it). */
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

export interface SGDState {
  /** Created from the first gradient (not zeros), as PyTorch does. */
  momentumBuffer: Tensor | null;
}

function sgdDefaults(options: Partial<SGDOptions>): SGDOptions {
  const defaults: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...withoutUndefined(options) };
  checkNonNegative(defaults.lr, "learning rate");
  checkNonNegative(defaults.momentum, "momentum value");
  checkNonNegative(defaults.weightDecay, "weight_decay value");
  if (defaults.nesterov && (defaults.momentum <= 0 || defaults.dampening !== 0)) {
    throw new ValueError("Nesterov momentum requires a momentum and zero dampening");
  }
  return defaults;
}

export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(params: Params<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(params, sgdDefaults(options));
  }

  /**
   * Per element, as _single_tensor_sgd:
   *   d = ±g (+ wd·p);  b = d on the first step, else μ·b + (1 − τ)·d;
   *   d = d + μ·b (Nesterov) or b;  p = p − lr·d
   */
  protected updateGroup(group: ParamGroup<SGDOptions>, params: Tensor[]): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    for (const param of params) {
      const { data: g, at: gi } = readFlat(param._grad!);
      const state = this.stateFor(param, () => ({ momentumBuffer: null }));
      const firstStep = momentum !== 0 && state.momentumBuffer === null;
      if (firstStep) state.momentumBuffer = zerosBuffer(param);
      const buf = state.momentumBuffer?._storage ?? null;
      const round = rounderFor(param);
      // PyTorch casts each Python-float scalar to the parameter's dtype before using it.
      const wd = round(weightDecay);
      const mu = round(momentum);
      const keep = round(1 - dampening);
      const negLr = round(-lr);
      const n = param.numel();
      updateFlat(param, ({ data: p, at: pi }) => {
        for (let i = 0; i < n; i++) {
          let d = maximize ? -g[gi + i]! : g[gi + i]!;
          if (wd !== 0) d = round(d + wd * p[pi + i]!); //                     d_p.add(param, alpha=wd)
          if (buf !== null) {
            buf[i] = firstStep ? d : round(buf[i]! * mu) + keep * d; //   clone(d_p) | buf.mul_(μ).add_(d_p, alpha=1 − τ)
            d = nesterov ? round(d + mu * buf[i]!) : buf[i]!; //          d_p.add(buf, alpha=μ) | buf
          }
          p[pi + i] = p[pi + i]! + negLr * d; //                            param.add_(d_p, alpha=−lr)
        }
      });
    }
  }
}
