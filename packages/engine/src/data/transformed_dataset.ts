import type { PyArgs } from "../args.js";
import { parseArgs } from "../args.js";
import { Dataset, type DatasetLike, datasetItem, datasetLength } from "./dataset.js";

type TransformFn = (x: never) => unknown;

interface TransformOptions {
  transform: TransformFn | null;
  target_transform: TransformFn | null;
}

/**
 * A dataset whose samples pass through transforms on the way out, as torchvision datasets'
 * `transform` / `target_transform` options: `transform` gets the input (element 0 of an
 * `[x, y]` sample, or the whole sample otherwise), `target_transform` the target (element 1).
 * `new TransformedDataset(train, { transform: new transforms.Normalize([0.5], [0.5]) })`.
 */
export class TransformedDataset<T> extends Dataset<T> {
  readonly dataset: DatasetLike<T>;
  readonly transform: TransformFn | null;
  readonly target_transform: TransformFn | null;

  constructor(
    dataset: DatasetLike<T>,
    ...args: PyArgs<
      [transform: TransformFn | null, target_transform: TransformFn | null],
      Partial<TransformOptions>
    >
  ) {
    super();
    const o = parseArgs<TransformOptions>(
      "TransformedDataset",
      args,
      ["transform", "target_transform"],
      { transform: null, target_transform: null },
    );
    this.dataset = dataset;
    this.transform = o.transform;
    this.target_transform = o.target_transform;
  }

  __getitem__(index: number): T {
    const sample = datasetItem(this.dataset, index);
    const apply = (fn: TransformFn | null, v: unknown) =>
      fn ? (fn as (x: unknown) => unknown)(v) : v;
    if (!Array.isArray(sample)) return apply(this.transform, sample) as T;
    const out = [...sample];
    if (out.length > 0) out[0] = apply(this.transform, out[0]);
    if (out.length > 1) out[1] = apply(this.target_transform, out[1]);
    return out as T;
  }

  __len__(): number {
    return datasetLength(this.dataset);
  }
}
