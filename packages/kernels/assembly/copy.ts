// Strided copies: materializing a view (copy) and writing into one (writeView).

import { DT_BOOL } from "../src/wasm/protocol";
import { elementBytes, loadAs, storeAs, toBool } from "./scalar";
import { pi, pu, shareStart } from "./task";
import { nextRow, row0, rowCount, rowLength, rowStride, seekRow } from "./walk";

/** out (contiguous) = x read through view 0. */
export function copyTask(thread: i32, threads: i32): void {
  const x = pu(0);
  const out = pu(1);
  const es = elementBytes(pi(2));
  const len = rowLength();
  const rows = rowCount();
  const r0 = shareStart(rows, thread, threads, 1);
  const r1 = shareStart(rows, thread + 1, threads, 1);
  if (r0 >= r1 || len === 0) return;
  const stride = rowStride(0);
  seekRow(r0);
  for (let r = r0; r < r1; r++) {
    copyRow(x + <usize>row0 * es, stride, out + <usize>r * len * es, len, es);
    nextRow();
  }
}

function copyRow(src: usize, stride: i32, dst: usize, n: i32, es: usize): void {
  if (stride === 1) {
    memory.copy(dst, src, <usize>n * es);
  } else if (es === 1) {
    for (let i = 0; i < n; i++) store<u8>(dst + <usize>i, load<u8>(src + <usize>(i * stride)));
  } else if (stride === 0) {
    const v = i32x4.splat(load<i32>(src));
    let i = 0;
    for (; i + 4 <= n; i += 4) v128.store(dst + ((<usize>i) << 2), v);
    for (; i < n; i++) store<i32>(dst + ((<usize>i) << 2), i32x4.extract_lane(v, 0));
  } else {
    for (let i = 0; i < n; i++)
      store<i32>(dst + ((<usize>i) << 2), load<i32>(src + ((<usize>(i * stride)) << 2)));
  }
}

/** dst at view 0 = src (contiguous), converting between dtypes as a typed-array store does. */
export function writeViewTask(thread: i32, threads: i32): void {
  const dst = pu(0);
  const src = pu(1);
  const ddt = pi(2);
  const sdt = pi(3);
  const len = rowLength();
  const rows = rowCount();
  const r0 = shareStart(rows, thread, threads, 1);
  const r1 = shareStart(rows, thread + 1, threads, 1);
  if (r0 >= r1 || len === 0) return;
  const stride = rowStride(0);
  const de = elementBytes(ddt);
  const se = elementBytes(sdt);
  seekRow(r0);
  for (let r = r0; r < r1; r++) {
    const first = r * len;
    if (ddt === sdt && stride === 1) {
      memory.copy(dst + <usize>row0 * de, src + <usize>first * se, <usize>len * de);
    } else {
      for (let i = 0; i < len; i++) {
        let v = loadAs(src, first + i, sdt);
        if (ddt === DT_BOOL && sdt !== DT_BOOL) v = toBool(v);
        storeAs(dst, row0 + i * stride, ddt, v);
      }
    }
    nextRow();
  }
}
