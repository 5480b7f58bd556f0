/**
 * An in-memory token bucket per key (an identity, or a client address). It is per process: a
 * server with several processes gets several buckets per key, which is fine for a limit meant
 * to stop runaway scripts, not to meter. Idle buckets are dropped, so memory stays bounded.
 */
export interface RateLimiter {
  /** Takes a token for `key`: 0 if allowed, else the seconds until one is available. */
  take(key: string): number;
}

export function tokenBucket(
  options: { readonly burst: number; readonly perSecond: number },
  now: () => number = Date.now,
): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const fullAfterMs = (options.burst / options.perSecond) * 1000;
  let lastSweep = now();

  const sweep = (t: number) => {
    if (t - lastSweep < fullAfterMs && buckets.size < 10_000) return;
    lastSweep = t;
    for (const [key, bucket] of buckets) if (t - bucket.at >= fullAfterMs) buckets.delete(key);
  };

  return {
    take(key) {
      const t = now();
      sweep(t);
      const bucket = buckets.get(key) ?? { tokens: options.burst, at: t };
      const refill = ((t - bucket.at) / 1000) * options.perSecond;
      bucket.tokens = Math.min(options.burst, bucket.tokens + refill);
      bucket.at = t;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - bucket.tokens) / options.perSecond);
    },
  };
}
