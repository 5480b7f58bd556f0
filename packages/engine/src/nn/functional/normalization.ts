/** `F.batch_norm` and `F.layer_norm`, composed from tensor ops so their gradients follow. */

import { type PyArgs, parseArgs } from "../../args.js";
import { no_grad } from "../../autograd.js";
import { shapeStr } from "../../shape.js";
import type { Tensor } from "../../tensor.js";

/**
 * Normalize each channel (dim 1) of x [N, C, ...]. In training, with the batch's mean and
 * biased variance; the running stats, when given, move toward the batch's mean and UNBIASED
 * variance by `momentum` (in place, under no_grad). In evaluation, with the running stats.
 */
export function batch_norm(
  input: Tensor,
  ...args: PyArgs<
    [
      running_mean: Tensor | null,
      running_var: Tensor | null,
      weight: Tensor | null,
      bias: Tensor | null,
      training: boolean,
      momentum: number,
      eps: number,
    ],
    {
      running_mean?: Tensor | null;
      running_var?: Tensor | null;
      weight?: Tensor | null;
      bias?: Tensor | null;
      training?: boolean;
      momentum?: number;
      eps?: number;
    }
  >
): Tensor {
  const o = parseArgs(
    "batch_norm",
    args,
    ["running_mean", "running_var", "weight", "bias", "training", "momentum", "eps"],
    {
      running_mean: null as Tensor | null,
      running_var: null as Tensor | null,
      weight: null as Tensor | null,
      bias: null as Tensor | null,
      training: false,
      momentum: 0.1,
      eps: 1e-5,
    },
  );
  if (input.ndim < 2) {
    throw new Error(
      `batch_norm: expected an input of shape [N, C, ...] with at least 2 dims, got ${shapeStr(input.shape)}`,
    );
  }
  const channels = input.shape[1];
  for (const [name, t] of [
    ["running_mean", o.running_mean],
    ["running_var", o.running_var],
    ["weight", o.weight],
    ["bias", o.bias],
  ] as const) {
    if (t && t.numel() !== channels) {
      throw new Error(`${name} should contain ${channels} elements not ${t.numel()}`);
    }
  }
  // Statistics have shape [1, C, 1, ...] so they broadcast over every dim but the channels.
  const statShape = input.shape.map((s, i) => (i === 1 ? s : 1));
  const dims = input.shape.map((_, i) => i).filter((i) => i !== 1);
  let centered: Tensor;
  let variance: Tensor;
  if (o.training) {
    const n = input.numel() / channels;
    if (n === 1) {
      throw new Error(
        `Expected more than 1 value per channel when training, got input size ${shapeStr(input.shape)}`,
      );
    }
    const mean = input.mean(dims, true);
    centered = input.sub(mean);
    variance = centered.square().mean(dims, true);
    const { running_mean, running_var, momentum } = o;
    no_grad(() => {
      running_mean?.mul_(1 - momentum).add_(mean.detach().reshape(channels).mul(momentum));
      running_var?.mul_(1 - momentum).add_(
        variance
          .detach()
          .reshape(channels)
          .mul((momentum * n) / (n - 1)),
      );
    });
  } else {
    if (!o.running_mean || !o.running_var) {
      throw new Error(
        "batch_norm: running_mean and running_var must be given in evaluation mode (training: false); pass training: true to use the batch's statistics",
      );
    }
    centered = input.sub(o.running_mean.reshape(statShape));
    variance = o.running_var.reshape(statShape);
  }
  let out = centered.mul(variance.add(o.eps).rsqrt());
  if (o.weight) out = out.mul(o.weight.reshape(statShape));
  if (o.bias) out = out.add(o.bias.reshape(statShape));
  return out;
}

/** Normalize over the last dims (`normalized_shape`) of each sample, with biased variance. */
export function layer_norm(
  input: Tensor,
  ...args: PyArgs<
    [normalized_shape: number | number[], weight: Tensor | null, bias: Tensor | null, eps: number],
    {
      normalized_shape?: number | number[];
      weight?: Tensor | null;
      bias?: Tensor | null;
      eps?: number;
    }
  >
): Tensor {
  const o = parseArgs("layer_norm", args, ["normalized_shape", "weight", "bias", "eps"], {
    normalized_shape: undefined as number | number[] | undefined,
    weight: null as Tensor | null,
    bias: null as Tensor | null,
    eps: 1e-5,
  });
  if (o.normalized_shape === undefined) {
    throw new TypeError("layer_norm() missing 1 required positional argument: 'normalized_shape'");
  }
  const shape =
    typeof o.normalized_shape === "number" ? [o.normalized_shape] : [...o.normalized_shape];
  const k = shape.length;
  const tail = input.shape.slice(input.ndim - k);
  if (k === 0 || input.ndim < k || tail.some((s, i) => s !== shape[i])) {
    throw new Error(
      `Given normalized_shape=${shapeStr(shape)}, expected input with shape [*, ${shape.join(", ")}], but got input of size${shapeStr(input.shape)}`,
    );
  }
  for (const [name, t] of [
    ["weight", o.weight],
    ["bias", o.bias],
  ] as const) {
    if (t && t.shape.join() !== shape.join()) {
      throw new Error(
        `layer_norm: expected ${name} of shape ${shapeStr(shape)} (normalized_shape), got ${shapeStr(t.shape)}`,
      );
    }
  }
  const dims = shape.map((_, i) => input.ndim - k + i);
  const centered = input.sub(input.mean(dims, true));
  const variance = centered.square().mean(dims, true);
  let out = centered.mul(variance.add(o.eps).rsqrt());
  if (o.weight) out = out.mul(o.weight);
  if (o.bias) out = out.add(o.bias);
  return out;
}
