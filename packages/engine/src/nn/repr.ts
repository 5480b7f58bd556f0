/** Python's printed forms, so `String(model)` reads exactly as PyTorch prints a module. */

/** A Python float: `0.1`, `1.0`, `1e-05`, `inf`. */
export function pyFloat(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const abs = Math.abs(v);
  // Python's repr switches to exponent form below 1e-4 and from 1e16, with 2-digit exponents.
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    return v.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  }
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

export function pyBool(v: boolean): string {
  return v ? "True" : "False";
}

/** A Python tuple of ints: `(3, 3)`, `(6,)`. */
export function pyTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(", ")})`;
}

/** An int or None. */
export function pyOptional(v: number | null): string {
  return v === null ? "None" : String(v);
}

/** PyTorch's `_addindent`: indent every line but the first. */
export function addIndent(s: string, spaces: number): string {
  const lines = s.split("\n");
  if (lines.length === 1) return s;
  const pad = " ".repeat(spaces);
  return [lines[0], ...lines.slice(1).map((l) => pad + l)].join("\n");
}
