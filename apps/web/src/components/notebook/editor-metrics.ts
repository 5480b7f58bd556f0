import type { SandboxCell } from "@/sandbox/protocol";

/**
 * The editor's vertical metrics, shared by Monaco's options, the plain-text stand-in shown
 * while Monaco loads, and the first guess of a slot's height, so nothing jumps when Monaco
 * arrives. globals.css uses the same numbers (.cell-header, .editor-fallback).
 */
export const LINE_HEIGHT = 20;
export const EDITOR_PADDING = 10;
export const HEADER_HEIGHT = 30;
const COLLAPSED_HEIGHT = 30;
const CARD_BORDER = 2;

export function editorHeight(source: string): number {
  return source.split("\n").length * LINE_HEIGHT + 2 * EDITOR_PADDING;
}

/** The overlay's height before it is measured: header, then the editor (or the collapsed bar). */
export function estimateSlotHeight(cell: SandboxCell, editingMarkdown = false): number {
  if (cell.type === "markdown" && !editingMarkdown) return 0;
  const body = cell.attrs.hidden === true ? COLLAPSED_HEIGHT : editorHeight(cell.source);
  return HEADER_HEIGHT + body + CARD_BORDER;
}
