/** Stochastic gradient descent with momentum, dampening, weight decay and Nesterov, as torch.optim.SGD. */
import { ValueError } from "../errors";
import type { Storage } from "../dtype";
import type { Tensor } from "../tensor";
import { asDtype, beginUpdate, finishUpdate, readFlat, zerosBuffer } from "./flat";
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

  protected updateGroup(group: ParamGroup<SGDOptions>, params: Tensor[]): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    for (const param of params) {
      const grad = readFlat(param._grad!);
      const state = this.stateFor(param, () => ({ momentumBuffer: null }));
      const firstStep = momentum !== 0 && state.momentumBuffer === null;
      if (firstStep) state.momentumBuffer = zerosBuffer(param);
      const buf = state.momentumBuffer?._storage ?? null;
      const f32 = param.dtype === "float32";
      // PyTorch casts each Python-float option to the parameter's dtype before using it.
      const negLr = asDtype(-lr, f32);
      const flat = beginUpdate(param);
      const n = param.numel();
      if (buf === null && weightDecay === 0 && !maximize) {
        plainStep(flat.data, flat.at, grad.data, grad.at, n, negLr);
      } else if (buf !== null && !firstStep && weightDecay === 0 && !maximize && !nesterov) {
        momentumStep(flat.data, flat.at, grad.data, grad.at, buf, n, negLr, asDtype(momentum, f32), asDtype(1 - dampening, f32), f32);
      } else {
        sgdStep(flat.data, flat.at, grad.data, grad.at, buf, n, negLr, asDtype(weightDecay, f32), asDtype(momentum, f32),
          asDtype(1 - dampening, f32), firstStep, nesterov, maximize, f32);
      }
      finishUpdate(param, flat);
    }
  }
}

/** The common case, p ← p − lr·g, as one tight loop. */
function plainStep(p: Storage, pi: number, g: Storage, gi: number, n: number, negLr: number): void {
  for (let i = 0; i < n; i++) p[pi + i] = p[pi + i]! + negLr * g[gi + i]!;
}

/** Classical momentum, b ← μ·b + (1 − τ)·g, p ← p − lr·b, as tight loops (one per storage precision). */
function momentumStep(p: Storage, pi: number, g: Storage, gi: number, buf: Storage, n: number, negLr: number, mu: number, keep: number, f32: boolean): void {
  if (f32) {
    const fround = Math.fround;
    for (let i = 0; i < n; i++) {
      buf[i] = fround(buf[i]! * mu) + keep * g[gi + i]!;
      p[pi + i] = p[pi + i]! + negLr * buf[i]!;
    }
  } else {
    for (let i = 0; i < n; i++) {
      buf[i] = buf[i]! * mu + keep * g[gi + i]!;
      p[pi + i] = p[pi + i]! + negLr * buf[i]!;
    }
  }
}

/**
 * Per element, in _single_tensor_sgd's order:
 *   d = ±g;  d = d + wd·p                    d_p.add(param, alpha=wd)
 *   b = d (first step) | μ·b + (1 − τ)·d      clone(d_p) | buf.mul_(μ).add_(d_p, alpha=1 − τ)
 *   d = d + μ·b (Nesterov) | b                d_p.add(buf, alpha=μ) | buf
 *   p = p − lr·d                             param.add_(d_p, alpha=−lr)
 */
function sgdStep(
  p: Storage, pi: number, g: Storage, gi: number, buf: Storage | null, n: number,
  negLr: number, wd: number, mu: number, keep: number, firstStep: boolean, nesterov: boolean, maximize: boolean, f32: boolean,
): void {
  const fround = Math.fround;
  for (let i = 0; i < n; i++) {
    let d = maximize ? -g[gi + i]! : g[gi + i]!;
    if (wd !== 0) {
      d = d + wd * p[pi + i]!;
      if (f32) d = fround(d);
    }
    if (buf !== null) {
      if (firstStep) buf[i] = d;
      else {
        const decayed = buf[i]! * mu;
        buf[i] = (f32 ? fround(decayed) : decayed) + keep * d;
      }
      if (nesterov) {
        d = d + mu * buf[i]!;
        if (f32) d = fround(d);
      } else d = buf[i]!;
    }
    p[pi + i] = p[pi + i]! + negLr * d;
  }
}
