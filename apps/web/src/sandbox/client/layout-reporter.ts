import type { SlotPosition } from "../protocol";

export interface Layout {
  readonly height: number;
  readonly slots: readonly SlotPosition[];
}

/**
 * Tells the shell where the slots are and how tall the document is whenever either may have
 * changed: the document resized (outputs grew, fonts loaded, the frame's width changed) or its
 * DOM changed (cells added, moved, re-rendered). Unchanged layouts are not sent again, and
 * nothing is sent before the first notebook is shown (the shell shows its own text till then).
 */
export class LayoutReporter {
  private last = "";
  private enabled = false;
  private readonly resize = new ResizeObserver(() => this.report());
  private readonly mutation = new MutationObserver(() => this.report());

  constructor(
    private readonly root: HTMLElement,
    private readonly measure: () => Layout,
    private readonly send: (layout: Layout) => void,
  ) {
    this.resize.observe(root);
    this.mutation.observe(root, { childList: true, subtree: true, attributes: true });
  }

  /** Starts reporting (and reports now). */
  enable(): void {
    this.enabled = true;
    this.report();
  }

  report(): void {
    if (!this.enabled) return;
    const layout = this.measure();
    const key = JSON.stringify(layout);
    if (key === this.last) return;
    this.last = key;
    this.send(layout);
  }

  /** The document's height: the root's bottom edge (the page itself never scrolls). */
  contentHeight(): number {
    return Math.ceil(this.root.getBoundingClientRect().bottom + window.scrollY);
  }
}
