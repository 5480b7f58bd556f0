/** Activations and dropout: `F.relu`, `F.softmax(x, { dim: 1 })`, `F.dropout(x, 0.5, training)`. */

import { type PyArgs, parseArgs } from "../../args.js";
import { rand_like } from "../../creation.js";
import type { Tensor } from "../../tensor.js";

export function relu(
  input: Tensor,
  ...args: PyArgs<[inplace: boolean], { inplace?: boolean }>
): Tensor {
  parseArgs("relu", args, ["inplace"], { inplace: false }); // inplace is accepted; the result is always new
  return input.relu();
}

export function leaky_relu(
  input: Tensor,
  ...args: PyArgs<
    [negative_slope: number, inplace: boolean],
    { negative_slope?: number; inplace?: boolean }
  >
): Tensor {
  const { negative_slope } = parseArgs("leaky_relu", args, ["negative_slope", "inplace"], {
    negative_slope: 0.01,
    inplace: false,
  });
  return input.leaky_relu(negative_slope);
}

export type GeluApproximate = "none" | "tanh";

/** x * Phi(x); `approximate: "tanh"` uses 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
export function gelu(
  input: Tensor,
  ...args: PyArgs<[approximate: GeluApproximate], { approximate?: GeluApproximate }>
): Tensor {
  const { approximate } = parseArgs("gelu", args, ["approximate"], {
    approximate: "none" as GeluApproximate,
  });
  if (approximate === "none") return input.gelu();
  if (approximate !== "tanh") throw new Error("approximate argument must be either none or tanh.");
  const inner = input.add(input.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
  return input.mul(0.5).mul(inner.tanh().add(1));
}

export function tanh(input: Tensor): Tensor {
  return input.tanh();
}

export function sigmoid(input: Tensor): Tensor {
  return input.sigmoid();
}

/** PyTorch's legacy choice when softmax is called without `dim` (it warns; we follow it). */
export function implicitSoftmaxDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

type SoftmaxArgs = PyArgs<
  [dim: number | null, _stacklevel: number, dtype: string | null],
  { dim?: number | null; _stacklevel?: number; dtype?: string | null }
>;

function softmaxDim(fn: string, input: Tensor, args: SoftmaxArgs): number {
  const { dim } = parseArgs(fn, args, ["dim", "_stacklevel", "dtype"], {
    dim: null as number | null,
    _stacklevel: 3,
    dtype: null as string | null,
  });
  return dim ?? implicitSoftmaxDim(input.ndim);
}

export function softmax(input: Tensor, ...args: SoftmaxArgs): Tensor {
  return input.softmax(softmaxDim("softmax", input, args));
}

export function log_softmax(input: Tensor, ...args: SoftmaxArgs): Tensor {
  return input.log_softmax(softmaxDim("log_softmax", input, args));
}

/**
 * Inverted dropout: in training, zero each element with probability p and scale the rest by
 * 1/(1-p), so evaluation (identity) sees the same expected activations.
 */
export function dropout(
  input: Tensor,
  ...args: PyArgs<
    [p: number, training: boolean, inplace: boolean],
    { p?: number; training?: boolean; inplace?: boolean }
  >
): Tensor {
  const { p, training } = parseArgs("dropout", args, ["p", "training", "inplace"], {
    p: 0.5,
    training: true,
    inplace: false,
  });
  checkDropoutP(p);
  if (!training || p === 0) return input;
  if (p === 1) return input.mul(0);
  const scale = rand_like(input)
    .ge(p)
    .float()
    .mul(1 / (1 - p));
  return input.mul(scale);
}

export function checkDropoutP(p: number): void {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
  }
}
