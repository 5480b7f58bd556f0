/**
 * Fused optimizer updates (see AdamStepParams and SgdStepParams in backend.ts): one thread per
 * element reads the gradient and rewrites the parameter and its state in place, in float32
 * with the unfused ops' order. The scalars (adamScalars / sgdScalars) are f32 params 1...
 */

import {
  type AdamStepParams,
  adamScalars,
  type RmspropStepParams,
  rmspropScalars,
  type SgdStepParams,
  sgdScalars,
} from "../../backend.js";
import type { GpuBuffer } from "../buffer.js";
import type { GpuContext } from "../context.js";
import { ParamBlock } from "../params.js";
import { elementwiseMain, paramsDecl, shader, storageDecl, withHelpers } from "../wgsl/prelude.js";

/** Launch `body` over the parameter's elements; `state` names the read-write state buffers. */
function runUpdate(
  ctx: GpuContext,
  key: string,
  grad: GpuBuffer,
  param: GpuBuffer,
  state: readonly (readonly [string, GpuBuffer])[],
  scalars: readonly number[],
  body: string,
): void {
  const n = param.size;
  if (n === 0) return;
  const params = new ParamBlock();
  params.u32(n);
  for (const s of scalars) params.f32(s);
  const source = shader(key, () => {
    let decls = paramsDecl(params.length);
    decls += storageDecl(1, "grad", "f32", false);
    decls += storageDecl(2, "param", "f32", true);
    state.forEach(([name], k) => {
      decls += storageDecl(3 + k, name, "f32", true);
    });
    return decls + withHelpers(elementwiseMain(`  if (i >= pu(0u)) { return; }\n${body}`));
  });
  ctx.run({
    source,
    params,
    inputs: [grad],
    outputs: [param, ...state.map(([, b]) => b)],
    grid: ctx.grid(n),
  });
}

export function adamStep(
  ctx: GpuContext,
  param: GpuBuffer,
  grad: GpuBuffer,
  expAvg: GpuBuffer,
  expAvgSq: GpuBuffer,
  maxExpAvgSq: GpuBuffer | null,
  p: AdamStepParams,
): void {
  const amsgrad = maxExpAvgSq !== null;
  const state: [string, GpuBuffer][] = [
    ["exp_avg", expAvg],
    ["exp_avg_sq", expAvgSq],
  ];
  if (maxExpAvgSq) state.push(["max_exp_avg_sq", maxExpAvgSq]);
  // Scalars: sign, addDecay, wd, decay, beta1, 1-beta1, beta2, 1-beta2, bc2Sqrt, eps, -stepSize.
  const body = `  var g = pf(1u) * grad[i];
  var w = param[i];
  if (pf(2u) != 0.0) { g = g + pf(3u) * w; }
  w = w * pf(4u);
  let m = exp_avg[i] * pf(5u) + pf(6u) * g;
  let v = exp_avg_sq[i] * pf(7u) + (pf(8u) * g) * g;
  exp_avg[i] = m;
  exp_avg_sq[i] = v;
${amsgrad ? "  let second = max_f(max_exp_avg_sq[i], v);\n  max_exp_avg_sq[i] = second;" : "  let second = v;"}
  let denom = sqrt(second) / pf(9u) + pf(10u);
  param[i] = w + (pf(11u) * m) / denom;`;
  runUpdate(ctx, `adam:${amsgrad}`, grad, param, state, adamScalars(p), body);
}

export function sgdStep(
  ctx: GpuContext,
  param: GpuBuffer,
  grad: GpuBuffer,
  momentumBuffer: GpuBuffer | null,
  p: SgdStepParams,
): void {
  const momentum = momentumBuffer !== null;
  // Scalars: sign, addDecay, wd, first, momentum, 1-dampening, nesterov, -lr.
  const body = `  let w = param[i];
  var g = pf(1u) * grad[i];
  if (pf(2u) != 0.0) { g = g + pf(3u) * w; }
${
  momentum
    ? `  var b = g;
  if (pf(4u) == 0.0) { b = buf[i] * pf(5u) + pf(6u) * g; }
  buf[i] = b;
  if (pf(7u) != 0.0) { g = g + pf(5u) * b; } else { g = b; }`
    : ""
}
  param[i] = w + pf(8u) * g;`;
  const state: [string, GpuBuffer][] = momentumBuffer ? [["buf", momentumBuffer]] : [];
  runUpdate(ctx, `sgd:${momentum}`, grad, param, state, sgdScalars(p), body);
}

export function rmspropStep(
  ctx: GpuContext,
  param: GpuBuffer,
  grad: GpuBuffer,
  squareAvg: GpuBuffer,
  gradAvg: GpuBuffer | null,
  momentumBuffer: GpuBuffer | null,
  p: RmspropStepParams,
): void {
  const state: [string, GpuBuffer][] = [["square_avg", squareAvg]];
  if (gradAvg) state.push(["grad_avg", gradAvg]);
  if (momentumBuffer) state.push(["buf", momentumBuffer]);
  // Scalars: sign, addDecay, wd, alpha, 1-alpha, eps, momentum, -lr.
  const body = `  let w = param[i];
  var g = pf(1u) * grad[i];
  if (pf(2u) != 0.0) { g = g + pf(3u) * w; }
  let s = square_avg[i] * pf(4u) + (pf(5u) * g) * g;
  square_avg[i] = s;
${
  gradAvg
    ? `  let a = grad_avg[i] * pf(4u) + pf(5u) * g;
  grad_avg[i] = a;
  let avg = sqrt(s - a * a) + pf(6u);`
    : "  let avg = sqrt(s) + pf(6u);"
}
${
  momentumBuffer
    ? `  let b = buf[i] * pf(7u) + g / avg;
  buf[i] = b;
  param[i] = w + pf(8u) * b;`
    : "  param[i] = w + (pf(8u) * g) / avg;"
}`;
  const key = `rmsprop:${gradAvg !== null}:${momentumBuffer !== null}`;
  runUpdate(ctx, key, grad, param, state, rmspropScalars(p), body);
}
