import type { Notebook } from "@gradbook/notebook";
import { type CellStatusEvent, isInterrupted, NotebookRuntime } from "@gradbook/notebook/browser";
import { type CheckFunction, type CheckOutcome, runCheck } from "../exercises/check-run.js";
import { type Exercise, type PreparedLesson, prepareLesson } from "../exercises/lesson-format.js";
import { type LessonProgress, lessonProgress, type SavedExercise } from "../exercises/progress.js";
import { lessonBuiltins } from "./builtins.js";
import { ExerciseState } from "./exercise-state.js";
import { FeedbackView } from "./feedback.js";

export interface LessonSessionOptions {
  /** Every cell's status, as `NotebookRuntime` reports it. */
  readonly onStatus?: (event: CellStatusEvent) => void;
  /** The lesson's progress, whenever it changes: for the app to show and save. */
  readonly onProgress?: (progress: LessonProgress) => void;
  /** "Show solution" put the solution in an exercise cell: the app's editor should show it. */
  readonly onSolutionShown?: (exercise: Exercise) => void;
  /** What the app saved earlier: hints already revealed and solutions already shown. */
  readonly saved?: readonly SavedExercise[];
  /** Show status, hints and "Show solution" under each exercise cell (default true). */
  readonly feedback?: boolean;
  /** More builtins for the cells. */
  readonly builtins?: Readonly<Record<string, unknown>>;
  /**
   * Checks a graded exercise (`exercise=name graded`) elsewhere, typically on the app's server:
   * gets the values of the names its cell defines whenever they change, and gives the verdict.
   */
  readonly submit?: (
    exercise: string,
    values: Readonly<Record<string, unknown>>,
  ) => Promise<CheckOutcome>;
}

const NO_GRADER: CheckOutcome = {
  status: "failed",
  message: "This exercise is graded on the server, which this page does not reach.",
};

/**
 * A lesson running in the page: its notebook runtime, with the course's builtins (`datasets`,
 * `todo`, `check`, `hint`), each exercise checked whenever its cell changes, and the lesson's
 * progress reported through `onProgress`.
 */
export class LessonSession {
  readonly lesson: PreparedLesson;
  readonly runtime: NotebookRuntime;
  private readonly states = new Map<string, ExerciseState>();
  private readonly cellRoles = new Map<string, { state: ExerciseState; role: "cell" | "check" }>();
  private readonly views = new Map<string, FeedbackView>();
  private reported = "";

  constructor(
    root: HTMLElement,
    lesson: string | Notebook | PreparedLesson,
    private readonly options: LessonSessionOptions = {},
  ) {
    this.lesson = isPrepared(lesson) ? lesson : prepareLesson(lesson);
    for (const exercise of this.lesson.exercises) {
      const state = new ExerciseState(exercise);
      const saved = options.saved?.find((entry) => entry.name === exercise.name);
      state.hintsShown = Math.min(saved?.hintsShown ?? 0, exercise.hints.length);
      state.solutionShown = saved?.solutionShown ?? false;
      this.states.set(exercise.name, state);
      this.cellRoles.set(exercise.cellId, { state, role: "cell" });
      this.cellRoles.set(exercise.checkCellId, { state, role: "check" });
    }
    this.runtime = new NotebookRuntime(root, this.lesson.cells, {
      onStatus: (event) => {
        options.onStatus?.(event);
        this.onCellStatus(event);
      },
      builtins: { ...lessonBuiltins(this), ...options.builtins },
    });
    this.decorate();
    this.report();
  }

  get exercises(): readonly Exercise[] {
    return this.lesson.exercises;
  }

  progress(): LessonProgress {
    return lessonProgress([...this.states.values()].map((state) => state.progress()));
  }

  /**
   * Reveals the next hint of exercise `name` (default: the first exercise not passed yet) and
   * returns it, or null when there is none left.
   */
  hint(name?: string): { exercise: Exercise; hint: string; index: number } | null {
    const state = name === undefined ? this.firstUnpassed() : this.state(name);
    if (!state || state.hintsShown >= state.exercise.hints.length) return null;
    const index = state.hintsShown++;
    this.report();
    return { exercise: state.exercise, hint: state.exercise.hints[index], index };
  }

  /** Puts the reference solution in the exercise cell; the cells after it run with it. */
  showSolution(name: string): void {
    const state = this.state(name);
    if (state.exercise.graded) {
      throw new RangeError(`exercise "${name}" is graded: it has no solution to show`);
    }
    state.solutionShown = true;
    this.runtime.updateCell(state.exercise.cellId, state.exercise.solution);
    this.options.onSolutionShown?.(state.exercise);
    this.report();
  }

  /** Runs a check cell's code for exercise `name` (the prepared check cells call this). */
  async runCheck(name: string, body: (check: CheckFunction) => unknown): Promise<void> {
    const state = this.state(name);
    const run = ++state.runs;
    state.outcome = null;
    const outcome = await runCheck(body, isInterrupted);
    if (run !== state.runs) return;
    state.outcome = outcome;
    this.report();
  }

  /** Sends a graded exercise's values to `options.submit` (its submit cell calls this). */
  async runSubmit(name: string, values: Readonly<Record<string, unknown>>): Promise<void> {
    const state = this.state(name);
    const run = ++state.runs;
    state.outcome = null;
    const submit = this.options.submit;
    const outcome = submit
      ? await submit(name, values).catch(
          (error: unknown): CheckOutcome => ({
            status: "failed",
            message: `Your answer could not be checked: ${error instanceof Error ? error.message : String(error)}`,
          }),
        )
      : NO_GRADER;
    if (run !== state.runs) return;
    state.outcome = outcome;
    this.report();
  }

  dispose(): void {
    this.runtime.dispose();
  }

  private state(name: string): ExerciseState {
    const state = this.states.get(name);
    if (!state) {
      const names = [...this.states.keys()].join(", ") || "none";
      throw new RangeError(`no exercise "${name}" in this lesson (exercises: ${names})`);
    }
    return state;
  }

  private firstUnpassed(): ExerciseState | undefined {
    return [...this.states.values()].find((state) => state.progress().status !== "passed");
  }

  private onCellStatus(event: CellStatusEvent): void {
    const found = this.cellRoles.get(event.id);
    if (!found) return;
    if (found.role === "cell") found.state.cell = event;
    else found.state.check = event;
    this.report();
  }

  private decorate(): void {
    for (const state of this.states.values()) {
      const { exercise } = state;
      this.runtime.cellElement(exercise.checkCellId).hidden = true;
      const element = this.runtime.cellElement(exercise.cellId);
      element.dataset.exercise = exercise.name;
      if (this.options.feedback === false) continue;
      const view = new FeedbackView(exercise.hints, exercise.graded === true, {
        onHint: () => this.hint(exercise.name),
        onSolution: () => this.showSolution(exercise.name),
      });
      element.append(view.element);
      this.views.set(exercise.name, view);
    }
  }

  /** Updates the feedback in the page, and tells the app when the progress changed. */
  private report(): void {
    const progress = this.progress();
    for (const exercise of progress.exercises) {
      this.views.get(exercise.name)?.update(exercise);
      const state = this.states.get(exercise.name);
      if (state && this.runtime) {
        this.runtime.cellElement(state.exercise.cellId).dataset.exerciseStatus = exercise.status;
      }
    }
    const text = JSON.stringify(progress);
    if (text === this.reported) return;
    this.reported = text;
    this.options.onProgress?.(progress);
  }
}

function isPrepared(lesson: string | Notebook | PreparedLesson): lesson is PreparedLesson {
  return typeof lesson === "object" && "exercises" in lesson;
}
