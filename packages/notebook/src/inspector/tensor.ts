import type { Tensor } from "@gradbook/engine";
import { el } from "./dom.js";
import { heatmap } from "./heatmap.js";
import { nonFiniteSummary, stats } from "./stats.js";
import { tensorSummary } from "./tensor-summary.js";
import { tensorTable } from "./tensor-table.js";

/** Tensors with at most this many elements show every value. */
export const TABLE_LIMIT = 256;

/**
 * A tensor's view: a header with its shape, dtype, device and autograd state, then its values,
 * with its gradient beside them when it has one. The values are read back asynchronously
 * (`await t.data()`), starting now so that the view shows the tensor as it is when displayed;
 * the element gets `data-ready` once everything is drawn.
 */
export function inspectTensor(t: Tensor): HTMLElement {
  const flags = el("span", "gb-tensor-flags");
  const panels = el("div", "gb-tensor-panels");
  const view = el("div", "gb-tensor", header(t, flags), panels);
  const parts = [panel("value", t, flags)];
  if (t.grad) parts.push(panel("grad", t.grad, flags));
  panels.append(...parts.map((part) => part.element));
  if (!t.grad && t.requires_grad && t.is_leaf) {
    panels.append(el("div", "gb-tensor-panel gb-grad-none", "grad: None (no backward() yet)"));
  }
  Promise.all(parts.map((part) => part.ready)).then(() => view.setAttribute("data-ready", ""));
  return view;
}

function header(t: Tensor, flags: HTMLElement): HTMLElement {
  const autograd = t.grad_fn
    ? el("span", "gb-grad-fn", `grad_fn=${t.grad_fn.name}`)
    : t.requires_grad && el("span", "gb-requires-grad", "requires_grad");
  return el(
    "div",
    "gb-tensor-header",
    el("span", "gb-tensor-kind", t.constructor.name === "Parameter" ? "Parameter" : "Tensor"),
    el("span", "gb-shape", `[${t.shape.join(", ")}]`),
    el("span", "gb-dtype", t.dtype),
    el("span", "gb-device", t.device),
    autograd,
    flags,
  );
}

interface Panel {
  readonly element: HTMLElement;
  readonly ready: Promise<void>;
}

function panel(title: string, t: Tensor, flags: HTMLElement): Panel {
  const body = el("div", "gb-tensor-body gb-loading", "reading…");
  const element = el("div", "gb-tensor-panel", el("div", "gb-panel-title", title), body);
  element.dataset.part = title;
  const ready = t.data().then(
    (values) => {
      body.classList.remove("gb-loading");
      body.replaceChildren(valuesView(values, t.shape, t.dtype, flags, title));
    },
    (error: unknown) => {
      body.classList.remove("gb-loading");
      body.replaceChildren(el("span", "gb-error", `could not read the values: ${String(error)}`));
    },
  );
  return { element, ready };
}

function valuesView(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: string,
  flags: HTMLElement,
  part: string,
): Node {
  if (values.length === 0) return el("span", "gb-empty", "(no elements)");
  const s = stats(values);
  const flagged = nonFiniteSummary(s);
  if (flagged) flags.append(el("span", "gb-flag", `⚠ ${part}: ${flagged}`));
  const matrix = shape.length === 2 && shape[0] > 1 && shape[1] > 1;
  const map = matrix && s.finite > 0 && heatmap(values, shape[0], shape[1], s);
  const detail =
    values.length <= TABLE_LIMIT ? tensorTable(values, shape, dtype) : tensorSummary(values, s);
  return el("div", "gb-tensor-values", detail, map);
}
