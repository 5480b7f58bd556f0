import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { OidcChecks } from "./client";

/**
 * The sign-in in progress, kept in the browser between /api/auth/oidc/start and the callback.
 * It is sealed (AES-256-GCM, key derived from the client secret): the browser can neither read
 * the PKCE verifier nor forge a flow of its own, and it expires after FLOW_MINUTES.
 */
export interface OidcFlow extends OidcChecks {
  /** Where to go once signed in: a same-site path (safeReturnPath). */
  readonly next: string;
}

export const FLOW_COOKIE = "gradbook_oidc";
export const FLOW_MINUTES = 10;

function keyFor(clientSecret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", clientSecret, "gradbook", "oidc flow cookie v1", 32));
}

export function sealFlow(flow: OidcFlow, clientSecret: string, now = Date.now()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(clientSecret), iv);
  const plain = JSON.stringify({ ...flow, expiresAt: now + FLOW_MINUTES * 60_000 });
  const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
}

/** The flow, or null if the cookie is missing, altered, sealed with another key or expired. */
export function unsealFlow(
  cookie: string | undefined,
  clientSecret: string,
  now = Date.now(),
): OidcFlow | null {
  if (!cookie || cookie.length > 4000) return null;
  try {
    const bytes = Buffer.from(cookie, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", keyFor(clientSecret), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
    const flow = JSON.parse(plain.toString("utf8")) as OidcFlow & { expiresAt: number };
    if (!(flow.expiresAt > now)) return null;
    return {
      state: flow.state,
      nonce: flow.nonce,
      codeVerifier: flow.codeVerifier,
      next: flow.next,
    };
  } catch {
    return null;
  }
}
