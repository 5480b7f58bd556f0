/**
 * Printing tensors exactly as PyTorch does: `tensor([[ 0.1000, -2.0000]], requires_grad=True)`.
 * A port of torch/_tensor_str.py with its default print options (precision 4, threshold 1000,
 * edgeitems 3, linewidth 80).
 */

import type { Tensor } from "./tensor.js";

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 80;

// ---------------------------------------------------------------- Python's number formatting

/**
 * Round a non-negative decimal, given as its integer digits and its (exact) fraction digits, to
 * `digits` fraction digits, half to even: Python rounds the exact binary value, so only values
 * whose decimal expansion ends exactly in 5 there (like 1.03125 at 4 places) are ties.
 */
function roundDigits(int: string, frac: string, digits: number): string {
  const kept = frac.slice(0, digits).padEnd(digits, "0");
  const rest = frac.slice(digits);
  let all = int + kept;
  const first = rest.length > 0 ? rest.charCodeAt(0) - 48 : 0;
  const tie = first === 5 && !/[1-9]/.test(rest.slice(1));
  const up =
    first > 5 || (first === 5 && !tie) || (tie && (all.charCodeAt(all.length - 1) - 48) % 2 === 1);
  if (up) {
    const d = all.split("");
    let i = d.length - 1;
    for (; i >= 0 && d[i] === "9"; i--) d[i] = "0";
    if (i < 0) d.unshift("1");
    else d[i] = String.fromCharCode(d[i].charCodeAt(0) + 1);
    all = d.join("");
  }
  const intLen = all.length - digits;
  return digits > 0 ? `${all.slice(0, intLen)}.${all.slice(intLen)}` : all;
}

function signOf(v: number): string {
  return v < 0 || Object.is(v, -0) ? "-" : "";
}

function special(v: number): string | null {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return null;
}

/** Python's `'{:.Nf}'.format(v)`. */
export function pyFixed(v: number, digits: number): string {
  const sp = special(v);
  if (sp) return sp;
  const a = Math.abs(v);
  if (a >= 1e21)
    return signOf(v) + BigInt(a).toString() + (digits > 0 ? `.${"0".repeat(digits)}` : "");
  // toFixed(100) is exact for every float32 of magnitude above 2^-100 or so.
  const [int, frac] = a.toFixed(100).split(".");
  return signOf(v) + roundDigits(int, frac, digits);
}

/** Python's `'{:.Ne}'.format(v)`: one digit, N decimals, an exponent of at least two digits. */
export function pyExp(v: number, digits: number): string {
  const sp = special(v);
  if (sp) return sp;
  // toExponential(100) holds the exact significant digits of every normal float32.
  const [m, e] = Math.abs(v).toExponential(100).split("e");
  const [int, frac] = m.split(".");
  let exp = Number(e);
  let mantissa = roundDigits(int, frac, digits);
  if (mantissa.startsWith("10")) {
    // rounding carried into a new digit: 9.99996e3 -> 1.0000e+04
    mantissa = `1.${"0".repeat(digits)}`;
    exp += 1;
  }
  const ae = Math.abs(exp);
  return `${signOf(v)}${mantissa}e${exp < 0 ? "-" : "+"}${ae < 10 ? "0" : ""}${ae}`;
}

// ---------------------------------------------------------------- the formatter

interface Formatter {
  width: number;
  format(v: number): string;
}

/** PyTorch's _Formatter: picks integer, fixed or scientific notation from the shown values. */
function makeFormatter(values: readonly number[], dtype: string): Formatter {
  if (dtype === "bool" || dtype === "int64") {
    const str = (v: number) => (dtype === "bool" ? (v ? "True" : "False") : String(v));
    let width = 1;
    for (const v of values) width = Math.max(width, str(v).length);
    return { width, format: (v) => str(v).padStart(width) };
  }
  const nonzeroFinite = values.filter((v) => Number.isFinite(v) && v !== 0);
  let intMode = true;
  let sciMode = false;
  let width = 1;
  if (nonzeroFinite.length > 0) {
    const abs = nonzeroFinite.map(Math.abs);
    const max = Math.max(...abs);
    const min = Math.min(...abs);
    intMode = nonzeroFinite.every((v) => v === Math.ceil(v));
    if (intMode) {
      if (max / min > 1000 || max > 1e8) {
        sciMode = true;
        for (const v of nonzeroFinite) width = Math.max(width, pyExp(v, PRECISION).length);
      } else {
        for (const v of nonzeroFinite) width = Math.max(width, pyFixed(v, 0).length + 1);
      }
    } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
      sciMode = true;
      for (const v of nonzeroFinite) width = Math.max(width, pyExp(v, PRECISION).length);
    } else {
      for (const v of nonzeroFinite) width = Math.max(width, pyFixed(v, PRECISION).length);
    }
  }
  const format = (v: number): string => {
    let s: string;
    if (sciMode) s = pyExp(v, PRECISION);
    else if (intMode) s = pyFixed(v, 0) + (Number.isFinite(v) ? "." : "");
    else s = pyFixed(v, PRECISION);
    return s.padStart(width);
  };
  return { width, format };
}

// ---------------------------------------------------------------- layout

/** The positions shown along a dim of size n ([-1] marks the "..." gap). */
function shownIndices(n: number, summarize: boolean): number[] {
  if (summarize && n > 2 * EDGE_ITEMS) {
    return [
      ...Array(EDGE_ITEMS).keys(),
      -1,
      ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i),
    ];
  }
  return [...Array(n).keys()];
}

/**
 * The body of PyTorch's printed form for row-major `values` of `shape`, e.g. `[[1., 2.]]`,
 * laid out for a first line that starts `indent` characters in (7 after "tensor(").
 */
export function formatValues(
  values: ArrayLike<number>,
  shape: readonly number[],
  dtype: string,
  indent: number,
): string {
  const numel = shape.reduce((p, d) => p * d, 1);
  if (numel === 0) return "[]";
  const summarize = numel > THRESHOLD;
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  // The formatter sees only the values that will be shown (PyTorch's get_summarized_data).
  const shown: number[] = [];
  const collect = (d: number, base: number) => {
    if (d === shape.length) {
      shown.push(values[base]);
      return;
    }
    for (const i of shownIndices(shape[d], summarize)) {
      if (i >= 0) collect(d + 1, base + i * strides[d]);
    }
  };
  collect(0, 0);
  const fmt = makeFormatter(shown, dtype);

  const render = (d: number, base: number, ind: number): string => {
    if (d === shape.length) return fmt.format(values[base]);
    if (d === shape.length - 1) {
      const items = shownIndices(shape[d], summarize).map((i) =>
        i < 0 ? " ..." : fmt.format(values[base + i * strides[d]]),
      );
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - ind) / (fmt.width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) {
        lines.push(items.slice(i, i + perLine).join(", "));
      }
      return `[${lines.join(`,\n${" ".repeat(ind + 1)}`)}]`;
    }
    const slices = shownIndices(shape[d], summarize).map((i) =>
      i < 0 ? "..." : render(d + 1, base + i * strides[d], ind + 1),
    );
    const rest = shape.length - d;
    return `[${slices.join(`,${"\n".repeat(rest - 1)}${" ".repeat(ind + 1)}`)}]`;
  };
  return render(0, 0, indent);
}

/** PyTorch's _add_suffixes: `, suffix` on the last line, or on a new line past 80 columns. */
function addSuffixes(body: string, suffixes: readonly string[], indent: number): string {
  const parts = [body];
  let lastLineLen = body.length - body.lastIndexOf("\n") + 1;
  for (const suffix of suffixes) {
    if (lastLineLen + suffix.length + 2 > LINE_WIDTH) {
      parts.push(`,\n${" ".repeat(indent)}${suffix}`);
      lastLineLen = indent + suffix.length;
    } else {
      parts.push(`, ${suffix}`);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(")");
  return parts.join("");
}

export function formatTensor(t: Tensor): string {
  const prefix = "tensor(";
  const indent = prefix.length;
  const suffixes: string[] = [];
  if (t.device !== "js" && t.device !== "wasm") suffixes.push(`device='${t.device}'`);
  let body: string;
  if (t.numel() === 0) {
    if (t.ndim !== 1) suffixes.push(`size=(${t.shape.join(", ")}${t.ndim === 1 ? "," : ""})`);
    if (t.dtype !== "float32") suffixes.push(`dtype=torch.${t.dtype}`);
    body = "[]";
  } else if (t._backend.syncReadback) {
    body = formatValues(t.dataSync(), t.shape, t.dtype, indent);
  } else {
    body = `<${t.shape.join("x") || "scalar"} ${t.dtype} on ${t.device}: await x.tolist() to read>`;
  }
  if (t.grad_fn) suffixes.push(`grad_fn=<${t.grad_fn.name}>`);
  else if (t.requires_grad) suffixes.push("requires_grad=True");
  return addSuffixes(prefix + body, suffixes, indent);
}
