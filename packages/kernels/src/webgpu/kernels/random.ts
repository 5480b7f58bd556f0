/**
 * Philox4x32-10 in WGSL: element i uses counter offset + i under the key, exactly as
 * ../philox.ts, so uniform values are bit-identical to the js backend's. Normal values use
 * Box-Muller with an accurate log and cosine (WGSL's builtins are only loosely specified), and
 * match the js backend's float64 computation to float32 precision.
 */

import type { RandomDistribution } from "../../backend.js";
import { counterWords } from "../../philox.js";
import type { GpuBuffer } from "../buffer.js";
import type { GpuContext } from "../context.js";
import { ParamBlock } from "../params.js";
import { elementwiseMain, paramsDecl, shader, storageDecl, withHelpers } from "../wgsl/prelude.js";

const PHILOX = `
/** The 64-bit product of two u32 as (high, low) words. */
fn mul_wide(a: u32, b: u32) -> vec2<u32> {
  let a_lo = a & 0xffffu; let a_hi = a >> 16u;
  let b_lo = b & 0xffffu; let b_hi = b >> 16u;
  let m1 = a_hi * b_lo;
  let m2 = a_lo * b_hi;
  let mid = ((a_lo * b_lo) >> 16u) + (m1 & 0xffffu) + (m2 & 0xffffu);
  let hi = a_hi * b_hi + (m1 >> 16u) + (m2 >> 16u) + (mid >> 16u);
  return vec2<u32>(hi, a * b);
}

/** Words 0 and 1 of Philox4x32-10 for counter (c0, c1, 0, 0) and key (k0, k1). */
fn philox(c0: u32, c1: u32, key0: u32, key1: u32) -> vec2<u32> {
  var x0 = c0; var x1 = c1; var x2 = 0u; var x3 = 0u;
  var k0 = key0; var k1 = key1;
  for (var r = 0; r < 10; r++) {
    let p0 = mul_wide(0xd2511f53u, x0);
    let p1 = mul_wide(0xcd9e8d57u, x2);
    x0 = p1.x ^ x1 ^ k0;
    x1 = p1.y;
    x2 = p0.x ^ x3 ^ k1;
    x3 = p0.y;
    k0 = k0 + 0x9e3779b9u;
    k1 = k1 + 0xbb67ae85u;
  }
  return vec2<u32>(x0, x1);
}

/** cos(2 pi t) for t in [0, 1): folded to [0, pi/4] and evaluated by Taylor polynomials. */
fn cos_2pi(t: f32) -> f32 {
  var u = min(t, 1.0 - t); // cos is symmetric about t = 1/2; u in [0, 1/2]
  var s = 1.0;
  if (u > 0.25) { u = 0.5 - u; s = -1.0; } // cos(pi - x) = -cos(x)
  let x = 6.2831853 * u; // [0, pi/2]
  if (x <= 0.78539816) {
    let z = x * x;
    return s * (1.0 + z * (-0.5 + z * (0.041666668 + z * (-0.0013888889 + z * 0.0000248016))));
  }
  let y = 1.5707963 - x; // cos(x) = sin(pi/2 - x), y in [0, pi/4]
  let z = y * y;
  return s * y * (1.0 + z * (-0.16666667 + z * (0.0083333333 + z * (-0.00019841270 + z * 0.0000027557319))));
}
`;

export function random(
  ctx: GpuContext,
  dist: RandomDistribution,
  size: number,
  key: readonly [number, number],
  offset: number,
): GpuBuffer {
  const out = ctx.alloc("float32", size, "random");
  if (size === 0) return out;
  const [lo, hi] = counterWords(offset);
  const params = new ParamBlock();
  params.u32(size);
  params.u32(lo);
  params.u32(hi);
  params.u32(key[0] >>> 0);
  params.u32(key[1] >>> 0);
  const value =
    dist === "uniform"
      ? "f32(w.x >> 8u) * 5.9604645e-8"
      : `sqrt(-2.0 * log_acc((f32(w.x >> 8u) + 1.0) * 5.9604645e-8)) * cos_2pi(f32(w.y >> 8u) * 5.9604645e-8)`;
  const body = `
  if (i >= pu(0u)) { return; }
  let c0 = pu(1u) + i;
  let c1 = pu(2u) + select(0u, 1u, c0 < i); // carry into the high word
  let w = philox(c0, c1, pu(3u), pu(4u));
  out[i] = ${value};`;
  const source = shader(
    `random:${dist}`,
    () =>
      `${paramsDecl(5)}${storageDecl(1, "out", "f32", true)}${withHelpers(PHILOX + elementwiseMain(body))}`,
  );
  ctx.run({ source, params, inputs: [], outputs: [out], grid: ctx.grid(size) });
  return out;
}
