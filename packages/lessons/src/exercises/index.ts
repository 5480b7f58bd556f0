export {
  type CheckFunction,
  type CheckOutcome,
  type CheckStatus,
  PASSED_MESSAGE,
  runCheck,
} from "./check-run.js";
export { type CheckOptions, compare, type Predicate } from "./compare.js";
export {
  CHECK,
  CHECK_BUILTIN,
  checkCellSource,
  EXERCISE,
  type Exercise,
  GRADED,
  LessonFormatError,
  type PreparedLesson,
  prepareLesson,
  type RuntimeCell,
  SOLUTION,
  SUBMIT_BUILTIN,
  splitHints,
  submitCellId,
  submitCellSource,
  withSolutions,
} from "./lesson-format.js";
export {
  type ExerciseProgress,
  type ExerciseStatus,
  type LessonProgress,
  lessonProgress,
  type SavedExercise,
} from "./progress.js";
export { isNotAttempted, NotAttempted, todo } from "./todo.js";
