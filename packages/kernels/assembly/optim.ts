// Fused optimizer updates (see AdamStepParams and SgdStepParams in src/backend.ts): one pass
// over each parameter, in place, in float32 with the unfused ops' order, four lanes at a time.

import { pf, pi, pu, shareStart } from "./task";
import { ld, st } from "./vec";

/** Params: param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq (0: none), n, then adamScalars. */
export function adamTask(thread: i32, threads: i32): void {
  const p = pu(0);
  const g = pu(1);
  const m = pu(2);
  const v = pu(3);
  const x = pu(4);
  const n = pi(5);
  const sign = <f32>pf(6);
  const addDecay = pi(7) !== 0;
  const wd = <f32>pf(8);
  const decay = <f32>pf(9);
  const b1 = <f32>pf(10);
  const c1 = <f32>pf(11);
  const b2 = <f32>pf(12);
  const c2 = <f32>pf(13);
  const bc2 = <f32>pf(14);
  const eps = <f32>pf(15);
  const negStep = <f32>pf(16);
  const s = shareStart(n, thread, threads, 16);
  const e = shareStart(n, thread + 1, threads, 16);
  let i = s;
  const vSign = f32x4.splat(sign);
  const vWd = f32x4.splat(wd);
  const vDecay = f32x4.splat(decay);
  const vB1 = f32x4.splat(b1);
  const vC1 = f32x4.splat(c1);
  const vB2 = f32x4.splat(b2);
  const vC2 = f32x4.splat(c2);
  const vBc2 = f32x4.splat(bc2);
  const vEps = f32x4.splat(eps);
  const vNeg = f32x4.splat(negStep);
  for (; i + 4 <= e; i += 4) {
    let gv = f32x4.mul(vSign, ld(g, i));
    let pv = ld(p, i);
    if (addDecay) gv = f32x4.add(gv, f32x4.mul(vWd, pv));
    pv = f32x4.mul(pv, vDecay);
    const mv = f32x4.add(f32x4.mul(ld(m, i), vB1), f32x4.mul(vC1, gv));
    const vv = f32x4.add(f32x4.mul(ld(v, i), vB2), f32x4.mul(f32x4.mul(vC2, gv), gv));
    st(m, i, mv);
    st(v, i, vv);
    let second = vv;
    if (x) {
      second = f32x4.max(ld(x, i), vv); // NaN-propagating, as torch.maximum
      st(x, i, second);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(second), vBc2), vEps);
    st(p, i, f32x4.add(pv, f32x4.div(f32x4.mul(vNeg, mv), denom)));
  }
  for (; i < e; i++) {
    const at = (<usize>i) << 2;
    let gs = sign * load<f32>(g + at);
    let ps = load<f32>(p + at);
    if (addDecay) gs = gs + wd * ps;
    ps = ps * decay;
    const ms = load<f32>(m + at) * b1 + c1 * gs;
    const vs = load<f32>(v + at) * b2 + c2 * gs * gs;
    store<f32>(m + at, ms);
    store<f32>(v + at, vs);
    let second = vs;
    if (x) {
      second = max(load<f32>(x + at), vs);
      store<f32>(x + at, second);
    }
    const denom = sqrt(second) / bc2 + eps;
    store<f32>(p + at, ps + (negStep * ms) / denom);
  }
}

/** Params: param, grad, momentum buffer (0: none), n, then sgdScalars. */
export function sgdTask(thread: i32, threads: i32): void {
  const p = pu(0);
  const g = pu(1);
  const b = pu(2);
  const n = pi(3);
  const sign = <f32>pf(4);
  const addDecay = pi(5) !== 0;
  const wd = <f32>pf(6);
  const first = pi(7) !== 0;
  const momentum = <f32>pf(8);
  const c = <f32>pf(9);
  const nesterov = pi(10) !== 0;
  const negLr = <f32>pf(11);
  const s = shareStart(n, thread, threads, 16);
  const e = shareStart(n, thread + 1, threads, 16);
  let i = s;
  const vSign = f32x4.splat(sign);
  const vWd = f32x4.splat(wd);
  const vMom = f32x4.splat(momentum);
  const vC = f32x4.splat(c);
  const vNeg = f32x4.splat(negLr);
  for (; i + 4 <= e; i += 4) {
    const pv = ld(p, i);
    let gv = f32x4.mul(vSign, ld(g, i));
    if (addDecay) gv = f32x4.add(gv, f32x4.mul(vWd, pv));
    if (b) {
      const bv = first ? gv : f32x4.add(f32x4.mul(ld(b, i), vMom), f32x4.mul(vC, gv));
      st(b, i, bv);
      gv = nesterov ? f32x4.add(gv, f32x4.mul(vMom, bv)) : bv;
    }
    st(p, i, f32x4.add(pv, f32x4.mul(vNeg, gv)));
  }
  for (; i < e; i++) {
    const at = (<usize>i) << 2;
    const ps = load<f32>(p + at);
    let gs = sign * load<f32>(g + at);
    if (addDecay) gs = gs + wd * ps;
    if (b) {
      const bs = first ? gs : load<f32>(b + at) * momentum + c * gs;
      store<f32>(b + at, bs);
      gs = nesterov ? gs + momentum * bs : bs;
    }
    store<f32>(p + at, ps + negLr * gs);
  }
}

/** Params: param, grad, square_avg, grad_avg (0: not centered), momentum buffer (0: none), n, then rmspropScalars. */
export function rmspropTask(thread: i32, threads: i32): void {
  const p = pu(0);
  const g = pu(1);
  const sq = pu(2);
  const a = pu(3);
  const b = pu(4);
  const n = pi(5);
  const sign = <f32>pf(6);
  const addDecay = pi(7) !== 0;
  const wd = <f32>pf(8);
  const alpha = <f32>pf(9);
  const c = <f32>pf(10);
  const eps = <f32>pf(11);
  const momentum = <f32>pf(12);
  const negLr = <f32>pf(13);
  const s = shareStart(n, thread, threads, 16);
  const e = shareStart(n, thread + 1, threads, 16);
  let i = s;
  const vSign = f32x4.splat(sign);
  const vWd = f32x4.splat(wd);
  const vAlpha = f32x4.splat(alpha);
  const vC = f32x4.splat(c);
  const vEps = f32x4.splat(eps);
  const vMom = f32x4.splat(momentum);
  const vNeg = f32x4.splat(negLr);
  for (; i + 4 <= e; i += 4) {
    const pv = ld(p, i);
    let gv = f32x4.mul(vSign, ld(g, i));
    if (addDecay) gv = f32x4.add(gv, f32x4.mul(vWd, pv));
    const sv = f32x4.add(f32x4.mul(ld(sq, i), vAlpha), f32x4.mul(f32x4.mul(vC, gv), gv));
    st(sq, i, sv);
    let centered = sv;
    if (a) {
      const av = f32x4.add(f32x4.mul(ld(a, i), vAlpha), f32x4.mul(vC, gv));
      st(a, i, av);
      centered = f32x4.sub(sv, f32x4.mul(av, av));
    }
    const avg = f32x4.add(f32x4.sqrt(centered), vEps);
    if (b) {
      const bv = f32x4.add(f32x4.mul(ld(b, i), vMom), f32x4.div(gv, avg));
      st(b, i, bv);
      st(p, i, f32x4.add(pv, f32x4.mul(vNeg, bv)));
    } else {
      st(p, i, f32x4.add(pv, f32x4.div(f32x4.mul(vNeg, gv), avg)));
    }
  }
  for (; i < e; i++) {
    const at = (<usize>i) << 2;
    const ps = load<f32>(p + at);
    let gs = sign * load<f32>(g + at);
    if (addDecay) gs = gs + wd * ps;
    const ss = load<f32>(sq + at) * alpha + c * gs * gs;
    store<f32>(sq + at, ss);
    let centered = ss;
    if (a) {
      const as = load<f32>(a + at) * alpha + c * gs;
      store<f32>(a + at, as);
      centered = ss - as * as;
    }
    const avg = sqrt(centered) + eps;
    if (b) {
      const bs = load<f32>(b + at) * momentum + gs / avg;
      store<f32>(b + at, bs);
      store<f32>(p + at, ps + negLr * bs);
    } else {
      store<f32>(p + at, ps + (negLr * gs) / avg);
    }
  }
}
