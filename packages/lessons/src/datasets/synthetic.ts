import * as torch from "@gradbook/engine";
import { LabeledDataset } from "./labeled-dataset.js";
import { SeededRandom } from "./random.js";

/**
 * Generated datasets for experiments, made at once (no await) and the same for the same seed.
 * `n` is the number of points in all.
 */

export interface SpiralsOptions {
  /** Points in all, shared evenly by the classes (default 300). */
  readonly n?: number;
  /** Arms of the spiral, one class each (default 3). */
  readonly classes?: number;
  /** Standard deviation of the jitter added to each point's angle (default 0.2). */
  readonly noise?: number;
  readonly seed?: number;
}

export interface CirclesOptions {
  /** Points in all, half on each circle (default 200). */
  readonly n?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0.05). */
  readonly noise?: number;
  /** Radius of the inner circle (class 1); the outer one (class 0) has radius 1 (default 0.5). */
  readonly factor?: number;
  readonly seed?: number;
}

export interface LineOptions {
  /** Points (default 100). */
  readonly n?: number;
  readonly slope?: number;
  readonly intercept?: number;
  /** Standard deviation of the Gaussian noise added to y (default 0.5). */
  readonly noise?: number;
  /** x is drawn uniformly from [low, high] (default [-3, 3]). */
  readonly range?: readonly [number, number];
  readonly seed?: number;
}

function count(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer of at least ${min}, got ${value}`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0)) throw new RangeError(`${name} must be 0 or more, got ${value}`);
  return value;
}

/** Points per class, with the remainder handed to the first classes. */
function split(n: number, classes: number): number[] {
  return Array.from(
    { length: classes },
    (_, c) => Math.floor(n / classes) + (c < n % classes ? 1 : 0),
  );
}

function classification(points: number[], labels: number[], classes: number): LabeledDataset {
  const n = labels.length;
  return new LabeledDataset(
    torch.tensor(Float32Array.from(points)).reshape(n, 2),
    torch.tensor(Int32Array.from(labels)),
    { classes: Array.from({ length: classes }, (_, c) => `class ${c}`), feature_names: ["x", "y"] },
  );
}

/**
 * Interleaved spiral arms, one class per arm (as in Stanford's CS231n notes): a linear model
 * can't separate them, a small MLP can.
 */
export function spirals(options: SpiralsOptions = {}): LabeledDataset {
  const n = count("n", options.n ?? 300, 2);
  const classes = count("classes", options.classes ?? 3, 2);
  const noise = nonNegative("noise", options.noise ?? 0.2);
  const random = new SeededRandom(options.seed ?? 0);
  const points: number[] = [];
  const labels: number[] = [];
  split(n, classes).forEach((size, c) => {
    for (let i = 0; i < size; i++) {
      const along = size > 1 ? i / (size - 1) : 0;
      const angle = ((c + along) * 4 * 3) / classes + random.normal() * noise;
      points.push(along * Math.sin(angle), along * Math.cos(angle));
      labels.push(c);
    }
  });
  return classification(points, labels, classes);
}

/** Two concentric circles (as scikit-learn's make_circles): class 0 outside, class 1 inside. */
export function circles(options: CirclesOptions = {}): LabeledDataset {
  const n = count("n", options.n ?? 200, 2);
  const noise = nonNegative("noise", options.noise ?? 0.05);
  const factor = options.factor ?? 0.5;
  if (!(factor > 0 && factor < 1)) throw new RangeError(`factor must be in (0, 1), got ${factor}`);
  const random = new SeededRandom(options.seed ?? 0);
  const points: number[] = [];
  const labels: number[] = [];
  split(n, 2).forEach((size, c) => {
    const radius = c === 0 ? 1 : factor;
    for (let i = 0; i < size; i++) {
      const angle = (2 * Math.PI * i) / size;
      points.push(
        radius * Math.cos(angle) + random.normal() * noise,
        radius * Math.sin(angle) + random.normal() * noise,
      );
      labels.push(c);
    }
  });
  return classification(points, labels, 2);
}

/** Points near the line y = slope x + intercept, for regression: targets are float32 `[n, 1]`. */
export function line(options: LineOptions = {}): LabeledDataset {
  const n = count("n", options.n ?? 100, 1);
  const slope = options.slope ?? 2;
  const intercept = options.intercept ?? 1;
  const noise = nonNegative("noise", options.noise ?? 0.5);
  const [low, high] = options.range ?? [-3, 3];
  if (!(high > low)) throw new RangeError(`range must be [low, high] with low < high`);
  const random = new SeededRandom(options.seed ?? 0);
  const xs = Float32Array.from({ length: n }, () => low + (high - low) * random.uniform());
  const ys = xs.map((x) => slope * x + intercept + random.normal() * noise);
  return new LabeledDataset(torch.tensor(xs).reshape(n, 1), torch.tensor(ys).reshape(n, 1), {
    feature_names: ["x"],
  });
}
