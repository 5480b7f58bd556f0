import { randomInt } from "node:crypto";

/**
 * Join codes: 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), stored bare
 * and uppercase, shown in two groups (`K7PD-Q2MX`). Typing them is forgiving: case, dashes and
 * spaces don't matter. 31^8 ≈ 8.5e11 codes, and joining goes through the write rate limit.
 */
export const JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const JOIN_CODE_LENGTH = 8;

export function newJoinCode(): string {
  let code = "";
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) {
    code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  }
  return code;
}

export function formatJoinCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The stored form of what someone typed, or null with why it can't be a code. */
export function normalizeJoinCode(typed: string): { code: string } | { problem: string } {
  const code = typed.replace(/[\s-]/g, "").toUpperCase();
  const example = "8 letters and digits, like K7PD-Q2MX";
  if (code.length !== JOIN_CODE_LENGTH) {
    return { problem: `"${typed.trim()}" is not a join code: codes are ${example}.` };
  }
  const stray = [...code].find((c) => !JOIN_CODE_ALPHABET.includes(c));
  if (stray !== undefined) {
    const hint = /[01OIL]/.test(stray) ? " (codes never use 0, O, 1, I or L)" : "";
    return { problem: `"${typed.trim()}" is not a join code: it has "${stray}"${hint}.` };
  }
  return { code };
}
