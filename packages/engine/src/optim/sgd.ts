import { type PyArgs, parseArgs } from "../args.js";
import { empty_like } from "../creation.js";
import type { Tensor } from "../tensor.js";
import { checkNonNegative } from "./checks.js";
import {
  type Closure,
  fusedBuffers,
  markWritten,
  Optimizer,
  type ParamsInput,
} from "./optimizer.js";

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weight_decay: number;
  nesterov: boolean;
  maximize: boolean;
}

export interface SGDState {
  momentum_buffer: Tensor;
}

const NAMES = ["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"] as const;
const DEFAULTS: SGDOptions = {
  lr: 1e-3,
  momentum: 0,
  dampening: 0,
  weight_decay: 0,
  nesterov: false,
  maximize: false,
};

/**
 * Stochastic gradient descent, optionally with momentum (PyTorch's form: the buffer starts as
 * the first gradient and accumulates `b = momentum * b + (1 - dampening) * g`) and Nesterov.
 * `new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 })`.
 */
export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(
    params: ParamsInput<SGDOptions>,
    ...args: PyArgs<
      [lr: number, momentum: number, dampening: number, weight_decay: number, nesterov: boolean],
      Partial<SGDOptions>
    >
  ) {
    const options = parseArgs("SGD", args, NAMES, DEFAULTS);
    checkNonNegative("learning rate", options.lr);
    checkNonNegative("momentum value", options.momentum);
    checkNonNegative("weight_decay value", options.weight_decay);
    if (options.nesterov && (options.momentum <= 0 || options.dampening !== 0)) {
      throw new RangeError("Nesterov momentum requires a momentum and zero dampening");
    }
    super(params, options);
  }

  step(closure?: Closure): Tensor | number | null {
    return this.updateEach(closure, (param, grad, group, state) => {
      const { lr, momentum, dampening, weight_decay, nesterov, maximize } = group;
      const buffer = momentum !== 0 && state ? [state.momentum_buffer] : [];
      const fused = fusedBuffers([param, grad, ...buffer]);
      if (fused) {
        // The buffer's first step makes it a copy of the gradient, so it needs no zeros.
        const next = momentum === 0 ? null : (state ?? { momentum_buffer: empty_like(param) });
        const b = next?.momentum_buffer;
        const hyper = { lr, momentum, dampening, weightDecay: weight_decay, nesterov, maximize };
        const bufferBuf = b ? b._storage.buffer : null;
        param._backend.sgdStep(fused[0], fused[1], bufferBuf, { ...hyper, first: !state });
        markWritten(b ? [param, b] : [param]);
        return next;
      }
      // The same update op by op (SgdStepParams in @gradbook/kernels gives the formulas).
      let d_p = maximize ? grad.neg() : grad;
      if (weight_decay !== 0) d_p = d_p.add(param, { alpha: weight_decay });
      let next: SGDState | null = null;
      if (momentum !== 0) {
        // The buffer starts as a copy of the first gradient (no dampening on step 1).
        if (state) {
          const buf = state.momentum_buffer;
          buf.copy_(buf.mul(momentum).add(d_p, { alpha: 1 - dampening }));
        }
        next = state ?? { momentum_buffer: d_p.clone() };
        const buf = next.momentum_buffer;
        d_p = nesterov ? d_p.add(buf, { alpha: momentum }) : buf;
      }
      param.add_(d_p, { alpha: -lr });
      return next;
    });
  }
}
