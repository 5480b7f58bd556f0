/** Scalar maths shared by the js backend's kernels (and usable as a reference elsewhere). */

import type { BinaryOp, UnaryOp } from "../backend.js";

/**
 * The complementary error function with fractional error below 1.2e-7 everywhere
 * (Chebyshev fit, Numerical Recipes 2nd ed. section 6.2).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t *
                              (-1.13520398 +
                                t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export function erf(x: number): number {
  // Near zero the series is exact to float precision where 1 - erfc(x) would cancel.
  if (Math.abs(x) < 1e-3) return (2 / Math.sqrt(Math.PI)) * x * (1 - (x * x) / 3);
  return 1 - erfc(x);
}

const SQRT1_2 = Math.SQRT1_2;

export function unaryFn(op: UnaryOp, params: readonly number[]): (x: number) => number {
  switch (op) {
    case "neg":
      return (x) => -x;
    case "exp":
      return Math.exp;
    case "log":
      return Math.log;
    case "sqrt":
      return Math.sqrt;
    case "rsqrt":
      return (x) => 1 / Math.sqrt(x);
    case "abs":
      return Math.abs;
    case "sign":
      return (x) => (x > 0 ? 1 : x < 0 ? -1 : x);
    case "tanh":
      return Math.tanh;
    case "sigmoid":
      return (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
    case "relu":
      return (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0);
    case "erf":
      return erf;
    case "sin":
      return Math.sin;
    case "cos":
      return Math.cos;
    case "floor":
      return Math.floor;
    case "ceil":
      return Math.ceil;
    case "round":
      // PyTorch rounds half to even.
      return (x) => {
        const r = Math.round(x);
        return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
      };
    case "square":
      return (x) => x * x;
    case "reciprocal":
      return (x) => 1 / x;
    case "logical_not":
      return (x) => (x ? 0 : 1);
    case "leaky_relu": {
      const slope = params[0];
      return (x) => (x > 0 ? x : x * slope);
    }
    case "clamp": {
      const [lo, hi] = params;
      return (x) => {
        if (!Number.isNaN(lo) && x < lo) x = lo;
        if (!Number.isNaN(hi) && x > hi) x = hi;
        return x;
      };
    }
    case "pow_scalar": {
      const e = params[0];
      if (e === 2) return (x) => x * x;
      if (e === 0.5) return Math.sqrt;
      return (x) => x ** e;
    }
    case "gelu":
      return (x) => 0.5 * x * (1 + erf(x * SQRT1_2));
  }
}

export function binaryFn(op: BinaryOp): (a: number, b: number) => number {
  switch (op) {
    case "add":
      return (a, b) => a + b;
    case "sub":
      return (a, b) => a - b;
    case "mul":
      return (a, b) => a * b;
    case "div":
      return (a, b) => a / b;
    case "pow":
      return (a, b) => a ** b;
    case "maximum":
      return (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : a > b ? a : b);
    case "minimum":
      return (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : a < b ? a : b);
    case "eq":
      return (a, b) => (a === b ? 1 : 0);
    case "ne":
      return (a, b) => (a !== b ? 1 : 0);
    case "lt":
      return (a, b) => (a < b ? 1 : 0);
    case "le":
      return (a, b) => (a <= b ? 1 : 0);
    case "gt":
      return (a, b) => (a > b ? 1 : 0);
    case "ge":
      return (a, b) => (a >= b ? 1 : 0);
    case "logical_and":
      return (a, b) => (a && b ? 1 : 0);
    case "logical_or":
      return (a, b) => (a || b ? 1 : 0);
    case "logical_xor":
      return (a, b) => (!a !== !b ? 1 : 0);
  }
}
