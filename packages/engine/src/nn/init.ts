/**
 * `torch.nn.init`: fill a weight in place (under no_grad) with PyTorch's initialisation schemes.
 * Each returns the tensor it filled.
 */

import { type PyArgs, parseArgs } from "../args.js";
import { no_grad } from "../autograd.js";
import type { Tensor } from "../tensor.js";

export type Nonlinearity =
  | "linear"
  | "conv1d"
  | "conv2d"
  | "conv3d"
  | "conv_transpose1d"
  | "conv_transpose2d"
  | "conv_transpose3d"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "leaky_relu"
  | "selu";

export type FanMode = "fan_in" | "fan_out";

/** The recommended gain for a nonlinearity: tanh 5/3, relu sqrt(2), leaky_relu sqrt(2 / (1 + slope^2)), ... */
export function calculate_gain(
  ...args: PyArgs<
    [nonlinearity: Nonlinearity, param: number | null],
    { nonlinearity?: Nonlinearity; param?: number | null }
  >
): number {
  const { nonlinearity, param } = parseArgs("calculate_gain", args, ["nonlinearity", "param"], {
    nonlinearity: "leaky_relu" as Nonlinearity,
    param: null as number | null,
  });
  switch (nonlinearity) {
    case "linear":
    case "conv1d":
    case "conv2d":
    case "conv3d":
    case "conv_transpose1d":
    case "conv_transpose2d":
    case "conv_transpose3d":
    case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leaky_relu": {
      const slope = param ?? 0.01;
      if (typeof slope !== "number")
        throw new TypeError(`negative_slope ${slope} not a valid number`);
      return Math.sqrt(2 / (1 + slope ** 2));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new Error(`Unsupported nonlinearity ${nonlinearity}`);
  }
}

/** fan_in = in_features x receptive field, fan_out = out_features x receptive field. */
export function _calculate_fan_in_and_fan_out(tensor: Tensor): [number, number] {
  if (tensor.ndim < 2) {
    throw new Error(
      "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions",
    );
  }
  const receptive = tensor.shape.slice(2).reduce((a, b) => a * b, 1);
  return [tensor.shape[1] * receptive, tensor.shape[0] * receptive];
}

function fan(tensor: Tensor, mode: FanMode): number {
  if (mode !== "fan_in" && mode !== "fan_out") {
    throw new Error(`Mode ${mode} not supported, please use one of fan_in, fan_out`);
  }
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  return mode === "fan_in" ? fanIn : fanOut;
}

/** U(a, b). */
export function uniform_(
  tensor: Tensor,
  ...args: PyArgs<[a: number, b: number], { a?: number; b?: number }>
): Tensor {
  const { a, b } = parseArgs("uniform_", args, ["a", "b"], { a: 0, b: 1 });
  return no_grad(() => tensor.uniform_(a, b));
}

/** N(mean, std^2). */
export function normal_(
  tensor: Tensor,
  ...args: PyArgs<[mean: number, std: number], { mean?: number; std?: number }>
): Tensor {
  const { mean, std } = parseArgs("normal_", args, ["mean", "std"], { mean: 0, std: 1 });
  return no_grad(() => tensor.normal_(mean, std));
}

export function constant_(
  tensor: Tensor,
  ...args: PyArgs<[val: number], { val?: number }>
): Tensor {
  const { val } = parseArgs("constant_", args, ["val"], { val: undefined as number | undefined });
  if (val === undefined) {
    throw new TypeError("constant_() missing 1 required positional argument: 'val'");
  }
  return no_grad(() => tensor.fill_(val));
}

export function zeros_(tensor: Tensor): Tensor {
  return no_grad(() => tensor.fill_(0));
}

export function ones_(tensor: Tensor): Tensor {
  return no_grad(() => tensor.fill_(1));
}

/** Glorot: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)). */
export function xavier_uniform_(
  tensor: Tensor,
  ...args: PyArgs<[gain: number], { gain?: number }>
): Tensor {
  const { gain } = parseArgs("xavier_uniform_", args, ["gain"], { gain: 1 });
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  const a = Math.sqrt(3) * gain * Math.sqrt(2 / (fanIn + fanOut));
  return no_grad(() => tensor.uniform_(-a, a));
}

/** Glorot: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)). */
export function xavier_normal_(
  tensor: Tensor,
  ...args: PyArgs<[gain: number], { gain?: number }>
): Tensor {
  const { gain } = parseArgs("xavier_normal_", args, ["gain"], { gain: 1 });
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  return no_grad(() => tensor.normal_(0, std));
}

type KaimingArgs = PyArgs<
  [a: number, mode: FanMode, nonlinearity: Nonlinearity],
  { a?: number; mode?: FanMode; nonlinearity?: Nonlinearity }
>;

function kaimingStd(fn: string, tensor: Tensor, args: KaimingArgs): number {
  const { a, mode, nonlinearity } = parseArgs(fn, args, ["a", "mode", "nonlinearity"], {
    a: 0,
    mode: "fan_in" as FanMode,
    nonlinearity: "leaky_relu" as Nonlinearity,
  });
  return calculate_gain(nonlinearity, a) / Math.sqrt(fan(tensor, mode));
}

/** He: U(-bound, bound) with bound = gain * sqrt(3 / fan). Linear's default uses a = sqrt(5). */
export function kaiming_uniform_(tensor: Tensor, ...args: KaimingArgs): Tensor {
  if (tensor.numel() === 0) return tensor; // PyTorch only warns for zero-element tensors
  const bound = Math.sqrt(3) * kaimingStd("kaiming_uniform_", tensor, args);
  return no_grad(() => tensor.uniform_(-bound, bound));
}

/** He: N(0, std^2) with std = gain / sqrt(fan). */
export function kaiming_normal_(tensor: Tensor, ...args: KaimingArgs): Tensor {
  if (tensor.numel() === 0) return tensor;
  const std = kaimingStd("kaiming_normal_", tensor, args);
  return no_grad(() => tensor.normal_(0, std));
}
