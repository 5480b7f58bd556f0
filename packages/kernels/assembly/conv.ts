// im2col / col2im for NCHW images: patches as columns [n, c*kh*kw, oh*ow], and the adjoint.

import { DT_F32 } from "../src/wasm/protocol";
import { elementBytes, loadAs, storeAs } from "./scalar";
import { pf, pi, pu, shareStart } from "./task";
import { ld, st } from "./vec";

// The geometry of the current task, in globals (one set per module instance, so per thread).
let gN: i32 = 0;
let gC: i32 = 0;
let gH: i32 = 0;
let gW: i32 = 0;
let gKH: i32 = 0;
let gKW: i32 = 0;
let gSH: i32 = 0;
let gSW: i32 = 0;
let gPH: i32 = 0;
let gPW: i32 = 0;
let gDH: i32 = 0;
let gDW: i32 = 0;
let gOH: i32 = 0;
let gOW: i32 = 0;

function readGeometry(): void {
  gN = pi(3);
  gC = pi(4);
  gH = pi(5);
  gW = pi(6);
  gKH = pi(7);
  gKW = pi(8);
  gSH = pi(9);
  gSW = pi(10);
  gPH = pi(11);
  gPW = pi(12);
  gDH = pi(13);
  gDW = pi(14);
  gOH = pi(16);
  gOW = pi(17);
}

/** The ox range [lo, hi) whose input column ox * sw - pw + kj * dw lies inside the image. */
function validLo(kj: i32): i32 {
  const first = gPW - kj * gDW; // ox * sw must reach this
  return first <= 0 ? 0 : min(gOW, (first + gSW - 1) / gSW);
}

function validHi(kj: i32): i32 {
  const limit = gW + gPW - kj * gDW; // ox * sw must stay below this
  return limit <= 0 ? 0 : min(gOW, (limit + gSW - 1) / gSW);
}

export function im2colTask(thread: i32, threads: i32): void {
  const x = pu(0);
  const out = pu(1);
  const dtype = pi(2);
  const pad = pf(15);
  readGeometry();
  const planes = gN * gC;
  const p0 = shareStart(planes, thread, threads, 1);
  const p1 = shareStart(planes, thread + 1, threads, 1);
  const cols = gOH * gOW;
  for (let plane = p0; plane < p1; plane++) {
    const xBase = plane * gH * gW;
    let o = plane * gKH * gKW * cols;
    for (let ki = 0; ki < gKH; ki++) {
      for (let kj = 0; kj < gKW; kj++) {
        const lo = validLo(kj);
        const hi = max(lo, validHi(kj));
        for (let oy = 0; oy < gOH; oy++, o += gOW) {
          const y = oy * gSH - gPH + ki * gDH;
          if (y < 0 || y >= gH) {
            for (let ox = 0; ox < gOW; ox++) storeAs(out, o + ox, dtype, pad);
            continue;
          }
          for (let ox = 0; ox < lo; ox++) storeAs(out, o + ox, dtype, pad);
          const from = xBase + y * gW - gPW + kj * gDW;
          if (gSW === 1) {
            const es = elementBytes(dtype);
            memory.copy(
              out + <usize>(o + lo) * es,
              x + <usize>(from + lo) * es,
              <usize>(hi - lo) * es,
            );
          } else {
            for (let ox = lo; ox < hi; ox++)
              storeAs(out, o + ox, dtype, loadAs(x, from + ox * gSW, dtype));
          }
          for (let ox = hi; ox < gOW; ox++) storeAs(out, o + ox, dtype, pad);
        }
      }
    }
  }
}

export function col2imTask(thread: i32, threads: i32): void {
  const cols = pu(0);
  const out = pu(1);
  const dtype = pi(2);
  readGeometry();
  const planes = gN * gC;
  const p0 = shareStart(planes, thread, threads, 1);
  const p1 = shareStart(planes, thread + 1, threads, 1);
  const es = elementBytes(dtype);
  const perPlane = gKH * gKW * gOH * gOW;
  for (let plane = p0; plane < p1; plane++) {
    const xBase = plane * gH * gW;
    memory.fill(out + <usize>xBase * es, 0, <usize>(gH * gW) * es);
    let p = plane * perPlane;
    for (let ki = 0; ki < gKH; ki++) {
      for (let kj = 0; kj < gKW; kj++) {
        const lo = validLo(kj);
        const hi = max(lo, validHi(kj));
        for (let oy = 0; oy < gOH; oy++, p += gOW) {
          const y = oy * gSH - gPH + ki * gDH;
          if (y < 0 || y >= gH) continue;
          // Entries that read padding have no pixel to add back to and are dropped.
          const to = xBase + y * gW - gPW + kj * gDW;
          let ox = lo;
          if (gSW === 1 && dtype === DT_F32) {
            const d = out + ((<usize>(to + lo)) << 2);
            const s = cols + ((<usize>(p + lo)) << 2);
            const n = hi - lo;
            let i = 0;
            for (; i + 4 <= n; i += 4) st(d, i, f32x4.add(ld(d, i), ld(s, i)));
            ox = lo + i;
          }
          for (; ox < hi; ox++) {
            const at = to + ox * gSW;
            storeAs(out, at, dtype, loadAs(out, at, dtype) + loadAs(cols, p + ox, dtype));
          }
        }
      }
    }
  }
}
