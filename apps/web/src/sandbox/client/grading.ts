import type { CheckOutcome, LessonProgress } from "@gradbook/lessons";
import { LessonSession, type LessonSessionOptions } from "@gradbook/lessons/browser";
import type { Notebook } from "@gradbook/notebook";
import { type Answer, serializeAnswer } from "../../lib/answer-values";
import { gradedNotebook } from "../../lib/graded-lesson";
import type { DeviceChoice, SandboxCell, SavedExerciseMessage, ShellToSandbox } from "../protocol";
import type { ShellChannel } from "./shell-channel";

/** How long a graded answer waits for the server's verdict. */
const VERDICT_WITHIN_MS = 60_000;
/** A reference run that has not settled by then reports what is still missing. */
const REFERENCE_WITHIN_MS = 180_000;
/** The reference run is done once every exercise has a verdict and nothing changed for this long. */
const SETTLE_MS = 400;

type Settle = (outcome: CheckOutcome) => void;

/**
 * The sandbox's end of graded work and saved progress: the lesson session's progress goes to the
 * shell (which saves it for the viewer's own notebooks), a graded exercise's values go to the
 * shell to be checked on the server, and `collectExpectations` runs a lesson's reference
 * solutions to compute the expected answers an instructor publishes.
 */
export class Grading {
  private readonly pending = new Map<string, Settle>();
  private saved: readonly SavedExerciseMessage[] = [];
  private requests = 0;

  constructor(
    private readonly channel: ShellChannel,
    private readonly engine: {
      start(device: DeviceChoice): Promise<string>;
      readonly builtins: Readonly<Record<string, unknown>>;
    },
  ) {}

  /** Takes the shell's messages about grading; false for any other (a `load` is shared). */
  handle(message: ShellToSandbox): boolean {
    switch (message.type) {
      case "load":
        this.saved = message.saved ?? [];
        // A new notebook: answers still waiting belong to the old one.
        for (const settle of this.pending.values()) settle({ status: "failed", message: "" });
        this.pending.clear();
        return false;
      case "answerVerdict":
        this.pending.get(message.requestId)?.({ status: message.status, message: message.message });
        this.pending.delete(message.requestId);
        return true;
      case "collectExpectations":
        void this.collect(message.requestId, message.cells, message.device);
        return true;
      default:
        return false;
    }
  }

  /** What a running notebook's lesson session needs from here. */
  sessionOptions(): Pick<LessonSessionOptions, "saved" | "onProgress" | "submit"> {
    return {
      saved: this.saved.map((entry) => ({ ...entry })),
      onProgress: (progress) => this.channel.post(progressMessage(progress)),
      submit: (exercise, values) => this.submit(exercise, values),
    };
  }

  private async submit(
    exercise: string,
    values: Readonly<Record<string, unknown>>,
  ): Promise<CheckOutcome> {
    let answer: Answer;
    try {
      answer = await serializeAnswer(values);
    } catch (error) {
      return { status: "failed", message: messageOf(error) };
    }
    const requestId = `answer-${++this.requests}-${Math.random().toString(36).slice(2)}`;
    return new Promise<CheckOutcome>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        resolve({ status: "failed", message: "The server did not answer: run the cell again." });
      }, VERDICT_WITHIN_MS);
      this.pending.set(requestId, (outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      });
      this.channel.post({ type: "submitAnswer", requestId, exercise, values: answer });
    });
  }

  /** Runs the lesson with its solutions, every exercise graded, and collects their values. */
  private async collect(requestId: string, cells: readonly SandboxCell[], device: DeviceChoice) {
    const answers: Record<string, Answer> = {};
    const problems = new Map<string, string>();
    const reply = () =>
      this.channel.post({
        type: "expectations",
        requestId,
        answers,
        problems: [...problems].map(([exercise, message]) => ({ exercise, message })),
      });
    let notebook: Notebook;
    try {
      await this.engine.start(device);
      notebook = gradedNotebook(
        { frontMatter: {}, cells: cells.map((cell) => ({ ...cell })), warnings: [] },
        { solutions: true },
      );
    } catch (error) {
      problems.set("(lesson)", messageOf(error));
      reply();
      return;
    }
    const root = document.createElement("div");
    root.className = "reference-run";
    document.body.append(root);
    let progress: LessonProgress | null = null;
    let changed = performance.now();
    const session = new LessonSession(root, notebook, {
      feedback: false,
      builtins: this.engine.builtins,
      onProgress: (next) => {
        progress = next;
        changed = performance.now();
      },
      submit: async (exercise, values) => {
        try {
          answers[exercise] = await serializeAnswer(values);
          problems.delete(exercise);
          return { status: "passed", message: "Reference answer recorded." };
        } catch (error) {
          delete answers[exercise];
          problems.set(exercise, messageOf(error));
          return { status: "failed", message: messageOf(error) };
        }
      },
    });
    const started = performance.now();
    const settled = () => {
      const current = progress as LessonProgress | null;
      return (
        current?.exercises.every((e) => e.status !== "checking") === true &&
        performance.now() - changed > SETTLE_MS
      );
    };
    while (!settled() && performance.now() - started < REFERENCE_WITHIN_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const final = progress as LessonProgress | null;
    for (const exercise of final?.exercises ?? []) {
      if (exercise.name in answers || problems.has(exercise.name)) continue;
      const why =
        exercise.status === "checking"
          ? "its reference solution did not finish within 3 minutes"
          : `its reference solution did not run: ${exercise.message}`;
      problems.set(exercise.name, why);
    }
    session.dispose();
    root.remove();
    reply();
  }
}

function progressMessage(progress: LessonProgress) {
  return {
    type: "progress" as const,
    exercises: progress.exercises.slice(0, 500).map((exercise) => ({
      name: exercise.name.slice(0, 200),
      status: exercise.status,
      message: exercise.message.slice(0, 2_000),
      hintsShown: Math.min(exercise.hintsShown, 1_000),
      solutionShown: exercise.solutionShown,
    })),
  };
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2_000);
}
