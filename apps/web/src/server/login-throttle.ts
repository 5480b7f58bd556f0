import { eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "./db/open";
import { loginThrottle } from "./db/schema";
import type { Limits } from "./limits";

/**
 * Brute-force limits on password checks, kept in the `login_throttle` table so they hold across
 * app instances: failures are counted per key (an email, a client address) in a fixed window
 * that starts at the key's first failure. Past a key's limit, every attempt is refused until the
 * window ends, even one with the right password, so guessing gains nothing.
 */

export type ThrottleLimits = Limits["signInFailures"];

export interface ThrottleKey {
  readonly key: string;
  readonly limit: number;
}

/** The keys a sign-in counts against. The address is skipped when unknown (it would be shared). */
export function signInKeys(email: string, address: string, limits: ThrottleLimits): ThrottleKey[] {
  const keys = [{ key: `email:${email}`, limit: limits.perEmail }];
  if (address !== "unknown") keys.push({ key: `address:${address}`, limit: limits.perAddress });
  return keys;
}

export function emailKey(email: string, limits: ThrottleLimits): ThrottleKey {
  return { key: `email:${email}`, limit: limits.perEmail };
}

/** Whole minutes until every key is below its limit again; 0 if none is over it. */
export async function throttledMinutes(
  db: Database,
  keys: readonly ThrottleKey[],
  windowMinutes: number,
  now = new Date(),
): Promise<number> {
  const rows = await db
    .select()
    .from(loginThrottle)
    .where(
      inArray(
        loginThrottle.key,
        keys.map((k) => k.key),
      ),
    );
  let waitMs = 0;
  for (const row of rows) {
    const limit = keys.find((k) => k.key === row.key)?.limit ?? Number.POSITIVE_INFINITY;
    const endsAt = row.windowStartedAt.getTime() + windowMinutes * 60_000;
    if (row.failures >= limit && endsAt > now.getTime()) {
      waitMs = Math.max(waitMs, endsAt - now.getTime());
    }
  }
  return Math.ceil(waitMs / 60_000);
}

/** Counts one failure against each key, starting a new window where the old one has ended. */
export async function recordFailure(
  db: Database,
  keys: readonly ThrottleKey[],
  windowMinutes: number,
  now = new Date(),
): Promise<void> {
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - windowMinutes * 60_000).toISOString();
  // Ended windows of any key are dead weight; drop them as we go.
  await db.delete(loginThrottle).where(lte(loginThrottle.windowStartedAt, new Date(cutoff)));
  const expired = sql`"login_throttle"."window_started_at" <= ${cutoff}::timestamptz`;
  for (const { key } of keys) {
    // One statement per key, so concurrent failures on several instances all count.
    await db
      .insert(loginThrottle)
      .values({ key, failures: 1, windowStartedAt: now })
      .onConflictDoUpdate({
        target: loginThrottle.key,
        set: {
          failures: sql`case when ${expired} then 1 else "login_throttle"."failures" + 1 end`,
          windowStartedAt: sql`case when ${expired} then ${at}::timestamptz else "login_throttle"."window_started_at" end`,
        },
      });
  }
}

/** Forgets a key's failures (a successful sign-in clears its email's count). */
export async function clearFailures(db: Database, key: ThrottleKey): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, key.key));
}
