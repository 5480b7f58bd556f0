import type { SandboxCell } from "../protocol";

/**
 * How a notebook is shown in the sandbox: paused (rendered, nothing runs) or running (the
 * notebook runtime). Both keep one element per shown cell in document order, which the slots
 * attach to; `SandboxNotebook` keeps the cells' text and swaps a paused surface for a running
 * one. Positions are given as the full list of cell ids in their new order, because a surface
 * may not show every cell (see shown-cells.ts).
 */
export interface Surface {
  readonly running: boolean;
  /** The cell's element, or null for a cell this surface does not show. */
  cellElement(id: string): HTMLElement | null;
  /** New text: Markdown re-renders at once; code waits for `runCell`. */
  updateCell(id: string, source: string): void;
  runCell(id: string, source: string): void;
  insertCell(cell: SandboxCell, order: readonly string[]): void;
  deleteCell(id: string): void;
  moveCell(id: string, order: readonly string[]): void;
  /** Runs everything afresh, with `sources` for code cells edited since they last ran. */
  runAll(sources: readonly { id: string; source: string }[]): void;
  interrupt(): void;
  dispose(): void;
}

/** Where `id` goes among the cells a surface shows, given every cell's id in document order. */
export function shownIndex(order: readonly string[], id: string, shown: (id: string) => boolean) {
  let index = 0;
  for (const other of order) {
    if (other === id) return index;
    if (shown(other)) index++;
  }
  return index;
}
