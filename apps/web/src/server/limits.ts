/**
 * The server's limits, in one place. Each has an error a person can act on (see the routers and
 * the route handler).
 */
export interface Limits {
  /** Largest notebook, in bytes of UTF-8 Markdown. */
  readonly notebookBytes: number;
  /** Largest request body the API reads; larger requests are refused before parsing. */
  readonly requestBytes: number;
  /** Writes per identity: a token bucket of `burst` tokens refilled at `perSecond`. */
  readonly writes: { readonly burst: number; readonly perSecond: number };
  /**
   * New anonymous identities per client address, the same way. The address comes from
   * X-Forwarded-For, which a client can forge when no proxy sets it, hence also a cap overall.
   */
  readonly newIdentities: { readonly burst: number; readonly perSecond: number };
  readonly newIdentitiesOverall: { readonly burst: number; readonly perSecond: number };
  /** Revisions kept per notebook; older ones are pruned on save. */
  readonly revisionsKept: number;
  /**
   * Failed sign-ins per email and per client address within a window; past either, sign-in is
   * refused (even with the right password) until the window ends. Kept in the database, so the
   * limit holds across app instances.
   */
  readonly signInFailures: {
    readonly perEmail: number;
    readonly perAddress: number;
    readonly windowMinutes: number;
  };
  /** Largest saved model (a safetensors file), in bytes; `GRADBOOK_MAX_MODEL_MB` sets it. */
  readonly modelBytes: number;
}

export const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: Limits = {
  notebookBytes: 1 * MiB,
  // JSON escaping can nearly double Markdown (quotes, backslashes, newlines).
  requestBytes: 2 * MiB + 64 * 1024,
  // Bursts of edits and autosaves, ~1 save per second sustained.
  writes: { burst: 60, perSecond: 1 },
  newIdentities: { burst: 20, perSecond: 1 / 30 },
  newIdentitiesOverall: { burst: 300, perSecond: 2 },
  revisionsKept: 200,
  signInFailures: { perEmail: 5, perAddress: 30, windowMinutes: 15 },
  modelBytes: 50 * MiB,
};

export function formatBytes(bytes: number): string {
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(bytes % MiB === 0 ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
