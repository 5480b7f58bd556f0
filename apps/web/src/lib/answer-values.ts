import { Tensor } from "@gradbook/engine";

/**
 * Answers to graded exercises as JSON: the values of the names an exercise cell defines,
 * serialized in the browser (the instructor's reference run, a student's submission) and
 * rebuilt on the server, where @gradbook/lessons' `compare` checks them. Only what `compare`
 * can judge is accepted: tensors, numbers, booleans, strings, arrays and plain objects.
 * Non-finite numbers are written as strings, since JSON has no NaN.
 */

export type AnswerNumber = number | "NaN" | "Infinity" | "-Infinity";
export type AnswerDType = "float32" | "int64" | "bool";

export type AnswerValue =
  | {
      readonly kind: "tensor";
      readonly dtype: AnswerDType;
      readonly shape: readonly number[];
      readonly data: readonly AnswerNumber[];
    }
  | { readonly kind: "number"; readonly value: AnswerNumber }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "array"; readonly items: readonly AnswerValue[] }
  | { readonly kind: "object"; readonly entries: Readonly<Record<string, AnswerValue>> };

/** An exercise's answer: each name its cell defines, with its value. */
export type Answer = Readonly<Record<string, AnswerValue>>;

const MAX_DEPTH = 16;
/** Numbers in one answer (tensor elements and scalars): keeps requests well under the API's limit. */
const MAX_NUMBERS = 200_000;
const MAX_STRING = 10_000;
const DTYPES: readonly string[] = ["float32", "int64", "bool"];

/** A value that can't be graded, with where it is (`grid[2].w`) and what it is. */
export class UngradableValue extends Error {
  override name = "UngradableValue";
}

/** Serializes the values of an exercise's names (reads tensors back, so it is async). */
export async function serializeAnswer(values: Readonly<Record<string, unknown>>): Promise<Answer> {
  const budget = { numbers: 0 };
  const answer: [string, AnswerValue][] = [];
  for (const [name, value] of Object.entries(values)) {
    answer.push([name, await serializeValue(value, `\`${name}\``, 0, budget)]);
  }
  return Object.fromEntries(answer);
}

async function serializeValue(
  value: unknown,
  at: string,
  depth: number,
  budget: { numbers: number },
): Promise<AnswerValue> {
  if (depth > MAX_DEPTH) throw new UngradableValue(`${at} is nested too deeply to be graded`);
  const count = (n: number) => {
    budget.numbers += n;
    if (budget.numbers > MAX_NUMBERS) {
      throw new UngradableValue(
        `${at}: the answer holds over ${MAX_NUMBERS} numbers, too many to grade`,
      );
    }
  };
  if (value instanceof Tensor) {
    if (!DTYPES.includes(value.dtype)) {
      throw new UngradableValue(`${at} is a tensor of dtype ${value.dtype}, which can't be graded`);
    }
    count(value.numel());
    const data = Array.from(await value.data(), toAnswerNumber);
    return { kind: "tensor", dtype: value.dtype as AnswerDType, shape: [...value.shape], data };
  }
  switch (typeof value) {
    case "number":
      count(1);
      return { kind: "number", value: toAnswerNumber(value) };
    case "boolean":
      return { kind: "boolean", value };
    case "string":
      if (value.length > MAX_STRING)
        throw new UngradableValue(`${at} is too long a string to grade`);
      return { kind: "string", value };
  }
  if (Array.isArray(value)) {
    const items: AnswerValue[] = [];
    for (let i = 0; i < value.length; i++) {
      items.push(await serializeValue(value[i], `${at}[${i}]`, depth + 1, budget));
    }
    return { kind: "array", items };
  }
  if (isPlainObject(value)) {
    // Built with fromEntries: a key "__proto__" stays a key.
    const entries: [string, AnswerValue][] = [];
    for (const [key, member] of Object.entries(value)) {
      entries.push([key, await serializeValue(member, `${at}.${key}`, depth + 1, budget)]);
    }
    return { kind: "object", entries: Object.fromEntries(entries) };
  }
  throw new UngradableValue(
    `${at} is ${describe(value)}; graded answers must be tensors, numbers, booleans, strings, arrays or plain objects`,
  );
}

function toAnswerNumber(value: number): AnswerNumber {
  if (Number.isFinite(value)) return value;
  return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}

function fromAnswerNumber(value: AnswerNumber): number {
  return typeof value === "number" ? value : Number(value);
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "function") return "a function";
  if (typeof value === "bigint") return "a bigint";
  if (typeof value === "symbol") return "a symbol";
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name ? `an object of class ${name}` : "an object";
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks untrusted JSON (from a request) as an answer; throws UngradableValue saying where it
 * is malformed.
 */
export function parseAnswer(json: unknown, what = "the answer"): Answer {
  if (!isPlainObject(json)) throw new UngradableValue(`${what} must be an object of names`);
  const budget = { numbers: 0 };
  return Object.fromEntries(
    Object.entries(json).map(([name, value]) => [
      name,
      parseValue(value, `${what}: \`${name}\``, 0, budget),
    ]),
  );
}

function parseValue(
  json: unknown,
  at: string,
  depth: number,
  budget: { numbers: number },
): AnswerValue {
  const bad = (why: string) => new UngradableValue(`${at} ${why}`);
  if (depth > MAX_DEPTH) throw bad("is nested too deeply");
  if (!isPlainObject(json) || typeof json.kind !== "string") throw bad("is not an answer value");
  const count = (n: number) => {
    budget.numbers += n;
    if (budget.numbers > MAX_NUMBERS) throw bad(`holds over ${MAX_NUMBERS} numbers`);
  };
  switch (json.kind) {
    case "tensor": {
      const { dtype, shape, data } = json;
      if (typeof dtype !== "string" || !DTYPES.includes(dtype)) throw bad("has an unknown dtype");
      if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
        throw bad("has a malformed shape");
      }
      if (!Array.isArray(data) || !data.every(isAnswerNumber)) throw bad("has malformed data");
      const size = (shape as number[]).reduce((n, d) => n * d, 1);
      if (size !== data.length)
        throw bad(`has ${data.length} values for shape [${shape.join(", ")}]`);
      count(size);
      return { kind: "tensor", dtype: dtype as AnswerDType, shape, data };
    }
    case "number":
      if (!isAnswerNumber(json.value)) throw bad("is not a number");
      count(1);
      return { kind: "number", value: json.value };
    case "boolean":
      if (typeof json.value !== "boolean") throw bad("is not a boolean");
      return { kind: "boolean", value: json.value };
    case "string":
      if (typeof json.value !== "string" || json.value.length > MAX_STRING)
        throw bad("is not a string");
      return { kind: "string", value: json.value };
    case "array":
      if (!Array.isArray(json.items)) throw bad("has no items");
      return {
        kind: "array",
        items: json.items.map((item, i) => parseValue(item, `${at}[${i}]`, depth + 1, budget)),
      };
    case "object": {
      if (!isPlainObject(json.entries)) throw bad("has no entries");
      const entries = Object.entries(json.entries).map(
        ([key, value]) => [key, parseValue(value, `${at}.${key}`, depth + 1, budget)] as const,
      );
      return { kind: "object", entries: Object.fromEntries(entries) };
    }
    default:
      throw bad(`has an unknown kind "${json.kind}"`);
  }
}

function isAnswerNumber(value: unknown): value is AnswerNumber {
  return (
    (typeof value === "number" && Number.isFinite(value)) ||
    value === "NaN" ||
    value === "Infinity" ||
    value === "-Infinity"
  );
}

/** The value as `compare` takes it: tensors rebuilt with the engine (on its default device). */
export async function answerToValue(
  value: AnswerValue,
  tensor: (data: number[], dtype: AnswerDType, shape: readonly number[]) => Tensor,
): Promise<unknown> {
  switch (value.kind) {
    case "tensor":
      return tensor(value.data.map(fromAnswerNumber), value.dtype, value.shape);
    case "number":
      return fromAnswerNumber(value.value);
    case "boolean":
    case "string":
      return value.value;
    case "array":
      return Promise.all(value.items.map((item) => answerToValue(item, tensor)));
    case "object": {
      const entries = await Promise.all(
        Object.entries(value.entries).map(
          async ([key, member]) => [key, await answerToValue(member, tensor)] as const,
        ),
      );
      return Object.fromEntries(entries);
    }
  }
}
