/**
 * Where to go after signing in: only a path on this site (`/n/abc?x=1`), never another site. A
 * `next` of `//evil.test`, `/\evil.test` (browsers read `\` as `/`), `https://evil.test` or
 * anything odd gives `fallback`.
 */
export function safeReturnPath(next: unknown, fallback = "/notebooks"): string {
  if (typeof next !== "string" || next.length > 2000) return fallback;
  if (!next.startsWith("/") || next.includes("\\") || hasControlCharacter(next)) return fallback;
  const base = "http://gradbook.invalid";
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Browsers drop tabs and newlines from URLs, so `/\t/evil.test` would mean `//evil.test`. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
