import { attrsEqual, formatAttrs } from "./attrs.js";
import { pendingCloser } from "./blocks.js";
import { deepEqual, updateYaml } from "./front-matter.js";
import { splitLines, withEndings } from "./lines.js";
import type { Cell, Notebook } from "./types.js";

/**
 * Writes a notebook as Markdown. Parts that were parsed and not edited are written exactly as
 * they were read; new and edited parts are written in canonical form: front matter, then cells
 * separated by one blank line, ```` ```js ```` fences with attributes, a final line ending.
 *
 * Adjacent markdown cells are written one after the other and so read back as one cell.
 */
export function serializeNotebook(notebook: Notebook): string {
  const layout = notebook.layout;
  const eol = layout?.eol ?? "\n";
  const trailing = layout?.trailing ?? "";
  const frontMatter = frontMatterText(notebook, eol);
  const pieces = [frontMatter];
  notebook.cells.forEach((cell, i) => {
    const last = i === notebook.cells.length - 1;
    pieces.push(cell.layout?.gap ?? canonicalGap(cell, i, frontMatter !== "", eol));
    pieces.push(cellText(cell, eol, last, trailing === ""));
  });
  pieces.push(trailing);
  return (layout?.bom ?? "") + joinPieces(pieces, eol);
}

/** Joins pieces, ending a piece's last line first where it had none (it was last in its file). */
function joinPieces(pieces: readonly string[], eol: string): string {
  let text = "";
  for (const piece of pieces) {
    if (piece === "") continue;
    if (text !== "" && !text.endsWith("\n")) text += eol;
    text += piece;
  }
  return text;
}

function canonicalGap(cell: Cell, index: number, hasFrontMatter: boolean, eol: string): string {
  if (index > 0 || hasFrontMatter) return eol;
  // A blank first line keeps a leading `---` from being read as front matter.
  return /^---[ \t]*(\n|$)/.test(cell.source) ? eol : "";
}

function frontMatterText(notebook: Notebook, eol: string): string {
  const previous = notebook.layout?.frontMatter;
  if (previous && deepEqual(notebook.frontMatter, previous.value)) return previous.text;
  if (Object.keys(notebook.frontMatter).length === 0) return "";
  const yaml = updateYaml(previous, notebook.frontMatter).replace(/\r?\n$/, "");
  const open = previous?.openLine ?? "---";
  const close = previous?.closeLine ?? "---";
  return `${open}${eol}${withEndings(yaml, eol)}${close}${eol}`;
}

function isUnedited(cell: Cell): boolean {
  const layout = cell.layout;
  return (
    layout !== undefined &&
    layout.type === cell.type &&
    layout.source === cell.source &&
    attrsEqual(layout.attrs, cell.attrs)
  );
}

/**
 * A cell's text. A block left open at the end of the file it came from stays open only while
 * nothing follows it; elsewhere it is closed so that it can't swallow the cells after it.
 */
function cellText(cell: Cell, eol: string, last: boolean, nothingAfter: boolean): string {
  const unedited = isUnedited(cell);
  if (cell.type === "markdown") {
    const text = unedited ? cell.layout!.text : withEndings(cell.source, eol);
    const closer = last ? null : pendingCloser(splitLines(cell.source));
    if (closer === null) return text;
    return `${text}${text.endsWith("\n") ? "" : eol}${closer}${eol}`;
  }
  const fence = cell.layout?.fence;
  if (unedited && fence && (fence.closed || (last && nothingAfter))) return cell.layout!.text;
  return codeText(cell, eol);
}

function codeText(cell: Cell, eol: string): string {
  const previous = cell.layout?.fence;
  const attrText = formatAttrs(cell.attrs);
  // A backtick fence's info string can't contain a backtick.
  const char = attrText.includes("`") ? "~" : (previous?.char ?? "`");
  const length = Math.max(3, previous?.length ?? 3, longestFenceRun(cell.source, char) + 1);
  const fence = char.repeat(length);
  const keepOpenLine =
    previous !== undefined &&
    previous.char === char &&
    previous.length === length &&
    attrsEqual(cell.layout!.attrs, cell.attrs);
  const openLine = keepOpenLine
    ? previous.openLine
    : `${fence}${previous?.lang ?? "js"}${attrText}`;
  return `${openLine}${eol}${withEndings(cell.source, eol)}${fence}${eol}`;
}

/** The longest run of `char` starting a line (after up to 3 spaces): the fence must be longer. */
function longestFenceRun(source: string, char: "`" | "~"): number {
  const run = char === "`" ? /^ {0,3}(`+)/gm : /^ {0,3}(~+)/gm;
  let longest = 0;
  for (const match of source.matchAll(run)) longest = Math.max(longest, match[1].length);
  return longest;
}
