/** TensorFlow.js on its WebAssembly backend (XNNPACK), single-threaded in Node. */

import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { tfjsStep } from "./mlp-steps.js";
import { gflops, time, uniform } from "./timing.js";
import { type Contender, type Figures, MATMUL_SIZES } from "./workloads.js";

async function matmul(): Promise<Figures["matmul"]> {
  const out: Figures["matmul"] = {};
  for (const n of MATMUL_SIZES) {
    const a = tf.tensor2d(uniform(n * n, 1), [n, n]);
    const b = tf.tensor2d(uniform(n * n, 2), [n, n]);
    const t = await time(() => tf.matMul(a, b).dispose(), { runs: n >= 1024 ? 7 : 15 });
    out[n] = gflops(n, t.ms);
  }
  return out;
}

async function mlpStep(): Promise<number> {
  return (await time(tfjsStep(), { warmup: 20, runs: 25, minMs: 30 })).ms;
}

export const tfjs: Contender = {
  name: "TensorFlow.js wasm",
  async run() {
    await tf.setBackend("wasm");
    await tf.ready();
    return { matmul: await matmul(), mlpStepMs: await mlpStep() };
  },
};
