// Walking a strided view table row by row: the innermost dim is a "row" that kernels process
// with a tight loop; an odometer over the outer dims gives each row's element offsets.

import { scratchAt, viewNdim, viewOffset, viewShape, viewStride } from "./task";

const COUNTERS: usize = 192;

/** Element offsets of the current row in views 0, 1 and 2. */
export let row0: i32 = 0;
export let row1: i32 = 0;
export let row2: i32 = 0;

/** Number of rows (the product of every dim but the last). */
export function rowCount(): i32 {
  const nd = viewNdim();
  let rows = 1;
  for (let d = 0; d < nd - 1; d++) rows *= viewShape(d);
  return rows;
}

export function rowLength(): i32 {
  const nd = viewNdim();
  return nd === 0 ? 1 : viewShape(nd - 1);
}

/** Stride of view v along the row (0 for a 0-d view). */
export function rowStride(v: i32): i32 {
  const nd = viewNdim();
  return nd === 0 ? 0 : viewStride(v, nd - 1);
}

/** Position the odometer at row r. */
export function seekRow(r: i32): void {
  const nd = viewNdim();
  const counters = scratchAt(COUNTERS);
  row0 = viewOffset(0);
  row1 = viewOffset(1);
  row2 = viewOffset(2);
  for (let d = nd - 2; d >= 0; d--) {
    const len = viewShape(d);
    const c = r % len;
    r /= len;
    store<i32>(counters + ((<usize>d) << 2), c);
    row0 += c * viewStride(0, d);
    row1 += c * viewStride(1, d);
    row2 += c * viewStride(2, d);
  }
}

/** Advance to the next row, carrying into outer dims. */
export function nextRow(): void {
  const counters = scratchAt(COUNTERS);
  for (let d = viewNdim() - 2; d >= 0; d--) {
    const at = counters + ((<usize>d) << 2);
    const c = load<i32>(at) + 1;
    row0 += viewStride(0, d);
    row1 += viewStride(1, d);
    row2 += viewStride(2, d);
    if (c < viewShape(d)) {
      store<i32>(at, c);
      return;
    }
    store<i32>(at, 0);
    const len = viewShape(d);
    row0 -= len * viewStride(0, d);
    row1 -= len * viewStride(1, d);
    row2 -= len * viewStride(2, d);
  }
}
