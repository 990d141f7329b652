/** Adam and AdamW (decoupled weight decay), with bias correction and AMSGrad, as torch.optim. */
import type { Tensor } from "../tensor";
import { ValueError } from "../errors";
import { readFlat, rounderFor, updateFlat, zerosBuffer } from "./flat";
import { checkNonNegative, Optimizer, withoutUndefined, type ParamGroup, type Params } from "./optimizer";

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export interface AdamState {
  step: number;
  /** First moment m. */
  expAvg: Tensor;
  /** Second moment v. */
  expAvgSq: Tensor;
  /** max over steps of v (AMSGrad only). */
  maxExpAvgSq: Tensor | null;
}

function adamDefaults(options: Partial<AdamOptions>, weightDecay: number): AdamOptions {
  const defaults: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay, amsgrad: false, maximize: false, ...withoutUndefined(options) };
  checkNonNegative(defaults.lr, "learning rate");
  checkNonNegative(defaults.eps, "epsilon value");
  defaults.betas.forEach((beta, i) => {
    if (!(beta >= 0 && beta < 1)) throw new ValueError(`Invalid beta parameter at index ${i}: ${beta}`);
  });
  checkNonNegative(defaults.weightDecay, "weight_decay value");
  return defaults;
}

export class Adam extends Optimizer<AdamOptions, AdamState> {
  /** AdamW decays the parameter directly (p ← p·(1 − lr·wd)) instead of adding wd·p to the gradient. */
  protected readonly decoupledWeightDecay: boolean = false;

  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, adamDefaults(options, 0));
  }

  /**
   * Per element, as _single_tensor_adam / _single_tensor_adamw:
   *   g = ±grad (+ wd·p for Adam);  p = p·(1 − lr·wd) for AdamW
   *   m = β₁·m + (1 − β₁)·g;  v = β₂·v + (1 − β₂)·g²;  v̂ = max(v̂, v) with AMSGrad
   *   p = p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)
   */
  protected updateGroup(group: ParamGroup<AdamOptions>, params: Tensor[]): void {
    const { lr, betas: [beta1, beta2], eps, weightDecay, amsgrad, maximize } = group;
    const decoupled = this.decoupledWeightDecay;
    for (const param of params) {
      const { data: g, at: gi } = readFlat(param._grad!);
      const state = this.stateFor(param, () => ({
        step: 0,
        expAvg: zerosBuffer(param),
        expAvgSq: zerosBuffer(param),
        maxExpAvgSq: amsgrad ? zerosBuffer(param) : null,
      }));
      if (amsgrad && state.maxExpAvgSq === null) state.maxExpAvgSq = zerosBuffer(param);
      state.step += 1;
      const round = rounderFor(param);
      // PyTorch casts each Python-float scalar to the parameter's dtype before using it.
      const b1 = round(beta1);
      const b2 = round(beta2);
      const oneMinusB1 = round(1 - beta1);
      const oneMinusB2 = round(1 - beta2);
      const biasCorrection2Sqrt = round(Math.sqrt(1 - beta2 ** state.step));
      const stepSize = round(lr / (1 - beta1 ** state.step));
      const epsilon = round(eps);
      const wd = round(weightDecay);
      const decay = round(1 - lr * weightDecay);
      const m = state.expAvg._storage;
      const v = state.expAvgSq._storage;
      const vMax = amsgrad ? state.maxExpAvgSq!._storage : null;
      const n = param.numel();
      updateFlat(param, ({ data: p, at: pi }) => {
        for (let i = 0; i < n; i++) {
          let grad = maximize ? -g[gi + i]! : g[gi + i]!;
          let value = p[pi + i]!;
          if (decoupled) value = round(value * decay); //               param.mul_(1 - lr * wd)
          else if (wd !== 0) grad = round(grad + wd * value); //       grad.add(param, alpha=wd)
          m[i] = round(m[i]! * b1) + oneMinusB1 * grad; //              exp_avg.mul_(β₁).add_(grad, alpha=1 − β₁)
          v[i] = round(v[i]! * b2) + round(round(oneMinusB2 * grad) * grad); // exp_avg_sq.mul_(β₂).addcmul_(grad, grad, value=1 − β₂)
          let second = v[i]!;
          if (vMax !== null) second = vMax[i] = Math.max(vMax[i]!, second); // torch.maximum(max_exp_avg_sq, exp_avg_sq, out=...)
          const denom = round(round(round(Math.sqrt(second)) / biasCorrection2Sqrt) + epsilon); // (v.sqrt() / √bc₂).add_(ε)
          p[pi + i] = value - round(stepSize * round(m[i]! / denom)); //   param.addcdiv_(exp_avg, denom, value=−step_size)
        }
      });
    }
  }
}

/** Adam with decoupled weight decay (Loshchilov & Hutter); weightDecay defaults to 0.01. */
export class AdamW extends Adam {
  protected override readonly decoupledWeightDecay: boolean = true;

  constructor(params: Params<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { weightDecay: 0.01, ...withoutUndefined(options) });
  }
}
