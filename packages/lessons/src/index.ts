/**
 * `@gradbook/lessons`: the course. The catalogue (`lessons()`, `lesson(slug)`), the datasets
 * (`datasets.digits()`, ...), and exercises in the notebook format (`prepareLesson`, `check`
 * comparisons, progress). Works in Node and the browser; the live session that runs a lesson
 * in a page is in `@gradbook/lessons/browser`.
 */

export { lesson, lessons, lessonTemplate } from "./catalogue.js";
export type { LessonInfo } from "./catalogue-types.js";
export {
  type CirclesOptions,
  datasets,
  LabeledDataset,
  type LineOptions,
  type SpiralsOptions,
} from "./datasets/index.js";
export * from "./exercises/index.js";
