// Small helpers for vector loops over float32 buffers.

/** The vector of four floats at element i. */
export function ld(p: usize, i: i32): v128 {
  return v128.load(p + ((<usize>i) << 2));
}

export function st(p: usize, i: i32, v: v128): void {
  v128.store(p + ((<usize>i) << 2), v);
}

/** Lane masks (all ones or zeros per i32 lane) as four bytes 0/1, packed in an i32. */
export function maskBytes(m: v128): i32 {
  const bytes = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m, m), m);
  return i32x4.extract_lane(v128.and(bytes, i8x16.splat(1)), 0);
}

/** Four bytes at p widened to an i32x4 lane mask of "nonzero". */
export function byteMask(p: usize): v128 {
  const b = i16x8.extend_low_i8x16_u(v128.load32_zero(p));
  return v128.not(i32x4.eq(i32x4.extend_low_i16x8_u(b), i32x4.splat(0)));
}

/** JavaScript truthiness per float lane: nonzero and not NaN. */
export function truthyMask(x: v128): v128 {
  return v128.and(f32x4.ne(x, f32x4.splat(0)), f32x4.eq(x, x));
}

/** a * b + c, fused where the engine has relaxed SIMD (FMA), else multiply then add. */
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Sum of the four lanes. */
export function hsum(v: v128): f32 {
  const s = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}
