// Scalar maths in float64 with JavaScript's semantics, mirroring src/js/math.ts: the reference
// for integer and bool dtypes, strided rows, vector tails and ops without a vector form.

import {
  B_ADD,
  B_AND,
  B_DIV,
  B_EQ,
  B_GE,
  B_GT,
  B_LE,
  B_LT,
  B_MAXIMUM,
  B_MINIMUM,
  B_MUL,
  B_NE,
  B_OR,
  B_POW,
  B_SUB,
  B_XOR,
  DT_BOOL,
  DT_F32,
  U_ABS,
  U_CEIL,
  U_CLAMP,
  U_COS,
  U_ERF,
  U_EXP,
  U_FLOOR,
  U_GELU,
  U_LEAKY_RELU,
  U_LOG,
  U_LOGICAL_NOT,
  U_NEG,
  U_POW_SCALAR,
  U_RECIPROCAL,
  U_RELU,
  U_ROUND,
  U_RSQRT,
  U_SIGMOID,
  U_SIGN,
  U_SIN,
  U_SQRT,
  U_SQUARE,
  U_TANH,
} from "../src/wasm/protocol";

export function elementBytes(dtype: i32): usize {
  return dtype === DT_BOOL ? 1 : 4;
}

/** Element i of a buffer of `dtype` as a float64. */
export function loadAs(ptr: usize, i: i32, dtype: i32): f64 {
  if (dtype === DT_F32) return <f64>load<f32>(ptr + ((<usize>i) << 2));
  if (dtype === DT_BOOL) return <f64>load<u8>(ptr + <usize>i);
  return <f64>load<i32>(ptr + ((<usize>i) << 2));
}

/** ECMAScript ToInt32: what storing into an Int32Array does (truncate, wrap modulo 2^32). */
export function toInt32(v: f64): i32 {
  if (!Number.isFinite(v)) return 0;
  return <i32>(<i64>(trunc(v) % 4294967296.0));
}

/** Store v into element i as a typed-array store of `dtype` would. */
export function storeAs(ptr: usize, i: i32, dtype: i32, v: f64): void {
  if (dtype === DT_F32) store<f32>(ptr + ((<usize>i) << 2), <f32>v);
  else if (dtype === DT_BOOL) store<u8>(ptr + <usize>i, <u8>toInt32(v));
  else store<i32>(ptr + ((<usize>i) << 2), toInt32(v));
}

/** PyTorch's conversion to bool: anything nonzero (NaN included) is true. */
export function toBool(v: f64): f64 {
  return v !== 0 ? 1 : 0;
}

/** JavaScript truthiness of a number: nonzero and not NaN. */
function truthy(v: f64): bool {
  return v !== 0 && !Number.isNaN(v);
}

/** erfc with fractional error below 1.2e-7 (Numerical Recipes' Chebyshev fit, as js/math.ts). */
function erfc(x: f64): f64 {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
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
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

export function erf(x: f64): f64 {
  if (Math.abs(x) < 1e-3) return (2 / Math.sqrt(Math.PI)) * x * (1 - (x * x) / 3);
  return 1 - erfc(x);
}

export function unaryScalar(op: i32, x: f64, p0: f64, p1: f64): f64 {
  switch (op) {
    case U_NEG:
      return -x;
    case U_EXP:
      return Math.exp(x);
    case U_LOG:
      return Math.log(x);
    case U_SQRT:
      return Math.sqrt(x);
    case U_RSQRT:
      return 1 / Math.sqrt(x);
    case U_ABS:
      return Math.abs(x);
    case U_SIGN:
      return x > 0 ? 1 : x < 0 ? -1 : x;
    case U_TANH:
      return Math.tanh(x);
    case U_SIGMOID:
      return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    case U_RELU:
      return x > 0 ? x : Number.isNaN(x) ? x : 0;
    case U_ERF:
      return erf(x);
    case U_SIN:
      return Math.sin(x);
    case U_COS:
      return Math.cos(x);
    case U_FLOOR:
      return Math.floor(x);
    case U_CEIL:
      return Math.ceil(x);
    case U_ROUND:
      return nearest(x); // ties to even, as PyTorch
    case U_SQUARE:
      return x * x;
    case U_RECIPROCAL:
      return 1 / x;
    case U_LOGICAL_NOT:
      return truthy(x) ? 0 : 1;
    case U_LEAKY_RELU:
      return x > 0 ? x : x * p0;
    case U_CLAMP: {
      if (!Number.isNaN(p0) && x < p0) x = p0;
      if (!Number.isNaN(p1) && x > p1) x = p1;
      return x;
    }
    case U_POW_SCALAR:
      return p0 === 2 ? x * x : p0 === 0.5 ? Math.sqrt(x) : x ** p0;
    case U_GELU:
      return 0.5 * x * (1 + erf(x * Math.SQRT1_2));
    default:
      return NaN;
  }
}

export function binaryScalar(op: i32, a: f64, b: f64): f64 {
  switch (op) {
    case B_ADD:
      return a + b;
    case B_SUB:
      return a - b;
    case B_MUL:
      return a * b;
    case B_DIV:
      return a / b;
    case B_POW:
      return a ** b;
    case B_MAXIMUM:
      return Number.isNaN(a) || Number.isNaN(b) ? NaN : a > b ? a : b;
    case B_MINIMUM:
      return Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? a : b;
    case B_EQ:
      return a === b ? 1 : 0;
    case B_NE:
      return a !== b ? 1 : 0;
    case B_LT:
      return a < b ? 1 : 0;
    case B_LE:
      return a <= b ? 1 : 0;
    case B_GT:
      return a > b ? 1 : 0;
    case B_GE:
      return a >= b ? 1 : 0;
    case B_AND:
      return truthy(a) && truthy(b) ? 1 : 0;
    case B_OR:
      return truthy(a) || truthy(b) ? 1 : 0;
    case B_XOR:
      return truthy(a) !== truthy(b) ? 1 : 0;
    default:
      return NaN;
  }
}
