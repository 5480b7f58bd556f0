/** Python's printed form of hyperparameter values, so `String(optimizer)` reads as PyTorch's. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pythonFloat(value);
  if (Array.isArray(value)) return `(${value.map(pythonRepr).join(", ")})`;
  return String(value);
}

/** Python switches to exponent notation below 1e-4 and pads the exponent to two digits. */
function pythonFloat(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    return v.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  }
  return String(v);
}
