/**
 * Bundled for Chromium by harness.ts: a lesson session in #root, and a harness that keeps the
 * status events and progress reports so the tests can read them.
 */
import type { CellStatusEvent } from "@gradbook/notebook/browser";
import { LessonSession } from "../../src/browser.js";
import { type LessonProgress, prepareLesson, withSolutions } from "../../src/index.js";
import type { Harness } from "./harness-types.js";

let session: LessonSession | null = null;
const latest = new Map<string, CellStatusEvent>();
let progress: LessonProgress | null = null;
let reports = 0;
const solutionsShown: string[] = [];
const submissions: { exercise: string; values: Record<string, unknown> }[] = [];

/** Stands in for the app's server: `doubled` must be [2, 4, 6]. */
async function grade(exercise: string, values: Readonly<Record<string, unknown>>) {
  const read: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    read[name] = await (value as { tolist(): Promise<unknown> }).tolist();
  }
  submissions.push({ exercise, values: read });
  return JSON.stringify(read.doubled) === "[2,4,6]"
    ? { status: "passed" as const, message: "Correct (server)" }
    : { status: "failed" as const, message: "`doubled` is wrong (server)" };
}

function current(): LessonSession {
  if (!session) throw new Error("start() a lesson first");
  return session;
}

function root(): HTMLElement {
  const element = document.getElementById("root");
  if (!element) throw new Error("the page has no #root");
  return element;
}

const harness: Harness = {
  start(markdown, options = {}) {
    session?.dispose();
    latest.clear();
    progress = null;
    reports = 0;
    solutionsShown.length = 0;
    submissions.length = 0;
    const lesson = prepareLesson(options.solutions ? withSolutions(markdown) : markdown);
    session = new LessonSession(root(), lesson, {
      onStatus: (event) => latest.set(event.id, event),
      onProgress: (report) => {
        progress = report;
        reports++;
      },
      onSolutionShown: (exercise) => solutionsShown.push(exercise.name),
      saved: options.saved,
      submit: options.grader ? grade : undefined,
    });
  },
  session: current,
  progress: () => progress,
  reports: () => reports,
  solutionsShown: () => [...solutionsShown],
  submissions: () => [...submissions],
  status: (id) => current().runtime.status(id),
  failures: () =>
    [...latest.values()].filter((event) => event.status === "error" || event.status === "blocked"),
  text: (id) => current().runtime.cellElement(id).textContent ?? "",
  idle: () => current().runtime.idle(),
};

window.harness = harness;
