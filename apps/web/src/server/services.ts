import type { Database } from "./db/open";
import type { LessonLibrary } from "./lessons";
import { DEFAULT_LIMITS, type Limits } from "./limits";
import { type OidcClient, oidcClient } from "./oidc/client";
import { checkedOidcSettings, type OidcSettings, oidcSettingsFromEnv } from "./oidc/settings";
import { type RateLimiter, tokenBucket } from "./rate-limit";

/** Everything the API needs, made once per process (or per test). */
export interface Services {
  readonly db: Database;
  readonly lessons: LessonLibrary;
  readonly limits: Limits;
  readonly writeLimiter: RateLimiter;
  readonly identityLimiter: RateLimiter;
  readonly overallIdentityLimiter: RateLimiter;
  /** Emails that are admins (GRADBOOK_ADMIN_EMAILS, lower-case); null when unset (accounts.ts). */
  readonly adminEmails: ReadonlySet<string> | null;
  /** OpenID Connect sign-in (GRADBOOK_OIDC_*, oidc/); null when not configured. */
  readonly oidc: OidcClient | null;
}

export function createServices(options: {
  db: Database;
  lessons: LessonLibrary;
  limits?: Partial<Limits>;
  /** Defaults to GRADBOOK_ADMIN_EMAILS. */
  adminEmails?: readonly string[] | null;
  /** Defaults to the GRADBOOK_OIDC_* variables; null turns it off. */
  oidc?: (Omit<OidcSettings, "name"> & { name?: string }) | null;
}): Services {
  const oidc = options.oidc !== undefined ? options.oidc : oidcSettingsFromEnv();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  return {
    db: options.db,
    lessons: options.lessons,
    limits,
    writeLimiter: tokenBucket(limits.writes),
    identityLimiter: tokenBucket(limits.newIdentities),
    overallIdentityLimiter: tokenBucket(limits.newIdentitiesOverall),
    adminEmails: adminEmailSet(
      options.adminEmails !== undefined
        ? options.adminEmails
        : parseAdminEmails(process.env.GRADBOOK_ADMIN_EMAILS),
    ),
    oidc: oidc ? oidcClient(checkedOidcSettings(oidc)) : null,
  };
}

/** GRADBOOK_ADMIN_EMAILS: comma-separated; unset or blank means none listed. */
export function parseAdminEmails(value: string | undefined): string[] | null {
  const emails = (value ?? "")
    .split(",")
    .map((email) => email.trim())
    .filter(Boolean);
  return emails.length > 0 ? emails : null;
}

function adminEmailSet(emails: readonly string[] | null): ReadonlySet<string> | null {
  return emails ? new Set(emails.map((email) => email.toLowerCase())) : null;
}
