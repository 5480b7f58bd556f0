/** `F.linear` and `F.one_hot`. */

import { type PyArgs, parseArgs } from "../../args.js";
import { arange } from "../../creation.js";
import { shapeStr } from "../../shape.js";
import type { Tensor } from "../../tensor.js";

/**
 * y = x W^T + b. The transposed weight is a view that the matmul reads without a copy. Inputs
 * with more than 2 dims are multiplied as one [*, in_features] matrix, so a wrong width reports
 * PyTorch's `mat1 and mat2 shapes cannot be multiplied (10x7 and 6x3)`.
 */
export function linear(
  input: Tensor,
  ...args: PyArgs<[weight: Tensor, bias: Tensor | null], { weight?: Tensor; bias?: Tensor | null }>
): Tensor {
  const { weight, bias } = parseArgs("linear", args, ["weight", "bias"], {
    weight: undefined as Tensor | undefined,
    bias: null as Tensor | null,
  });
  if (!weight) throw new TypeError("linear() missing 1 required positional argument: 'weight'");
  if (weight.ndim !== 2 && weight.ndim !== 1) {
    throw new Error(`linear(): weight must be 1-D or 2-D, got shape ${shapeStr(weight.shape)}`);
  }
  if (input.ndim === 0) {
    throw new Error("linear(): input must have at least 1 dimension, got a 0-d tensor");
  }
  const lead = input.shape.slice(0, -1);
  const flat = input.ndim > 2 ? input.reshape(-1, input.shape[input.ndim - 1]) : input;
  let out = flat.matmul(weight.t());
  if (bias) out = out.add(bias);
  return input.ndim > 2 ? out.reshape([...lead, ...out.shape.slice(1)]) : out;
}

/** int64 labels -> int64 one-hot rows with `num_classes` columns (-1: max label + 1). */
export function one_hot(
  input: Tensor,
  ...args: PyArgs<[num_classes: number], { num_classes?: number }>
): Tensor {
  const { num_classes } = parseArgs("one_hot", args, ["num_classes"], { num_classes: -1 });
  if (input.dtype !== "int64") {
    throw new TypeError(
      `one_hot is only applicable to index tensor of type LongTensor (int64), got ${input.dtype}.`,
    );
  }
  let classes = num_classes;
  if (input._backend.syncReadback && input.numel() > 0) {
    const labels = input.dataSync();
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of labels) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (min < 0) throw new RangeError("Class values must be non-negative.");
    if (classes === -1) classes = max + 1;
    else if (max >= classes) throw new RangeError("Class values must be smaller than num_classes.");
  } else if (classes === -1) {
    if (input.numel() > 0) {
      throw new Error(
        `one_hot: num_classes can't be inferred on the ${input.device} backend (it can't read values synchronously); pass num_classes`,
      );
    }
    throw new Error("Can not infer total number of classes from empty tensor.");
  }
  return input
    .unsqueeze(-1)
    .eq(arange(classes, { device: input.device }))
    .long();
}
