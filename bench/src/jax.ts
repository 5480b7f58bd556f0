/** jax-js on its wasm device: matmul and a jitted training step (grad and Adam in one jit). */

import * as jax from "@jax-js/jax";
import { jaxArray, jaxStep } from "./mlp-steps.js";
import { gflops, time, uniform } from "./timing.js";
import { type Contender, type Figures, MATMUL_SIZES } from "./workloads.js";

const np = jax.numpy;
type Arr = jax.Array;

async function matmul(): Promise<Figures["matmul"]> {
  const out: Figures["matmul"] = {};
  const mm = jax.jit((a: Arr, b: Arr) => np.matmul(a, b));
  for (const n of MATMUL_SIZES) {
    const a = jaxArray(uniform(n * n, 1), [n, n]);
    const b = jaxArray(uniform(n * n, 2), [n, n]);
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

async function mlpStep(): Promise<number> {
  return (await time(jaxStep(), { warmup: 20, runs: 25, minMs: 30 })).ms;
}

export const jaxjs: Contender = {
  name: "jax-js wasm",
  async run() {
    await jax.init("wasm");
    jax.defaultDevice("wasm");
    return { matmul: await matmul(), mlpStepMs: await mlpStep() };
  },
};
