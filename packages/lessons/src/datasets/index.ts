import { digits, iris, wine } from "./real.js";
import { circles, line, spirals } from "./synthetic.js";

export { LabeledDataset } from "./labeled-dataset.js";
export type { CirclesOptions, LineOptions, SpiralsOptions } from "./synthetic.js";

/**
 * The course's datasets, one API: real ones load asynchronously (`await datasets.digits()`),
 * generated ones at once (`datasets.spirals({ n: 300, classes: 3, noise: 0.2 })`). Every one is
 * a TensorDataset of float32 features and int64 labels (float32 targets for `line`).
 */
export const datasets = { iris, wine, digits, spirals, circles, line } as const;
