// Reductions over the middle axis of [outer, size, inner], and softmax / log-softmax. Sums
// accumulate in float64 (as the reference does), so long rows stay accurate.

import {
  ACC_LEN,
  DT_F32,
  R_ARGMAX,
  R_ARGMIN,
  R_MAX,
  R_MIN,
  R_PROD,
  R_SUM,
  S_ACC,
  S_ACC2,
} from "../src/wasm/protocol";
import { loadAs, storeAs } from "./scalar";
import { pi, pu, scratchAt, shareStart } from "./task";
import { ld, st } from "./vec";
import { vexp } from "./vmath";

/** Work items of a [outer, size, inner] kernel: outer rows times column blocks. */
function blocksPerRow(inner: i32): i32 {
  return (inner + ACC_LEN - 1) / ACC_LEN;
}

export function reduceTask(thread: i32, threads: i32): void {
  const x = pu(0);
  const dtype = pi(1);
  const out = pu(2);
  const odt = pi(3);
  const op = pi(4);
  const outer = pi(5);
  const size = pi(6);
  const inner = pi(7);
  const perRow = blocksPerRow(inner);
  const items = outer * perRow;
  const s = shareStart(items, thread, threads, 1);
  const e = shareStart(items, thread + 1, threads, 1);
  for (let item = s; item < e; item++) {
    const o = item / perRow;
    const j0 = (item % perRow) * ACC_LEN;
    const cols = min(ACC_LEN, inner - j0);
    const base = <usize>o * size * inner + j0;
    const dst = <usize>o * inner + j0;
    if (dtype === DT_F32 && inner === 1 && op === R_SUM) {
      store<f32>(out + (dst << 2), <f32>sumRow(x + (base << 2), size));
    } else if (dtype === DT_F32 && inner === 1 && (op === R_MAX || op === R_MIN) && size > 0) {
      store<f32>(out + (dst << 2), extremeRow(x + (base << 2), size, op === R_MAX));
    } else if (dtype === DT_F32 && op === R_SUM) {
      sumColumns(x + (base << 2), size, inner, cols, out + (dst << 2));
    } else if (dtype === DT_F32 && (op === R_MAX || op === R_MIN) && size > 0) {
      extremeColumns(x + (base << 2), size, inner, cols, out + (dst << 2), op === R_MAX);
    } else {
      reduceScalar(op, x, dtype, base, size, inner, cols, out, odt, dst);
    }
  }
}

/** Sum of n contiguous floats, in float64. */
export function sumRow(p: usize, n: i32): f64 {
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const u = ld(p, i);
    const v = ld(p, i + 4);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(u));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(u, u, 2, 3, 2, 3)));
    a2 = f64x2.add(a2, f64x2.promote_low_f32x4(v));
    a3 = f64x2.add(a3, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)));
  }
  const t = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let sum = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  for (; i < n; i++) sum += <f64>load<f32>(p + ((<usize>i) << 2));
  return sum;
}

/** max (or min) of n > 0 contiguous floats; NaN wins, as in PyTorch. */
export function extremeRow(p: usize, n: i32, isMax: bool): f32 {
  let i = 0;
  let m: f32 = load<f32>(p);
  if (n >= 4) {
    let v = ld(p, 0);
    for (i = 4; i + 4 <= n; i += 4) v = isMax ? f32x4.max(v, ld(p, i)) : f32x4.min(v, ld(p, i));
    const h = isMax
      ? f32x4.max(v, i32x4.shuffle(v, v, 2, 3, 0, 1))
      : f32x4.min(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
    const a = f32x4.extract_lane(h, 0);
    const b = f32x4.extract_lane(h, 1);
    m = isMax ? max(a, b) : min(a, b);
  }
  for (; i < n; i++) {
    const v = load<f32>(p + ((<usize>i) << 2));
    m = isMax ? max(m, v) : min(m, v);
  }
  return m;
}

/** Column sums of a [size, inner] slab (cols of them from p), in float64. */
function sumColumns(p: usize, size: i32, inner: i32, cols: i32, out: usize): void {
  const acc = scratchAt(S_ACC);
  memory.fill(acc, 0, (<usize>cols) << 3);
  for (let s = 0; s < size; s++) {
    const row = p + ((<usize>s * inner) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const v = ld(row, j);
      const at = acc + ((<usize>j) << 3);
      v128.store(at, f64x2.add(v128.load(at), f64x2.promote_low_f32x4(v)));
      v128.store(
        at,
        f64x2.add(v128.load(at, 16), f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3))),
        16,
      );
    }
    for (; j < cols; j++) {
      const at = acc + ((<usize>j) << 3);
      store<f64>(at, load<f64>(at) + <f64>load<f32>(row + ((<usize>j) << 2)));
    }
  }
  for (let j = 0; j < cols; j++)
    store<f32>(out + ((<usize>j) << 2), <f32>load<f64>(acc + ((<usize>j) << 3)));
}

function extremeColumns(p: usize, size: i32, inner: i32, cols: i32, out: usize, isMax: bool): void {
  memory.copy(out, p, (<usize>cols) << 2);
  for (let s = 1; s < size; s++) {
    const row = p + ((<usize>s * inner) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      st(out, j, isMax ? f32x4.max(ld(out, j), ld(row, j)) : f32x4.min(ld(out, j), ld(row, j)));
    }
    for (; j < cols; j++) {
      const o = out + ((<usize>j) << 2);
      const v = load<f32>(row + ((<usize>j) << 2));
      store<f32>(o, isMax ? max(load<f32>(o), v) : min(load<f32>(o), v));
    }
  }
}

/** Any op and dtype, one element at a time with the reference's exact rules. */
function reduceScalar(
  op: i32,
  x: usize,
  dtype: i32,
  base: usize,
  size: i32,
  inner: i32,
  cols: i32,
  out: usize,
  odt: i32,
  dst: usize,
): void {
  const acc = scratchAt(S_ACC);
  const arg = scratchAt(S_ACC2);
  const isArg = op === R_ARGMAX || op === R_ARGMIN;
  for (let j = 0; j < cols; j++) {
    const at = acc + ((<usize>j) << 3);
    store<i32>(arg + ((<usize>j) << 2), 0);
    if (op === R_SUM) store<f64>(at, 0);
    else if (op === R_PROD) store<f64>(at, 1);
    else store<f64>(at, loadAs(x, <i32>base + j, dtype));
  }
  const first = op === R_SUM || op === R_PROD ? 0 : 1;
  for (let s = first; s < size; s++) {
    const row = <i32>base + s * inner;
    for (let j = 0; j < cols; j++) {
      const at = acc + ((<usize>j) << 3);
      const v = loadAs(x, row + j, dtype);
      const a = load<f64>(at);
      if (op === R_SUM) store<f64>(at, a + v);
      else if (op === R_PROD) store<f64>(at, a * v);
      else {
        // NaN is the extreme; only a strictly better value moves the argument (first wins).
        const better = op === R_MAX || op === R_ARGMAX ? v > a : v < a;
        if (better || (Number.isNaN(v) && !Number.isNaN(a))) {
          store<f64>(at, v);
          store<i32>(arg + ((<usize>j) << 2), s);
        }
      }
    }
  }
  for (let j = 0; j < cols; j++) {
    const v = isArg ? <f64>load<i32>(arg + ((<usize>j) << 2)) : load<f64>(acc + ((<usize>j) << 3));
    storeAs(out, <i32>dst + j, odt, v);
  }
}

// ------------------------------------------------------------------ softmax

export function softmaxTask(thread: i32, threads: i32): void {
  const x = pu(0);
  const out = pu(1);
  const outer = pi(2);
  const size = pi(3);
  const inner = pi(4);
  const log = pi(5) !== 0;
  const perRow = blocksPerRow(inner);
  const items = outer * perRow;
  const s = shareStart(items, thread, threads, 1);
  const e = shareStart(items, thread + 1, threads, 1);
  for (let item = s; item < e; item++) {
    const o = item / perRow;
    const j0 = (item % perRow) * ACC_LEN;
    const base = (<usize>o * size * inner + j0) << 2;
    if (inner === 1) softmaxRow(x + base, out + base, size, log);
    else softmaxColumns(x + base, out + base, size, inner, min(ACC_LEN, inner - j0), log);
  }
}

function softmaxRow(x: usize, out: usize, n: i32, log: bool): void {
  if (n === 0) return;
  // Subtracting the max keeps exp() from overflowing; a NaN max makes the row NaN.
  const m = extremeRow(x, n, true);
  const mv = f32x4.splat(m);
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const e = vexp(f32x4.sub(ld(x, i), mv));
    if (!log) st(out, i, e);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(e));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 2, 3)));
  }
  const t = f64x2.add(a0, a1);
  let sum = f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
  for (let k = i; k < n; k++) {
    const e = Math.exp(<f64>load<f32>(x + ((<usize>k) << 2)) - <f64>m);
    if (!log) store<f32>(out + ((<usize>k) << 2), <f32>e);
    sum += e;
  }
  if (log) {
    // x - (max + log(sum)) in float64, rounded once.
    const lse = f64x2.splat(<f64>m + Math.log(sum));
    let k = 0;
    for (; k + 4 <= n; k += 4) {
      const v = ld(x, k);
      const lo = f32x4.demote_f64x2_zero(f64x2.sub(f64x2.promote_low_f32x4(v), lse));
      const hi = f32x4.demote_f64x2_zero(
        f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)), lse),
      );
      st(out, k, i64x2.shuffle(lo, hi, 0, 2));
    }
    const l = f64x2.extract_lane(lse, 0);
    for (; k < n; k++)
      store<f32>(out + ((<usize>k) << 2), <f32>(<f64>load<f32>(x + ((<usize>k) << 2)) - l));
  } else {
    const inv = f32x4.splat(<f32>(1 / sum));
    let k = 0;
    for (; k + 4 <= n; k += 4) st(out, k, f32x4.mul(ld(out, k), inv));
    for (; k < n; k++) {
      const at = out + ((<usize>k) << 2);
      store<f32>(at, <f32>(<f64>load<f32>(at) / sum));
    }
  }
}

function softmaxColumns(x: usize, out: usize, size: i32, inner: i32, cols: i32, log: bool): void {
  const mx = scratchAt(S_ACC); // float32 maxima
  const sum = scratchAt(S_ACC2); // float64 sums
  for (let j = 0; j < cols; j++) {
    store<f32>(mx + ((<usize>j) << 2), -Infinity);
    store<f64>(sum + ((<usize>j) << 3), 0);
  }
  const rowBytes = (<usize>inner) << 2;
  for (let s = 0; s < size; s++) {
    const row = x + <usize>s * rowBytes;
    for (let j = 0; j < cols; j++) {
      const at = mx + ((<usize>j) << 2);
      store<f32>(at, max(load<f32>(at), load<f32>(row + ((<usize>j) << 2))));
    }
  }
  for (let s = 0; s < size; s++) {
    const row = x + <usize>s * rowBytes;
    const orow = out + <usize>s * rowBytes;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const e = vexp(f32x4.sub(ld(row, j), ld(mx, j)));
      if (!log) st(orow, j, e);
      const at = sum + ((<usize>j) << 3);
      v128.store(at, f64x2.add(v128.load(at), f64x2.promote_low_f32x4(e)));
      v128.store(
        at,
        f64x2.add(v128.load(at, 16), f64x2.promote_low_f32x4(i32x4.shuffle(e, e, 2, 3, 2, 3))),
        16,
      );
    }
    for (; j < cols; j++) {
      const e = Math.exp(
        <f64>load<f32>(row + ((<usize>j) << 2)) - <f64>load<f32>(mx + ((<usize>j) << 2)),
      );
      if (!log) store<f32>(orow + ((<usize>j) << 2), <f32>e);
      const at = sum + ((<usize>j) << 3);
      store<f64>(at, load<f64>(at) + e);
    }
  }
  for (let j = 0; j < cols; j++) {
    const at = sum + ((<usize>j) << 3);
    const total = load<f64>(at);
    // log: the log-sum-exp; softmax: the reciprocal to scale by.
    store<f64>(at, log ? <f64>load<f32>(mx + ((<usize>j) << 2)) + Math.log(total) : 1 / total);
  }
  for (let s = 0; s < size; s++) {
    const row = x + <usize>s * rowBytes;
    const orow = out + <usize>s * rowBytes;
    for (let j = 0; j < cols; j++) {
      const k = load<f64>(sum + ((<usize>j) << 3));
      const o = orow + ((<usize>j) << 2);
      if (log) store<f32>(o, <f32>(<f64>load<f32>(row + ((<usize>j) << 2)) - k));
      else store<f32>(o, <f32>(<f64>load<f32>(o) * k));
    }
  }
}
