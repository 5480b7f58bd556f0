import { checkAttrs } from "./attrs.js";
import { frontMatterProblem } from "./front-matter.js";
import { claimId, derivedId } from "./ids.js";
import type { Cell, CellAttrs, CellType, FrontMatter, Notebook } from "./types.js";

/**
 * The editing API. Notebooks are immutable plain data (they cross `postMessage`); each edit
 * returns a new notebook. Cells keep their ids through edits; unedited cells keep their exact
 * text, and edited or new ones are written in canonical form.
 */

export interface CellInit {
  /** Defaults to "code". */
  readonly type?: CellType;
  readonly source?: string;
  /** Code cells only; `id` here sets the cell's id. */
  readonly attrs?: CellAttrs;
}

export type CellPatch = CellInit;

export function createNotebook(
  init: { readonly frontMatter?: FrontMatter; readonly cells?: readonly CellInit[] } = {},
): Notebook {
  const frontMatter = checkedFrontMatter(init.frontMatter ?? {});
  const notebook: Notebook = { frontMatter, cells: [], warnings: [] };
  return (init.cells ?? []).reduce((nb, cell) => insertCell(nb, nb.cells.length, cell), notebook);
}

export function setFrontMatter(notebook: Notebook, frontMatter: FrontMatter): Notebook {
  return { ...notebook, frontMatter: checkedFrontMatter(frontMatter), warnings: [] };
}

/** Inserts a new cell at `index` (0 to the number of cells). */
export function insertCell(notebook: Notebook, index: number, init: CellInit): Notebook {
  checkIndex(index, notebook.cells.length);
  const { type, source, attrs } = checkedContent(
    init.type ?? "code",
    init.source ?? "",
    init.attrs ?? {},
  );
  const taken = new Set(notebook.cells.map((cell) => cell.id));
  const id =
    typeof attrs.id === "string"
      ? claimExplicit(attrs.id, taken)
      : claimId(derivedId(type, source), taken);
  const cells = [...notebook.cells];
  cells.splice(index, 0, { id, type, source, attrs });
  return withCells(notebook, cells);
}

export function deleteCell(notebook: Notebook, id: string): Notebook {
  const index = indexOf(notebook, id);
  return withCells(
    notebook,
    notebook.cells.filter((_, i) => i !== index),
  );
}

/** Moves a cell so that it ends up at `toIndex` (0 to the number of cells - 1). */
export function moveCell(notebook: Notebook, id: string, toIndex: number): Notebook {
  const index = indexOf(notebook, id);
  checkIndex(toIndex, notebook.cells.length - 1);
  const cells = [...notebook.cells];
  const [cell] = cells.splice(index, 1);
  cells.splice(toIndex, 0, cell);
  return withCells(notebook, cells);
}

/** Changes a cell's type, source or attributes. Its id stays unless `attrs.id` gives a new one. */
export function updateCell(notebook: Notebook, id: string, patch: CellPatch): Notebook {
  const index = indexOf(notebook, id);
  const cell = notebook.cells[index];
  const type = patch.type ?? cell.type;
  const attrs = patch.attrs ?? (type === "markdown" ? {} : cell.attrs);
  const content = checkedContent(type, patch.source ?? cell.source, attrs);
  let newId = cell.id;
  if (typeof content.attrs.id === "string" && content.attrs.id !== cell.id) {
    const taken = new Set(notebook.cells.map((other) => other.id));
    newId = claimExplicit(content.attrs.id, taken);
  }
  const cells = [...notebook.cells];
  cells[index] = { ...cell, ...content, id: newId };
  return withCells(notebook, cells);
}

export function cellIndex(notebook: Notebook, id: string): number {
  return notebook.cells.findIndex((cell) => cell.id === id);
}

function indexOf(notebook: Notebook, id: string): number {
  const index = cellIndex(notebook, id);
  if (index < 0) throw new RangeError(`no cell with id "${id}"`);
  return index;
}

function checkIndex(index: number, max: number): void {
  if (!Number.isInteger(index) || index < 0 || index > max) {
    throw new RangeError(`cell index ${index} is out of range 0..${max}`);
  }
}

function claimExplicit(id: string, taken: Set<string>): string {
  if (taken.has(id)) throw new Error(`cell id "${id}" is already used by another cell`);
  taken.add(id);
  return id;
}

function checkedContent(
  type: CellType,
  source: string,
  attrs: CellAttrs,
): { type: CellType; source: string; attrs: CellAttrs } {
  if (type !== "code" && type !== "markdown") throw new TypeError(`unknown cell type "${type}"`);
  if (type === "markdown" && Object.keys(attrs).length > 0) {
    throw new TypeError("markdown cells have no attributes");
  }
  checkAttrs(attrs);
  if (attrs.id === true) throw new TypeError('the "id" attribute needs a value');
  return { type, source: source.replace(/\r\n?/g, "\n"), attrs: { ...attrs } };
}

function checkedFrontMatter(frontMatter: FrontMatter): FrontMatter {
  const problem = frontMatterProblem(frontMatter);
  if (problem) throw new TypeError(problem.message);
  return frontMatter;
}

/**
 * Replaces the cell list. A cell whose predecessor changed loses the blank lines it was written
 * with (they belonged to its old place), and is separated canonically instead.
 */
function withCells(notebook: Notebook, cells: readonly Cell[]): Notebook {
  const predecessor = new Map(
    notebook.cells.map((cell, i) => [cell.id, notebook.cells[i - 1]?.id]),
  );
  const relinked = cells.map((cell, i) => {
    if (cell.layout?.gap === undefined || predecessor.get(cell.id) === cells[i - 1]?.id)
      return cell;
    const { gap: _gap, ...layout } = cell.layout;
    return { ...cell, layout };
  });
  return { ...notebook, cells: relinked, warnings: [] };
}
