import { Inspector } from "@observablehq/inspector";
import { el } from "./dom.js";

/** Any other value as Observable's inspector shows it: expandable objects, arrays, maps, ... */
export function inspectValue(value: unknown): HTMLElement {
  const node = el("div", "gb-value");
  new Inspector(node).fulfilled(value);
  return node;
}
