/** The kernels' integer codes for the Backend API's dtype and op names. */

import type { BinaryOp, DType, ReduceOp, UnaryOp } from "../backend.js";
import * as P from "./protocol.js";

export const DTYPE_CODES: Record<DType, number> = {
  float32: P.DT_F32,
  int32: P.DT_I32,
  bool: P.DT_BOOL,
};

export const UNARY_CODES: Record<UnaryOp, number> = {
  neg: P.U_NEG,
  exp: P.U_EXP,
  log: P.U_LOG,
  sqrt: P.U_SQRT,
  rsqrt: P.U_RSQRT,
  abs: P.U_ABS,
  sign: P.U_SIGN,
  tanh: P.U_TANH,
  sigmoid: P.U_SIGMOID,
  relu: P.U_RELU,
  erf: P.U_ERF,
  sin: P.U_SIN,
  cos: P.U_COS,
  floor: P.U_FLOOR,
  ceil: P.U_CEIL,
  round: P.U_ROUND,
  square: P.U_SQUARE,
  reciprocal: P.U_RECIPROCAL,
  logical_not: P.U_LOGICAL_NOT,
  leaky_relu: P.U_LEAKY_RELU,
  clamp: P.U_CLAMP,
  pow_scalar: P.U_POW_SCALAR,
  gelu: P.U_GELU,
};

export const BINARY_CODES: Record<BinaryOp, number> = {
  add: P.B_ADD,
  sub: P.B_SUB,
  mul: P.B_MUL,
  div: P.B_DIV,
  pow: P.B_POW,
  maximum: P.B_MAXIMUM,
  minimum: P.B_MINIMUM,
  eq: P.B_EQ,
  ne: P.B_NE,
  lt: P.B_LT,
  le: P.B_LE,
  gt: P.B_GT,
  ge: P.B_GE,
  logical_and: P.B_AND,
  logical_or: P.B_OR,
  logical_xor: P.B_XOR,
};

export const REDUCE_CODES: Record<ReduceOp, number> = {
  sum: P.R_SUM,
  prod: P.R_PROD,
  max: P.R_MAX,
  min: P.R_MIN,
  argmax: P.R_ARGMAX,
  argmin: P.R_ARGMIN,
};
