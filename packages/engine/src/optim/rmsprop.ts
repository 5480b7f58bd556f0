import { type PyArgs, parseArgs } from "../args.js";
import { zeros_like } from "../creation.js";
import type { Tensor } from "../tensor.js";
import { checkNonNegative } from "./checks.js";
import { type Closure, Optimizer, type ParamsInput } from "./optimizer.js";

export interface RMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weight_decay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export interface RMSpropState {
  step: number;
  square_avg: Tensor;
  /** Only with `momentum > 0`. */
  momentum_buffer?: Tensor;
  /** Only with `centered: true`: the running mean of the gradient. */
  grad_avg?: Tensor;
}

const NAMES = ["lr", "alpha", "eps", "weight_decay", "momentum", "centered", "maximize"] as const;

/**
 * RMSprop as PyTorch implements it: `eps` is added outside the square root, `centered`
 * divides by an estimate of the gradient's variance, and momentum buffers `g / avg`.
 */
export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  constructor(
    params: ParamsInput<RMSpropOptions>,
    ...args: PyArgs<
      [
        lr: number,
        alpha: number,
        eps: number,
        weight_decay: number,
        momentum: number,
        centered: boolean,
      ],
      Partial<RMSpropOptions>
    >
  ) {
    const options = parseArgs("RMSprop", args, NAMES, {
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weight_decay: 0,
      momentum: 0,
      centered: false,
      maximize: false,
    });
    checkNonNegative("learning rate", options.lr);
    checkNonNegative("epsilon value", options.eps);
    checkNonNegative("momentum value", options.momentum);
    checkNonNegative("weight_decay value", options.weight_decay);
    checkNonNegative("alpha value", options.alpha);
    super(params, options);
  }

  step(closure?: Closure): Tensor | number | null {
    return this.updateEach(closure, (param, grad, group, state) => {
      const { lr, alpha, eps, weight_decay, momentum, centered, maximize } = group;
      const s = state ?? { step: 0, square_avg: zeros_like(param) };
      let g = maximize ? grad.neg() : grad;
      s.step += 1;
      if (weight_decay !== 0) g = g.add(param, { alpha: weight_decay });
      s.square_avg.copy_(s.square_avg.mul(alpha).add(g.mul(g), { alpha: 1 - alpha }));
      let avg: Tensor;
      if (centered) {
        s.grad_avg ??= zeros_like(param);
        s.grad_avg.copy_(s.grad_avg.mul(alpha).add(g, { alpha: 1 - alpha }));
        avg = s.square_avg.sub(s.grad_avg.mul(s.grad_avg)).sqrt();
      } else {
        avg = s.square_avg.sqrt();
      }
      avg = avg.add(eps);
      if (momentum > 0) {
        s.momentum_buffer ??= zeros_like(param);
        s.momentum_buffer.copy_(s.momentum_buffer.mul(momentum).add(g.div(avg)));
        param.add_(s.momentum_buffer, { alpha: -lr });
      } else {
        param.sub_(g.div(avg).mul(lr));
      }
      return s;
    });
  }
}
