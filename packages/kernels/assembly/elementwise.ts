// fill, cast, unary, binary and where: contiguous float32 rows run four lanes at a time; other
// dtypes and strided rows fall back to the scalar float64 reference (scalar.ts).

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
  B_SUB,
  B_XOR,
  DT_BOOL,
  DT_F32,
  DT_I32,
  U_ABS,
  U_CEIL,
  U_CLAMP,
  U_EXP,
  U_FLOOR,
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
  U_SQRT,
  U_SQUARE,
  U_TANH,
} from "../src/wasm/protocol";
import {
  binaryScalar,
  elementBytes,
  loadAs,
  storeAs,
  toBool,
  toInt32,
  unaryScalar,
} from "./scalar";
import { pf, pi, pu, shareStart, splatSlot } from "./task";
import { byteMask, ld, maskBytes, st, truthyMask } from "./vec";
import { vexp, vlog, vsigmoid, vtanh } from "./vmath";
import { nextRow, row0, row1, row2, rowCount, rowLength, rowStride, seekRow } from "./walk";

// ------------------------------------------------------------------ fill and cast

export function fillTask(thread: i32, threads: i32): void {
  const out = pu(0);
  const dtype = pi(1);
  const n = pi(2);
  const value = pf(3);
  const s = shareStart(n, thread, threads, 16);
  const e = shareStart(n, thread + 1, threads, 16);
  if (dtype === DT_BOOL) {
    memory.fill(out + <usize>s, <u8>toBool(value), <usize>(e - s));
    return;
  }
  const v = dtype === DT_F32 ? f32x4.splat(<f32>value) : i32x4.splat(toInt32(value));
  let i = s;
  for (; i + 4 <= e; i += 4) st(out, i, v);
  for (; i < e; i++) store<i32>(out + ((<usize>i) << 2), i32x4.extract_lane(v, 0));
}

export function castTask(thread: i32, threads: i32): void {
  const x = pu(0);
  const xdt = pi(1);
  const out = pu(2);
  const odt = pi(3);
  const n = pi(4);
  const s = shareStart(n, thread, threads, 16);
  const e = shareStart(n, thread + 1, threads, 16);
  let i = s;
  if (odt === DT_F32 && xdt === DT_I32) {
    for (; i + 4 <= e; i += 4) st(out, i, f32x4.convert_i32x4_s(ld(x, i)));
  } else if (odt === DT_F32 && xdt === DT_BOOL) {
    for (; i + 4 <= e; i += 4) {
      const b = i16x8.extend_low_i8x16_u(v128.load32_zero(x + <usize>i));
      st(out, i, f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(b)));
    }
  } else if (odt === DT_BOOL && xdt === DT_F32) {
    for (; i + 4 <= e; i += 4) {
      store<i32>(out + <usize>i, maskBytes(f32x4.ne(ld(x, i), f32x4.splat(0))));
    }
  }
  if (odt === DT_BOOL) for (; i < e; i++) storeAs(out, i, odt, toBool(loadAs(x, i, xdt)));
  else for (; i < e; i++) storeAs(out, i, odt, loadAs(x, i, xdt));
}

// ------------------------------------------------------------------ unary

export function unaryTask(thread: i32, threads: i32): void {
  const x = pu(0);
  const dtype = pi(1);
  const out = pu(2);
  const odt = pi(3);
  const n = pi(4);
  const op = pi(5);
  const p0 = pf(6);
  const p1 = pf(7);
  const s = shareStart(n, thread, threads, 16);
  const e = shareStart(n, thread + 1, threads, 16);
  let i = s;
  if (dtype === DT_F32) i = unaryVector(op, x, out, s, e, p0, p1);
  for (; i < e; i++) storeAs(out, i, odt, unaryScalar(op, loadAs(x, i, dtype), p0, p1));
}

/** The vector part of a float32 unary op over [s, e); returns where the scalar tail starts. */
function unaryVector(op: i32, x: usize, out: usize, s: i32, e: i32, p0: f64, p1: f64): i32 {
  let i = s;
  const zero = f32x4.splat(0);
  switch (op) {
    case U_NEG:
      for (; i + 4 <= e; i += 4) st(out, i, f32x4.neg(ld(x, i)));
      break;
    case U_EXP:
      for (; i + 4 <= e; i += 4) st(out, i, vexp(ld(x, i)));
      break;
    case U_LOG:
      for (; i + 4 <= e; i += 4) st(out, i, vlog(ld(x, i)));
      break;
    case U_SQRT:
      for (; i + 4 <= e; i += 4) st(out, i, f32x4.sqrt(ld(x, i)));
      break;
    case U_RSQRT:
      for (; i + 4 <= e; i += 4) st(out, i, f32x4.div(f32x4.splat(1), f32x4.sqrt(ld(x, i))));
      break;
    case U_ABS:
      for (; i + 4 <= e; i += 4) st(out, i, f32x4.abs(ld(x, i)));
      break;
    case U_SIGN:
      for (; i + 4 <= e; i += 4) {
        const v = ld(x, i);
        const pos = v128.and(f32x4.gt(v, zero), f32x4.splat(1));
        const neg = v128.and(f32x4.lt(v, zero), f32x4.splat(-1));
        // Zero and NaN keep their value (sign(-0) = -0, sign(NaN) = NaN).
        st(
          out,
          i,
          v128.bitselect(v128.or(pos, neg), v, v128.or(f32x4.gt(v, zero), f32x4.lt(v, zero))),
        );
      }
      break;
    case U_TANH:
      for (; i + 4 <= e; i += 4) st(out, i, vtanh(ld(x, i)));
      break;
    case U_SIGMOID:
      for (; i + 4 <= e; i += 4) st(out, i, vsigmoid(ld(x, i)));
      break;
    case U_RELU:
      // max propagates NaN, as the reference's relu does.
      for (; i + 4 <= e; i += 4) st(out, i, f32x4.max(ld(x, i), zero));
      break;
    case U_FLOOR:
      for (; i + 4 <= e; i += 4) st(out, i, f32x4.floor(ld(x, i)));
      break;
    case U_CEIL:
      for (; i + 4 <= e; i += 4) st(out, i, f32x4.ceil(ld(x, i)));
      break;
    case U_ROUND:
      for (; i + 4 <= e; i += 4) st(out, i, f32x4.nearest(ld(x, i)));
      break;
    case U_SQUARE:
      for (; i + 4 <= e; i += 4) {
        const v = ld(x, i);
        st(out, i, f32x4.mul(v, v));
      }
      break;
    case U_RECIPROCAL:
      for (; i + 4 <= e; i += 4) st(out, i, f32x4.div(f32x4.splat(1), ld(x, i)));
      break;
    case U_LOGICAL_NOT:
      for (; i + 4 <= e; i += 4)
        store<i32>(out + <usize>i, maskBytes(v128.not(truthyMask(ld(x, i)))));
      break;
    case U_LEAKY_RELU: {
      const slope = f32x4.splat(<f32>p0);
      for (; i + 4 <= e; i += 4) {
        const v = ld(x, i);
        st(out, i, v128.bitselect(v, f32x4.mul(v, slope), f32x4.gt(v, zero)));
      }
      break;
    }
    case U_CLAMP: {
      // Bounds are float32 values of the tensor's dtype; NaN means unbounded.
      const lo = f32x4.splat(!Number.isNaN(p0) ? <f32>p0 : -Infinity);
      const hi = f32x4.splat(!Number.isNaN(p1) ? <f32>p1 : Infinity);
      for (; i + 4 <= e; i += 4) st(out, i, f32x4.min(f32x4.max(ld(x, i), lo), hi));
      break;
    }
    case U_POW_SCALAR:
      if (p0 === 2) {
        for (; i + 4 <= e; i += 4) {
          const v = ld(x, i);
          st(out, i, f32x4.mul(v, v));
        }
      } else if (p0 === 0.5) {
        for (; i + 4 <= e; i += 4) st(out, i, f32x4.sqrt(ld(x, i)));
      }
      break;
    default:
      break;
  }
  return i;
}

// ------------------------------------------------------------------ binary

/** a op b over the view table (views 0 and 1), this thread's share of the elements. */
export function binaryTask(thread: i32, threads: i32): void {
  const a = pu(0);
  const b = pu(1);
  const out = pu(2);
  const dtype = pi(3);
  const odt = pi(4);
  const op = pi(5);
  const len = rowLength();
  const total = rowCount() * len;
  let s = shareStart(total, thread, threads, 16);
  const e = shareStart(total, thread + 1, threads, 16);
  if (s >= e || len === 0) return;
  const as = rowStride(0);
  const bs = rowStride(1);
  const ea = elementBytes(dtype);
  const eo = elementBytes(odt);
  seekRow(s / len);
  let j = s % len;
  while (s < e) {
    const count = min(len - j, e - s);
    binaryRow(
      op,
      dtype,
      odt,
      a + <usize>(row0 + j * as) * ea,
      as,
      b + <usize>(row1 + j * bs) * ea,
      bs,
      out + <usize>s * eo,
      count,
    );
    s += count;
    j = 0;
    nextRow();
  }
}

/**
 * a op s (s op a when scalarFirst) for a contiguous a. A float32 a with a scalar that float32
 * holds exactly runs the vector loop of `binaryRow`, the scalar read from a splat; otherwise
 * the float64 reference computes with the exact scalar, as the js backend does.
 */
export function binaryScalarTask(thread: i32, threads: i32): void {
  const a = pu(0);
  const out = pu(1);
  const dtype = pi(2);
  const odt = pi(3);
  const op = pi(4);
  const n = pi(5);
  const sc = pf(6);
  const scalarFirst = pi(7) !== 0;
  const s = shareStart(n, thread, threads, 16);
  const e = shareStart(n, thread + 1, threads, 16);
  if (s >= e) return;
  const pa = a + <usize>s * elementBytes(dtype);
  const po = out + <usize>s * elementBytes(odt);
  if (dtype === DT_F32 && <f64>(<f32>sc) === sc) {
    const ps = splatSlot(3);
    store<f32>(ps, <f32>sc);
    if (scalarFirst) binaryRow(op, dtype, odt, ps, 0, pa, 1, po, e - s);
    else binaryRow(op, dtype, odt, pa, 1, ps, 0, po, e - s);
    return;
  }
  for (let i = 0; i < e - s; i++) {
    const x = loadAs(pa, i, dtype);
    storeAs(po, i, odt, scalarFirst ? binaryScalar(op, sc, x) : binaryScalar(op, x, sc));
  }
}

function isComparison(op: i32): bool {
  return op >= B_EQ;
}

function binaryRow(
  op: i32,
  dtype: i32,
  odt: i32,
  a: usize,
  as: i32,
  b: usize,
  bs: i32,
  out: usize,
  n: i32,
): void {
  let i = 0;
  if (dtype === DT_F32 && <u32>as <= 1 && <u32>bs <= 1) {
    // A stride-0 operand is read from a splatted copy, so one loop serves every layout.
    let pa = a;
    let pb = b;
    if (as === 0) {
      pa = splatSlot(0);
      v128.store(pa, f32x4.splat(load<f32>(a)));
    }
    if (bs === 0) {
      pb = splatSlot(1);
      v128.store(pb, f32x4.splat(load<f32>(b)));
    }
    i = binaryVector(op, pa, (<usize>as) << 4, pb, (<usize>bs) << 4, out, n);
  }
  for (; i < n; i++) {
    const v = binaryScalar(op, loadAs(a, i * as, dtype), loadAs(b, i * bs, dtype));
    storeAs(out, i, odt, v);
  }
}

/** Vector part of a float32 binary op; `da`/`db` are 16 (contiguous) or 0 (splat). */
function binaryVector(
  op: i32,
  pa: usize,
  da: usize,
  pb: usize,
  db: usize,
  out: usize,
  n: i32,
): i32 {
  let i = 0;
  if (isComparison(op)) {
    for (; i + 4 <= n; i += 4) {
      const x = v128.load(pa);
      const y = v128.load(pb);
      let m: v128;
      switch (op) {
        case B_EQ:
          m = f32x4.eq(x, y);
          break;
        case B_NE:
          m = f32x4.ne(x, y);
          break;
        case B_LT:
          m = f32x4.lt(x, y);
          break;
        case B_LE:
          m = f32x4.le(x, y);
          break;
        case B_GT:
          m = f32x4.gt(x, y);
          break;
        case B_GE:
          m = f32x4.ge(x, y);
          break;
        case B_AND:
          m = v128.and(truthyMask(x), truthyMask(y));
          break;
        case B_OR:
          m = v128.or(truthyMask(x), truthyMask(y));
          break;
        case B_XOR:
          m = v128.xor(truthyMask(x), truthyMask(y));
          break;
        default:
          m = i32x4.splat(0);
      }
      store<i32>(out + <usize>i, maskBytes(m));
      pa += da;
      pb += db;
    }
    return i;
  }
  switch (op) {
    case B_ADD:
      for (; i + 4 <= n; i += 4, pa += da, pb += db)
        st(out, i, f32x4.add(v128.load(pa), v128.load(pb)));
      break;
    case B_SUB:
      for (; i + 4 <= n; i += 4, pa += da, pb += db)
        st(out, i, f32x4.sub(v128.load(pa), v128.load(pb)));
      break;
    case B_MUL:
      for (; i + 4 <= n; i += 4, pa += da, pb += db)
        st(out, i, f32x4.mul(v128.load(pa), v128.load(pb)));
      break;
    case B_DIV:
      for (; i + 4 <= n; i += 4, pa += da, pb += db)
        st(out, i, f32x4.div(v128.load(pa), v128.load(pb)));
      break;
    case B_MAXIMUM:
      for (; i + 4 <= n; i += 4, pa += da, pb += db)
        st(out, i, f32x4.max(v128.load(pa), v128.load(pb)));
      break;
    case B_MINIMUM:
      for (; i + 4 <= n; i += 4, pa += da, pb += db)
        st(out, i, f32x4.min(v128.load(pa), v128.load(pb)));
      break;
    default:
      break; // pow: scalar
  }
  return i;
}

// ------------------------------------------------------------------ where

/** cond ? a : b over the view table (views: cond, a, b). */
export function whereTask(thread: i32, threads: i32): void {
  const cond = pu(0);
  const a = pu(1);
  const b = pu(2);
  const out = pu(3);
  const dtype = pi(4);
  const len = rowLength();
  const total = rowCount() * len;
  let s = shareStart(total, thread, threads, 16);
  const e = shareStart(total, thread + 1, threads, 16);
  if (s >= e || len === 0) return;
  const cs = rowStride(0);
  const as = rowStride(1);
  const bs = rowStride(2);
  const es = elementBytes(dtype);
  seekRow(s / len);
  let j = s % len;
  while (s < e) {
    const count = min(len - j, e - s);
    whereRow(
      cond + <usize>(row0 + j * cs),
      cs,
      a + <usize>(row1 + j * as) * es,
      as,
      b + <usize>(row2 + j * bs) * es,
      bs,
      out + <usize>s * es,
      dtype,
      count,
    );
    s += count;
    j = 0;
    nextRow();
  }
}

function whereRow(
  c: usize,
  cs: i32,
  a: usize,
  as: i32,
  b: usize,
  bs: i32,
  out: usize,
  dtype: i32,
  n: i32,
): void {
  let i = 0;
  if (dtype !== DT_BOOL && <u32>cs <= 1 && <u32>as <= 1 && <u32>bs <= 1) {
    // float32 and int32 select bits alike.
    let pc = c;
    let pa = a;
    let pb = b;
    if (cs === 0) {
      pc = splatSlot(2);
      store<u32>(pc, <u32>load<u8>(c) * 0x01010101);
    }
    if (as === 0) {
      pa = splatSlot(0);
      v128.store(pa, i32x4.splat(load<i32>(a)));
    }
    if (bs === 0) {
      pb = splatSlot(1);
      v128.store(pb, i32x4.splat(load<i32>(b)));
    }
    const dc = (<usize>cs) << 2;
    const da = (<usize>as) << 4;
    const db = (<usize>bs) << 4;
    for (; i + 4 <= n; i += 4, pc += dc, pa += da, pb += db) {
      st(out, i, v128.bitselect(v128.load(pa), v128.load(pb), byteMask(pc)));
    }
  }
  // Any nonzero condition (NaN included) selects a.
  for (; i < n; i++) {
    const pick = load<u8>(c + <usize>(i * cs)) !== 0;
    storeAs(out, i, dtype, pick ? loadAs(a, i * as, dtype) : loadAs(b, i * bs, dtype));
  }
}
