/** Turning a list of samples into a batch, as `torch.utils.data.default_collate` does. */

import { isOptions } from "../args.js";
import { tensor } from "../creation.js";
import { stack } from "../functions.js";
import { Tensor } from "../tensor.js";

/**
 * The batch type `default_collate` makes from samples of type T: tensors are stacked, numbers
 * become one tensor, strings stay a list, arrays and objects are collated field by field.
 */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | bigint | boolean
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends object
          ? { [K in keyof T]: Collated<T[K]> }
          : never;

/**
 * Stack a batch of samples: tensors with `torch.stack` (a new first dim), numbers into a float32
 * tensor (JavaScript has one number type; use bigints or int64 tensors for class labels),
 * bigints into int64, booleans into bool; arrays (`[x, y]` samples) and objects per element/key.
 */
export function default_collate<T>(batch: readonly T[]): Collated<T> {
  return collate(batch) as Collated<T>;
}

/** With automatic batching off (`batch_size: null`) samples pass through unchanged. */
export function default_convert<T>(sample: T): T {
  return sample;
}

function collate(batch: readonly unknown[]): unknown {
  if (batch.length === 0) throw new RangeError("default_collate: the batch is empty");
  const elem = batch[0];
  if (elem instanceof Tensor) return stack(batch as Tensor[]);
  if (typeof elem === "number" || typeof elem === "bigint" || typeof elem === "boolean") {
    return tensor(batch as (number | bigint | boolean)[]);
  }
  if (typeof elem === "string") return [...batch];
  if (Array.isArray(elem)) {
    const size = elem.length;
    if (batch.some((sample) => !Array.isArray(sample) || sample.length !== size)) {
      throw new RangeError("each element in list of batch should be of equal size");
    }
    return elem.map((_, i) => collate(batch.map((sample) => (sample as unknown[])[i])));
  }
  if (isOptions(elem)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(elem)) {
      out[key] = collate(batch.map((sample) => (sample as Record<string, unknown>)[key]));
    }
    return out;
  }
  throw new TypeError(
    `default_collate: batch must contain tensors, numbers, dicts or lists; found ${describe(elem)}`,
  );
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}
