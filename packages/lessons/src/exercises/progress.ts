/** Where a student is in a lesson's exercises: computed live, reported for the app to save. */

export type ExerciseStatus =
  /** The exercise cell still has its todo(). */
  | "not-attempted"
  /** The cell or its check is running. */
  | "checking"
  | "passed"
  /** The check ran and found a problem (`message` says which). */
  | "failed"
  /** The student's cell throws, or the check could not run. */
  | "error"
  /** A cell above failed, so this one can't run yet. */
  | "blocked";

export interface ExerciseProgress {
  readonly name: string;
  readonly status: ExerciseStatus;
  /** What the check says: "Correct!", the problem it found, or why it could not run. */
  readonly message: string;
  readonly hintsShown: number;
  readonly hintCount: number;
  readonly solutionShown: boolean;
}

export interface LessonProgress {
  readonly total: number;
  readonly passed: number;
  /** Passed without showing the solution. */
  readonly passedUnaided: number;
  /** `passed / total` (1 for a lesson without exercises). */
  readonly fraction: number;
  readonly complete: boolean;
  readonly exercises: readonly ExerciseProgress[];
}

/** What the app stores per exercise to restore a session: hints and solutions already seen. */
export interface SavedExercise {
  readonly name: string;
  readonly hintsShown?: number;
  readonly solutionShown?: boolean;
}

export function lessonProgress(exercises: readonly ExerciseProgress[]): LessonProgress {
  const passed = exercises.filter((exercise) => exercise.status === "passed");
  return {
    total: exercises.length,
    passed: passed.length,
    passedUnaided: passed.filter((exercise) => !exercise.solutionShown).length,
    fraction: exercises.length ? passed.length / exercises.length : 1,
    complete: passed.length === exercises.length,
    exercises: [...exercises],
  };
}
