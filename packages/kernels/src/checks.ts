/** Argument checks every backend runs before a kernel, so bad launches fail the same way everywhere. */

import { type BackendBuffer, sizeOf, type View } from "./backend.js";

export function checkSize(size: number, what: string): void {
  if (!Number.isInteger(size) || size < 0) {
    throw new RangeError(`${what}: size must be a non-negative integer, got ${size}`);
  }
}

export function checkExtent(have: number, need: number, what: string): void {
  if (have < need) {
    throw new RangeError(`${what}: buffer has ${have} elements, the kernel reads ${need}`);
  }
}

export function checkSameShape(a: readonly number[], b: readonly number[], what: string): void {
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new Error(`${what}: view shapes differ: [${a}] vs [${b}]`);
  }
}

/** Throws unless every element of the view lies inside a buffer of `bufSize` elements. */
export function checkView(v: View, bufSize: number, what: string): void {
  if (v.shape.length !== v.strides.length) {
    throw new Error(`${what}: view has ${v.shape.length} dims but ${v.strides.length} strides`);
  }
  if (sizeOf(v.shape) === 0) return;
  let lo = v.offset;
  let hi = v.offset;
  for (let d = 0; d < v.shape.length; d++) {
    const span = (v.shape[d] - 1) * v.strides[d];
    if (span < 0) lo += span;
    else hi += span;
  }
  if (lo < 0 || hi >= bufSize) {
    throw new RangeError(
      `${what}: view reaches elements ${lo}..${hi} of a ${bufSize}-element buffer`,
    );
  }
}

/** A binaryScalar operand: a JavaScript number (NaN and infinities allowed). */
export function checkScalar(s: number, what: string): void {
  if (typeof s !== "number") throw new TypeError(`${what}: the scalar must be a number, got ${s}`);
}

/** A fused optimizer update's buffers (nulls are absent state): float32, one size each. */
export function checkUpdateBuffers(
  what: string,
  buffers: readonly (BackendBuffer | null)[],
): BackendBuffer[] {
  const present = buffers.filter((b): b is BackendBuffer => b !== null);
  const size = present[0].size;
  for (const b of present) {
    if (b.dtype !== "float32")
      throw new TypeError(`${what}: buffers must be float32, got ${b.dtype}`);
    if (b.size !== size) {
      throw new RangeError(`${what}: buffers differ in size: ${present.map((x) => x.size)}`);
    }
  }
  return present;
}
