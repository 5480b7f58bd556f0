/** Timing helpers: warm up, then take the median of several timed runs. */

export interface Timing {
  /** Median milliseconds per call. */
  ms: number;
}

/**
 * Median time of `fn` over `runs` runs after `warmup` untimed ones. A run repeats `fn` until
 * at least `minMs` passed, so short calls are timed in batches.
 */
export async function time(
  fn: () => unknown,
  { warmup = 5, runs = 15, minMs = 20 }: { warmup?: number; runs?: number; minMs?: number } = {},
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    let calls = 0;
    const t0 = performance.now();
    let elapsed = 0;
    do {
      await fn();
      calls++;
      elapsed = performance.now() - t0;
    } while (elapsed < minMs);
    samples.push(elapsed / calls);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)] };
}

export function gflops(n: number, ms: number): number {
  return (2 * n ** 3) / (ms * 1e6);
}

/** A seeded uniform generator in [-1, 1), so every library sees the same data. */
export function uniform(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
