import { type PyArgs, parseArgs } from "../args.js";
import { zeros_like } from "../creation.js";
import type { Tensor } from "../tensor.js";
import { checkNonNegative } from "./checks.js";
import {
  type Closure,
  fusedBuffers,
  markWritten,
  Optimizer,
  type ParamsInput,
} from "./optimizer.js";

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
      s.step += 1;
      if (centered) s.grad_avg ??= zeros_like(param);
      if (momentum > 0) s.momentum_buffer ??= zeros_like(param);
      const gradAvg = centered ? (s.grad_avg as Tensor) : null;
      const buffer = momentum > 0 ? (s.momentum_buffer as Tensor) : null;
      const written = [param, s.square_avg, ...[gradAvg, buffer].filter((t) => t !== null)];
      const fused = fusedBuffers([param, grad, ...written.slice(1)]);
      if (fused) {
        const [p, gb, sq] = fused;
        const hyper = { lr, alpha, eps, weightDecay: weight_decay, momentum, maximize };
        const [ab, bb] = [gradAvg, buffer].map((t) => (t ? t._storage.buffer : null));
        param._backend.rmspropStep(p, gb, sq, ab, bb, hyper);
        markWritten(written);
        return s;
      }
      // The same update op by op (RmspropStepParams in @gradbook/kernels gives the formulas).
      let g = maximize ? grad.neg() : grad;
      if (weight_decay !== 0) g = g.add(param, { alpha: weight_decay });
      s.square_avg.copy_(s.square_avg.mul(alpha).add(g.mul(1 - alpha).mul(g)));
      let avg: Tensor;
      if (gradAvg) {
        gradAvg.copy_(gradAvg.mul(alpha).add(g, { alpha: 1 - alpha }));
        avg = s.square_avg.sub(gradAvg.mul(gradAvg)).sqrt();
      } else {
        avg = s.square_avg.sqrt();
      }
      avg = avg.add(eps);
      if (buffer) {
        buffer.copy_(buffer.mul(momentum).add(g.div(avg)));
        param.add_(buffer, { alpha: -lr });
      } else {
        param.add_(g.mul(-lr).div(avg));
      }
      return s;
    });
  }
}
