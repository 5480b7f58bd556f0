import type { Variable } from "@observablehq/runtime";
import { md } from "../builtins/md.js";
import { type CompiledCell, compileCell } from "../compile.js";
import type { CellType } from "../format/types.js";
import { el } from "../inspector/dom.js";
import { type CellFactory, cellFactory } from "./cell-function.js";
import type { CellRun } from "./cell-run.js";
import { CellView } from "./cell-view.js";
import type { CellStatus } from "./status.js";

/** What the runtime needs of a cell: the parsed notebook's cells are such. */
export interface CellSource {
  readonly id: string;
  readonly type: CellType;
  readonly source: string;
}

/** A code cell as the runtime tracks it: its compiled form, its variables and its current run. */
export interface CodeCell {
  readonly type: "code";
  readonly id: string;
  source: string;
  readonly view: CellView;
  compiled: CompiledCell | null;
  factory: CellFactory | null;
  /** Why the cell can't be compiled. */
  failure: Error | null;
  /** The names the cell defines; kept through a syntax error so readers show as blocked. */
  outputs: readonly string[];
  variable: Variable | null;
  readonly outputVariables: Map<string, Variable>;
  /** What the variable is defined from; a cell is redefined (and re-run) when this changes. */
  definedAs: string | null;
  status: CellStatus;
  run: CellRun | null;
  /** Whether the cell's code started since it was scheduled (if not, a failure is upstream's). */
  started: boolean;
  deleted: boolean;
}

export interface MarkdownCell {
  readonly type: "markdown";
  readonly id: string;
  source: string;
  readonly element: HTMLElement;
}

export type LiveCell = CodeCell | MarkdownCell;

export function createCell(cell: CellSource): LiveCell {
  if (cell.type === "markdown") {
    const element = el("section", "gb-cell gb-markdown-cell", renderMarkdown(cell.source));
    element.dataset.cellId = cell.id;
    return { type: "markdown", id: cell.id, source: cell.source, element };
  }
  const live: CodeCell = {
    type: "code",
    id: cell.id,
    source: cell.source,
    view: new CellView(cell.id),
    compiled: null,
    factory: null,
    failure: null,
    outputs: [],
    variable: null,
    outputVariables: new Map(),
    definedAs: null,
    status: "pending",
    run: null,
    started: false,
    deleted: false,
  };
  compileInto(live, cell.source);
  return live;
}

/** Compiles `source` into the cell; a syntax error becomes the cell's `failure`. */
export function compileInto(cell: CodeCell, source: string): void {
  cell.source = source;
  try {
    const compiled = compileCell(source);
    cell.factory = cellFactory(cell.id, compiled);
    cell.compiled = compiled;
    cell.outputs = compiled.outputs;
    cell.failure = null;
  } catch (error) {
    cell.compiled = null;
    cell.factory = null;
    cell.failure = error instanceof Error ? error : new Error(String(error));
  }
}

export function updateMarkdown(cell: MarkdownCell, source: string): void {
  cell.source = source;
  cell.element.replaceChildren(renderMarkdown(source));
}

export function elementOf(cell: LiveCell): HTMLElement {
  return cell.type === "code" ? cell.view.element : cell.element;
}

function renderMarkdown(source: string): Node {
  try {
    return md(source);
  } catch (error) {
    return el("div", "gb-error", `This Markdown could not be rendered: ${String(error)}`);
  }
}
