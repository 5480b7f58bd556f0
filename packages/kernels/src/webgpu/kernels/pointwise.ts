/** The elementwise kernels of the Backend interface, built on `runElementwise`. */

import {
  type BinaryOp,
  COMPARISON_OPS,
  contiguousStrides,
  type DType,
  type UnaryOp,
  type View,
} from "../../backend.js";
import type { GpuBuffer } from "../buffer.js";
import type { GpuContext } from "../context.js";
import { binaryExpr, castTo, type Expr, kindOf, load, store, unaryExpr } from "../wgsl/ops.js";
import { flatView, runElementwise } from "./elementwise.js";

export function unary(
  ctx: GpuContext,
  op: UnaryOp,
  x: GpuBuffer,
  params: readonly number[],
): GpuBuffer {
  const outType: DType = op === "logical_not" ? "bool" : x.dtype;
  const out = ctx.alloc(outType, x.size, op);
  runElementwise(ctx, {
    key: `unary:${op}`,
    out,
    shape: [x.size],
    inputs: [{ buf: x, view: flatView(x.size) }],
    scalars: params,
    expr: ([v], s) => store(outType, unaryExpr(op, load(x.dtype, v), s)),
  });
  return out;
}

export function binary(
  ctx: GpuContext,
  op: BinaryOp,
  a: GpuBuffer,
  av: View,
  b: GpuBuffer,
  bv: View,
): GpuBuffer {
  const outType: DType = COMPARISON_OPS.has(op) ? "bool" : a.dtype;
  const n = av.shape.reduce((p, d) => p * d, 1);
  const out = ctx.alloc(outType, n, op);
  runElementwise(ctx, {
    key: `binary:${op}`,
    out,
    shape: av.shape,
    inputs: [
      { buf: a, view: av },
      { buf: b, view: bv },
    ],
    expr: ([va, vb]) => store(outType, binaryExpr(op, load(a.dtype, va), load(b.dtype, vb))),
  });
  return out;
}

/**
 * a op s. The js backend computes in float64 with the exact scalar; integer tensors stay in
 * integer arithmetic when the scalar is an integer, else they are computed in float.
 */
export function binaryScalar(
  ctx: GpuContext,
  op: BinaryOp,
  a: GpuBuffer,
  s: number,
  scalarFirst: boolean,
): GpuBuffer {
  const outType: DType = COMPARISON_OPS.has(op) ? "bool" : a.dtype;
  const out = ctx.alloc(outType, a.size, op);
  const intScalar = Number.isInteger(s) && s >= -0x80000000 && s <= 0x7fffffff;
  const useInt = kindOf(a.dtype) === "i" && intScalar;
  runElementwise(ctx, {
    key: `scalar:${op}:${useInt}:${scalarFirst}`,
    out,
    shape: [a.size],
    inputs: [{ buf: a, view: flatView(a.size) }],
    scalars: [s],
    expr: ([v], [sv]) => {
      const x = load(a.dtype, v);
      const xe: Expr = useInt ? x : { kind: "f", code: x.kind === "f" ? x.code : `f32(${x.code})` };
      const se: Expr = useInt ? { kind: "i", code: `i32(${sv})` } : { kind: "f", code: sv };
      return store(outType, scalarFirst ? binaryExpr(op, se, xe) : binaryExpr(op, xe, se));
    },
  });
  return out;
}

export function where(
  ctx: GpuContext,
  cond: GpuBuffer,
  cv: View,
  a: GpuBuffer,
  av: View,
  b: GpuBuffer,
  bv: View,
): GpuBuffer {
  const n = cv.shape.reduce((p, d) => p * d, 1);
  const out = ctx.alloc(a.dtype, n, "where");
  runElementwise(ctx, {
    key: "where",
    out,
    shape: cv.shape,
    inputs: [
      { buf: cond, view: cv },
      { buf: a, view: av },
      { buf: b, view: bv },
    ],
    // Any nonzero condition (NaN included) picks a, as the js backend's `!== 0` does.
    expr: ([c, va, vb]) => {
      const test = cond.dtype === "float32" ? `nonzero_f(${c})` : `(${c} != ${zero(cond.dtype)})`;
      return `select(${store(a.dtype, load(b.dtype, vb))}, ${va}, ${test})`;
    },
  });
  return out;
}

export function cast(ctx: GpuContext, x: GpuBuffer, dtype: DType): GpuBuffer {
  const out = ctx.alloc(dtype, x.size, "cast");
  runElementwise(ctx, {
    key: "cast",
    out,
    shape: [x.size],
    inputs: [{ buf: x, view: flatView(x.size) }],
    expr: ([v]) => castTo(dtype, load(x.dtype, v)),
  });
  return out;
}

export function copy(ctx: GpuContext, x: GpuBuffer, view: View): GpuBuffer {
  const n = view.shape.reduce((p, d) => p * d, 1);
  const out = ctx.alloc(x.dtype, n, "copy");
  runElementwise(ctx, {
    key: "copy",
    out,
    shape: view.shape,
    inputs: [{ buf: x, view }],
    expr: ([v]) => v,
  });
  return out;
}

/** dst[view] = src, converting src's values as the js backend's typed-array stores do. */
export function writeView(ctx: GpuContext, dst: GpuBuffer, src: GpuBuffer, view: View): void {
  runElementwise(ctx, {
    key: "writeView",
    out: dst,
    outView: view,
    shape: view.shape,
    inputs: [
      { buf: src, view: { shape: view.shape, strides: contiguousStrides(view.shape), offset: 0 } },
    ],
    expr: ([v]) => (dst.dtype === src.dtype ? v : castTo(dst.dtype, load(src.dtype, v))),
  });
}

/** Fills up to this many elements are written from the host instead of by a kernel. */
const HOST_FILL_MAX = 4096;

/** A buffer of `size` copies of `value`, stored as the js backend's typed arrays store it. */
export function fill(ctx: GpuContext, dtype: DType, size: number, value: number): GpuBuffer {
  const onHost = size <= HOST_FILL_MAX;
  const out = ctx.alloc(dtype, size, "fill", onHost);
  if (size === 0) return out;
  const word = new Uint32Array(1);
  if (dtype === "float32") new Float32Array(word.buffer)[0] = value;
  else if (dtype === "int32") new Int32Array(word.buffer)[0] = value;
  else word[0] = value !== 0 ? 1 : 0; // NaN is true, as in PyTorch
  if (onHost) {
    ctx.device.queue.writeBuffer(out.gpu, 0, new Uint32Array(size).fill(word[0]));
    return out;
  }
  runElementwise(ctx, {
    key: "fill",
    out,
    shape: [size],
    inputs: [],
    words: [word[0]],
    expr: (_v, [w]) =>
      dtype === "float32" ? `bitcast<f32>(${w})` : dtype === "int32" ? `bitcast<i32>(${w})` : w,
  });
  return out;
}

function zero(dtype: DType): string {
  return dtype === "int32" ? "0" : "0u";
}
