import { createHash, randomBytes } from "node:crypto";

/** 144 random bits as 24 base64url characters: unguessable, URL-safe, no padding. */
export function randomId(): string {
  return randomBytes(18).toString("base64url");
}

/** Session cookies carry 256 random bits; the database stores only their hash. */
export function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

/** The shape of ids made by `randomId` (and of anything a URL may name as one). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
