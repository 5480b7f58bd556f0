import {
  type Cell,
  type CellType,
  deleteCell,
  insertCell,
  moveCell,
  type Notebook,
  parseNotebook,
  serializeNotebook,
  updateCell,
} from "@gradbook/notebook";
import { type ExerciseRole, exerciseRole } from "@/lib/exercise-roles";
import { makeExercise } from "@/lib/exercise-trio";
import {
  type DeviceChoice,
  deviceChoice,
  type SandboxCell,
  type ShellToSandbox,
} from "@/sandbox/protocol";

/** A cell as the editor shows it. */
export interface CellItem {
  readonly id: string;
  readonly type: CellType;
  readonly source: string;
  /** Code hidden behind a one-line bar (the format's `hidden` attribute, so it is saved). */
  readonly collapsed: boolean;
  /** Code edited since it last ran. */
  readonly edited: boolean;
  /** A Markdown cell open in an editor. */
  readonly editing: boolean;
  /** Its part in an exercise (`exercise=`, `solution=`, `check=`), if any. */
  readonly role: ExerciseRole | null;
}

export interface NotebookSnapshot {
  readonly cells: readonly CellItem[];
  /** Edits not saved yet. */
  readonly dirty: boolean;
  /** The cell whose editor should take focus when it appears (a new cell, opened Markdown). */
  readonly focus: string | null;
}

/**
 * The notebook being edited: the source of truth for its text, which lives here in the shell
 * (so it survives a sandbox restart) and is mirrored to the sandbox by messages as it changes.
 * Code reaches the sandbox when run (Shift+Enter); Markdown as it is typed. React reads it
 * through `subscribe`/`snapshot` (useSyncExternalStore).
 */
export class NotebookStore {
  private doc: Notebook;
  /** The source the sandbox has for each code cell: what it last ran. */
  private readonly ran = new Map<string, string>();
  private readonly editing = new Set<string>();
  private focus: string | null = null;
  private readonly listeners = new Set<() => void>();
  private changes = 0;
  private savedChanges = 0;
  private current: NotebookSnapshot;
  /** Where changes go: the sandbox, once there is one (it is sent the whole notebook then). */
  private send: (message: ShellToSandbox) => void = () => {};

  constructor(
    content: string,
    /** The height to keep for a new cell's editor in the sandbox until it is measured. */
    private readonly estimateHeight: (cell: SandboxCell) => number = () => 0,
  ) {
    this.doc = parseNotebook(content);
    this.current = this.computeSnapshot();
  }

  setSender(send: (message: ShellToSandbox) => void): void {
    this.send = send;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): NotebookSnapshot => this.current;

  get notebook(): Notebook {
    return this.doc;
  }

  /** The device the notebook asks for in its front matter (`device: wasm`), else auto. */
  device(): DeviceChoice {
    const parsed = deviceChoice.safeParse(this.doc.frontMatter.device);
    return parsed.success ? parsed.data : "auto";
  }

  /** The cells as the sandbox's `load` takes them. */
  sandboxCells(): SandboxCell[] {
    return this.doc.cells.map(toSandboxCell);
  }

  /** The sandbox was (re)loaded: running, it has every cell's current code; paused, none. */
  loaded(running: boolean): void {
    this.ran.clear();
    if (running) for (const cell of this.codeCells()) this.ran.set(cell.id, cell.source);
    this.changed(false);
  }

  serialize(): string {
    return serializeNotebook(this.doc);
  }

  /** Marks the current text saved; returns a token for `savedAt` when the save succeeds. */
  beginSave(): number {
    return this.changes;
  }

  savedAt(token: number): void {
    this.savedChanges = token;
    this.changed(false);
  }

  setSource(id: string, source: string): void {
    const cell = this.cell(id);
    if (!cell || cell.source === source) return;
    this.doc = updateCell(this.doc, id, { source });
    if (cell.type === "markdown") this.send({ type: "updateCell", id, source });
    this.changed(true);
  }

  /**
   * The sandbox ran new code in an exercise cell by itself ("Show solution" in a lesson): take
   * the text, as run. The sandbox runs untrusted code, so it may change nothing else.
   */
  sandboxRan(id: string, source: string): void {
    const cell = this.cell(id);
    if (!cell || cell.attrs.exercise === undefined || cell.source === source) return;
    this.doc = updateCell(this.doc, id, { source });
    this.ran.set(id, source);
    this.changed(true);
  }

  /** Runs a code cell with its current text; for Markdown, closes its editor. */
  runCell(id: string): void {
    const cell = this.cell(id);
    if (!cell) return;
    if (cell.type === "markdown") {
      this.setEditing(id, false);
      return;
    }
    this.ran.set(id, cell.source);
    this.send({ type: "runCell", id, source: cell.source });
    this.changed(false);
  }

  runAll(): void {
    const sources = this.codeCells()
      .filter((cell) => this.ran.get(cell.id) !== cell.source)
      .map(({ id, source }) => ({ id, source }));
    for (const cell of this.codeCells()) this.ran.set(cell.id, cell.source);
    this.send({ type: "runAll", sources });
    this.changed(false);
  }

  /** Adds a cell at `index` and returns its id. */
  insertCell(index: number, type: CellType, source = ""): string {
    const taken = new Set(this.doc.cells.map((cell) => cell.id));
    this.doc = insertCell(this.doc, index, { type, source });
    const cell = this.doc.cells.find((c) => !taken.has(c.id))!;
    const sandboxCell = toSandboxCell(cell);
    if (type === "code") this.ran.set(cell.id, source);
    else this.editing.add(cell.id);
    this.focus = cell.id;
    this.send({
      type: "insertCell",
      cell: sandboxCell,
      index,
      slotHeight: this.estimateHeight(sandboxCell),
    });
    this.changed(true);
    return cell.id;
  }

  deleteCell(id: string): void {
    if (!this.cell(id)) return;
    this.doc = deleteCell(this.doc, id);
    this.ran.delete(id);
    this.editing.delete(id);
    this.send({ type: "deleteCell", id });
    this.changed(true);
  }

  /** Moves a cell `by` places (-1: up, 1: down), if it can go there. */
  moveCell(id: string, by: number): void {
    const from = this.doc.cells.findIndex((cell) => cell.id === id);
    const to = from + by;
    if (from < 0 || to < 0 || to >= this.doc.cells.length) return;
    this.doc = moveCell(this.doc, id, to);
    this.send({ type: "moveCell", id, index: to });
    this.changed(true);
  }

  /** Code becomes Markdown and back, keeping its text and place. */
  convertCell(id: string): void {
    const cell = this.cell(id);
    if (!cell) return;
    const type: CellType = cell.type === "code" ? "markdown" : "code";
    this.doc = updateCell(this.doc, id, { type });
    const converted = this.cell(id)!;
    this.ran.delete(id);
    this.editing.delete(id);
    if (type === "code") this.ran.set(id, converted.source);
    else this.editing.add(id);
    this.focus = id;
    this.send({ type: "replaceCell", cell: toSandboxCell(converted) });
    this.changed(true);
  }

  toggleCollapsed(id: string): void {
    const cell = this.cell(id);
    if (!cell || cell.type !== "code") return;
    const { hidden: _hidden, ...rest } = cell.attrs;
    const attrs = isCollapsed(cell) ? rest : { ...rest, hidden: true as const };
    this.doc = updateCell(this.doc, id, { attrs });
    this.changed(true);
  }

  /**
   * Turns a code cell into an exercise with its solution and check (exercise-trio.ts). Throws
   * ExerciseTrioError, changing nothing, when it can't (the message says why).
   */
  makeExercise(id: string, name: string): void {
    const index = this.doc.cells.findIndex((cell) => cell.id === id);
    const trio = makeExercise(this.doc, id, name);
    this.doc = trio.notebook;
    const exercise = this.cell(id)!;
    this.ran.set(id, exercise.source);
    this.send({ type: "replaceCell", cell: toSandboxCell(exercise) });
    [trio.solutionId, trio.checkId].forEach((added, k) => {
      const cell = toSandboxCell(this.cell(added)!);
      this.ran.set(added, cell.source);
      this.send({
        type: "insertCell",
        cell,
        index: index + 1 + k,
        slotHeight: this.estimateHeight(cell),
      });
    });
    this.focus = trio.checkId;
    this.changed(true);
  }

  setEditing(id: string, editing: boolean): void {
    const cell = this.cell(id);
    if (!cell || cell.type !== "markdown" || this.editing.has(id) === editing) return;
    if (editing) this.editing.add(id);
    else this.editing.delete(id);
    if (editing) this.focus = id;
    this.changed(false);
  }

  /** Stops running cells at their next await (see NotebookRuntime.interrupt). */
  interrupt(): void {
    this.send({ type: "interrupt" });
  }

  private cell(id: string): Cell | undefined {
    return this.doc.cells.find((cell) => cell.id === id);
  }

  private codeCells(): Cell[] {
    return this.doc.cells.filter((cell) => cell.type === "code");
  }

  private changed(edited: boolean): void {
    if (edited) this.changes++;
    this.current = this.computeSnapshot();
    for (const listener of this.listeners) listener();
  }

  private computeSnapshot(): NotebookSnapshot {
    const previous = new Map(this.current?.cells.map((item) => [item.id, item]));
    const cells = this.doc.cells.map((cell): CellItem => {
      const ran = this.ran.get(cell.id);
      const item: CellItem = {
        id: cell.id,
        type: cell.type,
        source: cell.source,
        collapsed: isCollapsed(cell),
        edited: cell.type === "code" && ran !== undefined && ran !== cell.source,
        editing: this.editing.has(cell.id),
        role: cell.type === "code" ? exerciseRole(cell.attrs) : null,
      };
      // Keep unchanged items identical, so that memoized cells don't re-render.
      const before = previous.get(cell.id);
      return before && sameItem(before, item) ? before : item;
    });
    return { cells, dirty: this.changes !== this.savedChanges, focus: this.focus };
  }
}

function isCollapsed(cell: Cell): boolean {
  return cell.type === "code" && cell.attrs.hidden === true;
}

function sameItem(a: CellItem, b: CellItem): boolean {
  return (
    a.type === b.type &&
    a.source === b.source &&
    a.collapsed === b.collapsed &&
    a.edited === b.edited &&
    a.editing === b.editing &&
    a.role?.kind === b.role?.kind &&
    a.role?.name === b.role?.name
  );
}

function toSandboxCell(cell: Cell): SandboxCell {
  return { id: cell.id, type: cell.type, source: cell.source, attrs: { ...cell.attrs } };
}
