import { el } from "./dom.js";

export interface ErrorLocation {
  readonly line: number;
  readonly column?: number;
}

/** An error as a student should read it: its kind, its message, and where in the cell. */
export function inspectError(error: unknown, location?: ErrorLocation): HTMLElement {
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  const view = el(
    "div",
    "gb-error",
    el("span", "gb-error-name", name),
    ": ",
    el("span", "gb-error-message", message),
  );
  if (location) {
    view.dataset.line = String(location.line);
    view.append(el("span", "gb-error-line", `line ${location.line}`));
  }
  return view;
}
