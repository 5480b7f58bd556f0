import { LessonSession, type LessonSessionOptions } from "@gradbook/lessons/browser";
import type { Notebook } from "@gradbook/notebook";
import { type CellStatusEvent, NotebookRuntime } from "@gradbook/notebook/browser";
import type { ExerciseView, SandboxCell } from "../protocol";
import { authorBuiltins, authorSource } from "./author-run";
import { type Surface, shownIndex } from "./surface";

export interface RunningSurfaceOptions {
  readonly onStatus: (event: CellStatusEvent) => void;
  /** The sandbox changed a cell's code itself ("Show solution"): the shell's editor follows. */
  readonly onSourceChanged: (id: string, source: string) => void;
  readonly builtins: Readonly<Record<string, unknown>>;
  /** "author": every cell runs as its author sees it, with the solutions (author-run.ts). */
  readonly view?: ExerciseView;
  /** More for the lesson session: saved progress, progress reports, graded submissions. */
  readonly lesson?: Pick<LessonSessionOptions, "saved" | "onProgress" | "submit">;
}

/**
 * A notebook running in a lesson session: the notebook runtime with the course's builtins
 * (`datasets`, `check`, `todo`, `hint`), its exercises checked as they change and their
 * feedback (hints, "Show solution") under each exercise cell. A notebook without exercises runs
 * just as in a plain runtime. Cells re-run as they and their inputs change. In the author view
 * there is no session: every cell shows and runs with the solutions (author-run.ts).
 */
export class RunningSurface implements Surface {
  readonly running = true;
  private readonly runtime: NotebookRuntime;
  private readonly session: LessonSession | null;
  /** The source the runtime has for each code cell it runs (edits reach it only when run). */
  private readonly ran = new Map<string, string>();
  /** What decides how a cell runs in the author view. */
  private readonly kinds = new Map<string, Pick<SandboxCell, "type" | "attrs">>();
  private readonly author: boolean;

  constructor(root: HTMLElement, cells: readonly SandboxCell[], options: RunningSurfaceOptions) {
    this.author = options.view === "author";
    for (const cell of cells) this.kinds.set(cell.id, cell);
    if (this.author) {
      this.session = null;
      this.runtime = new NotebookRuntime(
        root,
        cells.map((cell) => ({ ...cell, source: authorSource(cell, cell.source) })),
        { onStatus: options.onStatus, builtins: { ...authorBuiltins(), ...options.builtins } },
      );
      for (const cell of cells) if (cell.type === "code") this.ran.set(cell.id, cell.source);
      return;
    }
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
        ...options.lesson,
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
      this.runtime.updateCell(id, this.toRun(id, source));
    }
  }

  insertCell(cell: SandboxCell, order: readonly string[]): void {
    this.kinds.set(cell.id, cell);
    this.runtime.insertCell(
      { ...cell, source: this.toRun(cell.id, cell.source) },
      shownIndex(order, cell.id, (id) => this.has(id)),
    );
    if (cell.type === "code") this.ran.set(cell.id, cell.source);
  }

  deleteCell(id: string): void {
    if (!this.has(id)) return;
    this.runtime.deleteCell(id);
    this.ran.delete(id);
    this.kinds.delete(id);
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
      this.runtime.updateCell(id, this.toRun(id, source));
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

  /** The code the runtime runs for a cell's source: as written, except in the author view. */
  private toRun(id: string, source: string): string {
    const cell = this.kinds.get(id);
    return this.author && cell ? authorSource(cell, source) : source;
  }

  private has(id: string): boolean {
    return this.runtime.cellIds.includes(id);
  }
}
