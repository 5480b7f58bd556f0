import { md } from "@gradbook/notebook/browser";
import type { ExerciseView, SandboxCell } from "../protocol";
import { isShown } from "./shown-cells";
import { type Surface, shownIndex } from "./surface";

/**
 * A notebook shown without running it: prose rendered, code cells empty (the shell shows their
 * code). Shown while the engine loads, and after the sandbox was restarted because it hung, so
 * the looping cell can be fixed before anything runs again.
 */
export class PausedSurface implements Surface {
  readonly running = false;
  private readonly container = document.createElement("div");
  private readonly elements = new Map<string, HTMLElement>();

  constructor(
    root: HTMLElement,
    cells: readonly SandboxCell[],
    private readonly view: ExerciseView = "student",
  ) {
    this.container.className = "gb-notebook";
    for (const cell of cells) {
      if (isShown(cell, view)) this.container.append(this.render(cell));
    }
    root.append(this.container);
  }

  cellElement(id: string): HTMLElement | null {
    return this.elements.get(id) ?? null;
  }

  updateCell(id: string, source: string): void {
    const element = this.elements.get(id);
    if (element?.classList.contains("gb-markdown-cell")) element.replaceChildren(md(source));
  }

  runCell(): void {
    throw new Error("a paused notebook runs by becoming a running one");
  }

  insertCell(cell: SandboxCell, order: readonly string[]): void {
    if (!isShown(cell, this.view)) return;
    const index = shownIndex(order, cell.id, (id) => this.elements.has(id));
    this.container.insertBefore(this.render(cell), this.container.children[index] ?? null);
  }

  deleteCell(id: string): void {
    this.elements.get(id)?.remove();
    this.elements.delete(id);
  }

  moveCell(id: string, order: readonly string[]): void {
    const element = this.elements.get(id);
    if (!element) return;
    element.remove();
    const index = shownIndex(order, id, (other) => other !== id && this.elements.has(other));
    this.container.insertBefore(element, this.container.children[index] ?? null);
  }

  runAll(): void {
    throw new Error("a paused notebook runs by becoming a running one");
  }

  interrupt(): void {}

  dispose(): void {
    this.container.remove();
  }

  private render(cell: SandboxCell): HTMLElement {
    const element = document.createElement("section");
    element.dataset.cellId = cell.id;
    if (cell.type === "markdown") {
      element.className = "gb-cell gb-markdown-cell";
      element.append(md(cell.source));
    } else {
      element.className = "gb-cell gb-code-cell";
    }
    this.elements.set(cell.id, element);
    return element;
  }
}
