/**
 * Fused optimizer updates run for a few steps on any backend, for comparing backends: the
 * hyperparameter cases cover every branch of adamStep, sgdStep and rmspropStep.
 */

import type {
  AdamStepParams,
  AnyTypedArray,
  Backend,
  BackendBuffer,
  RmspropStepParams,
  SgdStepParams,
} from "../src/index.js";

const ADAM: AdamStepParams = {
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  decoupled: false,
  maximize: false,
  step: 1,
};

export const ADAM_CASES: [string, AdamStepParams, boolean][] = [
  ["Adam", ADAM, false],
  ["Adam, weight decay, maximize", { ...ADAM, lr: 0.1, weightDecay: 0.1, maximize: true }, false],
  ["AdamW, amsgrad", { ...ADAM, lr: 0.01, weightDecay: 1e-2, decoupled: true, eps: 1e-3 }, true],
  ["Adam, small betas", { ...ADAM, beta1: 0.3, beta2: 0.4 }, true],
];

const SGD: SgdStepParams = {
  lr: 0.1,
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
  first: true,
};

export const SGD_CASES: [string, SgdStepParams][] = [
  ["plain", SGD],
  ["weight decay, maximize", { ...SGD, weightDecay: 0.01, maximize: true }],
  ["momentum, dampening", { ...SGD, momentum: 0.9, dampening: 0.25 }],
  ["nesterov, weight decay", { ...SGD, momentum: 0.8, nesterov: true, weightDecay: 1e-3 }],
];

const RMSPROP: RmspropStepParams = {
  lr: 0.01,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  maximize: false,
};

/** Cases with whether they are centered (a grad_avg buffer). */
export const RMSPROP_CASES: [string, RmspropStepParams, boolean][] = [
  ["plain", RMSPROP, false],
  ["weight decay, maximize", { ...RMSPROP, weightDecay: 0.1, maximize: true }, false],
  ["centered, momentum", { ...RMSPROP, alpha: 0.9, momentum: 0.9, eps: 1e-2 }, true],
  ["centered", { ...RMSPROP, alpha: 0.5, eps: 1e-2 }, true],
];

/** `steps` updates of one parameter, each with the next gradient; returns param and state. */
export async function runAdam(
  be: Backend,
  param: Float32Array,
  grads: readonly Float32Array[],
  p: AdamStepParams,
  amsgrad: boolean,
): Promise<AnyTypedArray[]> {
  const n = param.length;
  const bufs = [be.upload(param), be.alloc("float32", n), be.alloc("float32", n)];
  if (amsgrad) bufs.push(be.alloc("float32", n));
  const [w, m, v, x] = bufs;
  grads.forEach((g, k) => {
    const gb = be.upload(g);
    be.adamStep(w, gb, m, v, x ?? null, { ...p, step: k + 1 });
    be.free(gb);
  });
  return readAll(be, bufs);
}

export async function runSgd(
  be: Backend,
  param: Float32Array,
  grads: readonly Float32Array[],
  p: SgdStepParams,
): Promise<AnyTypedArray[]> {
  const bufs = [be.upload(param)];
  if (p.momentum !== 0) bufs.push(be.alloc("float32", param.length));
  const [w, b] = bufs;
  grads.forEach((g, k) => {
    const gb = be.upload(g);
    be.sgdStep(w, gb, b ?? null, { ...p, first: k === 0 });
    be.free(gb);
  });
  return readAll(be, bufs);
}

export async function runRmsprop(
  be: Backend,
  param: Float32Array,
  grads: readonly Float32Array[],
  p: RmspropStepParams,
  centered: boolean,
): Promise<AnyTypedArray[]> {
  const n = param.length;
  const bufs = [be.upload(param), be.alloc("float32", n)];
  const a = centered ? be.alloc("float32", n) : null;
  const b = p.momentum > 0 ? be.alloc("float32", n) : null;
  for (const x of [a, b]) if (x) bufs.push(x);
  for (const g of grads) {
    const gb = be.upload(g);
    be.rmspropStep(bufs[0], gb, bufs[1], a, b, p);
    be.free(gb);
  }
  return readAll(be, bufs);
}

async function readAll(be: Backend, bufs: BackendBuffer[]): Promise<AnyTypedArray[]> {
  const out = await Promise.all(bufs.map((b) => be.read(b)));
  for (const b of bufs) be.free(b);
  return out;
}
