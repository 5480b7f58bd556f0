/** `torch.utils.data` datasets: an indexable collection of samples with a length. */

import { Tensor } from "../tensor.js";

/**
 * A map-style dataset. Subclass it and implement `__len__()` and `__getitem__(index)`, as in
 * PyTorch; `dataset.length` and `for (const sample of dataset)` then work too.
 */
export abstract class Dataset<T = unknown> implements Iterable<T> {
  abstract __len__(): number;
  abstract __getitem__(index: number): T;

  get length(): number {
    return this.__len__();
  }

  *[Symbol.iterator](): Iterator<T> {
    const n = this.__len__();
    for (let i = 0; i < n; i++) yield this.__getitem__(i);
  }
}

/** Anything a DataLoader or `random_split` accepts: a Dataset, a look-alike, or an array of samples. */
export type DatasetLike<T> =
  | Dataset<T>
  | { __len__(): number; __getitem__(index: number): T }
  | readonly T[];

export function datasetLength<T>(dataset: DatasetLike<T>): number {
  return isArray(dataset) ? dataset.length : dataset.__len__();
}

export function datasetItem<T>(dataset: DatasetLike<T>, index: number): T {
  if (!isArray(dataset)) return dataset.__getitem__(index);
  return dataset[pythonIndex(index, dataset.length)];
}

function isArray<T>(dataset: DatasetLike<T>): dataset is readonly T[] {
  return Array.isArray(dataset);
}

/** A list index as Python reads it: negative counts from the end; out of range is an error. */
export function pythonIndex(index: number, length: number): number {
  const i = index < 0 ? index + length : index;
  if (!Number.isInteger(i) || i < 0 || i >= length) throw new RangeError("list index out of range");
  return i;
}

/**
 * Samples are rows of tensors that share their first dim: `new TensorDataset(X, y)` gives
 * `[X[i], y[i]]` at index i.
 */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) throw new TypeError("TensorDataset needs at least one tensor");
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) {
        throw new TypeError(`TensorDataset: argument ${i} is not a Tensor`);
      }
      if (t.ndim === 0)
        throw new RangeError("Dimension specified as 0 but tensor has no dimensions");
    });
    if (tensors.some((t) => t.shape[0] !== tensors[0].shape[0])) {
      throw new RangeError("Size mismatch between tensors");
    }
    this.tensors = tensors;
  }

  __getitem__(index: number): Tensor[] {
    return this.tensors.map((t) => t.index(index));
  }

  __len__(): number {
    return this.tensors[0].shape[0];
  }
}

/** The samples of `dataset` at `indices`, in that order (what `random_split` returns). */
export class Subset<T> extends Dataset<T> {
  readonly dataset: DatasetLike<T>;
  readonly indices: readonly number[];

  constructor(dataset: DatasetLike<T>, indices: Iterable<number>) {
    super();
    this.dataset = dataset;
    this.indices = Array.from(indices);
  }

  __getitem__(index: number): T {
    return datasetItem(this.dataset, this.indices[pythonIndex(index, this.indices.length)]);
  }

  __len__(): number {
    return this.indices.length;
  }
}
