/** Activation modules: each calls its function in nn.functional. */

import type { PyArgs } from "../args.js";
import type { Tensor } from "../tensor.js";
import { moduleArgs } from "./config.js";
import {
  type GeluApproximate,
  gelu,
  leaky_relu,
  log_softmax,
  relu,
  sigmoid,
  softmax,
  tanh,
} from "./functional/activations.js";
import { Module, type ModuleConfig } from "./module.js";
import { registerBuiltin } from "./registry.js";
import { pyFloat, pyOptional } from "./repr.js";

interface InplaceConfig {
  inplace: boolean;
}

/** max(0, x). `inplace` is accepted for PyTorch code; the result is always a new tensor. */
export class ReLU extends Module {
  static {
    registerBuiltin("ReLU", ReLU);
  }

  inplace: boolean;

  constructor(...args: PyArgs<[inplace: boolean], Partial<InplaceConfig>>) {
    super();
    this.inplace = moduleArgs<InplaceConfig>("ReLU", args, ["inplace"], { inplace: false }).inplace;
  }

  override forward(input: Tensor): Tensor {
    return relu(input);
  }

  override extra_repr(): string {
    return this.inplace ? "inplace=True" : "";
  }

  override _config(): ModuleConfig {
    return { inplace: this.inplace };
  }
}

interface LeakyReLUConfig {
  negative_slope: number;
  inplace: boolean;
}

/** x for x > 0, negative_slope * x otherwise. */
export class LeakyReLU extends Module {
  static {
    registerBuiltin("LeakyReLU", LeakyReLU);
  }

  negative_slope: number;
  inplace: boolean;

  constructor(
    ...args: PyArgs<[negative_slope: number, inplace: boolean], Partial<LeakyReLUConfig>>
  ) {
    super();
    const o = moduleArgs<LeakyReLUConfig>("LeakyReLU", args, ["negative_slope", "inplace"], {
      negative_slope: 0.01,
      inplace: false,
    });
    this.negative_slope = o.negative_slope;
    this.inplace = o.inplace;
  }

  override forward(input: Tensor): Tensor {
    return leaky_relu(input, this.negative_slope);
  }

  override extra_repr(): string {
    return `negative_slope=${pyFloat(this.negative_slope)}${this.inplace ? ", inplace=True" : ""}`;
  }

  override _config(): ModuleConfig {
    return { negative_slope: this.negative_slope, inplace: this.inplace };
  }
}

export class Tanh extends Module {
  static {
    registerBuiltin("Tanh", Tanh);
  }

  constructor(...args: [] | [Record<string, never>]) {
    super();
    moduleArgs("Tanh", args, [], {});
  }

  override forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

export class Sigmoid extends Module {
  static {
    registerBuiltin("Sigmoid", Sigmoid);
  }

  constructor(...args: [] | [Record<string, never>]) {
    super();
    moduleArgs("Sigmoid", args, [], {});
  }

  override forward(input: Tensor): Tensor {
    return sigmoid(input);
  }
}

interface GELUConfig {
  approximate: GeluApproximate;
}

export class GELU extends Module {
  static {
    registerBuiltin("GELU", GELU);
  }

  approximate: GeluApproximate;

  constructor(...args: PyArgs<[approximate: GeluApproximate], Partial<GELUConfig>>) {
    super();
    const o = moduleArgs<GELUConfig>("GELU", args, ["approximate"], { approximate: "none" });
    if (o.approximate !== "none" && o.approximate !== "tanh") {
      throw new Error("approximate argument must be either none or tanh.");
    }
    this.approximate = o.approximate;
  }

  override forward(input: Tensor): Tensor {
    return gelu(input, this.approximate);
  }

  override extra_repr(): string {
    return `approximate='${this.approximate}'`;
  }

  override _config(): ModuleConfig {
    return { approximate: this.approximate };
  }
}

interface DimConfig {
  dim: number | null;
}

/** Softmax along `dim`: `new nn.Softmax(1)` or `new nn.Softmax({ dim: 1 })`. */
export class Softmax extends Module {
  static {
    registerBuiltin("Softmax", Softmax);
  }

  dim: number | null;

  constructor(...args: PyArgs<[dim: number | null], Partial<DimConfig>>) {
    super();
    this.dim = moduleArgs<DimConfig>("Softmax", args, ["dim"], { dim: null }).dim;
  }

  override forward(input: Tensor): Tensor {
    return softmax(input, this.dim);
  }

  override extra_repr(): string {
    return `dim=${pyOptional(this.dim)}`;
  }

  override _config(): ModuleConfig {
    return { dim: this.dim };
  }
}

/** log(softmax(x)) along `dim`, computed stably; pairs with NLLLoss. */
export class LogSoftmax extends Module {
  static {
    registerBuiltin("LogSoftmax", LogSoftmax);
  }

  dim: number | null;

  constructor(...args: PyArgs<[dim: number | null], Partial<DimConfig>>) {
    super();
    this.dim = moduleArgs<DimConfig>("LogSoftmax", args, ["dim"], { dim: null }).dim;
  }

  override forward(input: Tensor): Tensor {
    return log_softmax(input, this.dim);
  }

  override extra_repr(): string {
    return `dim=${pyOptional(this.dim)}`;
  }

  override _config(): ModuleConfig {
    return { dim: this.dim };
  }
}
