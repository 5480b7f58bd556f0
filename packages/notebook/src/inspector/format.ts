/**
 * Number formatting for tensor views. A table uses one format for all its numbers, chosen as
 * PyTorch chooses its print format, so columns line up: integers as integers, moderate values
 * with four decimals, very large or small ones in scientific notation.
 */

export type NumberFormat = (value: number) => string;

export function special(value: number): string | null {
  if (Number.isNaN(value)) return "nan";
  if (value === Number.POSITIVE_INFINITY) return "inf";
  if (value === Number.NEGATIVE_INFINITY) return "-inf";
  return null;
}

export function tableFormat(values: ArrayLike<number>, dtype: string): NumberFormat {
  if (dtype === "bool") return (v) => (v ? "True" : "False");
  if (dtype !== "float32") return (v) => String(v);
  let maxAbs = 0;
  let minAbs = Number.POSITIVE_INFINITY;
  let integral = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    const a = Math.abs(v);
    maxAbs = Math.max(maxAbs, a);
    if (a > 0) minAbs = Math.min(minAbs, a);
    if (!Number.isInteger(v)) integral = false;
  }
  const scientific = maxAbs >= 1e8 || (maxAbs > 0 && (maxAbs / minAbs > 1000 || maxAbs < 1e-4));
  const format: NumberFormat =
    integral && !scientific
      ? (v) => `${v.toFixed(0)}.`
      : scientific
        ? (v) => v.toExponential(4)
        : (v) => v.toFixed(4);
  return (v) => special(v) ?? format(v);
}

/** A single number in few characters, for statistics and axis labels. */
export function compact(value: number): string {
  const s = special(value);
  if (s) return s;
  if (value === 0) return "0";
  const a = Math.abs(value);
  if (a >= 1e5 || a < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}
