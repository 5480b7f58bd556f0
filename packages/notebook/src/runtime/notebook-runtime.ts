import { _setInterruptCheck } from "@gradbook/engine";
import { type Module, type Observer, Runtime } from "@observablehq/runtime";
import { notebookBuiltins, RUN_BUILTINS } from "../builtins/index.js";
import { inputValues } from "../builtins/view.js";
import type { CompiledCell } from "../compile.js";
import { claimId, derivedId } from "../format/ids.js";
import { parseNotebook } from "../format/parse.js";
import type { CellType, Notebook } from "../format/types.js";
import { CellGraph } from "../graph.js";
import { el } from "../inspector/dom.js";
import type { CellFactory } from "./cell-function.js";
import { CellRun } from "./cell-run.js";
import { CellDefinitionError, classifyFailure, errorInfo } from "./failure.js";
import { driveGenerator, isGenerator } from "./generator.js";
import { Interrupted } from "./interrupted.js";
import {
  type CellSource,
  type CodeCell,
  compileInto,
  createCell,
  elementOf,
  type LiveCell,
  updateMarkdown,
} from "./live-cell.js";
import type { CellStatus, CellStatusEvent } from "./status.js";

export interface NotebookRuntimeOptions {
  /** Called whenever a code cell changes status, so the app can show progress. */
  readonly onStatus?: (event: CellStatusEvent) => void;
  /** More builtins (or replacements), e.g. a lesson's checking helpers. */
  readonly builtins?: Readonly<Record<string, unknown>>;
}

/**
 * Runs a notebook's cells reactively in the page, with @observablehq/runtime: each code cell is
 * a variable named `cell <id>` whose value is the object of its declarations, and each
 * declared name is a variable reading its field, so a cell re-runs exactly when a name it reads
 * is redefined. Outputs render into `root`, markdown cells included, in document order.
 */
export class NotebookRuntime {
  /** Why the notebook text could not be read, if it couldn't (the notebook is then empty). */
  readonly loadError: Error | null = null;
  private readonly container: HTMLElement;
  private readonly builtins: Readonly<Record<string, unknown>>;
  private cells: LiveCell[] = [];
  private graph = new CellGraph([]);
  private runtime!: Runtime;
  private module!: Module;
  private generation = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    root: HTMLElement,
    notebook: Notebook | string | readonly CellSource[],
    private readonly options: NotebookRuntimeOptions = {},
  ) {
    this.container = el("div", "gb-notebook");
    root.append(this.container);
    const builtins = { ...notebookBuiltins(), ...options.builtins };
    // The runtime calls a builtin that is a function to get its value; wrap them all so that
    // functions (md, html, ...) are the values themselves.
    this.builtins = Object.fromEntries(Object.entries(builtins).map(([k, v]) => [k, () => v]));
    let cells: readonly CellSource[] = [];
    try {
      const parsed = typeof notebook === "string" ? parseNotebook(notebook) : notebook;
      cells = "cells" in parsed ? parsed.cells : parsed;
      if ("warnings" in parsed)
        this.showWarnings(parsed.warnings.map((w) => `line ${w.line}: ${w.message}`));
    } catch (error) {
      this.loadError = error instanceof Error ? error : new Error(String(error));
      this.container.append(
        el("div", "gb-load-error", "This notebook could not be read: ", this.loadError.message),
      );
    }
    this.cells = cells.map(createCell);
    for (const cell of this.cells) this.container.append(elementOf(cell));
    this.start();
  }

  /** The cell ids, in document order. */
  get cellIds(): string[] {
    return this.cells.map((cell) => cell.id);
  }

  /**
   * A cell's element in the page (its outputs), so a host can decorate it: a lesson adds
   * exercise feedback below a cell, or hides a cell that only checks answers.
   */
  cellElement(id: string): HTMLElement {
    return elementOf(this.find(id));
  }

  status(id: string): CellStatus | undefined {
    const cell = this.find(id);
    return cell.type === "code" ? cell.status : undefined;
  }

  /** Replaces a cell's source; the cell and the cells that read it re-run, and nothing else. */
  updateCell(id: string, source: string): void {
    const cell = this.find(id);
    if (cell.source === source) return;
    if (cell.type === "markdown") {
      updateMarkdown(cell, source);
      return;
    }
    compileInto(cell, source);
    this.sync();
  }

  /** Adds a cell at `index` (default: the end) and returns its id. */
  insertCell(
    cell: { id?: string; type: CellType; source: string },
    index = this.cells.length,
  ): string {
    const taken = new Set(this.cellIds);
    const id = cell.id ?? claimId(derivedId(cell.type, cell.source), taken);
    if (cell.id !== undefined && taken.has(id))
      throw new RangeError(`a cell with id "${id}" exists`);
    const live = createCell({ id, type: cell.type, source: cell.source });
    const at = Math.max(0, Math.min(index, this.cells.length));
    const before = this.cells[at];
    this.cells.splice(at, 0, live);
    this.container.insertBefore(elementOf(live), before ? elementOf(before) : null);
    if (live.type === "code") this.sync();
    return id;
  }

  /** Removes a cell: its run stops, and cells that read its names report them undefined. */
  deleteCell(id: string): void {
    const cell = this.find(id);
    this.cells = this.cells.filter((c) => c !== cell);
    elementOf(cell).remove();
    if (cell.type === "markdown") return;
    cell.deleted = true;
    cell.variable?.delete();
    for (const variable of cell.outputVariables.values()) variable.delete();
    this.sync();
    this.notify();
  }

  /** Moves a cell to `index` in document order. */
  moveCell(id: string, index: number): void {
    const cell = this.find(id);
    this.cells = this.cells.filter((c) => c !== cell);
    const at = Math.max(0, Math.min(index, this.cells.length));
    const before = this.cells[at];
    this.cells.splice(at, 0, cell);
    this.container.insertBefore(elementOf(cell), before ? elementOf(before) : null);
    this.sync();
  }

  /** Runs a cell again (and the cells that read it), as if it were edited. */
  runCell(id: string): void {
    const cell = this.find(id);
    if (cell.type === "markdown") return;
    cell.definedAs = null;
    this.sync();
  }

  /**
   * Stops the running cells: their `signal` aborts, and their `tick()`, `sleep()`, timers and
   * `display()` throw `Interrupted`, so a loop stops at its next await; the cell shows it was
   * interrupted at once, and its dependants are blocked until it runs again.
   */
  interrupt(): void {
    // A loop that awaits only tensor readbacks (`await loss.item()`) never reaches tick() or a
    // timer: the engine's readback points stop it, until the next cell run begins.
    _setInterruptCheck(() => {
      throw new Interrupted("the cell was interrupted");
    });
    for (const cell of this.cells) {
      if (cell.type === "code" && cell.status === "running") {
        cell.run?.abort(new Interrupted("the cell was interrupted"));
      }
    }
  }

  /** Stops everything and runs every cell afresh, in a new runtime. */
  restart(): void {
    this.stop();
    for (const cell of this.cells) {
      if (cell.type !== "code") continue;
      cell.view.clear();
      cell.variable = null;
      cell.outputVariables.clear();
      cell.definedAs = null;
      cell.run = null;
    }
    this.start();
  }

  /** Stops every cell and removes the notebook from the page. */
  dispose(): void {
    this.stop();
    this.container.remove();
  }

  /**
   * Resolves once no cell is pending or running (and none started for a frame). A cell that
   * never ends, such as an endless loop, keeps it waiting.
   */
  async idle(): Promise<void> {
    for (;;) {
      while (this.busy()) await new Promise<void>((resolve) => this.listeners.add(resolve));
      await new Promise(requestAnimationFrame);
      await new Promise(requestAnimationFrame);
      if (!this.busy()) return;
    }
  }

  // ------------------------------------------------------------ setting up cells

  private start(): void {
    this.generation++;
    this.runtime = new Runtime(this.builtins);
    this.module = this.runtime.module();
    this.sync();
  }

  private stop(): void {
    this.generation++;
    for (const cell of this.cells) {
      if (cell.type === "code") cell.run?.abort(new Interrupted("the notebook was restarted"));
    }
    this.runtime.dispose();
  }

  private codeCells(): CodeCell[] {
    return this.cells.filter((cell): cell is CodeCell => cell.type === "code");
  }

  /** Rebuilds the dependency graph and redefines the cells whose definition changed. */
  private sync(): void {
    const cells = this.codeCells();
    this.graph = new CellGraph(
      cells.map((cell) => ({
        id: cell.id,
        inputs: cell.compiled?.inputs ?? [],
        outputs: cell.outputs,
      })),
    );
    for (const cell of cells) this.define(cell);
  }

  private define(cell: CodeCell): void {
    const graphErrors = this.graph.errors.get(cell.id) ?? [];
    // A cell's declaration of a run builtin's name (`tick`, `display`) shadows the builtin.
    const runBuiltins = (cell.compiled?.inputs ?? []).filter(
      (name) => RUN_BUILTINS.has(name) && !this.graph.definitions.has(name),
    );
    const definedAs = JSON.stringify([cell.source, graphErrors.map((e) => e.message), runBuiltins]);
    if (definedAs === cell.definedAs) return;
    cell.definedAs = definedAs;
    const generation = this.generation;
    cell.variable ??= this.module.variable(this.observer(cell, generation));
    const name = variableName(cell.id);
    const failure =
      cell.failure ?? (graphErrors.length ? new CellDefinitionError(graphErrors) : null);
    if (failure || !cell.compiled || !cell.factory) {
      cell.variable.define(name, [], () => {
        throw failure;
      });
    } else {
      const { compiled, factory } = cell;
      const inputs = compiled.inputs.filter((input) => !runBuiltins.includes(input));
      cell.variable.define(name, [...inputs, "invalidation"], (...values: unknown[]) =>
        this.execute(cell, compiled, factory, runBuiltins, values),
      );
    }
    this.defineOutputs(cell);
    this.setStatus(cell, { status: "pending" });
  }

  /** One variable per declared name, reading it from the cell's value. */
  private defineOutputs(cell: CodeCell): void {
    for (const [name, variable] of cell.outputVariables) {
      if (cell.outputs.includes(name)) continue;
      variable.delete();
      cell.outputVariables.delete(name);
    }
    for (const name of cell.outputs) {
      if (cell.outputVariables.has(name)) continue;
      const variable = this.module
        .variable(true)
        .define(name, [variableName(cell.id)], (exports: Record<string, unknown>) => exports[name]);
      cell.outputVariables.set(name, variable);
    }
  }

  // ------------------------------------------------------------ running

  private execute(
    cell: CodeCell,
    compiled: CompiledCell,
    factory: CellFactory,
    runBuiltins: readonly string[],
    values: unknown[],
  ): unknown {
    const invalidation = values.pop() as Promise<unknown>;
    _setInterruptCheck(null);
    const run = new CellRun(invalidation);
    cell.run = run;
    cell.started = true;
    cell.view.beginRun();
    this.setStatus(cell, { status: "running" });
    const scope = this.runScope(cell, run, invalidation);
    let next = 0;
    const args = compiled.inputs.map((name) =>
      runBuiltins.includes(name) ? scope[name] : values[next++],
    );
    const result = factory(run.globals)(...args);
    if (compiled.generator && isGenerator(result)) {
      return run.guard(
        driveGenerator(result, run, (value) => {
          this.checkCurrent(cell, run);
          cell.view.showValue(value);
        }),
      );
    }
    return run.guard(result);
  }

  private runScope(cell: CodeCell, run: CellRun, invalidation: Promise<unknown>) {
    const display = (value: unknown): unknown => {
      this.checkCurrent(cell, run);
      cell.view.display(value);
      return value;
    };
    const view = (input: unknown) => {
      if (!(input instanceof Element)) {
        throw new TypeError("view() takes an input element, such as Inputs.range([0, 1])");
      }
      display(input);
      return inputValues(input);
    };
    const scope: Record<string, unknown> = {
      display,
      view,
      invalidation,
      signal: run.signal,
      tick: run.tick,
      sleep: run.sleep,
    };
    return scope;
  }

  /** Output from a run that was superseded or interrupted stops that run's code. */
  private checkCurrent(cell: CodeCell, run: CellRun): void {
    run.check();
    if (cell.run !== run || cell.deleted) throw new Interrupted("the cell was run again");
  }

  // ------------------------------------------------------------ observing

  private observer(cell: CodeCell, generation: number): Observer {
    const live = () => generation === this.generation && !cell.deleted;
    return {
      pending: () => {
        if (!live()) return;
        cell.started = false;
        const waitingOn = this.waitingOn(cell);
        cell.view.showWaiting(waitingOn);
        this.setStatus(cell, { status: "pending", waitingOn });
      },
      fulfilled: (value) => {
        if (!live()) return;
        cell.view.settle();
        if (cell.compiled?.autodisplay && !cell.compiled.generator) cell.view.showValue(value);
        this.setStatus(cell, { status: "done" });
      },
      rejected: (error) => {
        if (live()) this.showFailure(cell, error);
      },
    };
  }

  private showFailure(cell: CodeCell, error: unknown): void {
    const failure = classifyFailure(cell, error, this.graph.definitions);
    if (failure.kind === "blocked") {
      cell.view.showBlocked(failure.name, failure.error.message);
      this.setStatus(cell, { status: "blocked", waitingOn: [failure.name], error: failure.error });
    } else {
      cell.view.showError(failure.shown, failure.location);
      this.setStatus(cell, { status: "error", error: errorInfo(failure.shown, failure.location) });
    }
  }

  /** The names a cell reads whose cells have not finished yet. */
  private waitingOn(cell: CodeCell): string[] {
    const busy = new Set(
      this.codeCells()
        .filter((c) => c !== cell && (c.status === "pending" || c.status === "running"))
        .map((c) => c.id),
    );
    return (cell.compiled?.inputs ?? []).filter((name) =>
      this.graph.definitions.get(name)?.some((id) => busy.has(id)),
    );
  }

  private setStatus(cell: CodeCell, event: Omit<CellStatusEvent, "id">): void {
    cell.status = event.status;
    cell.view.setStatus(event.status);
    this.options.onStatus?.({ id: cell.id, ...event });
    this.notify();
  }

  private notify(): void {
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }

  private busy(): boolean {
    return this.codeCells().some((cell) => cell.status === "pending" || cell.status === "running");
  }

  private find(id: string): LiveCell {
    const cell = this.cells.find((c) => c.id === id);
    if (!cell) throw new RangeError(`no cell with id "${id}"`);
    return cell;
  }

  private showWarnings(warnings: readonly string[]): void {
    if (!warnings.length) return;
    const list = el("ul", "", ...warnings.map((warning) => el("li", "", warning)));
    this.container.append(el("div", "gb-load-warnings", "While reading this notebook:", list));
  }
}

/** Cell variables' names have a space, so they can't clash with a JavaScript name. */
function variableName(id: string): string {
  return `cell ${id}`;
}
