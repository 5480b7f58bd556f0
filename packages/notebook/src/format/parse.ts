import { AttrSyntaxError, parseAttrs } from "./attrs.js";
import type { FenceOpen } from "./blocks.js";
import { scanBlocks } from "./blocks.js";
import { readFrontMatter } from "./front-matter.js";
import { claimId, derivedId } from "./ids.js";
import type { Line } from "./lines.js";
import { isBlank, joinLines, sourceOf, splitLines } from "./lines.js";
import type { AttrValue, Cell, CellLayout, Notebook, ParseWarning } from "./types.js";
import { NotebookParseError } from "./types.js";

const BOM = "\uFEFF";

/** A code fence at the left margin whose language is `js` or `javascript` starts a code cell. */
function cellFence(open: FenceOpen): { lang: string; attrText: string } | null {
  if (open.indent !== 0) return null;
  const match = /^\s*(\S+)(.*)$/.exec(open.info);
  if (!match || !/^(js|javascript)$/i.test(match[1])) return null;
  return { lang: match[1], attrText: match[2] };
}

type Draft = Omit<Cell, "id"> & { readonly line: number };

/**
 * Parses a notebook file. Every byte of the file is kept in the `layout` fields, so
 * `serializeNotebook(parseNotebook(text)) === text`.
 *
 * Throws `NotebookParseError` (with a line number) for invalid YAML front matter, bad attribute
 * syntax or a duplicate `id=`. A fence left open at the end of the file is read as CommonMark
 * reads it, running to the end of the file, and reported in `warnings`.
 */
export function parseNotebook(text: string): Notebook {
  const warnings: ParseWarning[] = [];
  const bom = text.startsWith(BOM) ? BOM : "";
  const lines = splitLines(text.slice(bom.length));
  const eol = lines.find((line) => line.eol !== "")?.eol === "\r\n" ? "\r\n" : "\n";
  const frontMatter = readFrontMatter(lines, warnings);
  const firstLine = frontMatter?.lineCount ?? 0;
  const body = lines.slice(firstLine);
  const lineNumber = (index: number) => firstLine + index + 1;

  const drafts: Draft[] = [];
  let gap = "";
  /** Prose lines become one markdown cell; blank lines around them become gaps. */
  const addProse = (from: number, to: number) => {
    let start = from;
    while (start < to && isBlank(body[start])) start++;
    let end = to;
    while (end > start && isBlank(body[end - 1])) end--;
    gap += joinLines(body.slice(from, start));
    if (start < end) {
      const content = body.slice(start, end);
      drafts.push(markdownDraft(content, gap, lineNumber(start)));
      gap = "";
    }
    gap += joinLines(body.slice(end, to));
  };

  let proseStart = 0;
  for (const block of scanBlocks(body)) {
    const line = lineNumber(block.start);
    const fence = block.kind === "fence" ? cellFence(block.open) : null;
    if (!block.closed) warnings.push({ line, message: unclosedMessage(block.kind, !!fence) });
    if (block.kind !== "fence" || !fence) continue;
    addProse(proseStart, block.start);
    const attrs = readAttrs(fence.attrText, line);
    drafts.push(codeDraft(body.slice(block.start, block.end), block, fence.lang, attrs, gap, line));
    gap = "";
    proseStart = block.end;
  }
  addProse(proseStart, body.length);

  return {
    frontMatter: frontMatter?.layout.value ?? {},
    cells: assignIds(drafts),
    warnings,
    layout: { bom, eol, frontMatter: frontMatter?.layout, trailing: gap },
  };
}

function unclosedMessage(kind: "fence" | "comment", isCell: boolean): string {
  if (kind === "comment") {
    return "this HTML comment is never closed with -->, so the rest of the file is commented out";
  }
  return isCell
    ? "this code cell's fence is never closed, so the cell runs to the end of the file"
    : "this code block's fence is never closed, so it runs to the end of the file";
}

function markdownDraft(content: readonly Line[], gap: string, line: number): Draft {
  const source = sourceOf(content);
  const layout: CellLayout = { gap, text: joinLines(content), type: "markdown", source, attrs: {} };
  return { type: "markdown", source, attrs: {}, layout, line };
}

function codeDraft(
  lines: readonly Line[],
  block: { readonly closed: boolean; readonly open: FenceOpen },
  lang: string,
  attrs: Readonly<Record<string, AttrValue>>,
  gap: string,
  line: number,
): Draft {
  const inner = lines.slice(1, block.closed ? -1 : undefined);
  const source = sourceOf(inner);
  const layout: CellLayout = {
    gap,
    text: joinLines(lines),
    type: "code",
    source,
    attrs,
    fence: {
      char: block.open.char,
      length: block.open.length,
      lang,
      openLine: lines[0].text,
      closed: block.closed,
    },
  };
  return { type: "code", source, attrs, layout, line };
}

function readAttrs(text: string, line: number): Readonly<Record<string, AttrValue>> {
  try {
    return parseAttrs(text);
  } catch (error) {
    if (error instanceof AttrSyntaxError) {
      throw new NotebookParseError(`bad cell attribute: ${error.message}`, line);
    }
    throw error;
  }
}

/** Explicit `id=` attributes first, so that a derived id never takes an explicit one. */
function assignIds(drafts: readonly Draft[]): Cell[] {
  const taken = new Map<string, number>();
  for (const draft of drafts) {
    const id = draft.attrs.id;
    if (id === undefined) continue;
    if (id === true) throw new NotebookParseError('the "id" attribute needs a value', draft.line);
    const previous = taken.get(id);
    if (previous !== undefined) {
      throw new NotebookParseError(
        `duplicate cell id "${id}" (also on line ${previous})`,
        draft.line,
      );
    }
    taken.set(id, draft.line);
  }
  const used = new Set(taken.keys());
  return drafts.map(({ line: _line, ...draft }) => {
    const explicit = draft.attrs.id;
    const id =
      typeof explicit === "string" ? explicit : claimId(derivedId(draft.type, draft.source), used);
    return { id, ...draft };
  });
}
