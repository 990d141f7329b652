/** Adam and AdamW (decoupled weight decay), with bias correction and AMSGrad, as torch.optim. */
import type { Tensor } from "../tensor";
import { ValueError } from "../errors";
import type { Storage } from "../dtype";
import { asDtype, beginUpdate, finishUpdate, readFlat, zerosBuffer } from "./flat";
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
      const grad = readFlat(param._grad!);
      const state = this.stateFor(param, () => ({
        step: 0,
        expAvg: zerosBuffer(param),
        expAvgSq: zerosBuffer(param),
        maxExpAvgSq: amsgrad ? zerosBuffer(param) : null,
      }));
      if (amsgrad && state.maxExpAvgSq === null) state.maxExpAvgSq = zerosBuffer(param);
      state.step += 1;
      const f32 = param.dtype === "float32";
      const flat = beginUpdate(param);
      // PyTorch casts each Python-float scalar to the parameter's dtype before using it.
      const step = amsgrad || maximize || (!decoupled && weightDecay !== 0) ? adamStep : adamStepCommon;
      step(
        flat.data, flat.at, grad.data, grad.at,
        state.expAvg._storage, state.expAvgSq._storage, amsgrad ? state.maxExpAvgSq!._storage : null, param.numel(),
        {
          beta1: asDtype(beta1, f32),
          beta2: asDtype(beta2, f32),
          oneMinusBeta1: asDtype(1 - beta1, f32),
          oneMinusBeta2: asDtype(1 - beta2, f32),
          biasCorrection2Sqrt: asDtype(Math.sqrt(1 - beta2 ** state.step), f32),
          stepSize: asDtype(lr / (1 - beta1 ** state.step), f32),
          eps: asDtype(eps, f32),
          weightDecay: decoupled ? 0 : asDtype(weightDecay, f32),
          decay: decoupled ? asDtype(1 - lr * weightDecay, f32) : 1,
          maximize,
          f32,
        },
      );
      finishUpdate(param, flat);
    }
  }
}

interface AdamConstants {
  beta1: number;
  beta2: number;
  oneMinusBeta1: number;
  oneMinusBeta2: number;
  biasCorrection2Sqrt: number;
  stepSize: number;
  eps: number;
  /** Adam's L2 term added to the gradient (0 for AdamW). */
  weightDecay: number;
  /** AdamW's factor on the parameter (1 for Adam). */
  decay: number;
  maximize: boolean;
  f32: boolean;
}

/**
 * Per element, in _single_tensor_adam(w)'s order (float32 intermediates rounded as PyTorch's):
 *   p = p·(1 − lr·wd)                     AdamW: param.mul_(1 − lr·wd)
 *   g = ±grad;  g = g + wd·p               Adam: grad.add(param, alpha=wd)
 *   m = β₁·m + (1 − β₁)·g                  exp_avg.mul_(β₁).add_(grad, alpha=1 − β₁)
 *   v = β₂·v + ((1 − β₂)·g)·g              exp_avg_sq.mul_(β₂).addcmul_(grad, grad, value=1 − β₂)
 *   v̂ = max(v̂, v)                          AMSGrad: torch.maximum(max_exp_avg_sq, exp_avg_sq, out=...)
 *   denom = √v / √(1 − β₂ᵗ) + ε            (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
 *   p = p − step_size·(m / denom)          param.addcdiv_(exp_avg, denom, value=−step_size)
 */
function adamStep(
  p: Storage, pi: number, g: Storage, gi: number, m: Storage, v: Storage, vMax: Storage | null, n: number, c: AdamConstants,
): void {
  const { beta1, beta2, oneMinusBeta1, oneMinusBeta2, biasCorrection2Sqrt, stepSize, eps, weightDecay, decay, maximize, f32 } = c;
  const fround = Math.fround;
  for (let i = 0; i < n; i++) {
    let grad = maximize ? -g[gi + i]! : g[gi + i]!;
    let value = p[pi + i]!;
    if (decay !== 1) value = f32 ? fround(value * decay) : value * decay;
    if (weightDecay !== 0) grad = f32 ? fround(grad + weightDecay * value) : grad + weightDecay * value;
    let mDecayed = m[i]! * beta1;
    let vDecayed = v[i]! * beta2;
    let scaled = oneMinusBeta2 * grad;
    if (f32) {
      mDecayed = fround(mDecayed);
      vDecayed = fround(vDecayed);
      scaled = fround(scaled);
    }
    m[i] = mDecayed + oneMinusBeta1 * grad;
    v[i] = vDecayed + (f32 ? fround(scaled * grad) : scaled * grad);
    let second = v[i]!;
    if (vMax !== null) second = vMax[i] = Math.max(vMax[i]!, second);
    let denom: number;
    let ratio: number;
    let update: number;
    if (f32) {
      denom = fround(fround(fround(Math.sqrt(second)) / biasCorrection2Sqrt) + eps);
      ratio = fround(m[i]! / denom);
      update = fround(stepSize * ratio);
    } else {
      denom = Math.sqrt(second) / biasCorrection2Sqrt + eps;
      update = stepSize * (m[i]! / denom);
    }
    p[pi + i] = value - update;
  }
}

/**
 * adamStep without AMSGrad, maximize or L2 decay (plain Adam, and AdamW as usually configured),
 * as two branch-free loops: the per-element option tests cost about as much as the math.
 */
function adamStepCommon(
  p: Storage, pi: number, g: Storage, gi: number, m: Storage, v: Storage, _vMax: Storage | null, n: number, c: AdamConstants,
): void {
  const { beta1, beta2, oneMinusBeta1, oneMinusBeta2, biasCorrection2Sqrt, stepSize, eps, decay } = c;
  const fround = Math.fround;
  if (c.f32) {
    for (let i = 0; i < n; i++) {
      const grad = g[gi + i]!;
      m[i] = fround(m[i]! * beta1) + oneMinusBeta1 * grad;
      v[i] = fround(v[i]! * beta2) + fround(fround(oneMinusBeta2 * grad) * grad);
      const denom = fround(fround(fround(Math.sqrt(v[i]!)) / biasCorrection2Sqrt) + eps);
      p[pi + i] = fround(p[pi + i]! * decay) - fround(stepSize * fround(m[i]! / denom));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const grad = g[gi + i]!;
      m[i] = m[i]! * beta1 + oneMinusBeta1 * grad;
      v[i] = v[i]! * beta2 + oneMinusBeta2 * grad * grad;
      p[pi + i] = p[pi + i]! * decay - stepSize * (m[i]! / (Math.sqrt(v[i]!) / biasCorrection2Sqrt + eps));
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
