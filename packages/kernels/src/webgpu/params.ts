/**
 * Kernel parameters (sizes, strides, scalars) as 32-bit words in a uniform buffer. Kernels read
 * them with the WGSL accessors of `wgsl/prelude.ts`: sizes and strides are data, not source, so
 * one compiled pipeline serves every shape.
 */
export class ParamBlock {
  #words: number[] = [];
  readonly #scratch = new DataView(new ArrayBuffer(4));

  /** Append an unsigned 32-bit word; returns its slot. */
  u32(v: number): number {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new RangeError(`webgpu: kernel parameter ${v} does not fit in 32 bits`);
    }
    return this.#push(v);
  }

  /** Append a signed 32-bit word (strides may be negative); returns its slot. */
  i32(v: number): number {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
      throw new RangeError(`webgpu: kernel parameter ${v} does not fit in 32 bits`);
    }
    return this.#push(v >>> 0);
  }

  /** Append a float32 (rounded from the JS number; NaN and infinities allowed); returns its slot. */
  f32(v: number): number {
    this.#scratch.setFloat32(0, v, true);
    return this.#push(this.#scratch.getUint32(0, true));
  }

  get length(): number {
    return this.#words.length;
  }

  /** Words padded to whole vec4s, as the uniform array is declared. */
  words(): Uint32Array {
    const out = new Uint32Array(vec4Count(this.#words.length) * 4);
    out.set(this.#words);
    return out;
  }

  #push(word: number): number {
    this.#words.push(word);
    return this.#words.length - 1;
  }
}

/** Number of vec4<u32> in the uniform array holding `words` words (at least one). */
export function vec4Count(words: number): number {
  return Math.max(1, Math.ceil(words / 4));
}
