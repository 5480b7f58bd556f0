import { Tensor } from "@gradbook/engine";
import { formatNumber, formatShape, indexOf, kindOf, show } from "./describe.js";

/**
 * Compares a student's value with the expected one and says what is wrong, as a teacher would:
 * the shape, then the dtype, then the values (within a tolerance), naming the first element
 * that differs. `null` means the value is right.
 */

export interface CheckOptions {
  /** Absolute tolerance (default 1e-5): values match when |a - e| <= atol + rtol * |e|. */
  readonly atol?: number;
  /** Relative tolerance (default 1e-4). */
  readonly rtol?: number;
  /** The value's name in messages, written as code (default: "your answer"). */
  readonly name?: string;
  /** The message when a predicate returns false (default "is not what was asked"). */
  readonly message?: string;
}

/** A custom test: `true` (or nothing) passes, `false` fails, a string fails with that message. */
export type Predicate = (
  actual: unknown,
) => boolean | string | undefined | Promise<boolean | string | undefined>;

interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
  readonly message: string;
}

export async function compare(
  actual: unknown,
  expected: unknown,
  options: CheckOptions = {},
): Promise<string | null> {
  const tolerance = {
    atol: options.atol ?? 1e-5,
    rtol: options.rtol ?? 1e-4,
    message: options.message ?? "is not what was asked",
  };
  const label = options.name === undefined ? "your answer" : `\`${options.name}\``;
  const problem = await difference(actual, expected, label, tolerance);
  return problem === null ? null : problem.replace(/^your answer/, "Your answer");
}

async function difference(
  actual: unknown,
  expected: unknown,
  label: string,
  tolerance: Tolerance,
): Promise<string | null> {
  if (typeof expected === "function")
    return predicate(actual, expected as Predicate, label, tolerance);
  if (expected instanceof Tensor) return tensorDifference(actual, expected, label, tolerance);
  if (typeof expected === "number") return numberDifference(actual, expected, label, tolerance);
  if (Array.isArray(expected)) return arrayDifference(actual, expected, label, tolerance);
  if (isPlainObject(expected)) return objectDifference(actual, expected, label, tolerance);
  if (Object.is(actual, expected)) return null;
  return `${label} is ${show(actual)}; expected ${show(expected)}`;
}

async function predicate(
  actual: unknown,
  test: Predicate,
  label: string,
  tolerance: Tolerance,
): Promise<string | null> {
  const verdict = await test(actual);
  if (verdict === true || verdict === undefined) return null;
  if (typeof verdict === "string") return verdict;
  return `${label} ${tolerance.message}`;
}

function close(a: number, e: number, tolerance: Tolerance): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= tolerance.atol + tolerance.rtol * Math.abs(e);
}

function numberDifference(
  actual: unknown,
  expected: number,
  label: string,
  tolerance: Tolerance,
): string | null {
  if (actual instanceof Tensor) {
    return actual.numel() === 1
      ? `${label} is a tensor; expected a number: read it with \`await t.item()\``
      : `${label} is ${kindOf(actual)}; expected a number`;
  }
  if (typeof actual !== "number") return `${label} is ${kindOf(actual)}; expected a number`;
  if (close(actual, expected, tolerance)) return null;
  return `${label} is ${formatNumber(actual)}; expected ${formatNumber(expected)}`;
}

async function arrayDifference(
  actual: unknown,
  expected: readonly unknown[],
  label: string,
  tolerance: Tolerance,
): Promise<string | null> {
  if (!Array.isArray(actual)) return `${label} is ${kindOf(actual)}; expected ${kindOf(expected)}`;
  if (actual.length !== expected.length) {
    return `${label} has ${actual.length} item${actual.length === 1 ? "" : "s"}; expected ${expected.length}`;
  }
  for (let i = 0; i < expected.length; i++) {
    const problem = await difference(actual[i], expected[i], member(label, `[${i}]`), tolerance);
    if (problem) return problem;
  }
  return null;
}

async function objectDifference(
  actual: unknown,
  expected: Record<string, unknown>,
  label: string,
  tolerance: Tolerance,
): Promise<string | null> {
  if (typeof actual !== "object" || actual === null) {
    return `${label} is ${kindOf(actual)}; expected an object with ${Object.keys(expected).join(", ")}`;
  }
  const record = actual as Record<string, unknown>;
  for (const [key, value] of Object.entries(expected)) {
    if (!(key in record)) return `${label} has no \`${key}\``;
    const problem = await difference(record[key], value, member(label, `.${key}`), tolerance);
    if (problem) return problem;
  }
  return null;
}

async function tensorDifference(
  actual: unknown,
  expected: Tensor,
  label: string,
  tolerance: Tolerance,
): Promise<string | null> {
  const wanted = `a tensor of shape ${formatShape(expected.shape)}`;
  if (Array.isArray(actual)) {
    return `${label} is an array; expected ${wanted}: wrap it with \`torch.tensor(...)\``;
  }
  if (!(actual instanceof Tensor)) return `${label} is ${kindOf(actual)}; expected ${wanted}`;
  const shape = shapeDifference(actual.shape, expected.shape);
  if (shape !== null)
    return `${label} has shape ${formatShape(actual.shape)}; expected ${formatShape(expected.shape)}${shape}`;
  if (actual.dtype !== expected.dtype) {
    return `${label} has dtype ${actual.dtype}; expected ${expected.dtype}${dtypeAdvice(expected.dtype)}`;
  }
  const [a, e] = await Promise.all([actual.data(), expected.data()]);
  return valuesDifference(a, e, expected.shape, label, tolerance);
}

/** Null when the shapes match; else a guess at why they don't (empty, or starting with a space). */
function shapeDifference(actual: readonly number[], expected: readonly number[]): string | null {
  if (actual.join() === expected.join()) return null;
  const count = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);
  if (
    actual.length === 2 &&
    expected.length === 2 &&
    actual[0] === expected[1] &&
    actual[1] === expected[0]
  ) {
    return " (transposed?)";
  }
  if (count(actual) === count(expected)) return " (the same values in another shape? see reshape)";
  return "";
}

function dtypeAdvice(expected: string): string {
  if (expected === "int64")
    return " (class labels are int64: `{ dtype: torch.int64 }` or `.long()`)";
  if (expected === "float32") return " (convert with `.float()`)";
  return "";
}

function valuesDifference(
  a: ArrayLike<number>,
  e: ArrayLike<number>,
  shape: readonly number[],
  label: string,
  tolerance: Tolerance,
): string | null {
  let wrong = 0;
  let first = -1;
  for (let i = 0; i < e.length; i++) {
    if (close(a[i], e[i], tolerance)) continue;
    wrong++;
    if (first < 0) first = i;
  }
  if (wrong === 0) return null;
  const got = `${formatNumber(a[first])}, expected ${formatNumber(e[first])}`;
  if (e.length === 1) return `${label} holds ${got}`;
  const at = formatShape(indexOf(first, shape));
  const scale = wrong > 1 ? scaleAdvice(a, e, tolerance) : "";
  return `${label} has ${wrong} of ${e.length} values wrong: at ${at} it is ${got}${scale}`;
}

/** When every value is the expected one times the same factor, say so (a sum for a mean, a sign). */
function scaleAdvice(a: ArrayLike<number>, e: ArrayLike<number>, tolerance: Tolerance): string {
  let dot = 0;
  let norm = 0;
  for (let i = 0; i < e.length; i++) {
    dot += a[i] * e[i];
    norm += e[i] * e[i];
  }
  if (!(norm > 0)) return "";
  const factor = dot / norm;
  for (let i = 0; i < e.length; i++) if (!close(a[i], factor * e[i], tolerance)) return "";
  if (Math.abs(factor + 1) < 1e-3) return " (every value has the wrong sign)";
  return ` (every value is ${formatNumber(factor)}× the expected one)`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `x` and "[0]" make `x[0]`. */
function member(label: string, suffix: string): string {
  return label.endsWith("`") ? `${label.slice(0, -1)}${suffix}\`` : `${label}${suffix}`;
}
