/**
 * Softmax and log-softmax along the middle axis of [outer, size, inner], as the js backend:
 * subtract the max (a NaN max makes the row NaN), sum the exponentials, then normalise.
 * Long rows: one workgroup per row with tree reductions; otherwise one thread per row/column.
 */

import type { GpuBuffer } from "../buffer.js";
import type { GpuContext } from "../context.js";
import { ParamBlock } from "../params.js";
import { elementwiseMain, paramsDecl, shader, storageDecl, withHelpers } from "../wgsl/prelude.js";
import { ROW_MIN, ROW_WORKGROUP as WORKGROUP } from "./reduce.js";

export function softmax(
  ctx: GpuContext,
  x: GpuBuffer,
  outer: number,
  size: number,
  inner: number,
  log: boolean,
): GpuBuffer {
  const n = outer * size * inner;
  const out = ctx.alloc("float32", n, log ? "log_softmax" : "softmax");
  if (n === 0) return out;
  const params = new ParamBlock();
  params.u32(outer);
  params.u32(size);
  params.u32(inner);
  const rows = inner === 1 && size > ROW_MIN && !ctx.software; // no barriers on software adapters
  ctx.run({
    source: shader(`softmax:${rows}:${log}`, () => (rows ? rowSource(log) : columnSource(log))),
    params,
    inputs: [x],
    outputs: [out],
    grid: rows ? ctx.groups(outer) : ctx.grid(outer * inner),
  });
  return out;
}

const DECLS = `${paramsDecl(3)}${storageDecl(1, "x", "f32", false)}${storageDecl(2, "out", "f32", true)}
const OUTER = 0u; const SIZE = 1u; const INNER = 2u;
fn max_nan(a: f32, b: f32) -> f32 { return select(a, b, (b > a && !is_nan(a)) || is_nan(b)); }
`;

/** `v` normalised by the row's max `m` and sum of exponentials `total`. */
function result(log: boolean, v: string): string {
  return log ? `${v} - (m + log_acc(total))` : `exp(${v} - m) / total`;
}

function columnSource(log: boolean): string {
  const body = `
  if (i >= pu(OUTER) * pu(INNER)) { return; }
  let col = i % pu(INNER);
  let base = (i / pu(INNER)) * pu(SIZE) * pu(INNER) + col;
  let step = pu(INNER);
  var m = -inf_f32();
  for (var s = 0u; s < pu(SIZE); s++) { m = max_nan(m, x[base + s * step]); }
  var total = 0.0;
  for (var s = 0u; s < pu(SIZE); s++) { total += exp(x[base + s * step] - m); }
  for (var s = 0u; s < pu(SIZE); s++) {
    let a = base + s * step;
    out[a] = ${result(log, "x[a]")};
  }`;
  return withHelpers(DECLS + elementwiseMain(body));
}

function rowSource(log: boolean): string {
  return withHelpers(`${DECLS}
var<workgroup> partial: array<f32, ${WORKGROUP}>;

/** The workgroup's combination of every thread's value (max or sum). */
fn tree(lid: u32, value: f32, is_max: bool) -> f32 {
  partial[lid] = value;
  workgroupBarrier();
  for (var stride = ${WORKGROUP / 2}u; stride > 0u; stride = stride >> 1u) {
    if (lid < stride) {
      let a = partial[lid];
      let b = partial[lid + stride];
      partial[lid] = select(a + b, max_nan(a, b), is_max);
    }
    workgroupBarrier();
  }
  let r = partial[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= pu(OUTER)) { return; }
  let base = row * pu(SIZE);
  var local_max = -inf_f32();
  for (var s = lid; s < pu(SIZE); s += ${WORKGROUP}u) { local_max = max_nan(local_max, x[base + s]); }
  let m = tree(lid, local_max, true);
  var local_sum = 0.0;
  for (var s = lid; s < pu(SIZE); s += ${WORKGROUP}u) { local_sum += exp(x[base + s] - m); }
  let total = tree(lid, local_sum, false);
  for (var s = lid; s < pu(SIZE); s += ${WORKGROUP}u) {
    out[base + s] = ${result(log, "x[base + s]")};
  }
}
`);
}
