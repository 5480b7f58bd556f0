/**
 * Bundled for Chromium by harness.ts: the runtime, and a page-side harness that records status
 * events so the tests can count runs and wait for states.
 */
import * as torch from "@gradbook/engine";
import { type CellStatusEvent, inspect, NotebookRuntime, viz } from "../../src/browser.js";
import type { Harness } from "./harness-types.js";

let runtime: NotebookRuntime | null = null;
const events: CellStatusEvent[] = [];
const runs: Record<string, number> = {};

function root(): HTMLElement {
  const element = document.getElementById("root");
  if (!element) throw new Error("the page has no #root");
  return element;
}

function current(): NotebookRuntime {
  if (!runtime) throw new Error("start() a notebook first");
  return runtime;
}

function cell(id: string): HTMLElement {
  const element = root().querySelector<HTMLElement>(`[data-cell-id="${id}"]`);
  if (!element) throw new Error(`no cell ${id} in the page`);
  return element;
}

const harness: Harness = {
  start(source) {
    runtime?.dispose();
    events.length = 0;
    for (const id of Object.keys(runs)) delete runs[id];
    runtime = new NotebookRuntime(root(), source, {
      onStatus(event) {
        events.push(event);
        if (event.status === "running") runs[event.id] = (runs[event.id] ?? 0) + 1;
      },
    });
    return runtime.loadError?.message ?? null;
  },
  runtime: current,
  events,
  runs,
  status: (id) => current().status(id),
  lastEvent: (id) => events.filter((event) => event.id === id).at(-1),
  text: (id) => cell(id).textContent ?? "",
  cell,
  idle: () => current().idle(),
  torch,
  viz,
  inspect,
};

window.harness = harness;
