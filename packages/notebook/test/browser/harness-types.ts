import type * as torch from "@gradbook/engine";
import type {
  CellStatus,
  CellStatusEvent,
  inspect,
  NotebookRuntime,
  viz,
} from "../../src/browser.js";

/** What the test page exposes as `window.harness` (see entry.ts). */
export interface Harness {
  /** Runs a notebook (Markdown text) in #root; returns the load error's message, if any. */
  start(source: string): string | null;
  runtime(): NotebookRuntime;
  readonly events: readonly CellStatusEvent[];
  /** How many times each cell's code has started. */
  readonly runs: Readonly<Record<string, number>>;
  status(id: string): CellStatus | undefined;
  lastEvent(id: string): CellStatusEvent | undefined;
  /** A cell's text content in the page. */
  text(id: string): string;
  cell(id: string): HTMLElement;
  idle(): Promise<void>;
  readonly torch: typeof torch;
  readonly viz: typeof viz;
  readonly inspect: typeof inspect;
}

declare global {
  interface Window {
    harness: Harness;
  }
}
