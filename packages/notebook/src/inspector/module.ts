import type { nn } from "@gradbook/engine";
import { el } from "./dom.js";

/**
 * A module as PyTorch prints it, with its parameters (name, shape, count) and the total below,
 * folded so the architecture reads first.
 */
export function inspectModule(module: nn.AnyModule): HTMLElement {
  const parameters = module.named_parameters();
  const count = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);
  const total = parameters.reduce((n, [, p]) => n + count(p.shape), 0);
  const trainable = parameters.reduce((n, [, p]) => n + (p.requires_grad ? count(p.shape) : 0), 0);
  const rows = parameters.map(([name, p]) =>
    el(
      "tr",
      "",
      el("td", "gb-param-name", name),
      el("td", "", `[${p.shape.join(", ")}]`),
      el("td", "gb-number", count(p.shape).toLocaleString("en-US")),
      el("td", "", p.requires_grad ? "" : "frozen"),
    ),
  );
  const table = el(
    "table",
    "gb-params",
    el(
      "thead",
      "",
      el(
        "tr",
        "",
        el("th", "", "parameter"),
        el("th", "", "shape"),
        el("th", "", "count"),
        el("th"),
      ),
    ),
    el("tbody", "", ...rows),
    el(
      "tfoot",
      "",
      el(
        "tr",
        "",
        el("th", "", "total"),
        el("th"),
        el("th", "gb-number", total.toLocaleString("en-US")),
        el("th"),
      ),
    ),
  );
  const frozen = total - trainable;
  const summary = `${total.toLocaleString("en-US")} parameters${frozen ? ` (${frozen.toLocaleString("en-US")} frozen)` : ""}`;
  return el(
    "div",
    "gb-module",
    el("pre", "gb-module-repr", String(module)),
    el("details", "gb-module-params", el("summary", "", summary), table),
  );
}
