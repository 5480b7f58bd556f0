import { el } from "./dom.js";
import { type NumberFormat, special, tableFormat } from "./format.js";

/**
 * A small tensor's values as a table: a 0-d tensor as its number, 1-D as a row, 2-D as a grid,
 * and higher dimensions as one grid per index of the leading dimensions, labelled like
 * PyTorch's `x[0, 1]`.
 */
export function tensorTable(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: string,
): HTMLElement {
  const format = tableFormat(values, dtype);
  if (shape.length === 0) return el("div", "gb-scalar", format(values[0]));
  const cols = shape[shape.length - 1];
  const rows = shape.length >= 2 ? shape[shape.length - 2] : 1;
  const lead = shape.slice(0, -2);
  const grids = lead.reduce((n, d) => n * d, 1);
  const box = el("div", "gb-tensor-grids");
  for (let g = 0; g < grids; g++) {
    const label = lead.length ? `[${unravel(g, lead).join(", ")}]` : "";
    box.append(grid(values, g * rows * cols, rows, cols, format, label));
  }
  return box;
}

function grid(
  values: ArrayLike<number>,
  offset: number,
  rows: number,
  cols: number,
  format: NumberFormat,
  label: string,
): HTMLElement {
  const body = el("tbody");
  for (let i = 0; i < rows; i++) {
    const tr = el("tr");
    for (let j = 0; j < cols; j++) {
      tr.append(cellOf(values[offset + i * cols + j], format));
    }
    body.append(tr);
  }
  return el("table", "gb-tensor-table", label && el("caption", "", label), body);
}

function cellOf(value: number, format: NumberFormat): HTMLTableCellElement {
  return el("td", special(value) ? "gb-nonfinite" : "", format(value));
}

function unravel(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = index % shape[d];
    index = Math.floor(index / shape[d]);
  }
  return out;
}
