/**
 * WGSL shared by the kernels: the parameter block, the entry point of one-thread-per-element
 * kernels, and scalar helpers. A shader includes only the helpers its body calls.
 */

import { vec4Count } from "../params.js";

const shaders = new Map<string, string>();

/**
 * The WGSL source for `key`, generated once. Kernels launch often: rebuilding sources (and
 * hashing new strings for the pipeline cache) would cost more than the launch itself.
 */
export function shader(key: string, build: () => string): string {
  let source = shaders.get(key);
  if (source === undefined) {
    source = build();
    shaders.set(key, source);
  }
  return source;
}

/** Threads per workgroup of the one-dimensional kernels (the WebGPU default limit is 256). */
export const WORKGROUP = 256;

/** The uniform parameter block with `words` 32-bit words and its typed accessors. */
export function paramsDecl(words: number): string {
  return `struct Params { v: array<vec4<u32>, ${vec4Count(words)}> }
@group(0) @binding(0) var<uniform> params: Params;
fn pu(i: u32) -> u32 { return params.v[i >> 2u][i & 3u]; }
fn pi(i: u32) -> i32 { return bitcast<i32>(pu(i)); }
fn pf(i: u32) -> f32 { return bitcast<f32>(pu(i)); }
`;
}

/** A storage buffer binding (binding 0 is the parameter block). */
export function storageDecl(binding: number, name: string, type: string, write: boolean): string {
  const access = write ? "read_write" : "read";
  return `@group(0) @binding(${binding}) var<storage, ${access}> ${name}: array<${type}>;\n`;
}

/**
 * The entry point of a kernel run by one thread per output element. Workgroups form a 2-D grid
 * when one dimension would exceed maxComputeWorkgroupsPerDimension; `i` is the flat index.
 */
export function elementwiseMain(body: string): string {
  return `@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * nwg.x + wid.x) * ${WORKGROUP}u + lid;
${body}
}
`;
}

/**
 * Scalar helpers. NaN and infinities are tested on the bits: WGSL lets implementations assume
 * floats are finite, so `x != x` may be folded away. They are built from `var`s because a
 * constant NaN is a shader-creation error.
 */
const HELPERS: Record<string, string> = {
  is_nan: `fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }`,
  is_inf: `fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }`,
  nan_f32: `fn nan_f32() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }`,
  inf_f32: `fn inf_f32() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }`,
  /** PyTorch's truth value of a float: anything but +-0 (NaN is true). */
  nonzero_f: `fn nonzero_f(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) != 0u; }`,
  /** JavaScript's ToInt32 (what storing into an Int32Array does): truncate, wrap, NaN -> 0. */
  to_int: `fn to_int(v: f32) -> i32 {
  if ((bitcast<u32>(v) & 0x7f800000u) == 0x7f800000u) { return 0; }
  let t = trunc(v);
  if (abs(t) < 2147483648.0) { return i32(t); }
  let m = t - floor(t / 4294967296.0) * 4294967296.0;
  return bitcast<i32>(u32(m));
}`,
  /** Natural log, accurate to about an ulp (WGSL's log is only absolutely accurate near 1). */
  log_acc: `fn log_acc(x: f32) -> f32 {
  if (is_nan(x) || x < 0.0) { return nan_f32(); }
  if (x == 0.0) { return -inf_f32(); }
  if (is_inf(x)) { return x; }
  let fe = frexp(x);
  var m = fe.fract;
  var e = f32(fe.exp);
  if (m < 0.70710678) { m = m * 2.0; e = e - 1.0; }
  let s = (m - 1.0) / (m + 1.0);
  let z = s * s;
  let p = 2.0 * s * (1.0 + z * (0.33333333 + z * (0.2 + z * (0.14285715 + z * (0.11111111 + z * 0.09090909)))));
  return e * 0.693145752 + (e * 1.42860677e-6 + p);
}`,
  /** tanh accurate near 0 (the rational of Cephes' tanhf), saturating instead of overflowing. */
  tanh_acc: `fn tanh_acc(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  if (a < 0.625) {
    let z = x * x;
    return ((((-5.70498872745e-3 * z + 2.06390887954e-2) * z - 5.37397155531e-2) * z + 1.33314422036e-1) * z - 3.33332819422e-1) * z * x + x;
  }
  if (a > 10.0) { return sign(x); }
  let e = exp(2.0 * a);
  return sign(x) * (1.0 - 2.0 / (e + 1.0));
}`,
  sigmoid_f: `fn sigmoid_f(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}`,
  /** erf: its Taylor series near 0, else 1 - erfc with the js backend's Chebyshev fit. */
  erf_f: `fn erf_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let z = abs(x);
  if (z < 0.5) {
    let q = x * x;
    return 1.1283791671 * x * (1.0 + q * (-0.33333333 + q * (0.1 + q * (-0.023809524 + q * (0.0046296296 + q * -0.00075757576)))));
  }
  let t = 1.0 / (1.0 + 0.5 * z);
  let r = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return select(r - 1.0, 1.0 - r, x >= 0.0);
}`,
  /**
   * sin and cos to about an ulp for |x| < 1e5 (Cody-Waite reduction by pi/2, Cephes' minimax
   * polynomials); WGSL only promises an absolute error of 2^-11.
   */
  sincos_q: `fn sincos_q(x: f32, shift: i32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return nan_f32(); }
  if (abs(x) > 1e5) { return select(sin(x), cos(x), shift == 1); }
  let k = round(x * 0.63661977);
  let r = ((x - k * 1.5703125) - k * 4.8375129699707031e-4) - k * 7.5497899548918822e-8;
  let z = r * r;
  let s = ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r;
  let c = ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0;
  let q = (i32(k) + shift) & 3;
  var v = select(c, s, (q & 1) == 0);
  return select(v, -v, q >= 2);
}`,
  sin_acc: `fn sin_acc(x: f32) -> f32 { return sincos_q(x, 0); }`,
  cos_acc: `fn cos_acc(x: f32) -> f32 { return sincos_q(x, 1); }`,
  /** JavaScript's a ** b in float32 (exact products for small integer exponents). */
  pow_f: `fn pow_f(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return nan_f32(); }
  let ab = abs(a);
  if (is_inf(b)) {
    if (ab == 1.0) { return nan_f32(); }
    return select(0.0, inf_f32(), (ab > 1.0) == (b > 0.0));
  }
  let whole = trunc(b) == b;
  let negative = (bitcast<u32>(a) & 0x80000000u) != 0u;
  if (whole && abs(b) <= 64.0) {
    var r = 1.0;
    var base = a;
    var k = u32(abs(b));
    loop {
      if ((k & 1u) == 1u) { r = r * base; }
      k = k >> 1u;
      if (k == 0u) { break; }
      base = base * base;
    }
    return select(r, 1.0 / r, b < 0.0);
  }
  let odd = whole && abs(b) < 16777216.0 && (u32(abs(b)) & 1u) == 1u;
  var r: f32;
  if (ab == 0.0) { r = select(0.0, inf_f32(), b < 0.0); }
  else if (is_inf(ab)) { r = select(inf_f32(), 0.0, b < 0.0); }
  else if (negative && !whole) { return nan_f32(); }
  else { r = exp(b * log_acc(ab)); }
  return select(r, -r, negative && odd);
}`,
  /** The js backend's x ** e for a scalar exponent: 2 and 0.5 are a product and sqrt. */
  pow_scalar_f: `fn pow_scalar_f(x: f32, e: f32) -> f32 {
  if (e == 2.0) { return x * x; }
  if (e == 0.5) { return select(sqrt(x), nan_f32(), is_nan(x) || x < 0.0); }
  return pow_f(x, e);
}`,
  /** JavaScript's a ** b on integers, stored as ToInt32 does. */
  pow_i: `fn pow_i(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) == 1); }
    return 0;
  }
  var r = 1;
  var base = a;
  var k = u32(b);
  loop {
    if (k == 0u) { break; }
    if ((k & 1u) == 1u) { r = r * base; }
    k = k >> 1u;
    base = base * base;
  }
  return r;
}`,
  /** The js backend's clamp: NaN bounds are no bound, a NaN input stays NaN. */
  clamp_f: `fn clamp_f(x: f32, lo: f32, hi: f32) -> f32 {
  if (is_nan(x)) { return x; }
  var r = x;
  if (!is_nan(lo) && r < lo) { r = lo; }
  if (!is_nan(hi) && r > hi) { r = hi; }
  return r;
}`,
  clamp_i: `fn clamp_i(x: i32, lo: f32, hi: f32) -> i32 {
  let c = clamp_f(f32(x), lo, hi);
  return select(to_int(c), x, c == f32(x));
}`,
  /** maximum/minimum propagate NaN (PyTorch), unlike WGSL's max/min. */
  max_f: `fn max_f(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return nan_f32(); }
  return select(b, a, a > b);
}`,
  min_f: `fn min_f(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b)) { return nan_f32(); }
  return select(b, a, a < b);
}`,
  /** Integer division as the js backend stores a / b: truncated, and 0 for a zero divisor. */
  div_i: `fn div_i(a: i32, b: i32) -> i32 { if (b == 0) { return 0; } return a / b; }`,
};

/** `body` preceded by the helpers it calls (and the helpers those call). */
export function withHelpers(body: string): string {
  const included = new Set<string>();
  const visit = (code: string) => {
    for (const name of Object.keys(HELPERS)) {
      if (!included.has(name) && new RegExp(`\\b${name}\\(`).test(code)) {
        included.add(name);
        visit(HELPERS[name]);
      }
    }
  };
  visit(body);
  // Helpers in declaration order, so a helper precedes the ones that call it only by chance;
  // WGSL doesn't care about the order of module-scope declarations.
  const helpers = Object.keys(HELPERS)
    .filter((n) => included.has(n))
    .map((n) => HELPERS[n]);
  return `${helpers.join("\n")}\n${body}`;
}
