import type { Line } from "./lines.js";

/**
 * The block structure that decides where code cells are, following CommonMark: fenced code
 * blocks (whose contents are opaque, so a fence inside a longer fence is text) and HTML
 * comments (so a commented-out cell is not a cell). Everything else is prose.
 */

export interface FenceOpen {
  /** Spaces before the fence (0-3); only unindented fences can be cells. */
  readonly indent: number;
  readonly char: "`" | "~";
  readonly length: number;
  /** The text after the fence characters, untrimmed. */
  readonly info: string;
}

export type Block =
  | {
      readonly kind: "fence";
      readonly start: number;
      readonly end: number;
      readonly closed: boolean;
      readonly open: FenceOpen;
    }
  | {
      readonly kind: "comment";
      readonly start: number;
      readonly end: number;
      readonly closed: boolean;
    };

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const COMMENT_OPEN = /^ {0,3}<!--/;

export function matchFenceOpen(text: string): FenceOpen | null {
  const match = FENCE_OPEN.exec(text);
  if (!match) return null;
  const [, indent, fence, info] = match;
  const char = fence[0] === "`" ? "`" : "~";
  // CommonMark: a backtick fence's info string can't contain a backtick (it's inline code).
  if (char === "`" && info.includes("`")) return null;
  return { indent: indent.length, char, length: fence.length, info };
}

export function isFenceClose(text: string, open: FenceOpen): boolean {
  const match = FENCE_CLOSE.exec(text);
  return match !== null && match[1][0] === open.char && match[1].length >= open.length;
}

/**
 * Finds the fenced code blocks and HTML comments in `lines`. `end` is exclusive and includes the
 * closing line; an unclosed block runs to the end of the lines, as in CommonMark.
 */
export function scanBlocks(lines: readonly Line[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const text = lines[i].text;
    const open = matchFenceOpen(text);
    if (open) {
      let j = i + 1;
      while (j < lines.length && !isFenceClose(lines[j].text, open)) j++;
      const closed = j < lines.length;
      const end = closed ? j + 1 : j;
      blocks.push({ kind: "fence", start: i, end, closed, open });
      i = end;
    } else if (COMMENT_OPEN.test(text)) {
      let j = i;
      while (j < lines.length && !lines[j].text.includes("-->")) j++;
      const closed = j < lines.length;
      const end = closed ? j + 1 : j;
      blocks.push({ kind: "comment", start: i, end, closed });
      i = end;
    } else {
      i++;
    }
  }
  return blocks;
}

/** The line that closes a block left open at the end of `lines`, or null if none is open. */
export function pendingCloser(lines: readonly Line[]): string | null {
  const last = scanBlocks(lines).at(-1);
  if (!last || last.closed) return null;
  return last.kind === "fence" ? last.open.char.repeat(last.open.length) : "-->";
}
