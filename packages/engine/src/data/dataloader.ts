import { type PyArgs, parseArgs } from "../args.js";
import { fromTypedArray } from "../creation.js";
import type { Generator } from "../random.js";
import type { Tensor } from "../tensor.js";
import { type Collated, default_collate, default_convert } from "./collate.js";
import { type DatasetLike, datasetItem, Subset, TensorDataset } from "./dataset.js";
import { BatchSampler, RandomSampler, SequentialSampler, type SizedIterable } from "./sampler.js";

export interface DataLoaderOptions<T, B> {
  /** Samples per batch; `null` turns batching off (each sample passes through `collate_fn`). */
  batch_size?: number | null;
  /** Visit the samples in a fresh random order every epoch. */
  shuffle?: boolean | null;
  sampler?: SizedIterable<number> | null;
  batch_sampler?: SizedIterable<number[]> | null;
  /** Accepted for PyTorch compatibility: loading always runs in this thread. */
  num_workers?: number;
  collate_fn?: ((batch: T[]) => B) | null;
  /** Accepted for PyTorch compatibility; no effect. */
  pin_memory?: boolean;
  /** Drop the last batch when it is smaller than `batch_size`. */
  drop_last?: boolean;
  timeout?: number;
  worker_init_fn?: ((worker_id: number) => void) | null;
  multiprocessing_context?: unknown;
  /** The random stream for shuffling (default: the global one, seeded by `torch.manual_seed`). */
  generator?: Generator | null;
  prefetch_factor?: number | null;
  persistent_workers?: boolean;
  pin_memory_device?: string;
}

const NAMES = [
  "batch_size",
  "shuffle",
  "sampler",
  "batch_sampler",
  "num_workers",
  "collate_fn",
  "pin_memory",
  "drop_last",
  "timeout",
  "worker_init_fn",
  "multiprocessing_context",
  "generator",
  "prefetch_factor",
  "persistent_workers",
  "pin_memory_device",
] as const;

type Resolved<T, B> = Required<DataLoaderOptions<T, B>>;

/**
 * Batches of a dataset, in order or shuffled: `for (const [xb, yb] of loader)`.
 * `new DataLoader(ds, { batch_size: 32, shuffle: true })`. A TensorDataset (or a Subset of
 * one, e.g. from `random_split`) is batched with one `index_select` per tensor per batch.
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  readonly dataset: DatasetLike<T>;
  readonly batch_size: number | null;
  readonly drop_last: boolean;
  readonly sampler: SizedIterable<number>;
  readonly batch_sampler: SizedIterable<number[]> | null;
  readonly generator: Generator | null;
  readonly num_workers: number;
  readonly collate_fn: (batch: T[]) => B;

  constructor(
    dataset: DatasetLike<T>,
    ...args: PyArgs<
      [
        batch_size: number | null,
        shuffle: boolean | null,
        sampler: SizedIterable<number> | null,
        batch_sampler: SizedIterable<number[]> | null,
        num_workers: number,
        collate_fn: ((batch: T[]) => B) | null,
        pin_memory: boolean,
        drop_last: boolean,
      ],
      DataLoaderOptions<T, B>
    >
  ) {
    const o = parseArgs<Resolved<T, B>>("DataLoader", args, NAMES, {
      batch_size: 1,
      shuffle: null,
      sampler: null,
      batch_sampler: null,
      num_workers: 0,
      collate_fn: null,
      pin_memory: false,
      drop_last: false,
      timeout: 0,
      worker_init_fn: null,
      multiprocessing_context: null,
      generator: null,
      prefetch_factor: null,
      persistent_workers: false,
      pin_memory_device: "",
    });
    checkOptions(o);
    this.dataset = dataset;
    this.generator = o.generator;
    this.num_workers = o.num_workers;
    this.sampler =
      o.sampler ??
      (o.shuffle
        ? new RandomSampler(dataset, { generator: o.generator })
        : new SequentialSampler(dataset));
    if (o.batch_sampler) {
      this.batch_sampler = o.batch_sampler;
      this.batch_size = null;
      this.drop_last = false;
    } else {
      this.batch_size = o.batch_size;
      this.drop_last = o.drop_last;
      this.batch_sampler =
        o.batch_size === null ? null : new BatchSampler(this.sampler, o.batch_size, o.drop_last);
    }
    const fallback = this.batch_sampler ? default_collate : default_convert;
    this.collate_fn = o.collate_fn ?? (fallback as unknown as (batch: T[]) => B);
  }

  /** The number of batches per epoch (samples, when batching is off). */
  __len__(): number {
    return (this.batch_sampler ?? this.sampler).__len__();
  }

  get length(): number {
    return this.__len__();
  }

  *[Symbol.iterator](): Iterator<B> {
    if (!this.batch_sampler) {
      const convert = this.collate_fn as unknown as (sample: T) => B;
      for (const i of this.sampler) yield convert(datasetItem(this.dataset, i));
      return;
    }
    const rows = (this.collate_fn as unknown) === default_collate ? tensorRows(this.dataset) : null;
    for (const indices of this.batch_sampler) {
      yield rows
        ? (rows.batch(indices) as unknown as B)
        : this.collate_fn(indices.map((i) => datasetItem(this.dataset, i)));
    }
  }
}

function checkOptions<T, B>(o: Resolved<T, B>): void {
  if (!Number.isInteger(o.num_workers) || o.num_workers < 0) {
    throw new RangeError(
      "num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.",
    );
  }
  if (o.sampler && o.shuffle) {
    throw new RangeError("sampler option is mutually exclusive with shuffle");
  }
  if (o.batch_sampler && (o.batch_size !== 1 || o.shuffle || o.sampler || o.drop_last)) {
    throw new RangeError(
      "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last",
    );
  }
  if (o.batch_size === null && o.drop_last) {
    throw new RangeError(
      "batch_size=None option disables auto-batching and is mutually exclusive with drop_last",
    );
  }
}

/** Whole batches of a TensorDataset's rows, picked by one `index_select` per tensor. */
interface TensorRows {
  batch(indices: readonly number[]): Tensor[];
}

/**
 * The fast path: a TensorDataset, or Subsets of one, whose `__getitem__` is the stock one
 * (a subclass that changes it, e.g. to augment samples, goes through `__getitem__` per sample).
 */
function tensorRows(dataset: unknown): TensorRows | null {
  const source = rowSource(dataset);
  if (!source) return null;
  const { tensors, rows } = source;
  return {
    batch(indices) {
      const picked = Int32Array.from(indices, (i) => rows(i));
      const byDevice = new Map<string, Tensor>();
      return tensors.map((t) => {
        let index = byDevice.get(t.device);
        if (!index) {
          index = fromTypedArray(picked, [picked.length], "int64", t.device);
          byDevice.set(t.device, index);
        }
        return t.index_select(0, index);
      });
    },
  };
}

/** The tensors behind `dataset` and the map from its indices to their rows. */
function rowSource(
  dataset: unknown,
): { tensors: Tensor[]; rows: (index: number) => number } | null {
  if (dataset instanceof TensorDataset) {
    if (dataset.__getitem__ !== TensorDataset.prototype.__getitem__) return null;
    const length = dataset.__len__();
    return {
      tensors: dataset.tensors,
      rows: (i) => {
        if (!Number.isInteger(i) || i < -length || i >= length) {
          throw new RangeError(`index ${i} is out of bounds for dimension 0 with size ${length}`);
        }
        return i < 0 ? i + length : i;
      },
    };
  }
  if (dataset instanceof Subset) {
    if (dataset.__getitem__ !== Subset.prototype.__getitem__) return null;
    const inner = rowSource(dataset.dataset);
    if (!inner) return null;
    const indices = dataset.indices;
    return {
      tensors: inner.tensors,
      rows: (i) => {
        const j = i < 0 ? i + indices.length : i;
        if (!Number.isInteger(j) || j < 0 || j >= indices.length) {
          throw new RangeError("list index out of range");
        }
        return inner.rows(indices[j]);
      },
    };
  }
  return null;
}
