/**
 * im2col (patches as columns, for convolution as a matmul) and its adjoint col2im, written as
 * a gather (each pixel sums the column entries read from it) so no atomics are needed.
 */

import { type Conv2dGeometry, convOutputSize } from "../../backend.js";
import { type GpuBuffer, WGSL_STORAGE } from "../buffer.js";
import type { GpuContext } from "../context.js";
import { ParamBlock } from "../params.js";
import { elementwiseMain, paramsDecl, shader, storageDecl, withHelpers } from "../wgsl/prelude.js";

const GEOMETRY = `
const N = 0u; const C = 1u; const H = 2u; const W = 3u; const KH = 4u; const KW = 5u;
const SH = 6u; const SW = 7u; const PH = 8u; const PW = 9u; const DH = 10u; const DW = 11u;
const OH = 12u; const OW = 13u; const PAD_VALUE = 14u;`;

function geometryParams(g: Conv2dGeometry): ParamBlock {
  const [oh, ow] = convOutputSize(g);
  const params = new ParamBlock();
  for (const v of [g.n, g.c, g.h, g.w, g.kh, g.kw, g.strideH, g.strideW, g.padH, g.padW]) {
    params.u32(v);
  }
  params.u32(g.dilationH);
  params.u32(g.dilationW);
  params.u32(oh);
  params.u32(ow);
  params.f32(g.padValue);
  return params;
}

export function im2col(ctx: GpuContext, x: GpuBuffer, g: Conv2dGeometry): GpuBuffer {
  const [oh, ow] = convOutputSize(g);
  const n = g.n * g.c * g.kh * g.kw * oh * ow;
  const out = ctx.alloc(x.dtype, n, "im2col");
  if (n === 0) return out;
  const S = WGSL_STORAGE[x.dtype];
  // The pad value as the js backend's typed array stores it (-Infinity becomes 0 in integers).
  const pad =
    x.dtype === "float32"
      ? "pf(PAD_VALUE)"
      : x.dtype === "int32"
        ? "to_int(pf(PAD_VALUE))"
        : "bitcast<u32>(to_int(pf(PAD_VALUE)))";
  const body = `
  if (i >= pu(N) * pu(C) * pu(KH) * pu(KW) * pu(OH) * pu(OW)) { return; }
  let ox = i % pu(OW);
  let oy = (i / pu(OW)) % pu(OH);
  let kj = (i / (pu(OW) * pu(OH))) % pu(KW);
  let ki = (i / (pu(OW) * pu(OH) * pu(KW))) % pu(KH);
  let plane = i / (pu(OW) * pu(OH) * pu(KW) * pu(KH)); // b * C + ci
  let y = i32(oy * pu(SH) + ki * pu(DH)) - i32(pu(PH));
  let xx = i32(ox * pu(SW) + kj * pu(DW)) - i32(pu(PW));
  var v = ${pad};
  if (y >= 0 && y < i32(pu(H)) && xx >= 0 && xx < i32(pu(W))) {
    v = x[(plane * pu(H) + u32(y)) * pu(W) + u32(xx)];
  }
  out[i] = v;`;
  const source = shader(
    `im2col:${x.dtype}`,
    () => `${paramsDecl(15)}${storageDecl(1, "x", S, false)}${storageDecl(2, "out", S, true)}${GEOMETRY}
${withHelpers(elementwiseMain(body))}`,
  );
  ctx.run({ source, params: geometryParams(g), inputs: [x], outputs: [out], grid: ctx.grid(n) });
  return out;
}

export function col2im(ctx: GpuContext, cols: GpuBuffer, g: Conv2dGeometry): GpuBuffer {
  const [oh, ow] = convOutputSize(g);
  const need = g.n * g.c * g.kh * g.kw * oh * ow;
  if (cols.size < need) {
    throw new RangeError(`col2im: buffer has ${cols.size} elements, the kernel reads ${need}`);
  }
  const n = g.n * g.c * g.h * g.w;
  const out = ctx.alloc(cols.dtype, n, "col2im");
  if (n === 0) return out;
  const S = WGSL_STORAGE[cols.dtype];
  const T = cols.dtype === "float32" ? "f32" : "i32";
  const load = cols.dtype === "bool" ? "i32(cols[at])" : "cols[at]";
  const store = cols.dtype === "bool" ? "select(0u, 1u, acc != 0)" : "acc";
  const body = `
  if (i >= pu(N) * pu(C) * pu(H) * pu(W)) { return; }
  let xx = i32(i % pu(W));
  let y = i32((i / pu(W)) % pu(H));
  let plane = i / (pu(W) * pu(H)); // b * C + ci
  var acc = ${T}(0);
  for (var ki = 0u; ki < pu(KH); ki++) {
    let ty = y + i32(pu(PH)) - i32(ki * pu(DH));
    if (ty < 0 || ty % i32(pu(SH)) != 0) { continue; }
    let oy = u32(ty) / pu(SH);
    if (oy >= pu(OH)) { continue; }
    for (var kj = 0u; kj < pu(KW); kj++) {
      let tx = xx + i32(pu(PW)) - i32(kj * pu(DW));
      if (tx < 0 || tx % i32(pu(SW)) != 0) { continue; }
      let ox = u32(tx) / pu(SW);
      if (ox >= pu(OW)) { continue; }
      let at = ((plane * pu(KH) + ki) * pu(KW) + kj) * pu(OH) * pu(OW) + oy * pu(OW) + ox;
      acc += ${load};
    }
  }
  out[i] = ${store};`;
  const source = shader(
    `col2im:${cols.dtype}`,
    () => `${paramsDecl(15)}${storageDecl(1, "cols", S, false)}${storageDecl(2, "out", S, true)}${GEOMETRY}
${elementwiseMain(body)}`,
  );
  ctx.run({ source, params: geometryParams(g), inputs: [cols], outputs: [out], grid: ctx.grid(n) });
  return out;
}
