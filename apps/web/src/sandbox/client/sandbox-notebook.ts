import type { CellStatusEvent } from "@gradbook/notebook/browser";
import type {
  CellStatusMessage,
  DeviceChoice,
  ExerciseView,
  SandboxCell,
  ShellToSandbox,
} from "../protocol";
import { type Layout, LayoutReporter } from "./layout-reporter";
import { PausedSurface } from "./paused-surface";
import { RunningSurface, type RunningSurfaceOptions } from "./running-surface";
import type { ShellChannel } from "./shell-channel";
import { Slots } from "./slots";
import type { Surface } from "./surface";

export interface Engine {
  /** Loads the device a notebook asks for; resolves with the one cells will run on. */
  start(device: DeviceChoice): Promise<string>;
  readonly builtins: Readonly<Record<string, unknown>>;
  /** Saved progress, progress reports and graded submissions for the lesson session (grading.ts). */
  readonly lessonOptions?: () => RunningSurfaceOptions["lesson"];
}

/**
 * The sandbox's notebook: the cells' text as the shell last sent it, shown on a surface (paused
 * until the engine is ready and running is wanted, then running), with a slot above each cell
 * for the shell's editor. Every change is followed by a layout report.
 */
export class SandboxNotebook {
  private cells: SandboxCell[] = [];
  private surface: Surface | null = null;
  private editable = false;
  private view: ExerciseView = "student";
  private wantRunning = false;
  private device: string | null = null;
  /** Counts loads, so that a device that loads late is not applied to a newer load. */
  private loads = 0;
  private readonly slots: Slots;
  private readonly layout: LayoutReporter;

  constructor(
    private readonly root: HTMLElement,
    private readonly channel: ShellChannel,
    private readonly engine: Engine,
  ) {
    const requestEdit = (id: string) => channel.post({ type: "editCell", id });
    this.slots = new Slots(requestEdit);
    this.layout = new LayoutReporter(
      root,
      () => this.measure(),
      (layout) => channel.post({ type: "layout", ...layout, slots: [...layout.slots] }),
    );
    root.addEventListener("dblclick", (event) => {
      const cell = (event.target as Element).closest?.(".gb-markdown-cell");
      const id = cell instanceof HTMLElement ? cell.dataset.cellId : undefined;
      if (this.editable && id) requestEdit(id);
    });
  }

  handle(message: ShellToSandbox): void {
    switch (message.type) {
      case "ping":
        this.channel.post({ type: "pong", seq: message.seq });
        return;
      case "load":
        this.view = message.view ?? "student";
        this.load(message.cells, message.run, message.editable, message.slotHeights);
        this.startEngine(message.device);
        break;
      case "setSlotHeights":
        for (const [id, height] of Object.entries(message.heights)) {
          this.slots.setHeight(id, height);
        }
        break;
      case "updateCell":
        this.setSource(message.id, message.source);
        this.surface?.updateCell(message.id, message.source);
        break;
      case "runCell":
        this.setSource(message.id, message.source);
        if (this.surface?.running) this.surface.runCell(message.id, message.source);
        else this.run();
        break;
      case "insertCell": {
        const at = Math.min(message.index, this.cells.length);
        if (this.indexOf(message.cell.id) >= 0) return;
        this.cells.splice(at, 0, message.cell);
        this.slots.setHeight(message.cell.id, message.slotHeight);
        this.surface?.insertCell(message.cell, this.order());
        break;
      }
      case "deleteCell":
        if (this.indexOf(message.id) < 0) return;
        this.cells = this.cells.filter((cell) => cell.id !== message.id);
        this.surface?.deleteCell(message.id);
        this.slots.forget(message.id);
        break;
      case "moveCell": {
        const from = this.indexOf(message.id);
        if (from < 0) return;
        const [cell] = this.cells.splice(from, 1);
        const to = Math.min(message.index, this.cells.length);
        this.cells.splice(to, 0, cell);
        this.surface?.moveCell(message.id, this.order());
        break;
      }
      case "replaceCell": {
        const at = this.indexOf(message.cell.id);
        if (at < 0) return;
        this.cells[at] = message.cell;
        this.surface?.deleteCell(message.cell.id);
        this.surface?.insertCell(message.cell, this.order());
        break;
      }
      case "runAll":
        for (const { id, source } of message.sources) this.setSource(id, source);
        if (this.surface?.running) this.surface.runAll(message.sources);
        else this.run();
        break;
      case "interrupt":
        this.surface?.interrupt();
        return;
    }
    this.afterChange();
  }

  private load(
    cells: readonly SandboxCell[],
    run: boolean,
    editable: boolean,
    heights: Readonly<Record<string, number>>,
  ): void {
    this.surface?.dispose();
    this.cells = [...cells];
    this.editable = editable;
    for (const [id, height] of Object.entries(heights)) this.slots.setHeight(id, height);
    this.surface = new PausedSurface(this.root, this.cells, this.view);
    this.wantRunning = run;
    this.reportLoaded();
  }

  private startEngine(device: DeviceChoice): void {
    const load = ++this.loads;
    this.device = null;
    this.engine.start(device).then((name) => {
      if (load !== this.loads) return;
      this.device = name;
      if (this.wantRunning) this.startRunning();
    });
  }

  /** Run when the engine is ready (at once if it is). */
  private run(): void {
    this.wantRunning = true;
    if (this.device !== null) this.startRunning();
    else this.reportLoaded();
  }

  private startRunning(): void {
    if (!this.surface || this.surface.running) return;
    this.surface.dispose();
    this.surface = new RunningSurface(this.root, this.cells, {
      onStatus: (event: CellStatusEvent) => this.channel.post(statusMessage(event)),
      onSourceChanged: (id, source) => {
        this.setSource(id, source);
        this.channel.post({ type: "cellSource", id, source });
      },
      builtins: this.engine.builtins,
      view: this.view,
      lesson: this.engine.lessonOptions?.(),
    });
    this.afterChange();
    this.reportLoaded();
  }

  private reportLoaded(): void {
    const running = this.surface?.running ?? false;
    const state = running ? "running" : this.wantRunning ? "starting" : "paused";
    this.channel.post({ type: "loaded", state, device: this.device ?? "" });
  }

  private afterChange(): void {
    const surface = this.surface;
    if (!surface) return;
    for (const cell of this.cells) {
      const element = surface.cellElement(cell.id);
      const editableMarkdown = this.editable && cell.type === "markdown";
      if (element) this.slots.attach(cell.id, element, editableMarkdown);
    }
    this.layout.enable();
  }

  private measure(): Layout {
    return {
      height: this.layout.contentHeight(),
      slots: this.slots.positions(this.order()),
    };
  }

  private setSource(id: string, source: string): void {
    const at = this.indexOf(id);
    if (at >= 0) this.cells[at] = { ...this.cells[at], source };
  }

  private order(): string[] {
    return this.cells.map((cell) => cell.id);
  }

  private indexOf(id: string): number {
    return this.cells.findIndex((cell) => cell.id === id);
  }
}

function statusMessage(event: CellStatusEvent): CellStatusMessage {
  const { error } = event;
  return {
    type: "status",
    id: event.id,
    status: event.status,
    error: error && {
      name: String(error.name).slice(0, 2_000),
      message: String(error.message).slice(0, 20_000),
      line: Number.isInteger(error.line) ? error.line : undefined,
      column: Number.isInteger(error.column) ? error.column : undefined,
    },
    waitingOn: event.waitingOn?.slice(0, 1_000).map((name) => name.slice(0, 2_000)),
  };
}
