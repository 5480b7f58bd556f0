/**
 * Reductions over the middle axis of x viewed as [outer, size, inner].
 *
 * Long rows (inner == 1, size > ROW_MIN): a workgroup per row, a tree reduction in workgroup
 * memory. Otherwise one thread per output walks its run (for inner > 1 neighbouring threads read
 * neighbouring addresses); no barriers, which software GPUs execute slowly. When there are few outputs but long rows, a first pass reduces chunks of each
 * row in parallel and a second pass reduces the partial results (argmax/argmin carry the index
 * of each partial winner). NaN wins max/min and ties keep the first index, as in the js backend.
 */

import type { DType, ReduceOp } from "../../backend.js";
import { type GpuBuffer, WGSL_STORAGE } from "../buffer.js";
import type { GpuContext } from "../context.js";
import { ParamBlock } from "../params.js";
import { elementwiseMain, paramsDecl, shader, storageDecl, withHelpers } from "../wgsl/prelude.js";
import { fill } from "./pointwise.js";

type Layout = "rows" | "cols";

interface Pass {
  outer: number;
  size: number;
  inner: number;
  chunks: number;
}

export function reduce(
  ctx: GpuContext,
  op: ReduceOp,
  x: GpuBuffer,
  outer: number,
  size: number,
  inner: number,
): GpuBuffer {
  const isArg = op === "argmax" || op === "argmin";
  const outType: DType = isArg ? "int32" : x.dtype;
  if (outer * inner === 0 || size === 0) {
    return fill(ctx, outType, outer * inner, op === "prod" ? 1 : 0);
  }
  const chunks = chunkCount(ctx, outer * inner, size);
  if (chunks === 1) {
    const out = ctx.alloc(outType, outer * inner, op);
    launch(
      ctx,
      op,
      x.dtype,
      { outer, size, inner, chunks },
      [x],
      isArg ? [null, out] : [out, null],
    );
    return out;
  }
  // Pass 1: [outer, size, inner] -> partial results [outer, chunks, inner].
  const partial = ctx.alloc(x.dtype, outer * chunks * inner, op);
  const partialIndex = isArg ? ctx.alloc("int32", outer * chunks * inner, op) : null;
  launch(ctx, op, x.dtype, { outer, size, inner, chunks }, [x], [partial, partialIndex]);
  // Pass 2: reduce the chunks (sums of sums, max of maxes, winners of winners).
  const out = ctx.alloc(outType, outer * inner, op);
  const inputs = partialIndex ? [partial, partialIndex] : [partial];
  launch(
    ctx,
    op,
    x.dtype,
    { outer, size: chunks, inner, chunks: 1 },
    inputs,
    isArg ? [null, out] : [out, null],
  );
  ctx.free(partial);
  if (partialIndex) ctx.free(partialIndex);
  return out;
}

/** Rows longer than this get a workgroup each; shorter ones a thread (no barriers needed). */
export const ROW_MIN = 1024;

/** Threads of a row-reducing workgroup. */
export const ROW_WORKGROUP = 64;

/** Rows get workgroups on hardware GPUs only: software adapters run barriers very slowly. */
function layoutOf(ctx: GpuContext, size: number, inner: number): Layout {
  return inner === 1 && size > ROW_MIN && !ctx.software ? "rows" : "cols";
}

/** Chunks per reduced run: enough parallel work to fill a GPU, chunks of at least 64. */
function chunkCount(ctx: GpuContext, outputs: number, size: number): number {
  const rows = layoutOf(ctx, size, 1) === "rows";
  const target = rows ? 128 : 4096; // workgroups or threads wanted
  if (outputs >= target || size <= 256) return 1;
  return Math.max(1, Math.min(Math.ceil(target / outputs), Math.ceil(size / (rows ? 4096 : 64))));
}

/**
 * One reduction pass. `inputs`: values, and for a second argmax/argmin pass the indices of
 * the partial winners. `outputs`: [values or null, indices or null].
 */
function launch(
  ctx: GpuContext,
  op: ReduceOp,
  dtype: DType,
  p: Pass,
  inputs: readonly GpuBuffer[],
  outputs: readonly [GpuBuffer | null, GpuBuffer | null],
): void {
  const params = new ParamBlock();
  params.u32(p.outer);
  params.u32(p.size);
  params.u32(p.inner);
  params.u32(p.chunks);
  params.u32(Math.ceil(p.size / p.chunks)); // chunk length
  const outs = outputs.filter((b): b is GpuBuffer => b !== null);
  const layout = layoutOf(ctx, p.size, p.inner);
  const flags = [inputs.length === 2, outputs[0] !== null, outputs[1] !== null] as const;
  const source = shader(`reduce:${op}:${dtype}:${layout}:${flags}`, () =>
    reduceSource(op, dtype, layout, ...flags),
  );
  const segments = p.outer * p.chunks * (layout === "rows" ? 1 : p.inner);
  ctx.run({
    source,
    params,
    inputs,
    outputs: outs,
    grid: layout === "rows" ? ctx.groups(segments) : ctx.grid(segments),
  });
}

function reduceSource(
  op: ReduceOp,
  dtype: DType,
  layout: Layout,
  pairsIn: boolean,
  valuesOut: boolean,
  indexOut: boolean,
): string {
  const T = dtype === "float32" ? "f32" : "i32";
  const S = WGSL_STORAGE[dtype];
  let decls = paramsDecl(5);
  decls += storageDecl(1, "x", S, false);
  let binding = 2;
  if (pairsIn) decls += storageDecl(binding++, "xi", "i32", false);
  if (valuesOut) decls += storageDecl(binding++, "out_v", S, true);
  if (indexOut) decls += storageDecl(binding++, "out_i", "i32", true);
  const loadValue = (addr: string) => (dtype === "bool" ? `i32(x[${addr}])` : `x[${addr}]`);
  const storeValue = (v: string) => (dtype === "bool" ? `bitcast<u32>(${v})` : v);
  const write = (at: string, acc: string, idx: string) =>
    [
      valuesOut ? `out_v[${at}] = ${storeValue(acc)};` : "",
      indexOut ? `out_i[${at}] = ${idx};` : "",
    ].join(" ");

  const common = `
const OUTER = 0u; const SIZE = 1u; const INNER = 2u; const CHUNKS = 3u; const CHUNK_LEN = 4u;
${combineFn(op, T)}
fn element(o: u32, s: u32, i: u32) -> u32 { return (o * pu(SIZE) + s) * pu(INNER) + i; }
`;
  // The index of element s: its position, or (second pass) the winner's index from pass one.
  const indexOf = (addr: string, s: string) => (pairsIn ? `xi[${addr}]` : `i32(${s})`);
  const init = initValue(op, T);

  if (layout === "cols") {
    const body = `
  let outputs = pu(OUTER) * pu(CHUNKS) * pu(INNER);
  if (i >= outputs) { return; }
  let col = i % pu(INNER);
  let oc = i / pu(INNER);
  let c = oc % pu(CHUNKS);
  let o = oc / pu(CHUNKS);
  let start = c * pu(CHUNK_LEN);
  let end = min(pu(SIZE), start + pu(CHUNK_LEN));
  var st = State(${init}, -1);
  for (var s = start; s < end; s++) {
    let a = element(o, s, col);
    st = combine(st, State(${loadValue("a")}, ${indexOf("a", "s")}));
  }
  ${write("i", "st.acc", "st.idx")}`;
    return decls + withHelpers(common + elementwiseMain(body));
  }

  return (
    decls +
    withHelpers(`${common}
var<workgroup> accs: array<${T}, ${ROW_WORKGROUP}>;
var<workgroup> idxs: array<i32, ${ROW_WORKGROUP}>;

@compute @workgroup_size(${ROW_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let seg = wid.y * nwg.x + wid.x;
  if (seg >= pu(OUTER) * pu(CHUNKS)) { return; }
  let o = seg / pu(CHUNKS);
  let c = seg % pu(CHUNKS);
  let start = c * pu(CHUNK_LEN);
  let end = min(pu(SIZE), start + pu(CHUNK_LEN));
  var st = State(${init}, -1);
  for (var s = start + lid; s < end; s += ${ROW_WORKGROUP}u) {
    let a = element(o, s, 0u);
    st = combine(st, State(${loadValue("a")}, ${indexOf("a", "s")}));
  }
  accs[lid] = st.acc;
  idxs[lid] = st.idx;
  workgroupBarrier();
  for (var stride = ${ROW_WORKGROUP / 2}u; stride > 0u; stride = stride >> 1u) {
    if (lid < stride) {
      let r = combine(State(accs[lid], idxs[lid]), State(accs[lid + stride], idxs[lid + stride]));
      accs[lid] = r.acc;
      idxs[lid] = r.idx;
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    ${write("seg", "accs[0]", "idxs[0]")}
  }
}
`)
  );
}

function initValue(op: ReduceOp, T: string): string {
  const one = T === "f32" ? "1.0" : "1";
  const zero = T === "f32" ? "0.0" : "0";
  return op === "prod" ? one : zero;
}

/**
 * `combine(a, b)`: the reduction of two partial states. idx -1 marks an empty state; for
 * max/min the winner is the larger (smaller) value, NaN beats numbers, ties go to the lower
 * index, so the result doesn't depend on the order of the tree.
 */
function combineFn(op: ReduceOp, T: string): string {
  const struct = `struct State { acc: ${T}, idx: i32 }`;
  if (op === "sum" || op === "prod") {
    const o = op === "sum" ? "+" : "*";
    return `${struct}
fn combine(a: State, b: State) -> State { return State(a.acc ${o} b.acc, max(a.idx, b.idx)); }`;
  }
  const larger = op === "max" || op === "argmax";
  const cmp = larger ? ">" : "<";
  const nan = (v: string) => (T === "f32" ? `is_nan(${v})` : "false");
  return `${struct}
fn combine(a: State, b: State) -> State {
  if (b.idx < 0) { return a; }
  if (a.idx < 0) { return b; }
  let nb = ${nan("b.acc")};
  let na = ${nan("a.acc")};
  var takeB: bool;
  if (nb != na) { takeB = nb; }
  else if (nb || b.acc == a.acc) { takeB = b.idx < a.idx; }
  else { takeB = b.acc ${cmp} a.acc; }
  if (takeB) { return b; }
  return a;
}`;
}
