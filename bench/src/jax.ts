/** jax-js on its wasm device: matmul and a jitted training step (grad and Adam in one jit). */

import * as jax from "@jax-js/jax";
import { gflops, time, uniform } from "./timing.js";
import { type Contender, type Figures, MATMUL_SIZES, MLP } from "./workloads.js";

const np = jax.numpy;
const nn = jax.nn;
type Arr = jax.Array;
type Params = Record<string, Arr>;

function array(data: Float32Array, shape: number[]): Arr {
  return np.array(data).reshape(shape);
}

async function matmul(): Promise<Figures["matmul"]> {
  const out: Figures["matmul"] = {};
  const mm = jax.jit((a: Arr, b: Arr) => np.matmul(a, b));
  for (const n of MATMUL_SIZES) {
    const a = array(uniform(n * n, 1), [n, n]);
    const b = array(uniform(n * n, 2), [n, n]);
    const t = await time(
      async () => {
        const c = mm(a.ref, b.ref);
        await c.blockUntilReady();
        c.dispose();
      },
      { runs: n >= 1024 ? 7 : 15 },
    );
    out[n] = gflops(n, t.ms);
  }
  return out;
}

/** jax-js moves arrays into ops; `.ref` keeps a reference for later use. */
function refs(p: Params): Params {
  return Object.fromEntries(Object.entries(p).map(([k, a]) => [k, a.ref]));
}

function loss(p: Params, x: Arr, y: Arr): Arr {
  let h = nn.relu(np.add(np.matmul(x, p.w0), p.b0));
  h = nn.relu(np.add(np.matmul(h, p.w1), p.b1));
  const logits = np.add(np.matmul(h, p.w2), p.b2);
  return np.negative(np.mean(np.sum(np.multiply(nn.logSoftmax(logits, -1), y), -1)));
}

async function mlpStep(): Promise<number> {
  const sizes = MLP.layers;
  let params: Params = {};
  for (let l = 0; l < 3; l++) {
    const w = uniform(sizes[l] * sizes[l + 1], 10 + l).map((v) => v / Math.sqrt(sizes[l]));
    params[`w${l}`] = array(w, [sizes[l], sizes[l + 1]]);
    params[`b${l}`] = np.zeros([sizes[l + 1]]);
  }
  const zeros = (p: Params) =>
    Object.fromEntries(Object.entries(p).map(([k, a]) => [k, np.zerosLike(a.ref)]));
  let m: Params = zeros(params);
  let v: Params = zeros(params);
  const x = array(uniform(MLP.batch * sizes[0], 3), [MLP.batch, sizes[0]]);
  const labels = np.array(
    Int32Array.from({ length: MLP.batch }, (_, k) => k % 10),
    { dtype: np.int32 },
  );
  const y = nn.oneHot(labels, 10);
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const step = jax.jit((p: Params, m0: Params, v0: Params, xb: Arr, yb: Arr, c1: Arr, c2: Arr) => {
    const [value, g] = jax.valueAndGrad(loss)(refs(p), xb, yb);
    const [p1, m1, v1]: Params[] = [{}, {}, {}];
    for (const k of Object.keys(p)) {
      m1[k] = np.add(np.multiply(m0[k], b1), np.multiply(g[k].ref, 1 - b1));
      v1[k] = np.add(np.multiply(v0[k], b2), np.multiply(np.multiply(g[k].ref, g[k]), 1 - b2));
      const mHat = np.divide(m1[k].ref, c1.ref);
      const vHat = np.divide(v1[k].ref, c2.ref);
      p1[k] = np.subtract(p[k], np.multiply(np.divide(mHat, np.add(np.sqrt(vHat), eps)), MLP.lr));
    }
    c1.dispose();
    c2.dispose();
    return [value, p1, m1, v1] as [Arr, Params, Params, Params];
  });
  let t = 0;
  const timing = await time(
    async () => {
      t++;
      const [value, p1, m1, v1] = step(
        params,
        m,
        v,
        x.ref,
        y.ref,
        np.array(1 - b1 ** t),
        np.array(1 - b2 ** t),
      );
      [params, m, v] = [p1, m1, v1];
      return value.item();
    },
    { warmup: 20, runs: 25, minMs: 30 },
  );
  return timing.ms;
}

export const jaxjs: Contender = {
  name: "jax-js wasm",
  async run() {
    await jax.init("wasm");
    jax.defaultDevice("wasm");
    return { matmul: await matmul(), mlpStepMs: await mlpStep() };
  },
};
