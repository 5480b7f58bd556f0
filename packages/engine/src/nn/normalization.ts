/** BatchNorm1d, BatchNorm2d and LayerNorm. */

import type { PyArgs } from "../args.js";
import { no_grad } from "../autograd.js";
import { ones, tensor, zeros } from "../creation.js";
import type { Tensor } from "../tensor.js";
import { checkSize, moduleArgs } from "./config.js";
import { batch_norm, layer_norm } from "./functional/normalization.js";
import { Module, type ModuleConfig } from "./module.js";
import { Parameter } from "./parameter.js";
import { registerBuiltin } from "./registry.js";
import { pyBool, pyFloat, pyTuple } from "./repr.js";

interface BatchNormConfig {
  num_features: number;
  eps: number;
  momentum: number | null;
  affine: boolean;
  track_running_stats: boolean;
}

type BatchNormArgs = PyArgs<
  [
    num_features: number,
    eps: number,
    momentum: number | null,
    affine: boolean,
    track_running_stats: boolean,
  ],
  Partial<BatchNormConfig>
>;

/**
 * Normalizes each channel with the batch's statistics in training (and keeps running averages
 * of them), and with the running averages in eval. `momentum: null` makes the running stats a
 * cumulative average.
 */
abstract class BatchNorm extends Module {
  num_features: number;
  eps: number;
  momentum: number | null;
  affine: boolean;
  track_running_stats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  // Buffers: registered (not class fields), so state_dict lists them after the parameters.
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;

  constructor(name: string, args: readonly unknown[]) {
    super();
    const o = moduleArgs<BatchNormConfig>(
      name,
      args,
      ["num_features", "eps", "momentum", "affine", "track_running_stats"],
      { eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true },
      ["num_features"],
    );
    const c = checkSize(name, "num_features", o.num_features);
    this.num_features = c;
    this.eps = o.eps;
    this.momentum = o.momentum;
    this.affine = o.affine;
    this.track_running_stats = o.track_running_stats;
    this.weight = o.affine ? new Parameter(ones(c)) : null;
    this.bias = o.affine ? new Parameter(zeros(c)) : null;
    const track = o.track_running_stats;
    this.register_buffer("running_mean", track ? zeros(c) : null);
    this.register_buffer("running_var", track ? ones(c) : null);
    this.register_buffer("num_batches_tracked", track ? tensor(0, { dtype: "int64" }) : null);
  }

  protected abstract _check_input_dim(input: Tensor): void;

  /** Running stats back to mean 0, variance 1, no batches seen. */
  reset_running_stats(): void {
    no_grad(() => {
      this.running_mean?.fill_(0);
      this.running_var?.fill_(1);
      this.num_batches_tracked?.fill_(0);
    });
  }

  override forward(input: Tensor): Tensor {
    this._check_input_dim(input);
    let factor = this.momentum ?? 0;
    const counter = this.num_batches_tracked;
    if (this.training && this.track_running_stats && counter) {
      no_grad(() => counter.add_(1));
      // A cumulative average weighs batch k by 1/k (this reads the count back).
      if (this.momentum === null) factor = 1 / counter.itemSync();
    }
    const useBatchStats =
      this.training || (this.running_mean === null && this.running_var === null);
    const passRunning = !this.training || this.track_running_stats;
    return batch_norm(
      input,
      passRunning ? this.running_mean : null,
      passRunning ? this.running_var : null,
      this.weight,
      this.bias,
      useBatchStats,
      factor,
      this.eps,
    );
  }

  override extra_repr(): string {
    const momentum = this.momentum === null ? "None" : pyFloat(this.momentum);
    return `${this.num_features}, eps=${pyFloat(this.eps)}, momentum=${momentum}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.track_running_stats)}`;
  }

  override _config(): ModuleConfig {
    return {
      num_features: this.num_features,
      eps: this.eps,
      momentum: this.momentum,
      affine: this.affine,
      track_running_stats: this.track_running_stats,
    };
  }
}

/** Batch norm over [N, C] or [N, C, L] inputs (statistics per channel C). */
export class BatchNorm1d extends BatchNorm {
  static {
    registerBuiltin("BatchNorm1d", BatchNorm1d);
  }

  constructor(...args: BatchNormArgs) {
    super("BatchNorm1d", args);
  }

  protected override _check_input_dim(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) {
      throw new Error(`expected 2D or 3D input (got ${input.ndim}D input)`);
    }
  }
}

/** Batch norm over [N, C, H, W] images (statistics per channel C). */
export class BatchNorm2d extends BatchNorm {
  static {
    registerBuiltin("BatchNorm2d", BatchNorm2d);
  }

  constructor(...args: BatchNormArgs) {
    super("BatchNorm2d", args);
  }

  protected override _check_input_dim(input: Tensor): void {
    if (input.ndim !== 4) throw new Error(`expected 4D input (got ${input.ndim}D input)`);
  }
}

interface LayerNormConfig {
  normalized_shape: number | number[];
  eps: number;
  elementwise_affine: boolean;
  bias: boolean;
}

/** Normalizes each sample over its last dims (`normalized_shape`), e.g. the features of a token. */
export class LayerNorm extends Module {
  static {
    registerBuiltin("LayerNorm", LayerNorm);
  }

  normalized_shape: number[];
  eps: number;
  elementwise_affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(
    ...args: PyArgs<
      [
        normalized_shape: number | number[],
        eps: number,
        elementwise_affine: boolean,
        bias: boolean,
      ],
      Partial<LayerNormConfig>
    >
  ) {
    super();
    const o = moduleArgs<LayerNormConfig>(
      "LayerNorm",
      args,
      ["normalized_shape", "eps", "elementwise_affine", "bias"],
      { eps: 1e-5, elementwise_affine: true, bias: true },
      ["normalized_shape"],
    );
    const shape =
      typeof o.normalized_shape === "number" ? [o.normalized_shape] : [...o.normalized_shape];
    for (const s of shape) checkSize("LayerNorm", "normalized_shape", s);
    this.normalized_shape = shape;
    this.eps = o.eps;
    this.elementwise_affine = o.elementwise_affine;
    this.weight = o.elementwise_affine ? new Parameter(ones(shape)) : null;
    this.bias = o.elementwise_affine && o.bias ? new Parameter(zeros(shape)) : null;
  }

  override forward(input: Tensor): Tensor {
    return layer_norm(input, this.normalized_shape, this.weight, this.bias, this.eps);
  }

  override extra_repr(): string {
    return `${pyTuple(this.normalized_shape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwise_affine)}`;
  }

  override _config(): ModuleConfig {
    return {
      normalized_shape: [...this.normalized_shape],
      eps: this.eps,
      elementwise_affine: this.elementwise_affine,
      bias: this.elementwise_affine ? this.bias !== null : true,
    };
  }
}
