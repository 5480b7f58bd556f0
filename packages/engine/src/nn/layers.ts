/** Layers with weights or shape logic: Identity, Linear, Flatten, Dropout, Conv2d, MaxPool2d. */

import type { PyArgs } from "../args.js";
import { empty } from "../creation.js";
import type { Tensor } from "../tensor.js";
import { checkSize, moduleArgs, pair } from "./config.js";
import { checkDropoutP, dropout } from "./functional/activations.js";
import { conv2d, type IntOrPair, max_pool2d } from "./functional/conv.js";
import { linear } from "./functional/linear.js";
import * as init from "./init.js";
import { Module, type ModuleConfig } from "./module.js";
import { Parameter } from "./parameter.js";
import { registerBuiltin } from "./registry.js";
import { pyBool, pyFloat, pyTuple } from "./repr.js";

/** Passes its input through; takes (and ignores) any arguments, as PyTorch's. */
export class Identity extends Module {
  static {
    registerBuiltin("Identity", Identity);
  }

  constructor(..._args: unknown[]) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return input;
  }
}

/** The bias (and a Linear's weight) start at U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as PyTorch. */
function initWeightAndBias(weight: Parameter, bias: Parameter | null): void {
  init.kaiming_uniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const [fanIn] = init._calculate_fan_in_and_fan_out(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    init.uniform_(bias, -bound, bound);
  }
}

interface LinearConfig {
  in_features: number;
  out_features: number;
  bias: boolean;
}

/** y = x W^T + b with W [out_features, in_features]: `new nn.Linear(4, 16)`. */
export class Linear extends Module {
  static {
    registerBuiltin("Linear", Linear);
  }

  in_features: number;
  out_features: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    ...args: PyArgs<
      [in_features: number, out_features: number, bias: boolean],
      Partial<LinearConfig>
    >
  ) {
    super();
    const o = moduleArgs<LinearConfig>(
      "Linear",
      args,
      ["in_features", "out_features", "bias"],
      { bias: true },
      ["in_features", "out_features"],
    );
    this.in_features = checkSize("Linear", "in_features", o.in_features);
    this.out_features = checkSize("Linear", "out_features", o.out_features);
    this.weight = new Parameter(empty(this.out_features, this.in_features));
    this.bias = o.bias ? new Parameter(empty(this.out_features)) : null;
    this.reset_parameters();
  }

  reset_parameters(): void {
    initWeightAndBias(this.weight, this.bias);
  }

  override forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extra_repr(): string {
    return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${pyBool(this.bias !== null)}`;
  }

  override _config(): ModuleConfig {
    return {
      in_features: this.in_features,
      out_features: this.out_features,
      bias: this.bias !== null,
    };
  }
}

interface FlattenConfig {
  start_dim: number;
  end_dim: number;
}

/** Flattens dims start_dim..end_dim (by default all but the batch dim). */
export class Flatten extends Module {
  static {
    registerBuiltin("Flatten", Flatten);
  }

  start_dim: number;
  end_dim: number;

  constructor(...args: PyArgs<[start_dim: number, end_dim: number], Partial<FlattenConfig>>) {
    super();
    const o = moduleArgs<FlattenConfig>("Flatten", args, ["start_dim", "end_dim"], {
      start_dim: 1,
      end_dim: -1,
    });
    this.start_dim = o.start_dim;
    this.end_dim = o.end_dim;
  }

  override forward(input: Tensor): Tensor {
    return input.flatten(this.start_dim, this.end_dim);
  }

  override extra_repr(): string {
    return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`;
  }

  override _config(): ModuleConfig {
    return { start_dim: this.start_dim, end_dim: this.end_dim };
  }
}

interface DropoutConfig {
  p: number;
  inplace: boolean;
}

/** Zeroes each element with probability p in training (scaling the rest by 1/(1-p)); identity in eval. */
export class Dropout extends Module {
  static {
    registerBuiltin("Dropout", Dropout);
  }

  p: number;
  inplace: boolean;

  constructor(...args: PyArgs<[p: number, inplace: boolean], Partial<DropoutConfig>>) {
    super();
    const o = moduleArgs<DropoutConfig>("Dropout", args, ["p", "inplace"], {
      p: 0.5,
      inplace: false,
    });
    checkDropoutP(o.p);
    this.p = o.p;
    this.inplace = o.inplace;
  }

  override forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training);
  }

  override extra_repr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`;
  }

  override _config(): ModuleConfig {
    return { p: this.p, inplace: this.inplace };
  }
}

type Padding = IntOrPair | "same" | "valid";

interface Conv2dConfig {
  in_channels: number;
  out_channels: number;
  kernel_size: IntOrPair;
  stride: IntOrPair;
  padding: Padding;
  dilation: IntOrPair;
  groups: number;
  bias: boolean;
  padding_mode: "zeros";
}

/** 2-D convolution over NCHW images; weight [out_channels, in_channels / groups, kH, kW]. */
export class Conv2d extends Module {
  static {
    registerBuiltin("Conv2d", Conv2d);
  }

  in_channels: number;
  out_channels: number;
  kernel_size: [number, number];
  stride: [number, number];
  padding: [number, number] | "same" | "valid";
  dilation: [number, number];
  groups: number;
  padding_mode: "zeros";
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    ...args: PyArgs<
      [
        in_channels: number,
        out_channels: number,
        kernel_size: IntOrPair,
        stride: IntOrPair,
        padding: Padding,
        dilation: IntOrPair,
        groups: number,
        bias: boolean,
        padding_mode: "zeros",
      ],
      Partial<Conv2dConfig>
    >
  ) {
    super();
    const o = moduleArgs<Conv2dConfig>(
      "Conv2d",
      args,
      [
        "in_channels",
        "out_channels",
        "kernel_size",
        "stride",
        "padding",
        "dilation",
        "groups",
        "bias",
        "padding_mode",
      ],
      { stride: 1, padding: 0, dilation: 1, groups: 1, bias: true, padding_mode: "zeros" },
      ["in_channels", "out_channels", "kernel_size"],
    );
    this.in_channels = checkSize("Conv2d", "in_channels", o.in_channels);
    this.out_channels = checkSize("Conv2d", "out_channels", o.out_channels);
    this.kernel_size = pair("Conv2d", "kernel_size", o.kernel_size);
    this.stride = pair("Conv2d", "stride", o.stride);
    this.padding = typeof o.padding === "string" ? o.padding : pair("Conv2d", "padding", o.padding);
    this.dilation = pair("Conv2d", "dilation", o.dilation);
    this.groups = o.groups;
    if (!Number.isInteger(this.groups) || this.groups <= 0) {
      throw new Error("groups must be a positive integer");
    }
    if (this.in_channels % this.groups !== 0)
      throw new Error("in_channels must be divisible by groups");
    if (this.out_channels % this.groups !== 0)
      throw new Error("out_channels must be divisible by groups");
    if (o.padding_mode !== "zeros") {
      throw new Error(`Conv2d: padding_mode '${o.padding_mode}' is not supported (only 'zeros')`);
    }
    this.padding_mode = o.padding_mode;
    const [kh, kw] = this.kernel_size;
    this.weight = new Parameter(empty(this.out_channels, this.in_channels / this.groups, kh, kw));
    this.bias = o.bias ? new Parameter(empty(this.out_channels)) : null;
    this.reset_parameters();
  }

  reset_parameters(): void {
    initWeightAndBias(this.weight, this.bias);
  }

  override forward(input: Tensor): Tensor {
    return conv2d(
      input,
      this.weight,
      this.bias,
      this.stride,
      this.padding,
      this.dilation,
      this.groups,
    );
  }

  override extra_repr(): string {
    let s = `${this.in_channels}, ${this.out_channels}, kernel_size=${pyTuple(this.kernel_size)}, stride=${pyTuple(this.stride)}`;
    const p = this.padding;
    if (typeof p === "string") s += `, padding='${p}'`;
    else if (p[0] !== 0 || p[1] !== 0) s += `, padding=${pyTuple(p)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1)
      s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    return s;
  }

  override _config(): ModuleConfig {
    return {
      in_channels: this.in_channels,
      out_channels: this.out_channels,
      kernel_size: [...this.kernel_size],
      stride: [...this.stride],
      padding: typeof this.padding === "string" ? this.padding : [...this.padding],
      dilation: [...this.dilation],
      groups: this.groups,
      bias: this.bias !== null,
      padding_mode: this.padding_mode,
    };
  }
}

interface MaxPool2dConfig {
  kernel_size: IntOrPair;
  stride: IntOrPair | null;
  padding: IntOrPair;
  dilation: IntOrPair;
  return_indices: boolean;
  ceil_mode: boolean;
}

/** Max over kernel_size windows; stride defaults to kernel_size. */
export class MaxPool2d extends Module {
  static {
    registerBuiltin("MaxPool2d", MaxPool2d);
  }

  kernel_size: IntOrPair;
  stride: IntOrPair;
  padding: IntOrPair;
  dilation: IntOrPair;
  return_indices: boolean;
  ceil_mode: boolean;

  constructor(
    ...args: PyArgs<
      [
        kernel_size: IntOrPair,
        stride: IntOrPair | null,
        padding: IntOrPair,
        dilation: IntOrPair,
        return_indices: boolean,
        ceil_mode: boolean,
      ],
      Partial<MaxPool2dConfig>
    >
  ) {
    super();
    const o = moduleArgs<MaxPool2dConfig>(
      "MaxPool2d",
      args,
      ["kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"],
      { stride: null, padding: 0, dilation: 1, return_indices: false, ceil_mode: false },
      ["kernel_size"],
    );
    if (o.ceil_mode) throw new Error("MaxPool2d: ceil_mode=True is not supported yet");
    if (o.return_indices) throw new Error("MaxPool2d: return_indices=True is not supported yet");
    pair("MaxPool2d", "kernel_size", o.kernel_size);
    this.kernel_size = o.kernel_size;
    this.stride = o.stride ?? o.kernel_size;
    this.padding = o.padding;
    this.dilation = o.dilation;
    this.return_indices = o.return_indices;
    this.ceil_mode = o.ceil_mode;
  }

  override forward(input: Tensor): Tensor {
    return max_pool2d(input, this.kernel_size, this.stride, this.padding, this.dilation);
  }

  override extra_repr(): string {
    const v = (x: IntOrPair) => (typeof x === "number" ? String(x) : pyTuple(x));
    return `kernel_size=${v(this.kernel_size)}, stride=${v(this.stride)}, padding=${v(this.padding)}, dilation=${v(this.dilation)}, ceil_mode=${pyBool(this.ceil_mode)}`;
  }

  override _config(): ModuleConfig {
    const v = (x: IntOrPair) => (typeof x === "number" ? x : [...x]);
    return {
      kernel_size: v(this.kernel_size),
      stride: v(this.stride),
      padding: v(this.padding),
      dilation: v(this.dilation),
    };
  }
}
