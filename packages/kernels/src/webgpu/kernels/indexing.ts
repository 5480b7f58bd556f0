/**
 * gather / indexSelect, and their adjoints scatterAdd / indexAdd. WGSL has no float atomics,
 * so the adjoints are written as gathers: each output element sums the sources whose index
 * points at it, in index order. That is deterministic (the same sums in the same order on
 * every run) and needs no atomics. Out-of-range indices, which the js backend rejects at once,
 * read 0 or are skipped here, and set an error flag that the next read reports.
 */

import type { DType } from "../../backend.js";
import { GpuBuffer, WGSL_STORAGE } from "../buffer.js";
import type { GpuContext } from "../context.js";
import { ParamBlock } from "../params.js";
import { elementwiseMain, paramsDecl, shader, storageDecl, withHelpers } from "../wgsl/prelude.js";

/** The error flag bit each kernel sets for an out-of-range index. */
export const INDEX_ERROR = { gather: 1, scatterAdd: 2, indexSelect: 4, indexAdd: 8 } as const;

const FLAGS_DECL = (binding: number) =>
  `@group(0) @binding(${binding}) var<storage, read_write> error_flags: array<atomic<u32>>;\n`;

/** The error flags as a kernel output (not counted as tensor memory). */
function flagsBuffer(ctx: GpuContext): GpuBuffer {
  return new GpuBuffer("int32", 1, ctx.queue.errorFlags, ctx.device);
}

/** out[o, j, i] = x[o, index[o, j, i], i]; also indexSelect with a 1-D index (`perSlice`). */
function pick(
  ctx: GpuContext,
  x: GpuBuffer,
  index: GpuBuffer,
  outer: number,
  xSize: number,
  indexSize: number,
  inner: number,
  perSlice: boolean,
): GpuBuffer {
  const n = outer * indexSize * inner;
  const out = ctx.alloc(x.dtype, n, perSlice ? "indexSelect" : "gather");
  if (n === 0) return out;
  const S = WGSL_STORAGE[x.dtype];
  // index position of output t = (o * indexSize + j) * inner + i: t itself, or j for a 1-D index.
  const indexAt = perSlice ? "(t / pu(INNER)) % pu(INDEX_SIZE)" : "t";
  const body = `
  let t = i;
  if (t >= pu(OUTER) * pu(INDEX_SIZE) * pu(INNER)) { return; }
  let col = t % pu(INNER);
  let o = t / (pu(INNER) * pu(INDEX_SIZE));
  let ix = index[${indexAt}];
  var v = ${S}(0);
  if (ix >= 0 && u32(ix) < pu(X_SIZE)) { v = x[(o * pu(X_SIZE) + u32(ix)) * pu(INNER) + col]; }
  else { atomicOr(&error_flags[0], ${perSlice ? INDEX_ERROR.indexSelect : INDEX_ERROR.gather}u); }
  out[t] = v;`;
  const source = shader(
    `pick:${perSlice}:${x.dtype}`,
    () => `${paramsDecl(4)}${storageDecl(1, "x", S, false)}${storageDecl(2, "index", "i32", false)}${storageDecl(3, "out", S, true)}${FLAGS_DECL(4)}
const OUTER = 0u; const X_SIZE = 1u; const INDEX_SIZE = 2u; const INNER = 3u;
${elementwiseMain(body)}`,
  );
  const params = new ParamBlock();
  for (const v of [outer, xSize, indexSize, inner]) params.u32(v);
  ctx.run({
    source,
    params,
    inputs: [x, index],
    outputs: [out, flagsBuffer(ctx)],
    grid: ctx.grid(n),
  });
  return out;
}

/** out (zeros, [outer, outSize, inner]) += src at index: a gather over the sources. */
function accumulate(
  ctx: GpuContext,
  src: GpuBuffer,
  index: GpuBuffer,
  outer: number,
  outSize: number,
  indexSize: number,
  inner: number,
  perSlice: boolean,
): GpuBuffer {
  const n = outer * outSize * inner;
  const out = ctx.alloc(src.dtype, n, perSlice ? "indexAdd" : "scatterAdd");
  if (n === 0) return out;
  const S = WGSL_STORAGE[src.dtype];
  const T = src.dtype === "float32" ? "f32" : "i32";
  const load = src.dtype === "bool" ? "i32(src[s])" : "src[s]";
  // Source j of output (o, target, i): src[(o * indexSize + j) * inner + i], aimed by
  // index[same position] (scatterAdd) or index[j] (indexAdd).
  const aim = perSlice ? "index[j]" : "index[s]";
  const body = `
  if (i >= pu(OUTER) * pu(OUT_SIZE) * pu(INNER)) { return; }
  let col = i % pu(INNER);
  let dest = i32((i / pu(INNER)) % pu(OUT_SIZE));
  let o = i / (pu(INNER) * pu(OUT_SIZE));
  var acc = ${T}(0);
  for (var j = 0u; j < pu(INDEX_SIZE); j++) {
    let s = (o * pu(INDEX_SIZE) + j) * pu(INNER) + col;
    let ix = ${aim};
    if (ix == dest) { acc += ${load}; }
    else if (ix < 0 || u32(ix) >= pu(OUT_SIZE)) { atomicOr(&error_flags[0], ${perSlice ? INDEX_ERROR.indexAdd : INDEX_ERROR.scatterAdd}u); }
  }
  out[i] = ${storeAcc(src.dtype)};`;
  const source = shader(
    `accumulate:${perSlice}:${src.dtype}`,
    () => `${paramsDecl(4)}${storageDecl(1, "src", S, false)}${storageDecl(2, "index", "i32", false)}${storageDecl(3, "out", S, true)}${FLAGS_DECL(4)}
const OUTER = 0u; const OUT_SIZE = 1u; const INDEX_SIZE = 2u; const INNER = 3u;
${withHelpers(elementwiseMain(body))}`,
  );
  const params = new ParamBlock();
  for (const v of [outer, outSize, indexSize, inner]) params.u32(v);
  ctx.run({
    source,
    params,
    inputs: [src, index],
    outputs: [out, flagsBuffer(ctx)],
    grid: ctx.grid(n),
  });
  return out;
}

function storeAcc(dtype: DType): string {
  return dtype === "bool" ? "select(0u, 1u, acc != 0)" : "acc";
}

export function gather(
  ctx: GpuContext,
  x: GpuBuffer,
  index: GpuBuffer,
  outer: number,
  xSize: number,
  indexSize: number,
  inner: number,
): GpuBuffer {
  return pick(ctx, x, index, outer, xSize, indexSize, inner, false);
}

export function indexSelect(
  ctx: GpuContext,
  x: GpuBuffer,
  index: GpuBuffer,
  outer: number,
  xSize: number,
  inner: number,
): GpuBuffer {
  return pick(ctx, x, index, outer, xSize, index.size, inner, true);
}

export function scatterAdd(
  ctx: GpuContext,
  src: GpuBuffer,
  index: GpuBuffer,
  outer: number,
  outSize: number,
  indexSize: number,
  inner: number,
): GpuBuffer {
  return accumulate(ctx, src, index, outer, outSize, indexSize, inner, false);
}

export function indexAdd(
  ctx: GpuContext,
  src: GpuBuffer,
  index: GpuBuffer,
  outer: number,
  outSize: number,
  inner: number,
): GpuBuffer {
  return accumulate(ctx, src, index, outer, outSize, index.size, inner, true);
}
