import type { SlotPosition } from "../protocol";

/**
 * The space kept above each cell for the shell's editor. The shell lays its editors over these
 * slots (it can't put them inside this document), so a slot's height is the height of the
 * editor the shell measured, and the shell learns where each slot is from `positions()`.
 *
 * A slot is the first child of its cell's element: the runtime moves cell elements as cells
 * move, and the slot goes with them. Re-rendering Markdown replaces the cell's children, so
 * `attach` is called again after every change.
 */
export class Slots {
  private readonly heights = new Map<string, number>();
  private readonly slots = new Map<string, HTMLElement>();

  constructor(private readonly requestEdit: (id: string) => void) {}

  setHeight(id: string, height: number): void {
    this.heights.set(id, height);
    const slot = this.slots.get(id);
    if (slot) slot.style.height = `${height}px`;
  }

  /** Puts cell `id`'s slot first in `element` (once); Markdown cells get an Edit button. */
  attach(id: string, element: HTMLElement, editableMarkdown: boolean): void {
    let slot = this.slots.get(id);
    if (!slot) {
      slot = document.createElement("div");
      slot.className = "gb-slot";
      slot.style.height = `${this.heights.get(id) ?? 0}px`;
      this.slots.set(id, slot);
    }
    slot.replaceChildren(editableMarkdown ? this.editButton(id) : "");
    if (element.firstChild !== slot) element.prepend(slot);
  }

  forget(id: string): void {
    this.slots.get(id)?.remove();
    this.slots.delete(id);
    this.heights.delete(id);
  }

  /** Document coordinates of each slot, in the order given. */
  positions(ids: readonly string[]): SlotPosition[] {
    const positions: SlotPosition[] = [];
    for (const id of ids) {
      const slot = this.slots.get(id);
      // Not in the page, or in a hidden cell (an exercise's check): nothing to lay over.
      if (!slot?.isConnected || slot.getClientRects().length === 0) continue;
      const rect = slot.getBoundingClientRect();
      positions.push({
        id,
        top: Math.max(0, Math.round(rect.top + window.scrollY)),
        left: Math.max(0, Math.round(rect.left + window.scrollX)),
        width: Math.round(rect.width),
      });
    }
    return positions;
  }

  private editButton(id: string): HTMLElement {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "gb-edit-markdown";
    button.textContent = "Edit";
    button.title = "Edit this text (or double-click it)";
    button.addEventListener("click", () => this.requestEdit(id));
    return button;
  }
}
