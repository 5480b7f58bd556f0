/**
 * The primitive ops. Each runs one backend kernel and, when a gradient is wanted, records its
 * one backward rule, written with tensor ops. Everything else (losses, layers, mean, var, ...)
 * is composed from these, so its gradient follows.
 */

import {
  type BinaryOp,
  COMPARISON_OPS,
  type Conv2dGeometry,
  contiguousStrides,
  type ReduceOp,
  sizeOf,
  type UnaryOp,
  type View,
} from "@gradbook/kernels";
import { AccumulateGrad, type BackwardFn, is_grad_enabled, Node, no_grad } from "./autograd.js";
import {
  type DType,
  fromStorageDType,
  isFloating,
  promoteTypes,
  scalarResultType,
  storageDType,
} from "./dtype.js";
import {
  broadcastShapes,
  normalizeDim,
  type Shape,
  sameShape,
  shapeStr,
  viewStrides,
} from "./shape.js";
import { Tensor } from "./tensor.js";

export type Scalar = number | boolean;
export type TensorOrScalar = Tensor | Scalar;

// ---------------------------------------------------------------- autograd recording

/** The node a gradient for `t` flows into: its grad_fn, or (for a leaf) its AccumulateGrad. */
export function gradEdge(t: Tensor): Node {
  if (t.grad_fn) return t.grad_fn;
  t._accumulator ??= new AccumulateGrad(t);
  return t._accumulator;
}

/** Attach a backward node to `out` if any input requires grad and grad mode is on. */
export function record(
  out: Tensor,
  name: string,
  inputs: readonly (Tensor | null)[],
  backward: BackwardFn,
  saved: readonly Tensor[] = [],
): Tensor {
  if (!is_grad_enabled() || !inputs.some((t) => t?.requires_grad)) return out;
  out._setGradFn(
    new Node(
      name,
      inputs.map((t) => (t?.requires_grad ? gradEdge(t) : null)),
      backward,
      // JavaScript numbers wrapped as 0-d tensors can't change, so they need no version check
      // (and, as in PyTorch, `x.mul(2)` can be backpropagated twice).
      saved.filter((t) => !wrappedScalars.has(t)),
    ),
  );
  return out;
}

/** 0-d tensors made from JavaScript numbers by the ops themselves (never visible to users). */
const wrappedScalars = new WeakSet<Tensor>();

// ---------------------------------------------------------------- helpers

export function scalarTensor(value: Scalar, dtype: DType, like: Tensor): Tensor {
  const b = like._backend;
  return Tensor._fromBuffer(b.fill(storageDType(dtype), 1, Number(value)), [], dtype, b);
}

function wrapScalar(value: Scalar, dtype: DType, like: Tensor): Tensor {
  const t = scalarTensor(value, dtype, like);
  wrappedScalars.add(t);
  return t;
}

function sameDevice(a: Tensor, b: Tensor, op: string): void {
  if (a._backend !== b._backend) {
    throw new Error(
      `${op}: expected all tensors to be on the same device, but found at least two devices, ${a.device} and ${b.device}!`,
    );
  }
}

/** The view that reads `t` broadcast to `shape` (stride 0 along broadcast dims). */
export function broadcastView(t: Tensor, shape: Shape): View {
  const offset = shape.length - t.ndim;
  const strides = shape.map((_d, i) => {
    const j = i - offset;
    if (j < 0 || t.shape[j] === 1) return 0;
    return t._strides[j];
  });
  return { shape, strides, offset: t._offset };
}

/** Sum `g` down to `shape`, undoing broadcasting. */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  return reduce("sum", g, dims, true).reshape(shape);
}

export function toDType(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  const c = x._dense();
  const out = Tensor._fromBuffer(
    x._backend.cast(c._buffer(), storageDType(dtype)),
    x.shape,
    dtype,
    x._backend,
  );
  if (!isFloating(dtype)) return out;
  const from = x.dtype;
  return record(out, "ToCopyBackward0", [x], (g) => [isFloating(from) ? toDType(g, from) : null]);
}

// ---------------------------------------------------------------- elementwise

export function unary(op: UnaryOp, x: Tensor, params: readonly number[] = []): Tensor {
  const b = x._backend;
  const buf = b.unary(op, x._dense()._buffer(), params);
  const out = Tensor._fromBuffer(buf, x.shape, fromStorageDType(buf.dtype), b);
  const rule = UNARY_RULES[op];
  if (!rule || !isFloating(x.dtype)) return out;
  // The closure holds only what the rule reads, so nothing else stays alive with the graph.
  const sx = rule.saves === "x" ? x : null;
  const so = rule.saves === "out" ? out : null;
  return record(
    out,
    rule.name,
    [x],
    (g) => [rule.grad(g, sx as Tensor, so as Tensor, params)],
    sx ? [sx] : so ? [so] : [],
  );
}

interface UnaryRule {
  name: string;
  /** What the rule reads besides the gradient: the input or the result (as PyTorch saves). */
  saves?: "x" | "out";
  grad: (g: Tensor, x: Tensor, out: Tensor, params: readonly number[]) => Tensor;
}

const zerosGrad = (g: Tensor) => g.mul(0);

/** The backward rule of every differentiable unary primitive (d out / d x times g). */
const UNARY_RULES: Partial<Record<UnaryOp, UnaryRule>> = {
  neg: { name: "NegBackward0", grad: (g) => g.neg() },
  exp: { name: "ExpBackward0", saves: "out", grad: (g, _x, out) => g.mul(out) },
  log: { name: "LogBackward0", saves: "x", grad: (g, x) => g.div(x) },
  sqrt: { name: "SqrtBackward0", saves: "out", grad: (g, _x, out) => g.div(out.mul(2)) },
  rsqrt: {
    name: "RsqrtBackward0",
    saves: "out",
    grad: (g, _x, out) => g.mul(out.pow(3)).mul(-0.5),
  },
  abs: { name: "AbsBackward0", saves: "x", grad: (g, x) => g.mul(x.sign()) },
  sign: { name: "SignBackward0", grad: zerosGrad },
  floor: { name: "FloorBackward0", grad: zerosGrad },
  ceil: { name: "CeilBackward0", grad: zerosGrad },
  round: { name: "RoundBackward0", grad: zerosGrad },
  tanh: {
    name: "TanhBackward0",
    saves: "out",
    grad: (g, _x, out) => g.mul(out.square().neg().add(1)),
  },
  sigmoid: {
    name: "SigmoidBackward0",
    saves: "out",
    grad: (g, _x, out) => g.mul(out.mul(out.neg().add(1))),
  },
  relu: { name: "ReluBackward0", saves: "out", grad: (g, _x, out) => g.mul(out.gt(0)) },
  leaky_relu: {
    name: "LeakyReluBackward0",
    saves: "x",
    grad: (g, x, _out, [slope]) => where(x.gt(0), g, g.mul(slope)),
  },
  clamp: {
    name: "ClampBackward1",
    saves: "x",
    grad: (g, x, _out, [lo, hi]) => {
      let mask = x.eq(x); // true except at NaN
      if (!Number.isNaN(lo)) mask = mask.logical_and(x.ge(lo));
      if (!Number.isNaN(hi)) mask = mask.logical_and(x.le(hi));
      return g.mul(mask);
    },
  },
  pow_scalar: {
    name: "PowBackward0",
    saves: "x",
    grad: (g, x, _out, [e]) => (e === 0 ? g.mul(0) : g.mul(x.pow(e - 1)).mul(e)),
  },
  gelu: {
    name: "GeluBackward0",
    saves: "x",
    // d/dx x*Phi(x) = Phi(x) + x*phi(x)
    grad: (g, x) => {
      const cdf = unary("erf", x.mul(Math.SQRT1_2)).add(1).mul(0.5);
      const pdf = x
        .square()
        .mul(-0.5)
        .exp()
        .mul(1 / Math.sqrt(2 * Math.PI));
      return g.mul(cdf.add(x.mul(pdf)));
    },
  },
  erf: {
    name: "ErfBackward0",
    saves: "x",
    grad: (g, x) =>
      g.mul(
        x
          .square()
          .neg()
          .exp()
          .mul(2 / Math.sqrt(Math.PI)),
      ),
  },
  square: { name: "PowBackward0", saves: "x", grad: (g, x) => g.mul(x).mul(2) },
  reciprocal: {
    name: "ReciprocalBackward0",
    saves: "out",
    grad: (g, _x, out) => g.mul(out.square()).neg(),
  },
  sin: { name: "SinBackward0", saves: "x", grad: (g, x) => g.mul(x.cos()) },
  cos: { name: "CosBackward0", saves: "x", grad: (g, x) => g.mul(x.sin()).neg() },
};

/** Convert a scalar operand to a tensor of the right dtype; return both operands. */
function operands(
  a: TensorOrScalar,
  b: TensorOrScalar,
  op: string,
  like?: Tensor,
): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) {
    sameDevice(a, b, op);
    return [a, b];
  }
  if (a instanceof Tensor)
    return [a, wrapScalar(b as Scalar, scalarResultType(a.dtype, b as Scalar), a)];
  if (b instanceof Tensor) return [wrapScalar(a, scalarResultType(b.dtype, a), b), b];
  if (like) {
    const dtype = typeof a === "boolean" && typeof b === "boolean" ? "bool" : "float32";
    return [wrapScalar(a, dtype, like), wrapScalar(b, dtype, like)];
  }
  throw new TypeError(`${op}: expected at least one tensor argument`);
}

/** `a` cast to `dtype`, still known as a wrapped scalar if it was one. */
function castOperand(t: Tensor, dtype: DType): Tensor {
  const c = toDType(t, dtype);
  if (c !== t && wrappedScalars.has(t)) wrappedScalars.add(c);
  return c;
}

function binaryDType(op: BinaryOp, a: Tensor, b: Tensor): DType {
  const t = promoteTypes(a.dtype, b.dtype);
  if (op === "div" && t !== "float32") return "float32"; // true division
  return t;
}

/** PyTorch's bool arithmetic: `+` is logical or, `*` logical and; the rest need numbers. */
function boolOp(op: BinaryOp): BinaryOp {
  if (op === "add" || op === "maximum") return "logical_or";
  if (op === "mul" || op === "minimum") return "logical_and";
  if (op === "sub") {
    throw new TypeError(
      "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.",
    );
  }
  return op;
}

/** Broadcast shapes for `op`, naming the op and both shapes when they don't fit. */
function broadcastFor(op: string, a: Shape, b: Shape): number[] {
  try {
    return broadcastShapes(a, b);
  } catch (e) {
    throw new Error(
      `${(e as Error).message} (${op}: tensor a has shape ${shapeStr(a)}, tensor b has shape ${shapeStr(b)})`,
    );
  }
}

export function binary(op: BinaryOp, x: TensorOrScalar, y: TensorOrScalar): Tensor {
  const withScalar =
    x instanceof Tensor
      ? y instanceof Tensor
        ? null
        : binaryWithScalar(op, x, y, false)
      : y instanceof Tensor
        ? binaryWithScalar(op, y, x, true)
        : null;
  if (withScalar) return withScalar;
  let [a, b] = operands(x, y, op);
  const shape = broadcastFor(op, a.shape, b.shape);
  const dtype = binaryDType(op, a, b);
  a = castOperand(a, dtype);
  b = castOperand(b, dtype);
  const kernelOp = dtype === "bool" ? boolOp(op) : op;
  const backend = a._backend;
  const buf = backend.binary(
    kernelOp,
    a._storage.buffer,
    broadcastView(a, shape),
    b._storage.buffer,
    broadcastView(b, shape),
  );
  const out = Tensor._fromBuffer(buf, shape, COMPARISON_OPS.has(op) ? "bool" : dtype, backend);
  const rule = BINARY_RULES[op];
  if (!rule || !isFloating(dtype)) return out;
  const needA = a.requires_grad;
  const needB = b.requires_grad;
  const keys = rule.saves(needA, needB);
  // The closure holds only the tensors the rule reads (and shapes), as PyTorch's saved variables.
  const sa = keys.includes("a") ? a : null;
  const sb = keys.includes("b") ? b : null;
  const so = keys.includes("out") ? out : null;
  const aShape = a.shape;
  const bShape = b.shape;
  return record(
    out,
    rule.name,
    [a, b],
    (g) => {
      const [ga, gb] = rule.grad(g, sa as Tensor, sb as Tensor, so as Tensor, needA, needB);
      return [
        needA && ga ? sumToShape(ga, aShape) : null,
        needB && gb ? sumToShape(gb, bShape) : null,
      ];
    },
    [sa, sb, so].filter((t): t is Tensor => t !== null),
  );
}

/**
 * `t op s` (`s op t` when `scalarFirst`) with a JavaScript number, by the backend's scalar
 * kernel: no 0-d tensor is made and uploaded for `s`. The scalar is rounded to the tensor's
 * dtype, as a wrapped scalar would be, so results are the general path's. Returns null where
 * that path is needed: a cast, bool arithmetic, a tensor that isn't all of its storage, or a
 * gradient SCALAR_RULES doesn't give.
 */
function binaryWithScalar(op: BinaryOp, t: Tensor, s: Scalar, scalarFirst: boolean): Tensor | null {
  let dtype = promoteTypes(t.dtype, scalarResultType(t.dtype, s));
  if (op === "div" && dtype !== "float32") dtype = "float32";
  if (dtype !== t.dtype || dtype === "bool" || !t._isDense()) return null;
  const rule = BINARY_RULES[op];
  const scalarRule = SCALAR_RULES[op];
  const tracked = is_grad_enabled() && t.requires_grad && rule !== undefined && isFloating(dtype);
  if (tracked && !scalarRule) return null;
  const value = dtype === "float32" ? Math.fround(Number(s)) : Number(s) | 0;
  const backend = t._backend;
  const buf = backend.binaryScalar(op, t._storage.buffer, value, scalarFirst);
  const out = Tensor._fromBuffer(buf, t.shape, COMPARISON_OPS.has(op) ? "bool" : dtype, backend);
  if (!tracked || !rule || !scalarRule) return out;
  // Edges as the general path records them: none for the scalar's side.
  const saved = scalarFirst && op === "div" ? [t] : [];
  return record(
    out,
    rule.name,
    scalarFirst ? [null, t] : [t, null],
    (g) => {
      const gt = scalarRule(g, value, saved[0], scalarFirst);
      return scalarFirst ? [null, gt] : [gt, null];
    },
    saved,
  );
}

/** The gradient for the tensor operand of an op with a number (BINARY_RULES' formulas). */
const SCALAR_RULES: Partial<
  Record<BinaryOp, (g: Tensor, s: number, t: Tensor, scalarFirst: boolean) => Tensor>
> = {
  add: (g) => g,
  sub: (g, _s, _t, first) => (first ? g.neg() : g),
  mul: (g, s) => g.mul(s),
  div: (g, s, t, first) => (first ? g.neg().mul(s).div(t.mul(t)) : g.div(s)),
};

type Operand = "a" | "b" | "out";

interface BinaryRule {
  name: string;
  /** The tensors the rule reads, given which inputs need a gradient (as PyTorch saves them). */
  saves: (needA: boolean, needB: boolean) => Operand[];
  grad: (
    g: Tensor,
    a: Tensor,
    b: Tensor,
    out: Tensor,
    needA: boolean,
    needB: boolean,
  ) => [Tensor | null, Tensor | null];
}

const none = (): Operand[] => [];
const both = (): Operand[] => ["a", "b"];

/** The backward rule of every differentiable binary primitive, before un-broadcasting. */
const BINARY_RULES: Partial<Record<BinaryOp, BinaryRule>> = {
  add: { name: "AddBackward0", saves: none, grad: (g) => [g, g] },
  sub: {
    name: "SubBackward0",
    saves: none,
    grad: (g, _a, _b, _o, _na, nb) => [g, nb ? g.neg() : null],
  },
  mul: {
    name: "MulBackward0",
    saves: (na, nb) => [...(nb ? ["a" as const] : []), ...(na ? ["b" as const] : [])],
    grad: (g, a, b, _o, na, nb) => [na ? g.mul(b) : null, nb ? g.mul(a) : null],
  },
  div: {
    name: "DivBackward0",
    saves: (_na, nb) => (nb ? ["a", "b"] : ["b"]),
    grad: (g, a, b, _o, na, nb) => [na ? g.div(b) : null, nb ? g.neg().mul(a).div(b.mul(b)) : null],
  },
  pow: {
    name: "PowBackward1",
    saves: (_na, nb) => (nb ? ["a", "b", "out"] : ["a", "b"]),
    grad: (g, a, b, out, na, nb) => [
      // d/da a^b = b a^(b-1), defined as 0 where b == 0 (PyTorch masks 0 * inf there)
      na ? where(b.eq(0), 0, g.mul(b).mul(a.pow(b.sub(1)))) : null,
      // d/db a^b = a^b log(a), defined as 0 where a == 0 and b >= 0
      nb ? where(a.eq(0).logical_and(b.ge(0)), 0, g.mul(out).mul(a.log())) : null,
    ],
  },
  maximum: {
    name: "MaximumBackward0",
    saves: both,
    grad: (g, a, b) => splitByWinner(g, a.gt(b), a.eq(b)),
  },
  minimum: {
    name: "MinimumBackward0",
    saves: both,
    grad: (g, a, b) => splitByWinner(g, a.lt(b), a.eq(b)),
  },
};

/** maximum/minimum: the gradient goes to the winner, halved on ties (as PyTorch). */
function splitByWinner(g: Tensor, aWins: Tensor, tie: Tensor): [Tensor, Tensor] {
  const wa = aWins.to("float32").add(tie.to("float32").mul(0.5));
  return [g.mul(wa), g.mul(wa.neg().add(1))];
}

export function where(cond: Tensor, x: TensorOrScalar, y: TensorOrScalar): Tensor {
  let [a, b] = operands(x, y, "where", cond);
  sameDevice(cond, a, "where");
  const c = cond.dtype === "bool" ? cond : cond.ne(0);
  const shape = broadcastFor("where", c.shape, broadcastFor("where", a.shape, b.shape));
  const dtype = promoteTypes(a.dtype, b.dtype);
  a = castOperand(a, dtype);
  b = castOperand(b, dtype);
  const backend = a._backend;
  const buf = backend.where(
    c._storage.buffer,
    broadcastView(c, shape),
    a._storage.buffer,
    broadcastView(a, shape),
    b._storage.buffer,
    broadcastView(b, shape),
  );
  const out = Tensor._fromBuffer(buf, shape, dtype, backend);
  if (!isFloating(dtype)) return out;
  const [needA, needB] = [a.requires_grad, b.requires_grad];
  const [aShape, bShape] = [a.shape, b.shape];
  return record(
    out,
    "WhereBackward0",
    [a, b],
    (g) => [
      needA ? sumToShape(where(c, g, 0), aShape) : null,
      needB ? sumToShape(where(c, 0, g), bShape) : null,
    ],
    [c],
  );
}

// ---------------------------------------------------------------- reductions

/** Reduce `x` over `dims` (sorted, non-negative) with one kernel per dim, without recording. */
function reduceRaw(op: ReduceOp, x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  const backend = x._backend;
  let buf = x._dense()._buffer();
  const shape = [...x.shape];
  for (let k = dims.length - 1; k >= 0; k--) {
    const d = dims[k];
    if (shape[d] === 0 && op !== "sum" && op !== "prod") {
      throw new Error(
        `${op}(): Expected reduction dim ${d} to have non-zero size (the tensor has shape ${shapeStr(x.shape)}).`,
      );
    }
    const next = backend.reduce(
      op,
      buf,
      sizeOf(shape.slice(0, d)),
      shape[d],
      sizeOf(shape.slice(d + 1)),
    );
    // Intermediate results are freed at once; the input's buffer belongs to the input.
    if (k < dims.length - 1) backend.free(buf);
    buf = next;
    shape[d] = 1;
  }
  if (dims.length === 0) buf = backend.copy(buf, { shape: [buf.size], strides: [1], offset: 0 });
  const outShape = keepdim ? shape : shape.filter((_, i) => !dims.includes(i));
  return Tensor._fromBuffer(buf, outShape, fromStorageDType(buf.dtype), backend);
}

/** `x` with the reduced `dims` kept as size 1 (the shape a reduction's gradient broadcasts from). */
function keptShape(x: Tensor, dims: readonly number[]): number[] {
  return x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
}

/**
 * Reduce `x` over `dims` (sorted, non-negative). `name` is the backward node's PyTorch name
 * (full `sum()` is SumBackward0, `sum(dim)` SumBackward1, full `max()` MaxBackward1, ...).
 */
export function reduce(
  op: ReduceOp,
  x: Tensor,
  dims: readonly number[],
  keepdim: boolean,
  name?: string,
): Tensor {
  if (op === "sum" && !isFloating(x.dtype) && x.dtype !== "int64") {
    return reduce(op, toDType(x, "int64"), dims, keepdim, name);
  }
  const out = reduceRaw(op, x, dims, keepdim);
  if (!isFloating(x.dtype) || op === "argmax" || op === "argmin") return out;
  const keepShape = keptShape(x, dims);
  if (op === "prod") {
    return record(out, name ?? "ProdBackward1", [x], prodBackward(x, out, dims, keepShape), [
      x,
      out,
    ]);
  }
  if (op === "sum") {
    return record(out, name ?? "SumBackward1", [x], broadcastBack(keepShape, x.shape, 1));
  }
  const node = name ?? (op === "max" ? "AmaxBackward0" : "AminBackward0");
  return record(out, node, [x], extremeBackward(x, out, dims, keepShape), [x, out]);
}

// Backward closures are made by these small factories, so that each closure holds exactly the
// values it reads: closures made in one function share one V8 context, which would keep every
// tensor any of them (or any helper arrow) mentions alive with the graph.

/** Sum / mean: the gradient broadcast back over the reduced dims (divided by `n`). */
function broadcastBack(keepShape: Shape, xShape: Shape, n: number): BackwardFn {
  return (g) => [
    n === 1 ? g.reshape(keepShape).expand(xShape) : g.reshape(keepShape).expand(xShape).div(n),
  ];
}

/**
 * prod: d/dx_i of the product is the product of the others. That is out / x_i where the slice
 * has no zero; where it has exactly one, only the zero gets a gradient (the product of the
 * rest); with two or more zeros, every gradient is zero (PyTorch's prod_backward).
 */
function prodBackward(
  x: Tensor,
  out: Tensor,
  dims: readonly number[],
  keepShape: Shape,
): BackwardFn {
  return (g) => {
    const gk = g.reshape(keepShape);
    const isZero = x.eq(0);
    const zeros = reduce("sum", isZero, dims, true);
    const rest = reduce("prod", where(isZero, 1, x), dims, true);
    const noZero = gk.mul(out.reshape(keepShape)).div(x);
    const oneZero = where(isZero, gk.mul(rest), 0);
    return [where(zeros.eq(0), noZero, where(zeros.eq(1), oneZero, 0))];
  };
}

/** amax / amin / full max: the gradient shared evenly among the elements equal to the extreme. */
function extremeBackward(
  x: Tensor,
  out: Tensor,
  dims: readonly number[],
  keepShape: Shape,
): BackwardFn {
  return (g) => {
    const mask = x.eq(out.reshape(keepShape)).to("float32");
    const count = reduce("sum", mask, dims, true);
    return [g.reshape(keepShape).mul(mask).div(count)];
  };
}

/** The mean over `dims`: one node (MeanBackward0 for all dims, MeanBackward1 for some). */
export function mean(x: Tensor, dims: readonly number[], keepdim: boolean, name: string): Tensor {
  let n = 1;
  for (const d of dims) n *= x.shape[d];
  const out = no_grad(() => reduceRaw("sum", x, dims, keepdim).div(n));
  return record(out, name, [x], broadcastBack(keptShape(x, dims), x.shape, n));
}

/** `x.max(dim)` / `x.min(dim)`: values and indices; the gradient goes to the returned index. */
export function reduceWithIndices(
  op: "max" | "min",
  x: Tensor,
  dim: number,
  keepdim: boolean,
): { values: Tensor; indices: Tensor } {
  const d = normalizeDim(dim, x.ndim);
  const dims = x.ndim === 0 ? [] : [d];
  const values = reduceRaw(op, x, dims, keepdim);
  const indices =
    x.ndim === 0
      ? scalarTensor(0, "int64", x)
      : reduceRaw(op === "max" ? "argmax" : "argmin", x, dims, keepdim);
  if (!isFloating(x.dtype)) return { values, indices };
  const keepShape = keptShape(x, dims);
  const backward =
    x.ndim === 0 ? identityBackward : indexedExtremeBackward(d, indices, keepShape, x.shape);
  record(values, op === "max" ? "MaxBackward0" : "MinBackward0", [x], backward, [indices]);
  return { values, indices };
}

function indexedExtremeBackward(
  d: number,
  indices: Tensor,
  keepShape: Shape,
  xShape: Shape,
): BackwardFn {
  return (g) => [scatterAdd(g.reshape(keepShape), d, indices.reshape(keepShape), xShape)];
}

// ---------------------------------------------------------------- softmax

export function softmax(x: Tensor, dim: number, log: boolean): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const xf = isFloating(x.dtype) ? x : toDType(x, "float32");
  const outer = sizeOf(xf.shape.slice(0, d));
  const inner = sizeOf(xf.shape.slice(d + 1));
  const size = xf.ndim === 0 ? 1 : xf.shape[d];
  const buf = xf._backend.softmax(xf._dense()._buffer(), outer, size, inner, log);
  const out = Tensor._fromBuffer(buf, xf.shape, "float32", xf._backend);
  const sd = xf.ndim === 0 ? [] : [d];
  if (log) {
    return record(
      out,
      "LogSoftmaxBackward0",
      [xf],
      (g) => [g.sub(out.exp().mul(g.sum(sd, true)))],
      [out],
    );
  }
  return record(out, "SoftmaxBackward0", [xf], (g) => [out.mul(g.sub(g.mul(out).sum(sd, true)))], [
    out,
  ]);
}

// ---------------------------------------------------------------- matmul

function dimsStr(shape: Shape): string {
  return shape.join("x");
}

/** One operand of a batched matmul: the buffer, whether it is read transposed, its batch stride. */
function matmulOperand(
  t: Tensor,
  batchShape: Shape,
): { t: Tensor; trans: boolean; batchStride: number } {
  const r = t.shape[t.ndim - 2];
  const c = t.shape[t.ndim - 1];
  const own = t.shape.slice(0, -2);
  const ownBatch = sizeOf(own);
  const broadcastAll = ownBatch === 1 && sizeOf(batchShape) > 1;
  if (!broadcastAll && !sameShape(own, batchShape)) {
    return matmulOperand(t.expand([...batchShape, r, c])._dense(), batchShape);
  }
  const s = t._strides;
  const rs = s[t.ndim - 2];
  const cs = s[t.ndim - 1];
  const batchOk = (bs: number) =>
    own.every((d, i) => d === 1 || s[i] === bs * sizeOf(own.slice(i + 1)));
  if (t._offset === 0 && (cs === 1 || c === 1) && (rs === c || r === 1) && batchOk(r * c)) {
    return { t, trans: false, batchStride: broadcastAll ? 0 : r * c };
  }
  if (t._offset === 0 && (rs === 1 || r === 1) && (cs === r || c === 1) && batchOk(r * c)) {
    return { t, trans: true, batchStride: broadcastAll ? 0 : r * c };
  }
  return matmulOperand(t._dense(), batchShape);
}

/** The batched product of a [..., m, k] and b [..., k, n] (no autograd). */
function matmulRaw(a: Tensor, b: Tensor): Tensor {
  const m = a.shape[a.ndim - 2];
  const k = a.shape[a.ndim - 1];
  const n = b.shape[b.ndim - 1];
  const batchShape = broadcastFor("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = sizeOf(batchShape);
  const A = matmulOperand(a, batchShape);
  const B = matmulOperand(b, batchShape);
  const backend = a._backend;
  const buf = backend.matmul(A.t._storage.buffer, B.t._storage.buffer, {
    batch,
    m,
    k,
    n,
    aBatchStride: A.batchStride,
    bBatchStride: B.batchStride,
    transA: A.trans,
    transB: B.trans,
  });
  return Tensor._fromBuffer(buf, [...batchShape, m, n], "float32", backend);
}

/** A view of `t` with a size-1 dim inserted at `at` (no autograd). */
function unsqueezeRaw(t: Tensor, at: number): Tensor {
  const shape = [...t.shape];
  const strides = [...t._strides];
  shape.splice(at, 0, 1);
  strides.splice(at, 0, 0);
  return Tensor._viewOf(t, shape, strides, t._offset);
}

/** `torch.matmul` with PyTorch's rules for 1-D, 2-D and batched (broadcast) operands. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  sameDevice(a, b, "matmul");
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(
      `both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`,
    );
  }
  const k = a.shape[a.ndim - 1];
  const kb = b.shape[b.ndim === 1 ? 0 : b.ndim - 2];
  if (k !== kb) {
    if (a.ndim === 1 && b.ndim === 1) {
      throw new Error(
        `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
      );
    }
    throw new Error(
      `mat1 and mat2 shapes cannot be multiplied (${dimsStr(a.shape)} and ${dimsStr(b.shape)})`,
    );
  }
  if (!isFloating(a.dtype) || !isFloating(b.dtype)) {
    throw new TypeError(
      `matmul: expected both tensors to be float32, but got ${a.dtype} and ${b.dtype}; convert with .float() first`,
    );
  }
  // 1-D operands become matrices ([k] -> [1, k] on the left, [k, 1] on the right) whose extra
  // dim is dropped from the result.
  const a2 = a.ndim === 1 ? unsqueezeRaw(a.detach(), 0) : a.detach();
  const b2 = b.ndim === 1 ? unsqueezeRaw(b.detach(), 1) : b.detach();
  const raw = matmulRaw(a2, b2);
  const outShape = raw.shape.filter(
    (_, i) => !(a.ndim === 1 && i === raw.ndim - 2) && !(b.ndim === 1 && i === raw.ndim - 1),
  );
  // The same memory under the final shape (not a view: `out` owns it, as any op result).
  const out = new Tensor(raw._storage, outShape, contiguousStrides(outShape), 0, "float32");
  const name =
    a.ndim === 1 && b.ndim === 1
      ? "DotBackward0"
      : a.ndim === 2 && b.ndim === 1
        ? "MvBackward0"
        : a.ndim <= 2 && b.ndim === 2
          ? "MmBackward0"
          : "BmmBackward0";
  // Each gradient needs only the other operand (as PyTorch saves them).
  const sa = b.requires_grad ? a : null;
  const sb = a.requires_grad ? b : null;
  const plain = a2.ndim === 2 && b2.ndim === 2; // no batch dims to sum gradients over
  const layout = {
    aColumnMajor: plain && columnMajor(a2),
    bColumnMajor: plain && columnMajor(b2),
  };
  const backward = matmulBackward(sa, sb, a.shape, b.shape, a2.shape, b2.shape, raw.shape, layout);
  const saved = sa && sb ? [sa, sb] : sa ? [sa] : sb ? [sb] : [];
  return record(out, name, [a, b], backward, saved);
}

/** A 2-D matrix stored transposed (column-major), as `w.t()` in a linear layer. */
function columnMajor(t: Tensor): boolean {
  const [r, c] = t.shape;
  return t.ndim === 2 && r > 1 && c > 1 && t._strides[0] === 1 && t._strides[1] === r;
}

function matmulBackward(
  sa: Tensor | null,
  sb: Tensor | null,
  aShape: Shape,
  bShape: Shape,
  aShape2: Shape,
  bShape2: Shape,
  outShape2: Shape,
  layout: { aColumnMajor: boolean; bColumnMajor: boolean },
): BackwardFn {
  return (g) => {
    const g2 = g.reshape(outShape2 as number[]);
    const a2 = sa?.reshape(aShape2 as number[]);
    const b2 = sb?.reshape(bShape2 as number[]);
    // A column-major operand gets its gradient in its own layout, (b @ g^T)^T rather than
    // g @ b^T (as PyTorch's mm backward does), so `w.t()`'s gradient reaches w contiguous
    // instead of needing a transposing copy.
    const ga = b2
      ? layout.aColumnMajor
        ? b2.matmul(g2.mT).mT
        : sumToShape(g2.matmul(b2.mT), aShape2).reshape(aShape as number[])
      : null;
    const gb = a2
      ? layout.bColumnMajor
        ? g2.mT.matmul(a2).mT
        : sumToShape(a2.mT.matmul(g2), bShape2).reshape(bShape as number[])
      : null;
    return [ga, gb];
  };
}

/** Batched matmul of tensors with ndim >= 2. */
export function matmul2(a: Tensor, b: Tensor): Tensor {
  return matmul(a, b);
}

// ---------------------------------------------------------------- views and copies

/** A view of x sharing its storage, recording `backward` when x requires grad. */
export function view(
  x: Tensor,
  name: string,
  shape: Shape,
  strides: readonly number[],
  offset: number,
  backward: BackwardFn,
): Tensor {
  const out = Tensor._viewOf(x, shape, strides, offset);
  return record(out, name, [x], backward);
}

/** `x` with a new shape: a view where the memory allows one (as PyTorch), else a copy's view. */
export function reshapeView(x: Tensor, shape: Shape, name = "ViewBackward0"): Tensor {
  const strides = viewStrides(x.shape, x._strides, shape);
  const backward = reshapeBackward(x.shape);
  if (strides) return view(x, name, shape, strides, x._offset, backward);
  const c = x._dense();
  return view(c, name, shape, contiguousStrides(shape), c._offset, backward);
}

function reshapeBackward(xShape: Shape): BackwardFn {
  return (g) => [g.reshape(xShape as number[])];
}

export function permute(x: Tensor, dims: readonly number[], name = "PermuteBackward0"): Tensor {
  if (dims.length !== x.ndim) {
    throw new Error(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${dims.length}`,
    );
  }
  const perm = dims.map((d) => normalizeDim(d, x.ndim));
  if (new Set(perm).size !== perm.length) {
    throw new Error(`permute(): duplicate dims are not allowed (got [${dims.join(", ")}]).`);
  }
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inverse[p] = i;
  });
  return view(
    x,
    name,
    perm.map((p) => x.shape[p]),
    perm.map((p) => x._strides[p]),
    x._offset,
    permuteBackward(inverse, name),
  );
}

function permuteBackward(inverse: readonly number[], name: string): BackwardFn {
  return (g) => [permute(g, inverse, name)];
}

export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (shape.length < x.ndim) {
    throw new Error(
      `expand(${shapeStr(x.shape)}, size=${shapeStr(shape)}): the number of sizes provided (${shape.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`,
    );
  }
  const lead = shape.length - x.ndim;
  const target = shape.map((d, i) => {
    if (d === -1 && i >= lead) return x.shape[i - lead];
    if (!Number.isInteger(d) || d < 0) {
      throw new Error(
        d === -1
          ? `The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`
          : `expand: invalid size ${d} at dimension ${i}`,
      );
    }
    return d;
  });
  // Checked from the last dim, as PyTorch does (so its error names the same dim).
  const strides = new Array<number>(target.length);
  for (let i = target.length - 1; i >= 0; i--) {
    const d = target[i];
    const j = i - lead;
    if (j < 0) strides[i] = 0;
    else if (x.shape[j] === d) strides[i] = x._strides[j];
    else if (x.shape[j] === 1) strides[i] = 0;
    else {
      throw new Error(
        `The expanded size of the tensor (${d}) must match the existing size (${x.shape[j]}) at non-singleton dimension ${i}.  Target sizes: ${shapeStr(target)}.  Tensor sizes: ${shapeStr(x.shape)}`,
      );
    }
  }
  return view(x, "ExpandBackward0", target, strides, x._offset, sumToShapeBackward(x.shape));
}

function sumToShapeBackward(xShape: Shape): BackwardFn {
  return (g) => [sumToShape(g, xShape)];
}

/** One dim's selection: a range with step, or a single index (the dim disappears). */
export type DimSelection = { start: number; stop: number; step: number } | { index: number };

/** x[sel_0, sel_1, ...] as a view (dims without a selection are taken whole). */
export function select(x: Tensor, sels: readonly DimSelection[], name = "SliceBackward0"): Tensor {
  const shape: number[] = [];
  const strides: number[] = [];
  const relStrides: number[] = [];
  const rel = contiguousStrides(x.shape);
  let offset = x._offset;
  let relOffset = 0;
  x.shape.forEach((size, d) => {
    const s = sels[d] ?? { start: 0, stop: size, step: 1 };
    if ("index" in s) {
      offset += s.index * x._strides[d];
      relOffset += s.index * rel[d];
      return;
    }
    const len = Math.max(0, Math.ceil((s.stop - s.start) / s.step));
    offset += len > 0 ? s.start * x._strides[d] : 0;
    relOffset += len > 0 ? s.start * rel[d] : 0;
    shape.push(len);
    strides.push(s.step * x._strides[d]);
    relStrides.push(s.step * rel[d]);
  });
  const region: View = { shape, strides: relStrides, offset: relOffset };
  return view(x, name, shape, strides, offset, sliceBackward(x.shape, region));
}

function sliceBackward(shape: Shape, region: View): BackwardFn {
  return (g) => [scatterIntoZeros(g, shape, region)];
}

/** The adjoint of a view: zeros of `shape` with `g` written at `region`. */
export function scatterIntoZeros(g: Tensor, shape: Shape, region: View): Tensor {
  const backend = g._backend;
  const buf = backend.fill("float32", sizeOf(shape), 0);
  backend.writeView(buf, g._dense()._buffer(), region);
  const out = Tensor._fromBuffer(buf, shape, "float32", backend);
  return record(out, "SliceBackwardBackward0", [g], readRegionBackward(region));
}

function readRegionBackward(region: View): BackwardFn {
  return (gg) => [readRegion(gg, region)];
}

/** The elements of (contiguous) `g` at `region`, as a view recording its own adjoint. */
export function readRegion(g: Tensor, region: View): Tensor {
  const c = g._dense();
  const backward = sliceBackward(c.shape, region);
  return view(c, "AsStridedBackward0", region.shape, region.strides, region.offset, backward);
}

/** A copy of `g` with the elements at `region` (of its contiguous layout) set to zero. */
export function zeroRegion(g: Tensor, region: View): Tensor {
  const backend = g._backend;
  const buf = backend.copy(g._storage.buffer, g._view());
  const zeros = backend.fill(buf.dtype, sizeOf(region.shape), 0);
  backend.writeView(buf, zeros, region);
  backend.free(zeros);
  const out = Tensor._fromBuffer(buf, g.shape, g.dtype, backend);
  return record(out, "CopySlicesBackward0", [g], zeroRegionBackward(region));
}

function zeroRegionBackward(region: View): BackwardFn {
  return (gg) => [zeroRegion(gg, region)];
}

export { sameShape };

export function contiguousCopy(x: Tensor, name = "CloneBackward0"): Tensor {
  const buf = x._backend.copy(x._storage.buffer, x._view());
  const out = Tensor._fromBuffer(buf, x.shape, x.dtype, x._backend);
  if (!isFloating(x.dtype)) return out;
  return record(out, name, [x], identityBackward);
}

const identityBackward: BackwardFn = (g) => [g];

export function cat(tensors: readonly Tensor[], dim: number, name = "CatBackward0"): Tensor {
  if (tensors.length === 0) throw new Error("torch.cat(): expected a non-empty list of Tensors");
  tensors.forEach((t, i) => {
    if (t.ndim === 0) {
      throw new Error(
        `torch.cat(): zero-dimensional tensor (at position ${i}) cannot be concatenated`,
      );
    }
  });
  const ref = tensors[0];
  const d = normalizeDim(dim, ref.ndim);
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  tensors.forEach((t, i) => {
    sameDevice(ref, t, "cat");
    if (t.ndim !== ref.ndim) {
      throw new Error(
        `torch.cat(): Tensors must have same number of dimensions: got ${ref.ndim} and ${t.ndim} (shapes ${shapeStr(ref.shape)} and ${shapeStr(t.shape)} for tensors 0 and ${i})`,
      );
    }
    const j = t.shape.findIndex((s, k) => k !== d && s !== ref.shape[k]);
    if (j >= 0) {
      throw new Error(
        `torch.cat(): Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[j]} but got size ${t.shape[j]} for tensor number ${i} in the list (shapes ${shapeStr(ref.shape)} and ${shapeStr(t.shape)}).`,
      );
    }
  });
  const shape = [...ref.shape];
  shape[d] = tensors.reduce((s, t) => s + t.shape[d], 0);
  const backend = ref._backend;
  const strides = contiguousStrides(shape);
  const buf = backend.alloc(storageDType(dtype), sizeOf(shape));
  let start = 0;
  const starts: number[] = [];
  for (const t of tensors) {
    starts.push(start);
    const src = toDType(t, dtype)._dense();
    backend.writeView(buf, src._buffer(), { shape: t.shape, strides, offset: start * strides[d] });
    start += t.shape[d];
  }
  const out = Tensor._fromBuffer(buf, shape, dtype, backend);
  if (!isFloating(dtype)) return out;
  const lengths = tensors.map((t) => t.shape[d]);
  const needs = tensors.map((t) => t.requires_grad);
  return record(out, name, tensors, catBackward(d, starts, lengths, needs));
}

function catBackward(
  d: number,
  starts: readonly number[],
  lengths: readonly number[],
  needs: readonly boolean[],
): BackwardFn {
  return (g) => lengths.map((len, i) => (needs[i] ? g.narrow(d, starts[i], len) : null));
}

// ---------------------------------------------------------------- indexing

function indexDims(x: Shape, dim: number): [number, number, number] {
  return [sizeOf(x.slice(0, dim)), x[dim], sizeOf(x.slice(dim + 1))];
}

function checkIndex(index: Tensor, op: string): void {
  if (index.dtype !== "int64") {
    throw new TypeError(`${op}(): Expected dtype int64 for index, but got ${index.dtype}`);
  }
}

/**
 * Throw PyTorch's IndexError for an index outside [-size, size) ([0, size) when negative indices
 * are not allowed). Backends that can't read synchronously leave the check to the kernel.
 */
export function checkIndexBounds(
  index: Tensor,
  size: number,
  dim: number,
  allowNegative: boolean,
): void {
  if (!index._backend.syncReadback || index.numel() === 0) return;
  const data = index.dataSync();
  const lo = allowNegative ? -size : 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo || v >= size) {
      throw new RangeError(`index ${v} is out of bounds for dimension ${dim} with size ${size}`);
    }
  }
}

/** x.index_select(dim, index) for an int64 index (read flat): whole slices picked by index. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex(index, "index_select");
  sameDevice(x, index, "index_select");
  const d = normalizeDim(dim, x.ndim);
  const viewShape = x.ndim === 0 ? [1] : x.shape;
  const [outer, size, inner] = indexDims(viewShape, d);
  const idx = index.reshape(-1)._dense();
  const buf = x._backend.indexSelect(x._dense()._buffer(), idx._buffer(), outer, size, inner);
  const shape = [...viewShape];
  shape.splice(d, 1, idx.shape[0]);
  const out = Tensor._fromBuffer(buf, x.ndim === 0 ? [] : shape, x.dtype, x._backend);
  if (!isFloating(x.dtype)) return out;
  const backward = indexSelectBackward(idx, x.shape, outer, size, inner);
  return record(out, "IndexSelectBackward0", [x], backward, [idx]);
}

function indexSelectBackward(
  idx: Tensor,
  xShape: Shape,
  outer: number,
  size: number,
  inner: number,
): BackwardFn {
  return (g) => {
    const backend = g._backend;
    const gb = backend.indexAdd(g._dense()._buffer(), idx._buffer(), outer, size, inner);
    return [Tensor._fromBuffer(gb, xShape, "float32", backend)];
  };
}

/** Zeros of `shape` with `src` added at `index` along dim (the adjoint of gather). */
export function scatterAdd(src: Tensor, dim: number, index: Tensor, shape: Shape): Tensor {
  const d = normalizeDim(dim, shape.length);
  const [outer, size, inner] = indexDims(shape, d);
  const idx = index._dense();
  const buf = src._backend.scatterAdd(
    src._dense()._buffer(),
    idx._buffer(),
    outer,
    size,
    index.shape[d],
    inner,
  );
  const out = Tensor._fromBuffer(buf, shape, src.dtype, src._backend);
  if (!isFloating(src.dtype)) return out;
  return record(out, "ScatterAddBackward0", [src], gatherBackward(d, idx), [idx]);
}

function gatherBackward(d: number, idx: Tensor): BackwardFn {
  return (g) => [gather(g, d, idx)];
}

function scatterAddBackward(d: number, idx: Tensor, shape: Shape): BackwardFn {
  return (g) => [scatterAdd(g, d, idx, shape)];
}

/** torch.gather(x, dim, index): index has x's shape except along dim. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex(index, "gather");
  sameDevice(x, index, "gather");
  const d = normalizeDim(dim, x.ndim);
  if (index.ndim !== x.ndim || index.shape.some((s, i) => i !== d && s > x.shape[i])) {
    throw new Error(
      `gather(): index ${shapeStr(index.shape)} must have the same number of dimensions as input ${shapeStr(x.shape)} and no larger size in any dimension except ${d}`,
    );
  }
  checkIndexBounds(index, x.shape[d], d, false);
  // Where the index is smaller than x outside dim, read only that part of x.
  const xs = index.shape.some((s, i) => i !== d && s !== x.shape[i])
    ? x.index(...x.shape.map((_s, i) => (i === d ? ":" : `0:${index.shape[i]}`)))
    : x;
  const [outer, size, inner] = indexDims(xs.shape, d);
  const idx = index._dense();
  const buf = x._backend.gather(
    xs._dense()._buffer(),
    idx._buffer(),
    outer,
    size,
    index.shape[d],
    inner,
  );
  const out = Tensor._fromBuffer(buf, index.shape, x.dtype, x._backend);
  if (!isFloating(x.dtype)) return out;
  return record(out, "GatherBackward0", [xs], scatterAddBackward(d, idx, xs.shape), [idx]);
}

// ---------------------------------------------------------------- convolution patches

/** NCHW image -> patch columns [n, c*kh*kw, oh*ow] (backward: col2im). */
export function im2col(x: Tensor, g: Conv2dGeometry, outShape: Shape): Tensor {
  const buf = x._backend.im2col(x._dense()._buffer(), g);
  const out = Tensor._fromBuffer(buf, outShape, "float32", x._backend);
  const [backend, xShape] = [x._backend, x.shape];
  return record(out, "Im2ColBackward0", [x], (grad) => {
    const gb = backend.col2im(grad._dense()._buffer(), { ...g, padValue: 0 });
    return [Tensor._fromBuffer(gb, xShape, "float32", backend)];
  });
}

export { sizeOf };
