/**
 * Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11): a
 * counter-based generator, so element i of a random tensor depends only on (key, counter i)
 * and every backend, CPU or GPU, produces the same stream for the same seed.
 */

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two unsigned 32-bit integers. */
function mulhi(a: number, b: number): number {
  const aH = a >>> 16;
  const aL = a & 0xffff;
  const bH = b >>> 16;
  const bL = b & 0xffff;
  const m1 = aH * bL;
  const m2 = aL * bH;
  const mid = ((aL * bL) >>> 16) + (m1 & 0xffff) + (m2 & 0xffff);
  return (aH * bH + (m1 >>> 16) + (m2 >>> 16) + (mid >>> 16)) >>> 0;
}

/** Four random 32-bit words for counter (c0, c1, 0, 0) under key (k0, k1), written to `out`. */
export function philox4x32(c0: number, c1: number, k0: number, k1: number, out: Uint32Array): void {
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let x2 = 0;
  let x3 = 0;
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhi(M1, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ k0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ k1) >>> 0;
    x3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[0] = x0;
  out[1] = x1;
  out[2] = x2;
  out[3] = x3;
}

const TWO_POW_24 = 1 / 16777216;
const TWO_POW_32 = 4294967296;

/** Uniform in [0, 1) with 24 random bits (exactly representable in float32). */
export function uniformFromWord(w: number): number {
  return (w >>> 8) * TWO_POW_24;
}

/** Standard normal by Box-Muller from two words. */
export function normalFromWords(w0: number, w1: number): number {
  const u1 = ((w0 >>> 8) + 1) * TWO_POW_24; // (0, 1]: log is finite
  const u2 = (w1 >>> 8) * TWO_POW_24;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Split a non-negative integer counter below 2^53 into 32-bit words. */
export function counterWords(counter: number): [number, number] {
  return [(counter % TWO_POW_32) >>> 0, Math.floor(counter / TWO_POW_32) >>> 0];
}

/** Derive the Philox key from a user seed (any integer up to 2^53). */
export function keyFromSeed(seed: number): [number, number] {
  const [lo, hi] = counterWords(Math.abs(Math.trunc(seed)));
  return [lo, hi];
}
