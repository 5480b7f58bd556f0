import { el } from "../inspector/dom.js";
import { type ErrorLocation, inspect, inspectError } from "../inspector/index.js";
import type { CellStatus } from "./status.js";

/**
 * A code cell's output in the page: what it displayed, its value (an expression's result or a
 * generator's latest yield), and a message line for errors and waits. When the cell runs again
 * its old output stays until the new run shows something or ends, so outputs don't flicker.
 */
export class CellView {
  readonly element: HTMLElement;
  private readonly displays = el("div", "gb-displays");
  private readonly value = el("div", "gb-cell-value");
  private readonly message = el("div", "gb-cell-message");
  private stale = false;

  constructor(id: string) {
    this.element = el("section", "gb-cell gb-code-cell", this.displays, this.value, this.message);
    this.element.dataset.cellId = id;
  }

  /** A new run started: the current output is now the previous run's. */
  beginRun(): void {
    this.stale = true;
  }

  display(value: unknown): void {
    this.freshen();
    this.displays.append(inspect(value, this.element));
  }

  showValue(value: unknown): void {
    this.freshen();
    this.value.replaceChildren(inspect(value, this.element));
  }

  /** The run ended: drop what a previous run left if this one showed nothing. */
  settle(): void {
    this.freshen();
  }

  showError(error: unknown, location?: ErrorLocation): void {
    this.clear();
    this.message.replaceChildren(inspectError(error, location));
  }

  showBlocked(name: string, reason: string): void {
    this.clear();
    this.message.replaceChildren(
      el("div", "gb-blocked", "Waiting on ", el("code", "", name), `, which failed: ${reason}`),
    );
  }

  /** Scheduled to run: a previous error no longer applies; say what it waits on. */
  showWaiting(names: readonly string[]): void {
    if (this.message.querySelector(".gb-error, .gb-blocked")) this.clear();
    const list = names.flatMap((name, i) => [i ? ", " : "", el("code", "", name)]);
    this.message.replaceChildren(
      names.length ? el("div", "gb-waiting", "Waiting on ", ...list, "…") : "",
    );
  }

  setStatus(status: CellStatus): void {
    this.element.dataset.status = status;
    if (status !== "pending" && status !== "error" && status !== "blocked") {
      this.message.querySelector(".gb-waiting")?.remove();
    }
  }

  clear(): void {
    this.stale = false;
    this.displays.replaceChildren();
    this.value.replaceChildren();
    this.message.replaceChildren();
  }

  private freshen(): void {
    if (!this.stale) return;
    this.clear();
  }
}
