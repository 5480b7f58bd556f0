import { type PyArgs, parseArgs } from "../args.js";
import { default_generator, type Generator, randpermData } from "../random.js";
import { type DatasetLike, datasetLength, Subset } from "./dataset.js";

/**
 * Split a dataset into non-overlapping random subsets: `random_split(ds, [0.8, 0.2])` or
 * `random_split(ds, [120, 30], { generator })`. Fractions are floored, then the remainder is
 * handed out one by one from the first split, as PyTorch does.
 */
export function random_split<T>(
  dataset: DatasetLike<T>,
  lengths: readonly number[],
  ...args: PyArgs<[generator: Generator], { generator?: Generator }>
): Subset<T>[] {
  const { generator } = parseArgs("random_split", args, ["generator"], {
    generator: default_generator,
  });
  const n = datasetLength(dataset);
  const counts = isFractions(lengths) ? countsFromFractions(lengths, n) : [...lengths];
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== n || counts.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new RangeError("Sum of input lengths does not equal the length of the input dataset!");
  }
  const perm = randpermData(total, generator);
  let offset = 0;
  return counts.map((count) => {
    const indices = perm.subarray(offset, offset + count);
    offset += count;
    return new Subset(dataset, indices);
  });
}

/** PyTorch treats lengths as fractions when they sum to 1 (within float rounding). */
function isFractions(lengths: readonly number[]): boolean {
  const sum = lengths.reduce((a, b) => a + b, 0);
  return Math.abs(sum - 1) <= 1e-9 * Math.max(1, Math.abs(sum)) && sum <= 1;
}

function countsFromFractions(fractions: readonly number[], n: number): number[] {
  const counts = fractions.map((frac, i) => {
    if (frac < 0 || frac > 1) throw new RangeError(`Fraction at index ${i} is not between 0 and 1`);
    return Math.floor(n * frac);
  });
  const remainder = n - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; i < remainder; i++) counts[i % counts.length] += 1;
  counts.forEach((c, i) => {
    if (c === 0) {
      console.warn(`Length of split at index ${i} is 0. This might result in an empty dataset.`);
    }
  });
  return counts;
}
