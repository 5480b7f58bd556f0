/**
 * WGSL expressions for the elementwise ops, per compute kind: "f" computes in f32, "i" in i32
 * (int32 and bool tensors). Each matches the js backend, which computes in float64 and stores
 * into a typed array: integer results of float-valued maths are truncated as ToInt32 does.
 */

import type { BinaryOp, DType, UnaryOp } from "../../backend.js";

export type Kind = "f" | "i";

/** A WGSL expression and what it evaluates to: a float, an int, or a truth value. */
export interface Expr {
  kind: Kind | "bool";
  code: string;
}

export function kindOf(dtype: DType): Kind {
  return dtype === "float32" ? "f" : "i";
}

/** The computed value of an element loaded from storage (`v` has the dtype's storage type). */
export function load(dtype: DType, v: string): Expr {
  if (dtype === "float32") return { kind: "f", code: v };
  if (dtype === "int32") return { kind: "i", code: v };
  return { kind: "i", code: `i32(${v})` };
}

/** `e` converted to the storage type of `dtype`, as the js backend's typed-array stores do. */
export function store(dtype: DType, e: Expr): string {
  const asBool = e.kind === "bool" ? e.code : truth(e);
  switch (dtype) {
    case "float32":
      if (e.kind === "bool") return `select(0.0, 1.0, ${e.code})`;
      return e.kind === "f" ? e.code : `f32(${e.code})`;
    case "int32":
      if (e.kind === "bool") return `select(0, 1, ${e.code})`;
      return e.kind === "i" ? e.code : `to_int(${e.code})`;
    case "bool":
      // Bools are stored 0/1 when they are truth values; integer results keep their low bits
      // (read back modulo 256, as the js backend's Uint8Array stores them).
      if (e.kind === "bool") return `select(0u, 1u, ${asBool})`;
      return e.kind === "i" ? `bitcast<u32>(${e.code})` : `bitcast<u32>(to_int(${e.code}))`;
  }
}

/** `e` converted as `.to(dtype)` casts: to bool means nonzero (NaN included). */
export function castTo(dtype: DType, e: Expr): string {
  if (dtype === "bool") return `select(0u, 1u, ${e.kind === "bool" ? e.code : truth(e)})`;
  return store(dtype, e);
}

/** PyTorch's truth value: nonzero (a NaN is true). */
export function truth(e: Expr): string {
  if (e.kind === "bool") return e.code;
  return e.kind === "f" ? `nonzero_f(${e.code})` : `(${e.code} != 0)`;
}

/** As a float (for float-valued maths on integers). */
function asFloat(e: Expr): string {
  if (e.kind === "f") return e.code;
  if (e.kind === "i") return `f32(${e.code})`;
  return `select(0.0, 1.0, ${e.code})`;
}

/**
 * `op` applied to `x`. Parameters (leaky_relu's slope, clamp's bounds, pow's exponent) are f32
 * expressions `p[0]`, `p[1]`.
 */
export function unaryExpr(op: UnaryOp, x: Expr, p: readonly string[]): Expr {
  const v = x.code;
  if (op === "logical_not") return { kind: "bool", code: `!${truth(x)}` };
  if (x.kind === "i") {
    const int = unaryInt(op, v, p);
    if (int !== null) return { kind: "i", code: int };
    // Float-valued maths on an integer: computed in float, truncated when stored.
    return unaryExpr(op, { kind: "f", code: `f32(${v})` }, p);
  }
  const f = asFloat(x);
  const code = unaryFloat(op, f, p);
  // NaN in, NaN out (as in JavaScript), which WGSL builtins don't promise; pow handles NaN
  // itself (NaN ** 0 is 1).
  if (op === "pow_scalar" || op === "neg" || op === "abs" || op === "square")
    return { kind: "f", code };
  return { kind: "f", code: `select(${code}, ${f}, is_nan(${f}))` };
}

function unaryFloat(op: Exclude<UnaryOp, "logical_not">, v: string, p: readonly string[]): string {
  switch (op) {
    case "neg":
      return `(-${v})`;
    case "exp":
      return `exp(${v})`;
    case "log":
      return `log_acc(${v})`;
    case "sqrt":
      return `select(sqrt(${v}), nan_f32(), ${v} < 0.0)`;
    case "rsqrt":
      return `select(1.0 / sqrt(${v}), nan_f32(), ${v} < 0.0)`;
    case "abs":
      return `abs(${v})`;
    case "sign":
      return `select(select(${v}, -1.0, ${v} < 0.0), 1.0, ${v} > 0.0)`;
    case "tanh":
      return `tanh_acc(${v})`;
    case "sigmoid":
      return `sigmoid_f(${v})`;
    case "relu":
      return `select(0.0, ${v}, ${v} > 0.0 || is_nan(${v}))`;
    case "erf":
      return `erf_f(${v})`;
    case "sin":
      return `sin_acc(${v})`;
    case "cos":
      return `cos_acc(${v})`;
    case "floor":
      return `floor(${v})`;
    case "ceil":
      return `ceil(${v})`;
    case "round":
      return `round(${v})`; // WGSL rounds half to even, as PyTorch does
    case "square":
      return `(${v} * ${v})`;
    case "reciprocal":
      return `(1.0 / ${v})`;
    case "leaky_relu":
      return `select(${v} * ${p[0]}, ${v}, ${v} > 0.0)`;
    case "clamp":
      // NaN bounds mean "no bound"; a NaN input stays NaN.
      return `clamp_f(${v}, ${p[0]}, ${p[1]})`;
    case "pow_scalar":
      return `pow_scalar_f(${v}, ${p[0]})`;
    case "gelu":
      return `(0.5 * ${v} * (1.0 + erf_f(${v} * 0.70710678)))`;
  }
}

/** Integer-exact forms, or null where the js backend computes in float. */
function unaryInt(op: UnaryOp, v: string, p: readonly string[]): string | null {
  switch (op) {
    case "neg":
      return `(-${v})`;
    case "abs":
      return `abs(${v})`;
    case "sign":
      return `sign(${v})`;
    case "relu":
      return `max(${v}, 0)`;
    case "floor":
    case "ceil":
    case "round":
      return v;
    case "square":
      return `(${v} * ${v})`;
    case "reciprocal":
      return `div_i(1, ${v})`;
    case "leaky_relu":
      return `select(to_int(f32(${v}) * ${p[0]}), ${v}, ${v} > 0)`;
    case "clamp":
      return `clamp_i(${v}, ${p[0]}, ${p[1]})`;
    case "pow_scalar":
      return `select(to_int(pow_scalar_f(f32(${v}), ${p[0]})), pow_i(${v}, i32(${p[0]})), trunc(${p[0]}) == ${p[0]} && abs(${p[0]}) < 2147483648.0)`;
    default:
      return null;
  }
}

/** `a op b`, both of one kind ("f" when either operand is a float tensor). */
export function binaryExpr(op: BinaryOp, a: Expr, b: Expr): Expr {
  const kind: Kind = a.kind === "f" || b.kind === "f" ? "f" : "i";
  const x = kind === "f" ? asFloat(a) : intOf(a);
  const y = kind === "f" ? asFloat(b) : intOf(b);
  const arith = (code: string): Expr => ({ kind, code });
  const cmp = (code: string): Expr => ({ kind: "bool", code });
  const fcmp = (o: string) =>
    kind === "f" ? `(!is_nan(${x}) && !is_nan(${y}) && ${x} ${o} ${y})` : `(${x} ${o} ${y})`;
  switch (op) {
    case "add":
      return arith(`(${x} + ${y})`);
    case "sub":
      return arith(`(${x} - ${y})`);
    case "mul":
      return arith(`(${x} * ${y})`);
    case "div":
      return arith(kind === "f" ? `(${x} / ${y})` : `div_i(${x}, ${y})`);
    case "pow":
      return arith(kind === "f" ? `pow_f(${x}, ${y})` : `pow_i(${x}, ${y})`);
    case "maximum":
      return arith(kind === "f" ? `max_f(${x}, ${y})` : `max(${x}, ${y})`);
    case "minimum":
      return arith(kind === "f" ? `min_f(${x}, ${y})` : `min(${x}, ${y})`);
    case "eq":
      return cmp(fcmp("=="));
    case "ne":
      return cmp(`!${fcmp("==")}`);
    case "lt":
      return cmp(fcmp("<"));
    case "le":
      return cmp(fcmp("<="));
    case "gt":
      return cmp(fcmp(">"));
    case "ge":
      return cmp(fcmp(">="));
    case "logical_and":
      return cmp(`(${truth(a)} && ${truth(b)})`);
    case "logical_or":
      return cmp(`(${truth(a)} || ${truth(b)})`);
    case "logical_xor":
      return cmp(`(${truth(a)} != ${truth(b)})`);
  }
}

function intOf(e: Expr): string {
  return e.kind === "bool" ? `select(0, 1, ${e.code})` : e.code;
}
