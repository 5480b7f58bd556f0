/**
 * Elementwise kernels, fused. An elementwise op doesn't run at once: its output buffer records
 * the expression (a tree over the buffers it reads). A later elementwise op that reads that
 * output whole inlines the tree, so a chain like `x.mul(2).add(1).relu()` becomes one kernel,
 * and an intermediate that is freed before anything else needs it is never computed. The
 * expression runs (is "materialized") when something else needs the values: any other kernel,
 * a read or a write into it. A freed buffer that deferred expressions read keeps its memory
 * until they are computed or dropped.
 *
 * One thread per element; every leaf is read (and the output optionally written) through a
 * strided view over the kernel's shape. Views are collapsed first, and contiguous or broadcast
 * scalar leaves skip the index arithmetic, so the common cases compile to plain loads.
 */

import { contiguousStrides, type DType, sizeOf, type View } from "../../backend.js";
import { type GpuBuffer, WGSL_STORAGE } from "../buffer.js";
import type { GpuContext } from "../context.js";
import { ParamBlock } from "../params.js";
import { type Access, collapseViews } from "../views.js";
import { elementwiseMain, paramsDecl, shader, storageDecl, withHelpers } from "../wgsl/prelude.js";

export interface ViewedInput {
  buf: GpuBuffer;
  view: View;
}

export interface ElementwiseSpec {
  /** Names the expression (op and scalar-free variant): kernels are cached by it and layout. */
  key: string;
  out: GpuBuffer;
  /** The iteration shape (every view has it). */
  shape: readonly number[];
  /** Where element i of the iteration is written (in place, at once); row-major when absent. */
  outView?: View;
  inputs: readonly ViewedInput[];
  /** f32 values the expression reads (passed to it as WGSL expressions). */
  scalars?: readonly number[];
  /** Raw 32-bit words the expression reads (after the scalars, as u32 expressions). */
  words?: readonly number[];
  /**
   * The WGSL expression stored to the output (of its storage type), given the inputs' values
   * (of their storage types) and the scalars.
   */
  expr: (values: readonly string[], scalars: readonly string[]) => string;
}

/** A deferred elementwise expression; its arguments are buffers (leaves) or expressions. */
export interface FusedNode {
  key: string;
  /** The dtype of the value the node produces. */
  dtype: DType;
  shape: readonly number[];
  args: readonly (ViewedInput | FusedNode)[];
  scalars: readonly number[];
  words: readonly number[];
  expr: ElementwiseSpec["expr"];
}

/** Beyond these, a kernel stops absorbing its inputs' expressions (binding limits, size). */
const MAX_LEAVES = 6;
const MAX_NODES = 24;

function isNode(a: ViewedInput | FusedNode): a is FusedNode {
  return "expr" in a;
}

export function runElementwise(ctx: GpuContext, spec: ElementwiseSpec): void {
  if (sizeOf(spec.shape) === 0) return;
  const node = fuse(ctx, spec);
  if (spec.outView || !ctx.fuse) {
    emit(ctx, node, spec.out, spec.outView);
    return;
  }
  spec.out.pending = node;
  for (const leaf of leaves(node)) {
    leaf.buf.readers ??= new Set();
    leaf.buf.readers.add(spec.out);
  }
}

/** Compute `buf`'s deferred expression now (a no-op for a computed buffer). */
export function materialize(ctx: GpuContext, buf: GpuBuffer): void {
  const node = buf.pending;
  if (!node) return;
  buf.pending = null;
  emit(ctx, node, buf);
  for (const leaf of leaves(node)) ctx.readerGone(leaf.buf, buf);
}

/** Drop `buf`'s deferred expression without computing it (the buffer is being freed). */
export function forget(ctx: GpuContext, buf: GpuBuffer): void {
  const node = buf.pending;
  if (!node) return;
  buf.pending = null;
  for (const leaf of leaves(node)) ctx.readerGone(leaf.buf, buf);
}

/** The spec as a node, absorbing inputs that are deferred expressions read whole. */
function fuse(ctx: GpuContext, spec: ElementwiseSpec): FusedNode {
  const node = (args: FusedNode["args"]): FusedNode => ({
    key: spec.key,
    dtype: spec.out.dtype,
    shape: spec.shape,
    args,
    scalars: spec.scalars ?? [],
    words: spec.words ?? [],
    expr: spec.expr,
  });
  const inlined = node(
    spec.inputs.map((x) =>
      x.buf.pending && readsWhole(x, spec.shape) ? reshape(x.buf.pending, spec.shape) : x,
    ),
  );
  if (
    inlined.args.every((a) => !isNode(a)) ||
    (leaves(inlined).length <= MAX_LEAVES && count(inlined) <= MAX_NODES)
  ) {
    if (inlined.args.some((a) => !isNode(a) && a.buf.pending)) {
      for (const a of inlined.args) if (!isNode(a)) materialize(ctx, a.buf);
    }
    return inlined;
  }
  for (const x of spec.inputs) materialize(ctx, x.buf);
  return node(spec.inputs);
}

/**
 * Whether the kernel reads element i of `x` at iteration i (so `x`'s expression can be inlined)
 * and `x`'s own leaves can be indexed over `shape`.
 */
function readsWhole(x: ViewedInput, shape: readonly number[]): boolean {
  const node = x.buf.pending!;
  if (x.view.offset !== 0 || sizeOf(node.shape) !== sizeOf(shape)) return false;
  if (accessOf(x.view) !== "contiguous" && sizeOf(shape) > 1) return false;
  return sameShape(node.shape, shape) || leaves(node).every((l) => accessOf(l.view) !== "strided");
}

/** `node` over another shape of the same size (its leaves are contiguous or scalar). */
function reshape(node: FusedNode, shape: readonly number[]): FusedNode {
  if (sameShape(node.shape, shape)) return node;
  return {
    ...node,
    shape,
    args: node.args.map((a) => {
      if (isNode(a)) return reshape(a, shape);
      const scalar = accessOf(a.view) === "scalar";
      const strides = scalar ? shape.map(() => 0) : contiguousStrides(shape);
      return { buf: a.buf, view: { shape, strides, offset: a.view.offset } };
    }),
  };
}

function accessOf(view: View): Access {
  return collapseViews([view]).access[0];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The distinct leaves of a tree (one binding each), in order of first use. */
function leaves(node: FusedNode): ViewedInput[] {
  const out: ViewedInput[] = [];
  const visit = (n: FusedNode) => {
    for (const a of n.args) {
      if (isNode(a)) visit(a);
      else if (!out.some((l) => sameLeaf(l, a))) out.push(a);
    }
  };
  visit(node);
  return out;
}

function sameLeaf(a: ViewedInput, b: ViewedInput): boolean {
  return (
    a.buf === b.buf && a.view.offset === b.view.offset && sameShape(a.view.strides, b.view.strides)
  );
}

function count(node: FusedNode): number {
  return 1 + node.args.reduce((s, a) => s + (isNode(a) ? count(a) : 0), 0);
}

/** Record the kernel computing `node` into `out` (at `outView`, or row-major). */
function emit(ctx: GpuContext, node: FusedNode, out: GpuBuffer, outView?: View): void {
  const n = sizeOf(node.shape);
  const inputs = leaves(node);
  const views = [
    outView ?? { shape: node.shape, strides: contiguousStrides(node.shape), offset: 0 },
    ...inputs.map((x) => x.view),
  ];
  const c = collapseViews(views);
  const params = new ParamBlock();
  params.u32(n);
  const anyStrided = c.access.includes("strided");
  const dimSlots = anyStrided ? c.shape.map((d) => params.u32(d)) : [];
  const index = views.map((_v, k) => indexExpr(c.access[k], c.offsets[k], c.strides[k], params));

  // Nodes in evaluation order (children first), each with its parameter slots.
  const order: { node: FusedNode; slots: string[]; args: string[] }[] = [];
  const signature: string[] = [];
  const visit = (nd: FusedNode): string => {
    const args = nd.args.map((a) =>
      isNode(a) ? visit(a) : `v${inputs.findIndex((l) => sameLeaf(l, a))}`,
    );
    const slots = [
      ...nd.scalars.map((s) => `pf(${params.f32(s)}u)`),
      ...nd.words.map((w) => `pu(${params.u32(w)}u)`),
    ];
    const dtypes = nd.args.map((a) => (isNode(a) ? a.dtype : a.buf.dtype));
    signature.push(
      `${nd.key}/${nd.dtype}/${dtypes}/${args}/${nd.scalars.length}/${nd.words.length}`,
    );
    order.push({ node: nd, slots, args });
    return `t${order.length - 1}`;
  };
  visit(node);

  const key = [
    ...signature,
    out.dtype,
    ...inputs.map((x) => x.buf.dtype),
    ...c.access,
    c.shape.length,
  ].join("|");
  const source = shader(key, () => {
    const lines: string[] = [`  if (i >= pu(0u)) { return; }`];
    if (anyStrided) lines.push(coordinates(dimSlots));
    inputs.forEach((_x, k) => {
      lines.push(`  let v${k} = in${k}[${index[k + 1]}];`);
    });
    order.forEach(({ node: nd, slots, args }, k) => {
      lines.push(`  let t${k} = ${nd.expr(args, slots)};`);
    });
    lines.push(`  out[${index[0]}] = t${order.length - 1};`);
    let decls = paramsDecl(params.length);
    inputs.forEach((x, k) => {
      decls += storageDecl(k + 1, `in${k}`, WGSL_STORAGE[x.buf.dtype], false);
    });
    decls += storageDecl(inputs.length + 1, "out", WGSL_STORAGE[out.dtype], true);
    return decls + withHelpers(elementwiseMain(lines.join("\n")));
  });
  ctx.run({ source, params, inputs: inputs.map((x) => x.buf), outputs: [out], grid: ctx.grid(n) });
}

/** `c0, c1, ...`: the row-major coordinates of flat index i over the collapsed shape. */
function coordinates(dimSlots: readonly number[]): string {
  const r = dimSlots.length;
  if (r === 0) return "";
  const out = ["  var rem = i;"];
  for (let d = r - 1; d > 0; d--) {
    out.push(`  let c${d} = rem % pu(${dimSlots[d]}u);`);
    out.push(`  rem = rem / pu(${dimSlots[d]}u);`);
  }
  out.push("  let c0 = rem;");
  return out.join("\n");
}

/** The WGSL index of element i in an operand, recording its offset and strides as params. */
function indexExpr(
  access: Access,
  offset: number,
  strides: readonly number[],
  params: ParamBlock,
): string {
  const off = params.i32(offset);
  if (access === "scalar") return `pu(${off}u)`;
  if (access === "contiguous") return `(pu(${off}u) + i)`;
  const terms = strides.map((_s, d) => `i32(c${d}) * pi(${params.i32(strides[d])}u)`);
  return `u32(pi(${off}u) + ${terms.join(" + ")})`;
}

/** A contiguous view of a whole buffer of `size` elements. */
export function flatView(size: number): View {
  return { shape: [size], strides: [1], offset: 0 };
}
