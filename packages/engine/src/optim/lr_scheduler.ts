/**
 * `torch.optim.lr_scheduler`: change each group's `lr` as training goes on. Call
 * `scheduler.step()` once per epoch, after `optimizer.step()`, as in PyTorch.
 */

import { type PyArgs, parseArgs } from "../args.js";
import { type Hyperparameters, Optimizer } from "./optimizer.js";

type AnyOptimizer = Optimizer<Hyperparameters, object>;

/** `optimizer.step()` calls counted per optimizer, to warn when the scheduler steps first. */
const optimizerSteps = new WeakMap<AnyOptimizer, number>();

function countSteps(optimizer: AnyOptimizer): void {
  if (optimizerSteps.has(optimizer)) return;
  const step = optimizer.step;
  optimizer.step = (...args) => {
    optimizerSteps.set(optimizer, (optimizerSteps.get(optimizer) ?? 0) + 1);
    return step.apply(optimizer, args);
  };
}

/** What `scheduler.state_dict()` holds: its settings and progress, not the optimizer. */
export type SchedulerStateDict = Record<string, unknown>;

/**
 * The base of the schedulers. A subclass sets its own fields, then ends its constructor with
 * `this._initial_step()` (JavaScript can't set fields before `super()`, as Python code does).
 */
export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  /** Each group's lr when scheduling started (`initial_lr`). */
  base_lrs: number[];
  /** The number of `step()` calls so far (the epoch), -1 before the first. */
  last_epoch: number;
  protected _step_count = 0;
  protected _last_lr: number[] = [];

  constructor(optimizer: AnyOptimizer, last_epoch = -1) {
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${typeNameOf(optimizer)} is not an Optimizer`);
    }
    this.optimizer = optimizer;
    optimizer.param_groups.forEach((group, i) => {
      if (last_epoch === -1) group.initial_lr ??= group.lr;
      else if (group.initial_lr === undefined) {
        throw new RangeError(
          `param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`,
        );
      }
    });
    this.base_lrs = optimizer.param_groups.map((g) => g.initial_lr!);
    this.last_epoch = last_epoch;
    countSteps(optimizer);
  }

  /** The step a scheduler takes when made: sets epoch 0's lr (or the resumed epoch's). */
  protected _initial_step(): void {
    optimizerSteps.set(this.optimizer, 0);
    this._step_count = 0;
    this.step();
  }

  /** The schedule's next lr for each group, from the current ones (PyTorch's chainable form). */
  abstract get_lr(): number[];

  /** The lr of each group for epoch `last_epoch`, computed from `base_lrs`. */
  protected closedFormLr(): number[] {
    return this.get_lr();
  }

  /** Advance one epoch and set every group's lr. (`step(epoch)` jumps to an epoch; deprecated in PyTorch.) */
  step(epoch?: number): void {
    if (this._step_count === 1 && (optimizerSteps.get(this.optimizer) ?? 0) < 1) {
      console.warn(
        "Detected call of `lr_scheduler.step()` before `optimizer.step()`. Call them in the opposite order: `optimizer.step()` before `lr_scheduler.step()`. Otherwise the first value of the learning rate schedule is skipped.",
      );
    }
    this._step_count += 1;
    let values: number[];
    if (epoch === undefined) {
      this.last_epoch += 1;
      values = this.get_lr();
    } else {
      this.last_epoch = epoch;
      values = this.closedFormLr();
    }
    this.optimizer.param_groups.forEach((group, i) => {
      group.lr = values[i];
    });
    this._last_lr = this.optimizer.param_groups.map((g) => g.lr);
  }

  /** The lr of each group set by the last `step()`. */
  get_last_lr(): number[] {
    return [...this._last_lr];
  }

  state_dict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [key, value] of Object.entries(this)) {
      if (key !== "optimizer") out[key] = Array.isArray(value) ? [...value] : value;
    }
    return out;
  }

  load_state_dict(state_dict: SchedulerStateDict): void {
    for (const [key, value] of Object.entries(state_dict)) {
      if (key === "optimizer") continue;
      (this as unknown as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : value;
    }
  }
}

/** PyTorch 1.x's name for the base class. */
export { LRScheduler as _LRScheduler };

/** Multiply each group's lr by `gamma` every `step_size` epochs. */
export class StepLR extends LRScheduler {
  step_size: number;
  gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    ...args: PyArgs<
      [step_size: number, gamma: number, last_epoch: number],
      { step_size?: number; gamma?: number; last_epoch?: number }
    >
  ) {
    const { step_size, gamma, last_epoch } = parseArgs(
      "StepLR",
      args,
      ["step_size", "gamma", "last_epoch"],
      { step_size: Number.NaN, gamma: 0.1, last_epoch: -1 },
    );
    if (!Number.isInteger(step_size) || step_size <= 0) {
      throw new TypeError(`StepLR() needs a positive integer step_size, but got ${step_size}`);
    }
    super(optimizer, last_epoch);
    this.step_size = step_size;
    this.gamma = gamma;
    this._initial_step();
  }

  get_lr(): number[] {
    const groups = this.optimizer.param_groups;
    if (this.last_epoch === 0 || this.last_epoch % this.step_size !== 0) {
      return groups.map((g) => g.lr);
    }
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.base_lrs.map(
      (lr) => lr * this.gamma ** Math.floor(this.last_epoch / this.step_size),
    );
  }
}

/** Multiply each group's lr by `gamma` every epoch. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    ...args: PyArgs<[gamma: number, last_epoch: number], { gamma?: number; last_epoch?: number }>
  ) {
    const { gamma, last_epoch } = parseArgs("ExponentialLR", args, ["gamma", "last_epoch"], {
      gamma: Number.NaN,
      last_epoch: -1,
    });
    if (typeof gamma !== "number" || Number.isNaN(gamma)) {
      throw new TypeError("ExponentialLR() missing 1 required positional argument: 'gamma'");
    }
    super(optimizer, last_epoch);
    this.gamma = gamma;
    this._initial_step();
  }

  get_lr(): number[] {
    const groups = this.optimizer.param_groups;
    if (this.last_epoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.base_lrs.map((lr) => lr * this.gamma ** this.last_epoch);
  }
}

function typeNameOf(value: unknown): string {
  if (value === null) return "NoneType";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}
