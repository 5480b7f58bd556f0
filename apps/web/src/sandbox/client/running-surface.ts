import { LessonSession } from "@gradbook/lessons/browser";
import type { Notebook } from "@gradbook/notebook";
import { type CellStatusEvent, NotebookRuntime } from "@gradbook/notebook/browser";
import type { SandboxCell } from "../protocol";
import { type Surface, shownIndex } from "./surface";

export interface RunningSurfaceOptions {
  readonly onStatus: (event: CellStatusEvent) => void;
  /** The sandbox changed a cell's code itself ("Show solution"): the shell's editor follows. */
  readonly onSourceChanged: (id: string, source: string) => void;
  readonly builtins: Readonly<Record<string, unknown>>;
}

/**
 * A notebook running in a lesson session: the notebook runtime with the course's builtins
 * (`datasets`, `check`, `todo`, `hint`), its exercises checked as they change and their
 * feedback (hints, "Show solution") under each exercise cell. A notebook without exercises runs
 * just as in a plain runtime. Cells re-run as they and their inputs change.
 */
export class RunningSurface implements Surface {
  readonly running = true;
  private readonly runtime: NotebookRuntime;
  private readonly session: LessonSession | null;
  /** The source the runtime has for each code cell it runs (edits reach it only when run). */
  private readonly ran = new Map<string, string>();

  constructor(root: HTMLElement, cells: readonly SandboxCell[], options: RunningSurfaceOptions) {
    const notebook: Notebook = {
      frontMatter: {},
      cells: cells.map((cell) => ({ ...cell })),
      warnings: [],
    };
    let session: LessonSession | null = null;
    try {
      session = new LessonSession(root, notebook, {
        onStatus: options.onStatus,
        onSolutionShown: (exercise) => {
          this.ran.set(exercise.cellId, exercise.solution);
          options.onSourceChanged(exercise.cellId, exercise.solution);
        },
        builtins: options.builtins,
      });
    } catch (error) {
      // Exercises that don't hold together (a lesson being written): run it as a plain notebook.
      console.warn("This notebook's exercises are not checked:", error);
    }
    this.session = session;
    this.runtime =
      session?.runtime ??
      new NotebookRuntime(root, cells, { onStatus: options.onStatus, builtins: options.builtins });
    const runs = new Set(this.runtime.cellIds);
    for (const cell of cells) {
      if (cell.type === "code" && runs.has(cell.id)) this.ran.set(cell.id, cell.source);
    }
  }

  cellElement(id: string): HTMLElement | null {
    return this.has(id) ? this.runtime.cellElement(id) : null;
  }

  updateCell(id: string, source: string): void {
    // Code runs only when asked (Shift+Enter); Markdown is harmless to re-render as typed.
    if (this.has(id) && !this.ran.has(id)) this.runtime.updateCell(id, source);
  }

  runCell(id: string, source: string): void {
    if (!this.ran.has(id)) return;
    if (this.ran.get(id) === source) {
      this.runtime.runCell(id);
    } else {
      this.ran.set(id, source);
      this.runtime.updateCell(id, source);
    }
  }

  insertCell(cell: SandboxCell, order: readonly string[]): void {
    this.runtime.insertCell(
      cell,
      shownIndex(order, cell.id, (id) => this.has(id)),
    );
    if (cell.type === "code") this.ran.set(cell.id, cell.source);
  }

  deleteCell(id: string): void {
    if (!this.has(id)) return;
    this.runtime.deleteCell(id);
    this.ran.delete(id);
  }

  moveCell(id: string, order: readonly string[]): void {
    if (!this.has(id)) return;
    this.runtime.moveCell(
      id,
      shownIndex(order, id, (other) => other !== id && this.has(other)),
    );
  }

  runAll(sources: readonly { id: string; source: string }[]): void {
    for (const { id, source } of sources) {
      if (!this.ran.has(id)) continue;
      this.ran.set(id, source);
      this.runtime.updateCell(id, source);
    }
    this.runtime.restart();
  }

  interrupt(): void {
    this.runtime.interrupt();
  }

  dispose(): void {
    if (this.session) this.session.dispose();
    else this.runtime.dispose();
  }

  private has(id: string): boolean {
    return this.runtime.cellIds.includes(id);
  }
}
