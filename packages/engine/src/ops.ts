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
import { AccumulateGrad, type BackwardFn, is_grad_enabled, Node } from "./autograd.js";
import {
  type DType,
  fromStorageDType,
  isFloating,
  promoteTypes,
  scalarResultType,
  storageDType,
} from "./dtype.js";
import { broadcastShapes, normalizeDim, type Shape, sameShape, shapeStr } from "./shape.js";
import { Tensor } from "./tensor.js";

export type Scalar = number | boolean;
export type TensorOrScalar = Tensor | Scalar;

// ---------------------------------------------------------------- autograd recording

function gradEdge(t: Tensor): Node {
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
      saved,
    ),
  );
  return out;
}

// ---------------------------------------------------------------- helpers

export function scalarTensor(value: Scalar, dtype: DType, like: Tensor): Tensor {
  const b = like._backend;
  return Tensor._fromBuffer(b.fill(storageDType(dtype), 1, Number(value)), [], dtype, b);
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
  const strides = shape.map((d, i) => {
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
  const c = x.contiguous();
  const out = Tensor._fromBuffer(
    x._backend.cast(c._buffer(), storageDType(dtype)),
    x.shape,
    dtype,
    x._backend,
  );
  if (!isFloating(dtype)) return out;
  return record(out, "ToCopyBackward0", [x], (g) => [
    isFloating(x.dtype) ? toDType(g, x.dtype) : null,
  ]);
}

// ---------------------------------------------------------------- elementwise

export function unary(op: UnaryOp, x: Tensor, params: readonly number[] = []): Tensor {
  const b = x._backend;
  const buf = b.unary(op, x.contiguous()._buffer(), params);
  const out = Tensor._fromBuffer(buf, x.shape, fromStorageDType(buf.dtype), b);
  const rule = UNARY_RULES[op];
  if (!rule || !isFloating(x.dtype)) return out;
  return record(
    out,
    rule.name,
    [x],
    (g) => [rule.grad(g, x, out, params)],
    rule.saves ? [x, out] : [],
  );
}

interface UnaryRule {
  name: string;
  saves?: boolean;
  grad: (g: Tensor, x: Tensor, out: Tensor, params: readonly number[]) => Tensor;
}

const zerosGrad = (g: Tensor) => g.mul(0);

/** The backward rule of every differentiable unary primitive (d out / d x times g). */
const UNARY_RULES: Partial<Record<UnaryOp, UnaryRule>> = {
  neg: { name: "NegBackward0", grad: (g) => g.neg() },
  exp: { name: "ExpBackward0", saves: true, grad: (g, _x, out) => g.mul(out) },
  log: { name: "LogBackward0", saves: true, grad: (g, x) => g.div(x) },
  sqrt: { name: "SqrtBackward0", saves: true, grad: (g, _x, out) => g.div(out.mul(2)) },
  rsqrt: {
    name: "RsqrtBackward0",
    saves: true,
    grad: (g, _x, out) => g.mul(out.pow(3)).mul(-0.5),
  },
  abs: { name: "AbsBackward0", saves: true, grad: (g, x) => g.mul(x.sign()) },
  sign: { name: "SignBackward0", grad: zerosGrad },
  floor: { name: "FloorBackward0", grad: zerosGrad },
  ceil: { name: "CeilBackward0", grad: zerosGrad },
  round: { name: "RoundBackward0", grad: zerosGrad },
  tanh: {
    name: "TanhBackward0",
    saves: true,
    grad: (g, _x, out) => g.mul(out.square().neg().add(1)),
  },
  sigmoid: {
    name: "SigmoidBackward0",
    saves: true,
    grad: (g, _x, out) => g.mul(out.mul(out.neg().add(1))),
  },
  relu: { name: "ReluBackward0", saves: true, grad: (g, _x, out) => g.mul(out.gt(0)) },
  leaky_relu: {
    name: "LeakyReluBackward0",
    saves: true,
    grad: (g, x, _out, [slope]) => where(x.gt(0), g, g.mul(slope)),
  },
  clamp: {
    name: "ClampBackward1",
    saves: true,
    grad: (g, x, _out, [lo, hi]) => {
      let mask = x.eq(x); // true except at NaN
      if (!Number.isNaN(lo)) mask = mask.logical_and(x.ge(lo));
      if (!Number.isNaN(hi)) mask = mask.logical_and(x.le(hi));
      return g.mul(mask);
    },
  },
  pow_scalar: {
    name: "PowBackward0",
    saves: true,
    grad: (g, x, _out, [e]) => (e === 0 ? g.mul(0) : g.mul(x.pow(e - 1)).mul(e)),
  },
  gelu: {
    name: "GeluBackward0",
    saves: true,
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
    saves: true,
    grad: (g, x) =>
      g.mul(
        x
          .square()
          .neg()
          .exp()
          .mul(2 / Math.sqrt(Math.PI)),
      ),
  },
  square: { name: "PowBackward0", saves: true, grad: (g, x) => g.mul(x).mul(2) },
  reciprocal: {
    name: "ReciprocalBackward0",
    saves: true,
    grad: (g, _x, out) => g.mul(out.square()).neg(),
  },
  sin: { name: "SinBackward0", saves: true, grad: (g, x) => g.mul(x.cos()) },
  cos: { name: "CosBackward0", saves: true, grad: (g, x) => g.mul(x.sin()).neg() },
};

/** Convert a scalar operand to a tensor of the right dtype; return both operands. */
function operands(a: TensorOrScalar, b: TensorOrScalar, op: string): [Tensor, Tensor] {
  if (a instanceof Tensor && b instanceof Tensor) {
    sameDevice(a, b, op);
    return [a, b];
  }
  if (a instanceof Tensor)
    return [a, scalarTensor(b as Scalar, scalarResultType(a.dtype, b as Scalar), a)];
  if (b instanceof Tensor) return [scalarTensor(a, scalarResultType(b.dtype, a), b), b];
  throw new TypeError(`${op}: expected at least one tensor argument`);
}

function binaryDType(op: BinaryOp, a: Tensor, b: Tensor): DType {
  // A 0-d operand (a Python scalar in PyTorch) does not raise the dtype category beyond need.
  const t = promoteTypes(a.dtype, b.dtype);
  if (op === "div" && t !== "float32") return "float32"; // true division
  if ((op === "logical_and" || op === "logical_or" || op === "logical_xor") && t !== "bool")
    return t;
  return t;
}

export function binary(op: BinaryOp, x: TensorOrScalar, y: TensorOrScalar): Tensor {
  let [a, b] = operands(x, y, op);
  const shape = broadcastShapes(a.shape, b.shape);
  const dtype = binaryDType(op, a, b);
  a = toDType(a, dtype);
  b = toDType(b, dtype);
  const backend = a._backend;
  const buf = backend.binary(
    op,
    a._storage.buffer,
    broadcastView(a, shape),
    b._storage.buffer,
    broadcastView(b, shape),
  );
  const out = Tensor._fromBuffer(buf, shape, COMPARISON_OPS.has(op) ? "bool" : dtype, backend);
  const rule = BINARY_RULES[op];
  if (!rule || !isFloating(dtype)) return out;
  const [ra, rb] = [a, b];
  return record(
    out,
    rule.name,
    [ra, rb],
    (g) => {
      const [ga, gb] = rule.grad(g, ra, rb, out);
      return [
        ra.requires_grad ? sumToShape(ga, ra.shape) : null,
        rb.requires_grad ? sumToShape(gb, rb.shape) : null,
      ];
    },
    rule.saves ? [ra, rb, out] : [],
  );
}

interface BinaryRule {
  name: string;
  saves?: boolean;
  grad: (g: Tensor, a: Tensor, b: Tensor, out: Tensor) => [Tensor, Tensor];
}

/** The backward rule of every differentiable binary primitive, before un-broadcasting. */
const BINARY_RULES: Partial<Record<BinaryOp, BinaryRule>> = {
  add: { name: "AddBackward0", grad: (g) => [g, g] },
  sub: { name: "SubBackward0", grad: (g) => [g, g.neg()] },
  mul: { name: "MulBackward0", saves: true, grad: (g, a, b) => [g.mul(b), g.mul(a)] },
  div: {
    name: "DivBackward0",
    saves: true,
    grad: (g, _a, b, out) => [g.div(b), g.mul(out).div(b).neg()],
  },
  pow: {
    name: "PowBackward1",
    saves: true,
    grad: (g, a, b, out) => [
      g.mul(b).mul(a.pow(b.sub(1))),
      g.mul(out).mul(where(a.gt(0), a.log(), 0)),
    ],
  },
  maximum: {
    name: "MaximumBackward0",
    saves: true,
    grad: (g, a, b) => splitByWinner(g, a.gt(b), a.eq(b)),
  },
  minimum: {
    name: "MinimumBackward0",
    saves: true,
    grad: (g, a, b) => splitByWinner(g, a.lt(b), a.eq(b)),
  },
};

/** maximum/minimum: the gradient goes to the winner, halved on ties (as PyTorch). */
function splitByWinner(g: Tensor, aWins: Tensor, tie: Tensor): [Tensor, Tensor] {
  const wa = aWins.to("float32").add(tie.to("float32").mul(0.5));
  return [g.mul(wa), g.mul(wa.neg().add(1))];
}

export function where(cond: Tensor, x: TensorOrScalar, y: TensorOrScalar): Tensor {
  let [a, b] = operands(x, y, "where");
  sameDevice(cond, a, "where");
  const c = cond.dtype === "bool" ? cond : cond.ne(0);
  const shape = broadcastShapes(c.shape, broadcastShapes(a.shape, b.shape));
  const dtype = promoteTypes(a.dtype, b.dtype);
  a = toDType(a, dtype);
  b = toDType(b, dtype);
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
  const [ra, rb] = [a, b];
  return record(
    out,
    "WhereBackward0",
    [ra, rb],
    (g) => [
      ra.requires_grad ? sumToShape(where(c, g, 0), ra.shape) : null,
      rb.requires_grad ? sumToShape(where(c, 0, g), rb.shape) : null,
    ],
    [c],
  );
}

// ---------------------------------------------------------------- reductions

/** Reduce `x` over `dims` (sorted, non-negative) with one kernel per dim. */
export function reduce(op: ReduceOp, x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  if (op === "sum" && x.dtype === "bool") return reduce(op, toDType(x, "int64"), dims, keepdim);
  const backend = x._backend;
  let buf = x.contiguous()._buffer();
  const shape = [...x.shape];
  for (let k = dims.length - 1; k >= 0; k--) {
    const d = dims[k];
    if (shape[d] === 0 && op !== "sum" && op !== "prod") {
      throw new Error(`${op}(): Expected reduction dim ${d} to have non-zero size.`);
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
  const out = Tensor._fromBuffer(buf, outShape, fromStorageDType(buf.dtype), backend);
  if (!isFloating(x.dtype) || op === "argmax" || op === "argmin" || op === "prod") return out;
  const keepShape = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  if (op === "sum") {
    return record(out, "SumBackward1", [x], (g) => [g.reshape(keepShape).expand(x.shape)]);
  }
  // max/min: the gradient is shared evenly among the elements equal to the extreme.
  return record(
    out,
    op === "max" ? "AmaxBackward0" : "AminBackward0",
    [x],
    (g) => {
      const mask = x.eq(out.reshape(keepShape)).to("float32");
      const count = reduce("sum", mask, dims, true);
      return [g.reshape(keepShape).mul(mask).div(count)];
    },
    [x, out],
  );
}

// ---------------------------------------------------------------- softmax

export function softmax(x: Tensor, dim: number, log: boolean): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const xf = isFloating(x.dtype) ? x : toDType(x, "float32");
  const outer = sizeOf(xf.shape.slice(0, d));
  const inner = sizeOf(xf.shape.slice(d + 1));
  const size = xf.ndim === 0 ? 1 : xf.shape[d];
  const buf = xf._backend.softmax(xf.contiguous()._buffer(), outer, size, inner, log);
  const out = Tensor._fromBuffer(buf, xf.shape, "float32", xf._backend);
  if (log) {
    return record(out, "LogSoftmaxBackward0", [xf], (g) => [g.sub(out.exp().mul(g.sum(d, true)))], [
      out,
    ]);
  }
  return record(out, "SoftmaxBackward0", [xf], (g) => [out.mul(g.sub(g.mul(out).sum(d, true)))], [
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
    return matmulOperand(t.expand([...batchShape, r, c]).contiguous(), batchShape);
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
  return matmulOperand(t.contiguous(), batchShape);
}

/** Batched matmul of tensors with ndim >= 2 (1-D operands are handled by Tensor.matmul). */
export function matmul2(a: Tensor, b: Tensor): Tensor {
  sameDevice(a, b, "matmul");
  const m = a.shape[a.ndim - 2];
  const k = a.shape[a.ndim - 1];
  const n = b.shape[b.ndim - 1];
  if (b.shape[b.ndim - 2] !== k) {
    throw new Error(
      `mat1 and mat2 shapes cannot be multiplied (${dimsStr(a.shape)} and ${dimsStr(b.shape)})`,
    );
  }
  if (!isFloating(a.dtype) || !isFloating(b.dtype)) {
    throw new TypeError(`matmul: expected float32 tensors, got ${a.dtype} and ${b.dtype}`);
  }
  const batchShape = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
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
  const out = Tensor._fromBuffer(buf, [...batchShape, m, n], "float32", backend);
  return record(
    out,
    a.ndim === 2 && b.ndim === 2 ? "MmBackward0" : "BmmBackward0",
    [a, b],
    (g) => [
      a.requires_grad ? sumToShape(matmul2(g, b.mT), a.shape) : null,
      b.requires_grad ? sumToShape(matmul2(a.mT, g), b.shape) : null,
    ],
    [a, b],
  );
}

// ---------------------------------------------------------------- views and copies

/** A view of x sharing its storage. `rel*` describe the same view within x's own layout. */
export function view(
  x: Tensor,
  name: string,
  shape: Shape,
  strides: readonly number[],
  offset: number,
  backward: BackwardFn,
): Tensor {
  const out = Tensor._view(x, shape, strides, offset);
  return record(out, name, [x], backward);
}

export function reshapeView(x: Tensor, shape: Shape, name = "ViewBackward0"): Tensor {
  const c = x.is_contiguous() ? x : x.contiguous();
  return view(c, name, shape, contiguousStrides(shape), c._offset, (g) => [g.reshape(x.shape)]);
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const perm = dims.map((d) => normalizeDim(d, x.ndim));
  if (perm.length !== x.ndim || new Set(perm).size !== perm.length) {
    throw new Error(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${perm.length}`,
    );
  }
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inverse[p] = i;
  });
  return view(
    x,
    "PermuteBackward0",
    perm.map((p) => x.shape[p]),
    perm.map((p) => x._strides[p]),
    x._offset,
    (g) => [permute(g, inverse)],
  );
}

export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (shape.length < x.ndim) {
    throw new Error(
      `expand: the number of sizes provided (${shape.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`,
    );
  }
  const lead = shape.length - x.ndim;
  const target = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead] : d));
  const strides = target.map((d, i) => {
    const j = i - lead;
    if (j < 0) return 0;
    if (x.shape[j] === d) return x._strides[j];
    if (x.shape[j] === 1) return 0;
    throw new Error(
      `The expanded size of the tensor (${d}) must match the existing size (${x.shape[j]}) at non-singleton dimension ${i}.  Target sizes: ${shapeStr(target)}.  Tensor sizes: ${shapeStr(x.shape)}`,
    );
  });
  return view(x, "ExpandBackward0", target, strides, x._offset, (g) => [sumToShape(g, x.shape)]);
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
  return view(x, name, shape, strides, offset, (g) => [scatterIntoZeros(g, x.shape, region)]);
}

/** The adjoint of a view: zeros of `shape` with `g` written at `region`. */
function scatterIntoZeros(g: Tensor, shape: Shape, region: View): Tensor {
  const backend = g._backend;
  const buf = backend.fill("float32", sizeOf(shape), 0);
  backend.writeView(buf, g.contiguous()._buffer(), region);
  const out = Tensor._fromBuffer(buf, shape, "float32", backend);
  return record(out, "SliceBackwardBackward0", [g], (gg) => [
    Tensor._view(gg, region.shape, region.strides, region.offset),
  ]);
}

export function contiguousCopy(x: Tensor, name = "CloneBackward0"): Tensor {
  const buf = x._backend.copy(x._storage.buffer, x._view());
  const out = Tensor._fromBuffer(buf, x.shape, x.dtype, x._backend);
  if (!isFloating(x.dtype)) return out;
  return record(out, name, [x], (g) => [g]);
}

export function cat(tensors: readonly Tensor[], dim: number): Tensor {
  if (tensors.length === 0) throw new Error("torch.cat(): expected a non-empty list of Tensors");
  const ref = tensors.find((t) => t.ndim > 0) ?? tensors[0];
  const d = normalizeDim(dim, ref.ndim);
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  tensors.forEach((t, i) => {
    sameDevice(ref, t, "cat");
    if (t.ndim !== ref.ndim || t.shape.some((s, j) => j !== d && s !== ref.shape[j])) {
      throw new Error(
        `Sizes of tensors must match except in dimension ${d}. Expected ${shapeStr(ref.shape)} but got ${shapeStr(t.shape)} for tensor number ${i} in the list.`,
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
    const src = toDType(t, dtype).contiguous();
    backend.writeView(buf, src._buffer(), { shape: t.shape, strides, offset: start * strides[d] });
    start += t.shape[d];
  }
  const out = Tensor._fromBuffer(buf, shape, dtype, backend);
  if (!isFloating(dtype)) return out;
  return record(out, "CatBackward0", tensors, (g) =>
    tensors.map((t, i) => (t.requires_grad ? g.narrow(d, starts[i], t.shape[d]) : null)),
  );
}

// ---------------------------------------------------------------- indexing

function indexDims(x: Tensor, dim: number): [number, number, number] {
  return [sizeOf(x.shape.slice(0, dim)), x.shape[dim], sizeOf(x.shape.slice(dim + 1))];
}

function checkIndex(index: Tensor, op: string): void {
  if (index.dtype !== "int64") {
    throw new TypeError(`${op}(): Expected dtype int64 for index, got ${index.dtype}`);
  }
}

/** x.index_select(dim, index) for a 1-D int64 index: whole slices picked by index. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex(index, "index_select");
  sameDevice(x, index, "index_select");
  const d = normalizeDim(dim, x.ndim);
  const [outer, size, inner] = indexDims(x, d);
  const idx = index.reshape(-1).contiguous();
  const buf = x._backend.indexSelect(x.contiguous()._buffer(), idx._buffer(), outer, size, inner);
  const shape = [...x.shape];
  shape.splice(d, 1, idx.shape[0]);
  const out = Tensor._fromBuffer(buf, shape, x.dtype, x._backend);
  if (!isFloating(x.dtype)) return out;
  return record(
    out,
    "IndexSelectBackward0",
    [x],
    (g) => {
      const gb = x._backend.indexAdd(g.contiguous()._buffer(), idx._buffer(), outer, size, inner);
      return [Tensor._fromBuffer(gb, x.shape, "float32", x._backend)];
    },
    [idx],
  );
}

/** torch.gather(x, dim, index): index has x's shape except along dim. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex(index, "gather");
  sameDevice(x, index, "gather");
  const d = normalizeDim(dim, x.ndim);
  if (index.ndim !== x.ndim || index.shape.some((s, i) => i !== d && s !== x.shape[i])) {
    throw new Error(
      `gather(): index ${shapeStr(index.shape)} must have the shape of input ${shapeStr(x.shape)} except along dim ${d}`,
    );
  }
  const [outer, size, inner] = indexDims(x, d);
  const idx = index.contiguous();
  const buf = x._backend.gather(
    x.contiguous()._buffer(),
    idx._buffer(),
    outer,
    size,
    index.shape[d],
    inner,
  );
  const out = Tensor._fromBuffer(buf, index.shape, x.dtype, x._backend);
  if (!isFloating(x.dtype)) return out;
  return record(
    out,
    "GatherBackward0",
    [x],
    (g) => {
      const gb = x._backend.scatterAdd(
        g.contiguous()._buffer(),
        idx._buffer(),
        outer,
        size,
        index.shape[d],
        inner,
      );
      return [Tensor._fromBuffer(gb, x.shape, "float32", x._backend)];
    },
    [idx],
  );
}

// ---------------------------------------------------------------- convolution patches

/** NCHW image -> patch columns [n, c*kh*kw, oh*ow] (backward: col2im). */
export function im2col(x: Tensor, g: Conv2dGeometry, outShape: Shape): Tensor {
  const buf = x._backend.im2col(x.contiguous()._buffer(), g);
  const out = Tensor._fromBuffer(buf, outShape, "float32", x._backend);
  return record(out, "Im2ColBackward0", [x], (grad) => {
    const gb = x._backend.col2im(grad.contiguous()._buffer(), { ...g, padValue: 0 });
    return [Tensor._fromBuffer(gb, x.shape, "float32", x._backend)];
  });
}

export { sizeOf };
