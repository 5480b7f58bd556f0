/** Samplers: the order in which a DataLoader visits a dataset's indices, and how it batches them. */

import { counterWords, philox4x32 } from "@gradbook/kernels";
import { type PyArgs, parseArgs } from "../args.js";
import { default_generator, type Generator, randpermData } from "../random.js";
import { type DatasetLike, datasetLength } from "./dataset.js";

export abstract class Sampler<T = number> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
  abstract __len__(): number;

  get length(): number {
    return this.__len__();
  }
}

/** A source of indices with a known count: a Sampler, or any iterable with `__len__()`. */
export type SizedIterable<T> = Iterable<T> & { __len__(): number };

/** 0, 1, ..., len - 1. */
export class SequentialSampler extends Sampler {
  constructor(readonly data_source: DatasetLike<unknown>) {
    super();
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = datasetLength(this.data_source);
    for (let i = 0; i < n; i++) yield i;
  }

  __len__(): number {
    return datasetLength(this.data_source);
  }
}

interface RandomSamplerOptions {
  replacement: boolean;
  num_samples: number | null;
  generator: Generator | null;
}

/**
 * Indices in random order: a fresh permutation each pass (or, with `replacement`, independent
 * draws), from `generator` or the global one, so `torch.manual_seed` makes runs repeat.
 */
export class RandomSampler extends Sampler {
  readonly data_source: DatasetLike<unknown>;
  readonly replacement: boolean;
  readonly generator: Generator | null;
  private readonly _num_samples: number | null;

  constructor(
    data_source: DatasetLike<unknown>,
    ...args: PyArgs<
      [replacement: boolean, num_samples: number | null, generator: Generator | null],
      Partial<RandomSamplerOptions>
    >
  ) {
    super();
    const o = parseArgs<RandomSamplerOptions>(
      "RandomSampler",
      args,
      ["replacement", "num_samples", "generator"],
      { replacement: false, num_samples: null, generator: null },
    );
    if (typeof o.replacement !== "boolean") {
      throw new TypeError(
        `replacement should be a boolean value, but got replacement=${o.replacement}`,
      );
    }
    this.data_source = data_source;
    this.replacement = o.replacement;
    this.generator = o.generator;
    this._num_samples = o.num_samples;
    if (!Number.isInteger(this.num_samples) || this.num_samples <= 0) {
      throw new RangeError(
        `num_samples should be a positive integer value, but got num_samples=${this.num_samples}`,
      );
    }
  }

  get num_samples(): number {
    return this._num_samples ?? datasetLength(this.data_source);
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = datasetLength(this.data_source);
    const generator = this.generator ?? default_generator;
    if (this.replacement) {
      yield* randomIndices(n, this.num_samples, generator);
      return;
    }
    for (let left = this.num_samples; left > 0; left -= n) {
      yield* randpermData(n, generator).subarray(0, Math.min(left, n));
    }
  }

  __len__(): number {
    return this.num_samples;
  }
}

/** `count` independent uniform draws from 0..n-1 on the generator's Philox stream. */
function randomIndices(n: number, count: number, generator: Generator): Int32Array {
  const out = new Int32Array(count);
  const start = generator.take(count);
  const words = new Uint32Array(4);
  for (let i = 0; i < count; i++) {
    const [c0, c1] = counterWords(start + i);
    philox4x32(c0, c1, generator.key[0], generator.key[1], words);
    out[i] = Math.floor((words[0] / 4294967296) * n);
  }
  return out;
}

/** Group another sampler's indices into lists of `batch_size` (the last may be shorter). */
export class BatchSampler extends Sampler<number[]> {
  constructor(
    readonly sampler: SizedIterable<number>,
    readonly batch_size: number,
    readonly drop_last: boolean,
  ) {
    super();
    if (!Number.isInteger(batch_size) || batch_size <= 0 || typeof batch_size === "boolean") {
      throw new RangeError(
        `batch_size should be a positive integer value, but got batch_size=${batch_size}`,
      );
    }
    if (typeof drop_last !== "boolean") {
      throw new TypeError(`drop_last should be a boolean value, but got drop_last=${drop_last}`);
    }
  }

  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const index of this.sampler) {
      batch.push(index);
      if (batch.length === this.batch_size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.drop_last) yield batch;
  }

  __len__(): number {
    const n = this.sampler.__len__();
    return this.drop_last ? Math.floor(n / this.batch_size) : Math.ceil(n / this.batch_size);
  }
}
