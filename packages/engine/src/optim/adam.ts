import { type PyArgs, parseArgs } from "../args.js";
import { zeros_like } from "../creation.js";
import type { Tensor } from "../tensor.js";
import { checkBetas, checkNonNegative } from "./checks.js";
import {
  type Closure,
  fusedBuffers,
  markWritten,
  Optimizer,
  type ParamsInput,
} from "./optimizer.js";

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weight_decay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export interface AdamState {
  step: number;
  exp_avg: Tensor;
  exp_avg_sq: Tensor;
  /** Only with `amsgrad: true`: the running maximum of `exp_avg_sq`. */
  max_exp_avg_sq?: Tensor;
}

type AdamArgs = PyArgs<
  [lr: number, betas: [number, number], eps: number, weight_decay: number, amsgrad: boolean],
  Partial<AdamOptions>
>;

const NAMES = ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"] as const;

function adamOptions(fn: string, args: AdamArgs, weight_decay: number): AdamOptions {
  const options = parseArgs<AdamOptions>(fn, args, NAMES, {
    lr: 1e-3,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weight_decay,
    amsgrad: false,
    maximize: false,
  });
  checkNonNegative("learning rate", options.lr);
  checkNonNegative("epsilon value", options.eps);
  checkBetas(options.betas);
  checkNonNegative("weight_decay value", options.weight_decay);
  return { ...options, betas: [options.betas[0], options.betas[1]] };
}

/**
 * One Adam step for one parameter, as PyTorch's single-tensor implementation: L2 weight decay
 * folded into the gradient (Adam) or decoupled, shrinking the weights directly (AdamW).
 */
function adamUpdate(
  param: Tensor,
  grad: Tensor,
  group: AdamOptions,
  state: AdamState | undefined,
  decoupled: boolean,
): AdamState {
  const { lr, betas, eps, weight_decay, amsgrad, maximize } = group;
  const [beta1, beta2] = betas;
  const s = state ?? {
    step: 0,
    exp_avg: zeros_like(param),
    exp_avg_sq: zeros_like(param),
    ...(amsgrad ? { max_exp_avg_sq: zeros_like(param) } : {}),
  };
  s.step += 1;
  // A group switched to amsgrad after some steps starts its maximum from zeros, as PyTorch.
  if (amsgrad) s.max_exp_avg_sq ??= zeros_like(param);
  const written = [s.exp_avg, s.exp_avg_sq, ...(amsgrad ? [s.max_exp_avg_sq as Tensor] : [])];
  const fused = fusedBuffers([param, grad, ...written]);
  if (fused) {
    const [p, gb, m, v, vmax] = fused;
    const hyper = { lr, beta1, beta2, eps, weightDecay: weight_decay, decoupled, maximize };
    param._backend.adamStep(p, gb, m, v, vmax ?? null, { ...hyper, step: s.step });
    markWritten([param, ...written]);
    return s;
  }
  // The same update op by op (AdamStepParams in @gradbook/kernels gives the formulas).
  let g = maximize ? grad.neg() : grad;
  if (weight_decay !== 0) {
    if (decoupled) param.mul_(1 - lr * weight_decay);
    else g = g.add(param, { alpha: weight_decay });
  }
  s.exp_avg.copy_(s.exp_avg.mul(beta1).add(g, { alpha: 1 - beta1 }));
  s.exp_avg_sq.copy_(s.exp_avg_sq.mul(beta2).add(g.mul(1 - beta2).mul(g)));

  const bias_correction1 = 1 - beta1 ** s.step;
  const bias_correction2 = 1 - beta2 ** s.step;
  const step_size = lr / bias_correction1;
  let second = s.exp_avg_sq;
  if (amsgrad && s.max_exp_avg_sq) {
    s.max_exp_avg_sq.copy_(s.max_exp_avg_sq.maximum(s.exp_avg_sq));
    second = s.max_exp_avg_sq;
  }
  const denom = second.sqrt().div(Math.sqrt(bias_correction2)).add(eps);
  param.add_(s.exp_avg.mul(-step_size).div(denom));
  return s;
}

/**
 * Adam (Kingma & Ba), with PyTorch's defaults: `lr` 1e-3, `betas` [0.9, 0.999], `eps` 1e-8.
 * `weight_decay` here is L2 regularisation added to the gradient; for decoupled decay use AdamW.
 */
export class Adam extends Optimizer<AdamOptions, AdamState> {
  constructor(params: ParamsInput<AdamOptions>, ...args: AdamArgs) {
    super(params, adamOptions("Adam", args, 0));
  }

  step(closure?: Closure): Tensor | number | null {
    return this.updateEach(closure, (p, g, group, state) => adamUpdate(p, g, group, state, false));
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, `p *= 1 - lr * weight_decay`
 * before the Adam update. PyTorch's default `weight_decay` is 1e-2.
 */
export class AdamW extends Optimizer<AdamOptions, AdamState> {
  constructor(params: ParamsInput<AdamOptions>, ...args: AdamArgs) {
    super(params, adamOptions("AdamW", args, 1e-2));
  }

  step(closure?: Closure): Tensor | number | null {
    return this.updateEach(closure, (p, g, group, state) => adamUpdate(p, g, group, state, true));
  }
}
