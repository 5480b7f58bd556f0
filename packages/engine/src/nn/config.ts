/** Constructor arguments of built-in modules: PyTorch's calling convention plus its required-argument errors. */

import { parseArgs } from "../args.js";

/**
 * Resolve `new nn.Linear(4, 16)` / `new nn.Linear({ in_features: 4, out_features: 16 })`
 * against PyTorch's parameter names. `defaults` holds every optional argument; `required`
 * lists those without a default, reported as Python does when missing.
 */
export function moduleArgs<O extends object>(
  fn: string,
  args: readonly unknown[],
  names: readonly (keyof O & string)[],
  defaults: Partial<O>,
  required: readonly (keyof O & string)[] = [],
): O {
  const out = parseArgs<Partial<O>>(fn, args, names, defaults) as Record<string, unknown>;
  const missing = required.filter((n) => out[n] === undefined || out[n] === null);
  if (missing.length > 0) {
    const quoted = missing.map((n) => `'${n}'`);
    const list =
      quoted.length === 1
        ? quoted[0]
        : `${quoted.slice(0, -1).join(", ")}${quoted.length > 2 ? "," : ""} and ${quoted[quoted.length - 1]}`;
    throw new TypeError(
      `${fn}() missing ${missing.length} required positional argument${missing.length === 1 ? "" : "s"}: ${list}`,
    );
  }
  return out as O;
}

/** A non-negative integer argument (sizes, features, channels). */
export function checkSize(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`${fn}(): ${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** An int or an `[h, w]` pair, as PyTorch's `_pair`. */
export function pair(
  fn: string,
  name: string,
  value: number | readonly number[],
): [number, number] {
  const p = typeof value === "number" ? [value, value] : [...value];
  if (p.length !== 2 || p.some((v) => typeof v !== "number" || !Number.isInteger(v))) {
    throw new TypeError(
      `${fn}(): ${name} must be an int or a pair of ints [h, w], got ${JSON.stringify(value)}`,
    );
  }
  return [p[0], p[1]];
}
