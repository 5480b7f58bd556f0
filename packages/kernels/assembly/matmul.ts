// Batched matmul as in BLIS: A and B are packed into cache-sized blocks (which also absorbs
// transposed operands: the packing reads either layout), and a 4x8 register-tiled micro-kernel
// runs over the packed panels with eight float32x4 accumulators.

import {
  MM_KC,
  MM_MC,
  MM_MR,
  MM_NC,
  MM_NR,
  S_PACK_A,
  S_PACK_B,
  S_TILE,
} from "../src/wasm/protocol";
import { pi, pu, scratchAt, shareStart } from "./task";
import { madd } from "./vec";

export function matmulTask(thread: i32, threads: i32): void {
  const a = pu(0);
  const b = pu(1);
  const c = pu(2);
  let batch = pi(3);
  let m = pi(4);
  const k = pi(5);
  const n = pi(6);
  const aStride = pi(7);
  const bStride = pi(8);
  const transA = pi(9) !== 0;
  const transB = pi(10) !== 0;
  // A row-major stack of matrices times one shared B is a single taller matmul.
  if (batch > 1 && bStride === 0 && !transA && aStride === m * k) {
    m *= batch;
    batch = 1;
  }
  const ars = transA ? 1 : k;
  const acs = transA ? m : 1;
  const brs = transB ? 1 : n;
  const bcs = transB ? k : 1;
  if (batch >= threads) {
    const t0 = shareStart(batch, thread, threads, 1);
    const t1 = shareStart(batch, thread + 1, threads, 1);
    for (let t = t0; t < t1; t++) {
      const at = a + ((<usize>t * aStride) << 2);
      const bt = b + ((<usize>t * bStride) << 2);
      const ct = c + ((<usize>t * m * n) << 2);
      gemm(at, ars, acs, bt, brs, bcs, ct, n, k, 0, m, 0, n);
    }
    return;
  }
  // Fewer matrices than threads: every thread takes a slice of each matrix, along its longer side.
  for (let t = 0; t < batch; t++) {
    const at = a + ((<usize>t * aStride) << 2);
    const bt = b + ((<usize>t * bStride) << 2);
    const ct = c + ((<usize>t * m * n) << 2);
    if (n >= m) {
      const j0 = shareStart(n, thread, threads, MM_NR);
      const j1 = shareStart(n, thread + 1, threads, MM_NR);
      gemm(at, ars, acs, bt, brs, bcs, ct, n, k, 0, m, j0, j1);
    } else {
      const i0 = shareStart(m, thread, threads, MM_MR);
      const i1 = shareStart(m, thread + 1, threads, MM_MR);
      gemm(at, ars, acs, bt, brs, bcs, ct, n, k, i0, i1, 0, n);
    }
  }
}

/**
 * C[i0:i1, j0:j1] = A B, where A(i, p) is at a[i * ars + p * acs], B(p, j) at b[p * brs + j * bcs]
 * and C is row-major with row length ldc.
 */
function gemm(
  a: usize,
  ars: i32,
  acs: i32,
  b: usize,
  brs: i32,
  bcs: i32,
  c: usize,
  ldc: i32,
  k: i32,
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
): void {
  if (i0 >= i1 || j0 >= j1) return;
  if (k === 0) {
    for (let i = i0; i < i1; i++)
      memory.fill(c + ((<usize>i * ldc + j0) << 2), 0, (<usize>(j1 - j0)) << 2);
    return;
  }
  const ap = scratchAt(S_PACK_A);
  const bp = scratchAt(S_PACK_B);
  const ldcBytes = (<usize>ldc) << 2;
  for (let jc = j0; jc < j1; jc += MM_NC) {
    const nc = min(MM_NC, j1 - jc);
    for (let pc = 0; pc < k; pc += MM_KC) {
      const kc = min(MM_KC, k - pc);
      packB(b, brs, bcs, pc, kc, jc, nc, bp);
      for (let ic = i0; ic < i1; ic += MM_MC) {
        const mc = min(MM_MC, i1 - ic);
        packA(a, ars, acs, ic, mc, pc, kc, ap);
        for (let jr = 0; jr < nc; jr += MM_NR) {
          const bPanel = bp + ((<usize>jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MM_MR) {
            const cTile = c + ((<usize>(ic + ir) * ldc + jc + jr) << 2);
            microKernel(
              ap + ((<usize>ir * kc) << 2),
              bPanel,
              kc,
              cTile,
              ldcBytes,
              min(MM_MR, mc - ir),
              min(MM_NR, nc - jr),
              pc > 0,
            );
          }
        }
      }
    }
  }
}

/** Pack rows [i0, i0+mc) x cols [p0, p0+kc) of A as 4-row panels, k-major, zero-padded. */
function packA(a: usize, ars: i32, acs: i32, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let ir = 0; ir < mc; ir += MM_MR) {
    const rows = min(MM_MR, mc - ir);
    const d = dst + ((<usize>ir * kc) << 2);
    const i = i0 + ir;
    let p = 0;
    if (rows === MM_MR && acs === 1) {
      // Rows are contiguous along k: load 4x4 blocks and transpose them.
      const r0 = a + ((<usize>i * ars + p0) << 2);
      const rs = (<usize>ars) << 2;
      for (; p + 4 <= kc; p += 4) {
        const off = (<usize>p) << 2;
        const x0 = v128.load(r0 + off);
        const x1 = v128.load(r0 + rs + off);
        const x2 = v128.load(r0 + 2 * rs + off);
        const x3 = v128.load(r0 + 3 * rs + off);
        const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
        const t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
        const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
        const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
        const o = d + ((<usize>p) << 4);
        v128.store(o, i64x2.shuffle(t0, t2, 0, 2));
        v128.store(o, i64x2.shuffle(t0, t2, 1, 3), 16);
        v128.store(o, i64x2.shuffle(t1, t3, 0, 2), 32);
        v128.store(o, i64x2.shuffle(t1, t3, 1, 3), 48);
      }
    } else if (rows === MM_MR && ars === 1) {
      // Transposed A: the 4 rows of a panel are adjacent for each k.
      for (; p < kc; p++) {
        v128.store(d + ((<usize>p) << 4), v128.load(a + ((<usize>i + <usize>(p0 + p) * acs) << 2)));
      }
    }
    for (; p < kc; p++) {
      for (let r = 0; r < MM_MR; r++) {
        const v: f32 =
          r < rows ? load<f32>(a + ((<usize>(i + r) * ars + <usize>(p0 + p) * acs) << 2)) : 0;
        store<f32>(d + ((<usize>p * MM_MR + r) << 2), v);
      }
    }
  }
}

/** Pack rows [p0, p0+kc) x cols [j0, j0+nc) of B as 8-column panels, k-major, zero-padded. */
function packB(b: usize, brs: i32, bcs: i32, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += MM_NR) {
    const cols = min(MM_NR, nc - jr);
    const d = dst + ((<usize>jr * kc) << 2);
    const j = j0 + jr;
    let p = 0;
    if (cols === MM_NR && bcs === 1) {
      for (; p < kc; p++) {
        const src = b + ((<usize>(p0 + p) * brs + j) << 2);
        const o = d + ((<usize>p) << 5);
        v128.store(o, v128.load(src));
        v128.store(o, v128.load(src, 16), 16);
      }
    } else if (cols === MM_NR && brs === 1) {
      // Transposed B: each column is contiguous along k; transpose 4x4 blocks of two groups.
      const cs = (<usize>bcs) << 2;
      const c0 = b + ((<usize>j * bcs + p0) << 2);
      for (; p + 4 <= kc; p += 4) {
        const off = (<usize>p) << 2;
        const o = d + ((<usize>p) << 5);
        for (let g: usize = 0; g < 2; g++) {
          const base = c0 + g * 4 * cs + off;
          const x0 = v128.load(base);
          const x1 = v128.load(base + cs);
          const x2 = v128.load(base + 2 * cs);
          const x3 = v128.load(base + 3 * cs);
          const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
          const t1 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
          const t2 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
          const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
          const og = o + (g << 4);
          v128.store(og, i64x2.shuffle(t0, t2, 0, 2));
          v128.store(og, i64x2.shuffle(t0, t2, 1, 3), 32);
          v128.store(og, i64x2.shuffle(t1, t3, 0, 2), 64);
          v128.store(og, i64x2.shuffle(t1, t3, 1, 3), 96);
        }
      }
    }
    for (; p < kc; p++) {
      for (let q = 0; q < MM_NR; q++) {
        const v: f32 =
          q < cols ? load<f32>(b + ((<usize>(p0 + p) * brs + <usize>(j + q) * bcs) << 2)) : 0;
        store<f32>(d + ((<usize>p * MM_NR + q) << 2), v);
      }
    }
  }
}

/**
 * One 4x8 tile of C from a packed 4-row panel of A and 8-column panel of B: C = A B, or
 * C += A B when `accumulate` (later k blocks). Partial tiles go through a scratch tile.
 */
function microKernel(
  a: usize,
  b: usize,
  kc: i32,
  c: usize,
  ldc: usize,
  rows: i32,
  cols: i32,
  accumulate: bool,
): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    const a0 = v128.load32_splat(a);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    const a1 = v128.load32_splat(a, 4);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    const a2 = v128.load32_splat(a, 8);
    c20 = madd(a2, b0, c20);
    c21 = madd(a2, b1, c21);
    const a3 = v128.load32_splat(a, 12);
    c30 = madd(a3, b0, c30);
    c31 = madd(a3, b1, c31);
    a += 16;
    b += 32;
  }
  const full = rows === MM_MR && cols === MM_NR;
  const t = full ? c : scratchAt(S_TILE);
  const ld = full ? ldc : 32;
  if (full && accumulate) {
    c00 = f32x4.add(c00, v128.load(t));
    c01 = f32x4.add(c01, v128.load(t, 16));
    c10 = f32x4.add(c10, v128.load(t + ld));
    c11 = f32x4.add(c11, v128.load(t + ld, 16));
    c20 = f32x4.add(c20, v128.load(t + 2 * ld));
    c21 = f32x4.add(c21, v128.load(t + 2 * ld, 16));
    c30 = f32x4.add(c30, v128.load(t + 3 * ld));
    c31 = f32x4.add(c31, v128.load(t + 3 * ld, 16));
  }
  v128.store(t, c00);
  v128.store(t, c01, 16);
  v128.store(t + ld, c10);
  v128.store(t + ld, c11, 16);
  v128.store(t + 2 * ld, c20);
  v128.store(t + 2 * ld, c21, 16);
  v128.store(t + 3 * ld, c30);
  v128.store(t + 3 * ld, c31, 16);
  if (full) return;
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < cols; q++) {
      const dst = c + <usize>r * ldc + ((<usize>q) << 2);
      const v = load<f32>(t + ((<usize>r) << 5) + ((<usize>q) << 2));
      store<f32>(dst, accumulate ? load<f32>(dst) + v : v);
    }
  }
}
