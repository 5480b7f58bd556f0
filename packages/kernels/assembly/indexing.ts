// gather / scatterAdd (per-element indices) and indexSelect / indexAdd (whole slices).

import { DT_BOOL, DT_F32 } from "../src/wasm/protocol";
import { elementBytes, loadAs, storeAs } from "./scalar";
import { pi, pu, setResult, shareStart } from "./task";
import { ld, st } from "./vec";

/** The position of the first index outside [0, size), or -1. */
export function firstBadIndexTask(): void {
  const index = pu(0);
  const n = pi(1);
  const size = pi(2);
  for (let i = 0; i < n; i++) {
    const v = load<i32>(index + ((<usize>i) << 2));
    if (v < 0 || v >= size) {
      setResult(i);
      return;
    }
  }
  setResult(-1);
}

/** out[o, j, i] = x[o, index[o, j, i], i]. */
export function gatherTask(thread: i32, threads: i32): void {
  const x = pu(0);
  const index = pu(1);
  const out = pu(2);
  const es = elementBytes(pi(3));
  const outer = pi(4);
  const xSize = pi(5);
  const indexSize = pi(6);
  const inner = pi(7);
  const rows = outer * indexSize;
  const r0 = shareStart(rows, thread, threads, 1);
  const r1 = shareStart(rows, thread + 1, threads, 1);
  for (let r = r0; r < r1; r++) {
    const o = r / indexSize;
    const row = <usize>r * inner;
    for (let i = 0; i < inner; i++) {
      const ix = load<i32>(index + ((row + i) << 2));
      const from = (<usize>(o * xSize + ix) * inner + i) * es;
      if (es === 4) store<i32>(out + ((row + i) << 2), load<i32>(x + from));
      else store<u8>(out + row + i, load<u8>(x + from));
    }
  }
}

/** out = zeros [outer, outSize, inner]; out[o, index[o, j, i], i] += src[o, j, i]. */
export function scatterAddTask(): void {
  const src = pu(0);
  const index = pu(1);
  const out = pu(2);
  const dtype = pi(3);
  const outer = pi(4);
  const outSize = pi(5);
  const indexSize = pi(6);
  const inner = pi(7);
  memory.fill(out, 0, <usize>outer * outSize * inner * elementBytes(dtype));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < indexSize; j++) {
      const row = (o * indexSize + j) * inner;
      for (let i = 0; i < inner; i++) {
        const ix = load<i32>(index + ((<usize>(row + i)) << 2));
        addElement(out, (o * outSize + ix) * inner + i, src, row + i, dtype);
      }
    }
  }
}

/** out[to] += src[from] (bool: logical or, as the reference's sum-then-to-bool). */
function addElement(out: usize, to: i32, src: usize, from: i32, dtype: i32): void {
  if (dtype === DT_F32) {
    const at = out + ((<usize>to) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(src + ((<usize>from) << 2)));
  } else if (dtype === DT_BOOL) {
    if (load<u8>(src + <usize>from) !== 0) store<u8>(out + <usize>to, 1);
  } else {
    storeAs(out, to, dtype, loadAs(out, to, dtype) + loadAs(src, from, dtype));
  }
}

/** out[o, j, :] = x[o, index[j], :]. */
export function indexSelectTask(thread: i32, threads: i32): void {
  const x = pu(0);
  const index = pu(1);
  const out = pu(2);
  const es = elementBytes(pi(3));
  const outer = pi(4);
  const xSize = pi(5);
  const inner = pi(6);
  const len = pi(7);
  const rows = outer * len;
  const r0 = shareStart(rows, thread, threads, 1);
  const r1 = shareStart(rows, thread + 1, threads, 1);
  const bytes = <usize>inner * es;
  for (let r = r0; r < r1; r++) {
    const o = r / len;
    const ix = load<i32>(index + ((<usize>(r % len)) << 2));
    memory.copy(out + <usize>r * bytes, x + <usize>(o * xSize + ix) * bytes, bytes);
  }
}

/** out = zeros [outer, outSize, inner]; out[o, index[j], :] += src[o, j, :]. */
export function indexAddTask(): void {
  const src = pu(0);
  const index = pu(1);
  const out = pu(2);
  const dtype = pi(3);
  const outer = pi(4);
  const outSize = pi(5);
  const inner = pi(6);
  const len = pi(7);
  memory.fill(out, 0, <usize>outer * outSize * inner * elementBytes(dtype));
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < len; j++) {
      const from = (o * len + j) * inner;
      const to = (o * outSize + load<i32>(index + ((<usize>j) << 2))) * inner;
      let i = 0;
      if (dtype === DT_F32) {
        const s = src + ((<usize>from) << 2);
        const d = out + ((<usize>to) << 2);
        for (; i + 4 <= inner; i += 4) st(d, i, f32x4.add(ld(d, i), ld(s, i)));
      }
      for (; i < inner; i++) addElement(out, to + i, src, from + i, dtype);
    }
  }
}
