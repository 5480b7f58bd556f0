// Philox4x32-10 (as src/philox.ts), four counters at a time: element i uses counter offset + i
// under the key, so every backend draws the same stream.

import { pi, pu, shareStart, splatSlot } from "./task";

const M0: u32 = 0xd2511f53;
const M1: u32 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;
const TWO_POW_M24: f64 = 1.0 / 16777216.0;

/** High 32 bits of the lane-wise 32x32-bit unsigned products. */
function mulhi(m: v128, x: v128): v128 {
  const lo = i64x2.extmul_low_i32x4_u(m, x);
  const hi = i64x2.extmul_high_i32x4_u(m, x);
  return i32x4.shuffle(lo, hi, 1, 3, 5, 7);
}

// Words 0 and 1 of the last block, for the four lanes.
let word0: v128 = i32x4.splat(0);
let word1: v128 = i32x4.splat(0);

function philox(c0: v128, c1: v128, key0: u32, key1: u32): void {
  let x0 = c0;
  let x1 = c1;
  let x2 = i32x4.splat(0);
  let x3 = i32x4.splat(0);
  let k0 = key0;
  let k1 = key1;
  const m0 = i32x4.splat(M0);
  const m1 = i32x4.splat(M1);
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(m0, x0);
    const lo0 = i32x4.mul(m0, x0);
    const hi1 = mulhi(m1, x2);
    const lo1 = i32x4.mul(m1, x2);
    x0 = v128.xor(v128.xor(hi1, x1), i32x4.splat(k0));
    x1 = lo1;
    x2 = v128.xor(v128.xor(hi0, x3), i32x4.splat(k1));
    x3 = lo0;
    k0 += W0;
    k1 += W1;
  }
  word0 = x0;
  word1 = x1;
}

/** Standard normal by Box-Muller from two words, in float64 as the reference. */
function normal(w0: u32, w1: u32): f64 {
  const u1 = (<f64>(w0 >>> 8) + 1) * TWO_POW_M24;
  const u2 = <f64>(w1 >>> 8) * TWO_POW_M24;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

export function randomTask(thread: i32, threads: i32): void {
  const out = pu(0);
  const n = pi(1);
  const isNormal = pi(2) !== 0;
  const key0 = <u32>pu(3);
  const key1 = <u32>pu(4);
  const offset = ((<u64>pu(6)) << 32) | <u64>pu(5);
  const s = shareStart(n, thread, threads, 16);
  const e = shareStart(n, thread + 1, threads, 16);
  const words = splatSlot(0); // 32 bytes for four lanes of two words
  for (let i = s; i < e; i += 4) {
    const c = offset + <u64>i;
    let c0 = i32x4.add(i32x4.splat(<i32>c), i32x4(0, 1, 2, 3));
    let c1 = i32x4.splat(<i32>(c >> 32));
    if ((c & 0xffffffff) > 0xfffffffc) {
      // The low word wraps inside this group: carry per lane.
      for (let l: u64 = 0; l < 4; l++) {
        store<u32>(words + <usize>(l << 2), <u32>(c + l));
        store<u32>(words + 16 + <usize>(l << 2), <u32>((c + l) >> 32));
      }
      c0 = v128.load(words);
      c1 = v128.load(words, 16);
    }
    philox(c0, c1, key0, key1);
    const count = min(4, e - i);
    if (!isNormal && count === 4) {
      const u = f32x4.convert_i32x4_u(i32x4.shr_u(word0, 8));
      v128.store(out + ((<usize>i) << 2), f32x4.mul(u, f32x4.splat(<f32>TWO_POW_M24)));
      continue;
    }
    v128.store(words, word0);
    v128.store(words, word1, 16);
    for (let l = 0; l < count; l++) {
      const w0 = load<u32>(words + ((<usize>l) << 2));
      const w1 = load<u32>(words + 16 + ((<usize>l) << 2));
      const v = isNormal ? normal(w0, w1) : <f64>(w0 >>> 8) * TWO_POW_M24;
      store<f32>(out + ((<usize>(i + l)) << 2), <f32>v);
    }
  }
}
