/**
 * Batched matrix multiply. On GPUs, large products are tiled through workgroup memory: a 16x16
 * workgroup computes a (16*T)x(16*T) block of C, T x T outputs per thread, stepping through K
 * in slices of 16 that all threads load cooperatively (coalesced for either storage order of A
 * and B); smaller tiles are used when big ones would leave the GPU with too few workgroups.
 * Small products, and every product on a software adapter, use register tiles instead.
 */

import type { MatmulParams } from "../../backend.js";
import type { GpuBuffer } from "../buffer.js";
import type { GpuContext } from "../context.js";
import { ParamBlock } from "../params.js";
import { paramsDecl, shader, storageDecl } from "../wgsl/prelude.js";
import { fill } from "./pointwise.js";

const SIDE = 16; // threads per workgroup side
const BK = 16; // K slice per step

export function matmul(ctx: GpuContext, a: GpuBuffer, b: GpuBuffer, p: MatmulParams): GpuBuffer {
  const { batch, m, k, n } = p;
  const size = batch * m * n;
  if (size === 0 || k === 0) return fill(ctx, a.dtype, size, 0);
  if (a.dtype === "bool" || a.dtype !== b.dtype) {
    throw new TypeError(
      `matmul: expected two float32 or two int32 matrices, got ${a.dtype} and ${b.dtype}`,
    );
  }
  // Software adapters (SwiftShader) run barriers very slowly: they always take register tiles.
  if (ctx.software || batch * m * n * k <= SMALL_WORK) return matmulRegisterTiled(ctx, a, b, p);
  const t = tileFor(batch, m, n);
  const block = SIDE * t;
  const out = ctx.alloc(a.dtype, size, "matmul");
  const max = ctx.limits.maxComputeWorkgroupsPerDimension;
  const gx = Math.ceil(n / block);
  const gy = Math.ceil(m / block);
  if (gx > max || gy > max) {
    throw new RangeError(`matmul: ${m}x${n} outputs exceed this GPU's dispatch limits`);
  }
  const T = a.dtype === "float32" ? "f32" : "i32";
  const source = shader(`matmul:${t}:${p.transA}:${p.transB}:${T}`, () =>
    matmulSource(t, p.transA, p.transB, T),
  );
  // The batch runs along z, in several dispatches if it exceeds the grid limit.
  for (let base = 0; base < batch; base += max) {
    const params = new ParamBlock();
    params.u32(m);
    params.u32(n);
    params.u32(k);
    params.u32(p.aBatchStride);
    params.u32(p.bBatchStride);
    params.u32(base);
    ctx.run({
      source,
      params,
      inputs: [a, b],
      outputs: [out],
      grid: [gx, gy, Math.min(max, batch - base)],
    });
  }
  return out;
}

/** Outputs per thread side of the register-tiled kernel, and its workgroup side. */
const REG_T = 4;
const REG_SIDE = 8;

/**
 * Register tiling without workgroup memory: each thread accumulates a 4x4 block of C, reading
 * its rows of A and columns of B straight from memory (caches do the sharing). No barriers,
 * which software adapters (SwiftShader) execute very slowly.
 */
function matmulRegisterTiled(
  ctx: GpuContext,
  a: GpuBuffer,
  b: GpuBuffer,
  p: MatmulParams,
): GpuBuffer {
  const { batch, m, k, n } = p;
  const T = a.dtype === "float32" ? "f32" : "i32";
  const out = ctx.alloc(a.dtype, batch * m * n, "matmul");
  const block = REG_T * REG_SIDE;
  const max = ctx.limits.maxComputeWorkgroupsPerDimension;
  const gx = Math.ceil(n / block);
  const gy = Math.ceil(m / block);
  if (gx > max || gy > max)
    throw new RangeError(`matmul: ${m}x${n} outputs exceed this GPU's dispatch limits`);
  const source = shader(`matmul-reg:${p.transA}:${p.transB}:${T}`, () =>
    registerSource(p.transA, p.transB, T),
  );
  for (let base = 0; base < batch; base += max) {
    const params = new ParamBlock();
    for (const v of [m, n, k, p.aBatchStride, p.bBatchStride, base]) params.u32(v);
    ctx.run({
      source,
      params,
      inputs: [a, b],
      outputs: [out],
      grid: [gx, gy, Math.min(max, batch - base)],
    });
  }
  return out;
}

function registerSource(transA: boolean, transB: boolean, T: string): string {
  // Rows past M and columns past N read row/column 0 (valid memory); their results are dropped.
  const aAt = (r: string) => (transA ? `a_base + q * M + ${r}` : `a_base + ${r} * K + q`);
  const bAt = (c: string) => (transB ? `b_base + ${c} * K + q` : `b_base + q * N + ${c}`);
  const rows = [...Array(REG_T).keys()];
  return `${paramsDecl(6)}${storageDecl(1, "A", T, false)}${storageDecl(2, "B", T, false)}${storageDecl(3, "C", T, true)}
@compute @workgroup_size(${REG_SIDE}, ${REG_SIDE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = pu(0u); let N = pu(1u); let K = pu(2u);
  let batch = wid.z + pu(5u);
  let a_base = batch * pu(3u);
  let b_base = batch * pu(4u);
  let row0 = (wid.y * ${REG_SIDE}u + lid.y) * ${REG_T}u;
  let col0 = (wid.x * ${REG_SIDE}u + lid.x) * ${REG_T}u;
${rows
  .map(
    (i) => `  let r${i} = select(0u, row0 + ${i}u, row0 + ${i}u < M);
  let c${i} = select(0u, col0 + ${i}u, col0 + ${i}u < N);`,
  )
  .join("\n")}
${rows.map((i) => `  var acc${i} = vec4<${T}>();`).join("\n")}
  for (var q = 0u; q < K; q++) {
    let bv = vec4<${T}>(${rows.map((j) => `B[${bAt(`c${j}`)}]`).join(", ")});
${rows.map((i) => `    acc${i} += A[${aAt(`r${i}`)}] * bv;`).join("\n")}
  }
  let c_base = batch * M * N;
${rows
  .map(
    (i) => `  if (row0 + ${i}u < M) {
${rows.map((j) => `    if (col0 + ${j}u < N) { C[c_base + (row0 + ${i}u) * N + col0 + ${j}u] = acc${i}[${j}]; }`).join("\n")}
  }`,
  )
  .join("\n")}
}
`;
}

/** Multiply-adds below which register tiling beats workgroup-memory tiles on any GPU. */
const SMALL_WORK = 1 << 18;

/** Outputs per thread side: the largest of 4, 2, 1 that still gives 64 workgroups. */
function tileFor(batch: number, m: number, n: number): number {
  for (const t of [4, 2]) {
    const block = SIDE * t;
    if (batch * Math.ceil(m / block) * Math.ceil(n / block) >= 64) return t;
  }
  return 1;
}

function matmulSource(t: number, transA: boolean, transB: boolean, T: "f32" | "i32"): string {
  const BM = SIDE * t; // = BN
  // Element (row r, col q) of A and (q, c) of B in storage, per storage order.
  const aAt = transA ? "a_base + q * M + r" : "a_base + r * K + q";
  const bAt = transB ? "b_base + c * K + q" : "b_base + q * N + c";
  // Tile element e -> (r, q) / (q, c) with consecutive threads on consecutive addresses.
  const aSplit = transA
    ? `let q = e / ${BM}u; let r = e % ${BM}u;`
    : `let r = e / ${BK}u; let q = e % ${BK}u;`;
  const bSplit = transB
    ? `let c = e / ${BK}u; let q = e % ${BK}u;`
    : `let q = e / ${BM}u; let c = e % ${BM}u;`;
  return `${paramsDecl(6)}${storageDecl(1, "A", T, false)}${storageDecl(2, "B", T, false)}${storageDecl(3, "C", T, true)}
var<workgroup> As: array<${T}, ${BK * BM}>;
var<workgroup> Bs: array<${T}, ${BK * BM}>;

@compute @workgroup_size(${SIDE}, ${SIDE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let M = pu(0u); let N = pu(1u); let K = pu(2u);
  let batch = wid.z + pu(5u);
  let a_base = batch * pu(3u);
  let b_base = batch * pu(4u);
  let row0 = wid.y * ${BM}u;
  let col0 = wid.x * ${BM}u;
  var acc: array<${T}, ${t * t}>;
  for (var k0 = 0u; k0 < K; k0 += ${BK}u) {
    for (var j = 0u; j < ${t}u; j++) {
      let e = li + j * ${SIDE * SIDE}u;
      {
        ${aSplit}
        let gr = row0 + r;
        let gq = k0 + q;
        var v = ${T}(0);
        if (gr < M && gq < K) { let r = gr; let q = gq; v = A[${aAt}]; }
        As[q * ${BM}u + r] = v;
      }
      {
        ${bSplit}
        let gc = col0 + c;
        let gq = k0 + q;
        var v = ${T}(0);
        if (gc < N && gq < K) { let c = gc; let q = gq; v = B[${bAt}]; }
        Bs[q * ${BM}u + c] = v;
      }
    }
    workgroupBarrier();
    for (var q = 0u; q < ${BK}u; q++) {
      for (var i = 0u; i < ${t}u; i++) {
        let av = As[q * ${BM}u + lid.y + i * ${SIDE}u];
        for (var j = 0u; j < ${t}u; j++) {
          acc[i * ${t}u + j] += av * Bs[q * ${BM}u + lid.x + j * ${SIDE}u];
        }
      }
    }
    workgroupBarrier();
  }
  let c_base = batch * M * N;
  for (var i = 0u; i < ${t}u; i++) {
    let r = row0 + lid.y + i * ${SIDE}u;
    for (var j = 0u; j < ${t}u; j++) {
      let c = col0 + lid.x + j * ${SIDE}u;
      if (r < M && c < N) { C[c_base + r * N + c] = acc[i * ${t}u + j]; }
    }
  }
}
`;
}
