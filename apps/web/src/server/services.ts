import type { Database } from "./db/open";
import type { LessonLibrary } from "./lessons";
import { DEFAULT_LIMITS, type Limits } from "./limits";
import { type RateLimiter, tokenBucket } from "./rate-limit";

/** Everything the API needs, made once per process (or per test). */
export interface Services {
  readonly db: Database;
  readonly lessons: LessonLibrary;
  readonly limits: Limits;
  readonly writeLimiter: RateLimiter;
  readonly identityLimiter: RateLimiter;
  readonly overallIdentityLimiter: RateLimiter;
}

export function createServices(options: {
  db: Database;
  lessons: LessonLibrary;
  limits?: Partial<Limits>;
}): Services {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  return {
    db: options.db,
    lessons: options.lessons,
    limits,
    writeLimiter: tokenBucket(limits.writes),
    identityLimiter: tokenBucket(limits.newIdentities),
    overallIdentityLimiter: tokenBucket(limits.newIdentitiesOverall),
  };
}
