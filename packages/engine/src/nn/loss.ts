/**
 * Loss modules: `const lossFn = new nn.CrossEntropyLoss(); lossFn(logits, labels)`. Each calls
 * its function in nn.functional. Class weights are buffers (so they are in the state_dict, as in
 * PyTorch) and may be given as a tensor or a plain array.
 */

import type { PyArgs } from "../args.js";
import { tensor } from "../creation.js";
import { Tensor } from "../tensor.js";
import { moduleArgs } from "./config.js";
import {
  binary_cross_entropy,
  binary_cross_entropy_with_logits,
  cross_entropy,
  l1_loss,
  mse_loss,
  nll_loss,
  type Reduction,
  resolveReduction,
} from "./functional/loss.js";
import { Module, type ModuleConfig } from "./module.js";
import { registerBuiltin } from "./registry.js";

export type { Reduction };

/** A weight as a tensor: `torch.tensor([1, 2])` or `[1, 2]`. */
export type WeightInput = Tensor | number[] | null;

interface ReductionConfig {
  size_average: boolean | null;
  reduce: boolean | null;
  reduction: Reduction;
}

const reductionDefaults: Partial<ReductionConfig> = {
  size_average: null,
  reduce: null,
  reduction: "mean",
};

function toWeight(v: WeightInput): Tensor | null {
  if (v === null || v instanceof Tensor) return v;
  if (Array.isArray(v)) return tensor(v);
  throw new TypeError(`a loss weight must be a Tensor or an array of numbers, got ${typeof v}`);
}

/** The buffer as JSON for `describe` (weights are small: one number per class). */
function weightConfig(t: Tensor | null): ModuleConfig[string] {
  return t === null ? null : (t.tolistSync() as number[]);
}

/** Losses take (input, target) and reduce with `reduction`: "mean" (default), "sum" or "none". */
abstract class Loss extends Module<[input: Tensor, target: Tensor]> {
  reduction: Reduction;

  constructor(o: ReductionConfig) {
    super();
    this.reduction = resolveReduction(o);
  }

  override _config(): ModuleConfig {
    return { reduction: this.reduction };
  }
}

type ReductionArgs = PyArgs<
  [size_average: boolean | null, reduce: boolean | null, reduction: Reduction],
  Partial<ReductionConfig>
>;

const reductionNames = ["size_average", "reduce", "reduction"] as const;

/** Mean squared error. */
export class MSELoss extends Loss {
  static {
    registerBuiltin("MSELoss", MSELoss);
  }

  constructor(...args: ReductionArgs) {
    super(moduleArgs<ReductionConfig>("MSELoss", args, [...reductionNames], reductionDefaults));
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return mse_loss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error. */
export class L1Loss extends Loss {
  static {
    registerBuiltin("L1Loss", L1Loss);
  }

  constructor(...args: ReductionArgs) {
    super(moduleArgs<ReductionConfig>("L1Loss", args, [...reductionNames], reductionDefaults));
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return l1_loss(input, target, { reduction: this.reduction });
  }
}

interface NLLLossConfig extends ReductionConfig {
  weight: WeightInput;
  ignore_index: number;
}

type NLLLossArgs = PyArgs<
  [
    weight: WeightInput,
    size_average: boolean | null,
    ignore_index: number,
    reduce: boolean | null,
    reduction: Reduction,
  ],
  Partial<NLLLossConfig>
>;

const nllNames = ["weight", "size_average", "ignore_index", "reduce", "reduction"] as const;

/** Negative log likelihood of int64 class labels, given log-probabilities (pair with LogSoftmax). */
export class NLLLoss extends Loss {
  static {
    registerBuiltin("NLLLoss", NLLLoss);
  }

  ignore_index: number;
  declare weight: Tensor | null;

  constructor(...args: NLLLossArgs) {
    const o = moduleArgs<NLLLossConfig>("NLLLoss", args, [...nllNames], {
      ...reductionDefaults,
      weight: null,
      ignore_index: -100,
    });
    super(o);
    this.ignore_index = o.ignore_index;
    this.register_buffer("weight", toWeight(o.weight));
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return nll_loss(input, target, {
      weight: this.weight,
      ignore_index: this.ignore_index,
      reduction: this.reduction,
    });
  }

  override _config(): ModuleConfig {
    return {
      weight: weightConfig(this.weight),
      ignore_index: this.ignore_index,
      reduction: this.reduction,
    };
  }
}

interface CrossEntropyLossConfig extends NLLLossConfig {
  label_smoothing: number;
}

/** log_softmax + NLL on raw scores (logits): int64 class labels, or class probabilities. */
export class CrossEntropyLoss extends Loss {
  static {
    registerBuiltin("CrossEntropyLoss", CrossEntropyLoss);
  }

  ignore_index: number;
  label_smoothing: number;
  declare weight: Tensor | null;

  constructor(
    ...args: PyArgs<
      [
        weight: WeightInput,
        size_average: boolean | null,
        ignore_index: number,
        reduce: boolean | null,
        reduction: Reduction,
        label_smoothing: number,
      ],
      Partial<CrossEntropyLossConfig>
    >
  ) {
    const o = moduleArgs<CrossEntropyLossConfig>(
      "CrossEntropyLoss",
      args,
      [...nllNames, "label_smoothing"],
      { ...reductionDefaults, weight: null, ignore_index: -100, label_smoothing: 0 },
    );
    super(o);
    this.ignore_index = o.ignore_index;
    this.label_smoothing = o.label_smoothing;
    this.register_buffer("weight", toWeight(o.weight));
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return cross_entropy(input, target, {
      weight: this.weight,
      ignore_index: this.ignore_index,
      reduction: this.reduction,
      label_smoothing: this.label_smoothing,
    });
  }

  override _config(): ModuleConfig {
    return {
      weight: weightConfig(this.weight),
      ignore_index: this.ignore_index,
      reduction: this.reduction,
      label_smoothing: this.label_smoothing,
    };
  }
}

interface BCELossConfig extends ReductionConfig {
  weight: WeightInput;
}

/** Binary cross entropy of probabilities (apply a Sigmoid first) against 0/1 targets. */
export class BCELoss extends Loss {
  static {
    registerBuiltin("BCELoss", BCELoss);
  }

  declare weight: Tensor | null;

  constructor(
    ...args: PyArgs<
      [
        weight: WeightInput,
        size_average: boolean | null,
        reduce: boolean | null,
        reduction: Reduction,
      ],
      Partial<BCELossConfig>
    >
  ) {
    const o = moduleArgs<BCELossConfig>("BCELoss", args, ["weight", ...reductionNames], {
      ...reductionDefaults,
      weight: null,
    });
    super(o);
    this.register_buffer("weight", toWeight(o.weight));
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return binary_cross_entropy(input, target, { weight: this.weight, reduction: this.reduction });
  }

  override _config(): ModuleConfig {
    return { weight: weightConfig(this.weight), reduction: this.reduction };
  }
}

interface BCEWithLogitsLossConfig extends BCELossConfig {
  pos_weight: WeightInput;
}

/** Sigmoid + binary cross entropy in one numerically stable step, on raw scores. */
export class BCEWithLogitsLoss extends Loss {
  static {
    registerBuiltin("BCEWithLogitsLoss", BCEWithLogitsLoss);
  }

  declare weight: Tensor | null;
  declare pos_weight: Tensor | null;

  constructor(
    ...args: PyArgs<
      [
        weight: WeightInput,
        size_average: boolean | null,
        reduce: boolean | null,
        reduction: Reduction,
        pos_weight: WeightInput,
      ],
      Partial<BCEWithLogitsLossConfig>
    >
  ) {
    const o = moduleArgs<BCEWithLogitsLossConfig>(
      "BCEWithLogitsLoss",
      args,
      ["weight", ...reductionNames, "pos_weight"],
      { ...reductionDefaults, weight: null, pos_weight: null },
    );
    super(o);
    this.register_buffer("weight", toWeight(o.weight));
    this.register_buffer("pos_weight", toWeight(o.pos_weight));
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return binary_cross_entropy_with_logits(input, target, {
      weight: this.weight,
      reduction: this.reduction,
      pos_weight: this.pos_weight,
    });
  }

  override _config(): ModuleConfig {
    return {
      weight: weightConfig(this.weight),
      reduction: this.reduction,
      pos_weight: weightConfig(this.pos_weight),
    };
  }
}
