/**
 * Helpers for testing the wasm backend against the js backend (the oracle): seeded data,
 * random strided and broadcast views, and comparisons with the golden tolerances.
 */

import { expect } from "vitest";
import {
  type AnyTypedArray,
  type Backend,
  type BackendBuffer,
  type DType,
  JsBackend,
  sizeOf,
  typedArrayFor,
  type View,
} from "../src/index.js";

export const js = new JsBackend();

/** A small seeded generator so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randInt(lo: number, hi: number, rand: () => number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

/** Random data of a dtype: floats in [-3, 3) (with a few specials if asked), small ints, bools. */
export function randomData(
  dtype: DType,
  n: number,
  rand: () => number,
  specials = false,
): AnyTypedArray {
  const out = typedArrayFor(dtype, n);
  const SPECIAL = [
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    0,
    0.5,
    -2.5,
  ];
  for (let i = 0; i < n; i++) {
    if (dtype === "float32") {
      out[i] =
        specials && rand() < 0.1 ? SPECIAL[randInt(0, SPECIAL.length - 1, rand)] : rand() * 6 - 3;
    } else if (dtype === "int32") out[i] = randInt(-9, 9, rand);
    else out[i] = rand() < 0.5 ? 0 : 1;
  }
  return out;
}

/** Upload the same data to both backends. */
export function pair(w: Backend, data: AnyTypedArray): [BackendBuffer, BackendBuffer] {
  return [w.upload(data), js.upload(data)];
}

/** Every element within atol + rtol * |expected| (the golden tolerances); NaN matches NaN. */
export function expectMatch(
  actual: AnyTypedArray,
  expected: AnyTypedArray,
  what: string,
  tol = { rtol: 1e-4, atol: 1e-5 },
): void {
  expect(actual.constructor, `${what}: dtype`).toBe(expected.constructor);
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const exact = !(expected instanceof Float32Array);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    const ok =
      exact || !Number.isFinite(e) ? a === e : Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
    if (!ok) expect.fail(`${what}: element ${i} is ${a}, the js backend gives ${e}`);
  }
}

/** Run a kernel on both backends (same arguments, each with its own buffers) and compare. */
export function expectSame(
  w: Backend,
  run: (b: Backend, bufs: BackendBuffer[]) => BackendBuffer,
  inputs: AnyTypedArray[],
  what: string,
  tol?: { rtol: number; atol: number },
): void {
  const wb = inputs.map((d) => w.upload(d));
  const jb = inputs.map((d) => js.upload(d));
  let expected: AnyTypedArray | Error;
  try {
    expected = js.readSync(run(js, jb));
  } catch (e) {
    expected = e as Error;
  }
  if (expected instanceof Error) {
    expect(() => run(w, wb), what).toThrow(expected.message);
  } else {
    const out = run(w, wb);
    expectMatch(w.readSync(out), expected, what, tol);
    w.free(out);
  }
  for (const b of wb) w.free(b);
}

/**
 * A random view of `shape` into a buffer: dims laid out in a random order, some with gaps
 * (sliced), some broadcast (stride 0), at a random offset. Returns the view and buffer size.
 */
export function randomView(
  shape: readonly number[],
  rand: () => number,
): { view: View; size: number } {
  const nd = shape.length;
  const order = [...shape.keys()];
  for (let i = nd - 1; i > 0; i--) {
    const j = randInt(0, i, rand);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const strides = new Array<number>(nd).fill(0);
  let step = rand() < 0.2 ? 2 : 1;
  for (let i = nd - 1; i >= 0; i--) {
    const d = order[i];
    if (rand() < 0.15) continue; // broadcast
    strides[d] = step;
    step *= shape[d] + (rand() < 0.25 ? 1 : 0);
  }
  const offset = rand() < 0.4 ? randInt(0, 3, rand) : 0;
  let hi = offset;
  for (let d = 0; d < nd; d++) hi += Math.max(0, shape[d] - 1) * strides[d];
  const size = sizeOf(shape) === 0 ? randInt(0, 2, rand) : hi + 1 + randInt(0, 2, rand);
  return { view: { shape, strides, offset }, size };
}

export function randomShape(rand: () => number, maxDims = 4, maxDim = 7): number[] {
  const nd = randInt(0, maxDims, rand);
  return Array.from({ length: nd }, () => (rand() < 0.05 ? 0 : randInt(1, maxDim, rand)));
}
