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
    const lesson = prepareLesson(options.solutions ? withSolutions(markdown) : markdown);
    session = new LessonSession(root(), lesson, {
      onStatus: (event) => latest.set(event.id, event),
      onProgress: (report) => {
        progress = report;
        reports++;
      },
      onSolutionShown: (exercise) => solutionsShown.push(exercise.name),
      saved: options.saved,
    });
  },
  session: current,
  progress: () => progress,
  reports: () => reports,
  solutionsShown: () => [...solutionsShown],
  status: (id) => current().runtime.status(id),
  failures: () =>
    [...latest.values()].filter((event) => event.status === "error" || event.status === "blocked"),
  text: (id) => current().runtime.cellElement(id).textContent ?? "",
  idle: () => current().runtime.idle(),
};

window.harness = harness;
