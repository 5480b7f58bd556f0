/** Printing tensors the way PyTorch does: `tensor([[ 0.1000, -2.0000]], requires_grad=True)`. */

import type { Tensor } from "./tensor.js";

const THRESHOLD = 1000;
const EDGE_ITEMS = 3;

/** Format numbers as PyTorch's default printer picks: integers, fixed 4 decimals, or scientific. */
function numberFormatter(values: ArrayLike<number>, dtype: string): (v: number) => string {
  if (dtype === "bool") return (v) => (v ? "True" : "False");
  if (dtype === "int64") return (v) => String(v);
  const finite: number[] = [];
  for (let i = 0; i < values.length; i++)
    if (Number.isFinite(values[i])) finite.push(Math.abs(values[i]));
  const special = (v: number) => (Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf");
  if (
    finite.every((v, i) => Number.isInteger(values[i]) || !Number.isFinite(values[i])) &&
    finite.every((v) => v < 1e8)
  ) {
    const allInts = Array.from(values).every((v) => !Number.isFinite(v) || Number.isInteger(v));
    if (allInts) return (v) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : special(v));
  }
  const nonzero = finite.filter((v) => v > 0);
  const max = nonzero.length ? Math.max(...nonzero) : 0;
  const min = nonzero.length ? Math.min(...nonzero) : 0;
  const sci = nonzero.length > 0 && (max / min > 1000 || max > 1e8 || min < 1e-4);
  if (sci)
    return (v) =>
      Number.isFinite(v) ? v.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2") : special(v);
  return (v) => (Number.isFinite(v) ? v.toFixed(4) : special(v));
}

export function formatValues(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: string,
  indent: number,
): string {
  const summarize = values.length > THRESHOLD;
  const fmt = numberFormatter(values, dtype);
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  const shown = (n: number) =>
    summarize && n > 2 * EDGE_ITEMS
      ? [
          ...Array(EDGE_ITEMS).keys(),
          -1,
          ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i),
        ]
      : [...Array(n).keys()];
  const cells: string[] = [];
  const collect = (d: number, base: number) => {
    if (d === shape.length) {
      cells.push(fmt(values[base]));
      return;
    }
    for (const i of shown(shape[d])) if (i >= 0) collect(d + 1, base + i * strides[d]);
  };
  collect(0, 0);
  const width = Math.max(0, ...cells.map((c) => c.length));
  let next = 0;
  const render = (d: number): string => {
    if (d === shape.length) return cells[next++].padStart(width);
    const parts = shown(shape[d]).map((i) => (i < 0 ? "..." : render(d + 1)));
    if (d === shape.length - 1) return `[${parts.join(", ")}]`;
    const sep = `,${"\n".repeat(shape.length - 1 - d)}${" ".repeat(indent + d + 1)}`;
    return `[${parts.join(sep)}]`;
  };
  return shape.length === 0 ? cells[0] : render(0);
}

export function formatTensor(t: Tensor): string {
  const suffix: string[] = [];
  if (t.device !== "js" && t.device !== "wasm") suffix.push(`device='${t.device}'`);
  if (t.numel() === 0 && t.ndim !== 1)
    suffix.push(`size=(${t.shape.join(", ")}${t.ndim === 1 ? "," : ""})`);
  if (t.dtype === "int64" && t.numel() === 0) suffix.push("dtype=torch.int64");
  if (t.grad_fn) suffix.push(`grad_fn=<${t.grad_fn.name}>`);
  else if (t.requires_grad) suffix.push("requires_grad=True");
  let body: string;
  if (t._backend.syncReadback) {
    body = formatValues(t.dataSync(), t.shape, t.dtype, 7);
  } else {
    body = `<${t.shape.join("x") || "scalar"} ${t.dtype} on ${t.device}: await x.tolist() to read>`;
  }
  return `tensor(${[body, ...suffix].join(", ")})`;
}
