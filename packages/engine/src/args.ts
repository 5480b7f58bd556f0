/**
 * PyTorch's calling convention in JavaScript: any argument may be passed by position, in
 * PyTorch's order, or by its PyTorch name in one final options object.
 * `x.sum(1, true)`, `x.sum(1, { keepdim: true })` and `x.sum({ dim: 1, keepdim: true })` agree.
 */

/** Every prefix of the positional parameter list P, each optionally followed by options O. */
export type PyArgs<P extends unknown[], O> = WithOptions<Prefixes<P>, O>;

type Prefixes<P extends unknown[]> = P extends [...infer I, unknown] ? P | Prefixes<I> : [];
type WithOptions<Q, O> = Q extends unknown[] ? Q | [...Q, O] : never;

/** True for `{...}` literals: not arrays, typed arrays, tensors or other class instances. */
export function isOptions(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Resolve positional and named arguments against PyTorch's parameter names, filling defaults.
 * Unknown names and arguments given twice are errors worded as Python's.
 */
export function parseArgs<O extends object>(
  fn: string,
  args: readonly unknown[],
  names: readonly (keyof O & string)[],
  defaults: O,
): O {
  const out = { ...defaults } as Record<string, unknown>;
  let positional = args;
  const last = args[args.length - 1];
  if (args.length > 0 && isOptions(last)) {
    positional = args.slice(0, -1);
    for (const [key, value] of Object.entries(last)) {
      if (!names.includes(key as keyof O & string)) {
        throw new TypeError(`${fn}() got an unexpected keyword argument '${key}'`);
      }
      if (value !== undefined) out[key] = value;
    }
  }
  if (positional.length > names.length) {
    throw new TypeError(
      `${fn}() takes ${names.length} positional argument${names.length === 1 ? "" : "s"} but ${positional.length} were given`,
    );
  }
  positional.forEach((value, i) => {
    if (value === undefined) return;
    if (
      isOptions(last) &&
      positional !== args &&
      (last as Record<string, unknown>)[names[i]] !== undefined
    ) {
      throw new TypeError(`${fn}() got multiple values for argument '${names[i]}'`);
    }
    out[names[i]] = value;
  });
  return out as O;
}
