/** TensorFlow.js on its WebAssembly backend (XNNPACK), single-threaded in Node. */

import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { gflops, time, uniform } from "./timing.js";
import { type Contender, type Figures, MATMUL_SIZES, MLP } from "./workloads.js";

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
  const [i, h1, h2, o] = MLP.layers;
  const dense = (fanIn: number, fanOut: number, seed: number) => ({
    w: tf.variable(
      tf.tensor2d(uniform(fanIn * fanOut, seed), [fanIn, fanOut]).mul(1 / Math.sqrt(fanIn)),
    ),
    b: tf.variable(tf.zeros([fanOut])),
  });
  const layers = [dense(i, h1, 10), dense(h1, h2, 11), dense(h2, o, 12)];
  const optimizer = tf.train.adam(MLP.lr);
  const x = tf.tensor2d(uniform(MLP.batch * i, 3), [MLP.batch, i]);
  const y = tf.oneHot(
    tf.tensor1d(
      Int32Array.from({ length: MLP.batch }, (_, k) => k % o),
      "int32",
    ),
    o,
  );
  const forward = (): tf.Scalar => {
    let h: tf.Tensor2D = x;
    layers.forEach((l, k) => {
      const z = tf.add(tf.matMul(h, l.w), l.b) as tf.Tensor2D;
      h = k < layers.length - 1 ? tf.relu(z) : z;
    });
    return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
  };
  const t = await time(
    () => {
      const loss = optimizer.minimize(forward, true) as tf.Scalar;
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    },
    { warmup: 20, runs: 25, minMs: 30 },
  );
  return t.ms;
}

export const tfjs: Contender = {
  name: "TensorFlow.js wasm",
  async run() {
    await tf.setBackend("wasm");
    await tf.ready();
    return { matmul: await matmul(), mlpStepMs: await mlpStep() };
  },
};
