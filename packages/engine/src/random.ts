import {
  counterWords,
  keyFromSeed,
  philox4x32,
  type RandomDistribution,
  sizeOf,
} from "@gradbook/kernels";
import { getBackend } from "./device.js";
import type { Shape } from "./shape.js";
import { Tensor } from "./tensor.js";

/** PyTorch's default seed for a fresh process. */
const DEFAULT_SEED = 67280421310721;

/**
 * A random stream: a Philox key (from the seed) and a counter that advances by one per number
 * drawn. Kernels compute element i from counter `offset + i` alone, so every backend draws the
 * same numbers for the same seed.
 */
export class Generator {
  private seed = DEFAULT_SEED;
  /** @internal */ key: [number, number] = keyFromSeed(DEFAULT_SEED);
  /** @internal */ offset = 0;

  manual_seed(seed: number): this {
    if (!Number.isSafeInteger(seed))
      throw new RangeError(`manual_seed expects an integer, got ${seed}`);
    this.seed = seed;
    this.key = keyFromSeed(seed);
    this.offset = 0;
    return this;
  }

  initial_seed(): number {
    return this.seed;
  }

  get_state(): { seed: number; offset: number } {
    return { seed: this.seed, offset: this.offset };
  }

  set_state(state: { seed: number; offset: number }): void {
    this.manual_seed(state.seed);
    this.offset = state.offset;
  }

  /** @internal Reserve `n` counters; returns the first. */
  take(n: number): number {
    const start = this.offset;
    this.offset += n;
    return start;
  }
}

export const default_generator = new Generator();

/** Seed the global generator, so runs repeat exactly (on every backend). */
export function manual_seed(seed: number): Generator {
  return default_generator.manual_seed(seed);
}

export function initial_seed(): number {
  return default_generator.initial_seed();
}

export function randomTensor(
  dist: RandomDistribution,
  shape: Shape,
  generator: Generator = default_generator,
  device?: string,
): Tensor {
  const backend = getBackend(device);
  const n = sizeOf(shape);
  const buf = backend.random(dist, n, generator.key, generator.take(n));
  return Tensor._fromBuffer(buf, shape, "float32", backend);
}

export function randomLike(dist: RandomDistribution, like: Tensor): Tensor {
  return randomTensor(dist, like.shape, default_generator, like.device);
}

/** A random permutation of 0..n-1 (Fisher-Yates on the Philox stream, on the host). */
export function randpermData(n: number, generator: Generator = default_generator): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const start = generator.take(n);
  const words = new Uint32Array(4);
  for (let i = n - 1; i > 0; i--) {
    const [c0, c1] = counterWords(start + i);
    philox4x32(c0, c1, generator.key[0], generator.key[1], words);
    const j = Math.floor((words[0] / 4294967296) * (i + 1));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}
