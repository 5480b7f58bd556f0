import type { CompiledCell } from "../compile.js";

/**
 * Turns a compiled cell into a function the runtime can call, and maps error stacks back to the
 * cell's lines. Each run gets fresh timer functions (see `RunGlobals`) that stop firing when the
 * run is aborted, so they shadow the browser's for the cell's code.
 */

/** The browser timers a run replaces, so that a loop awaiting them stops when the run is aborted. */
export interface RunGlobals {
  readonly requestAnimationFrame: (callback: FrameRequestCallback, reject?: unknown) => number;
  readonly setTimeout: (handler: TimerHandler, timeout?: number, ...args: unknown[]) => number;
  readonly setInterval: (handler: TimerHandler, timeout?: number, ...args: unknown[]) => number;
}

export type CellFunction = (...inputs: unknown[]) => unknown;

/** Makes a cell's function for one run, closed over that run's timers. */
export type CellFactory = (globals: RunGlobals) => CellFunction;

const SHADOWED = ["requestAnimationFrame", "setTimeout", "setInterval"] as const;

/** Lines of the factory body before the compiled cell body starts. */
const PRELUDE = `"use strict";\nconst {${SHADOWED.join(", ")}} = globals;\nreturn (`;
const PRELUDE_LINES = 2;

export function sourceUrl(cellId: string): string {
  return `gradbook-cell/${encodeURIComponent(cellId)}.js`;
}

export function cellFactory(cellId: string, cell: CompiledCell): CellFactory {
  const text = `${PRELUDE}${cell.body}\n);\n//# sourceURL=${sourceUrl(cellId)}`;
  return new Function("globals", text) as CellFactory;
}

/** Lines of the compiled body before the cell's own first line (see compile.ts). */
function bodyHeadLines(cell: CompiledCell): number {
  return cell.expression ? 2 : 1;
}

/**
 * Where `new Function` code starts in stack traces: engines put a header of their own before
 * the body, so measure it once with a probe rather than assume one engine's layout.
 */
let headerLines: number | undefined;
function functionHeaderLines(): number {
  if (headerLines !== undefined) return headerLines;
  const url = sourceUrl("__probe__");
  try {
    new Function(`throw new Error("probe");\n//# sourceURL=${url}`)();
  } catch (error) {
    const line = frameIn(error, url)?.line;
    headerLines = line === undefined ? 2 : line - 1;
  }
  return headerLines ?? 2;
}

interface Frame {
  readonly line: number;
  readonly column: number;
}

/** The first stack frame in code from `url` (the place in the cell that threw or called). */
function frameIn(error: unknown, url: string): Frame | undefined {
  const stack = error instanceof Error ? error.stack : undefined;
  if (!stack) return undefined;
  const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(stack);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

/** The 1-based line and column in the cell where `error` was thrown, if it came from the cell. */
export function locateError(error: unknown, cellId: string, cell: CompiledCell): Frame | undefined {
  const frame = frameIn(error, sourceUrl(cellId));
  if (!frame) return undefined;
  const line = frame.line - functionHeaderLines() - PRELUDE_LINES - bodyHeadLines(cell);
  return line >= 1 ? { line, column: frame.column } : undefined;
}
