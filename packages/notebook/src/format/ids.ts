import type { CellType } from "./types.js";

/**
 * Cell ids. A code cell with an `id=` attribute has that id. Other cells get
 * `js-<hash>` (code) or `md-<hash>` (markdown), where the hash is of the cell's own source, so
 * editing, adding or removing other cells leaves the id alone. Cells with the same source (and
 * the rare hash collision) take a counter in document order: `js-<hash>-2`, `js-<hash>-3`; only
 * an edit that creates or removes such a twin before a cell renumbers it.
 *
 * Ids derived from the source change when the cell itself is edited and the file re-read; the
 * editing API keeps a cell's id through edits within a session.
 */

export function derivedId(type: CellType, source: string): string {
  return `${type === "code" ? "js" : "md"}-${hash(source)}`;
}

/** Gives `base` a counter suffix if needed so that it is not in `taken`, and marks it taken. */
export function claimId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** cyrb53: a fast 53-bit string hash, written in base 36 (at most 11 characters). */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
