/**
 * The MLP workload (workloads.ts) in each library, written as its users write it: each function
 * builds the model, data and optimizer and returns one training step (zero_grad, forward, loss,
 * backward, Adam step) that resolves to the loss. The wasm bench in Node and the WebGPU page
 * time the same steps on their own backends.
 */

import * as torch from "@gradbook/engine";
import * as jax from "@jax-js/jax";
import * as tf from "@tensorflow/tfjs";
import { uniform } from "./timing.js";
import { MLP } from "./workloads.js";

export type TrainingStep = () => Promise<number>;

/** The same inputs for every library: `batch` rows of uniform noise, labels 0..9 in turn. */
function inputs(): { x: Float32Array; labels: Int32Array } {
  return {
    x: uniform(MLP.batch * MLP.layers[0], 3),
    labels: Int32Array.from({ length: MLP.batch }, (_, k) => k % MLP.layers[3]),
  };
}

/** Gradbook, through the engine exactly as a student writes it, on the default device. */
export function gradbookStep(): TrainingStep {
  torch.manual_seed(0);
  const [i, h1, h2, o] = MLP.layers;
  const model = new torch.nn.Sequential(
    new torch.nn.Linear(i, h1),
    new torch.nn.ReLU(),
    new torch.nn.Linear(h1, h2),
    new torch.nn.ReLU(),
    new torch.nn.Linear(h2, o),
  );
  const lossFn = new torch.nn.CrossEntropyLoss();
  const optimizer = new torch.optim.Adam(model.parameters(), { lr: MLP.lr });
  const data = inputs();
  const x = torch.tensor(data.x).reshape([MLP.batch, i]);
  const y = torch.tensor(data.labels, { dtype: torch.int64 });
  return () => {
    optimizer.zero_grad();
    const loss = lossFn(model(x), y);
    loss.backward();
    optimizer.step();
    return loss.item();
  };
}

/** TensorFlow.js on its current backend: variables, `minimize`, softmax cross-entropy. */
export function tfjsStep(): TrainingStep {
  const [i, h1, h2, o] = MLP.layers;
  const dense = (fanIn: number, fanOut: number, seed: number) => ({
    w: tf.variable(
      tf.tensor2d(uniform(fanIn * fanOut, seed), [fanIn, fanOut]).mul(1 / Math.sqrt(fanIn)),
    ),
    b: tf.variable(tf.zeros([fanOut])),
  });
  const layers = [dense(i, h1, 10), dense(h1, h2, 11), dense(h2, o, 12)];
  const optimizer = tf.train.adam(MLP.lr);
  const data = inputs();
  const x = tf.tensor2d(data.x, [MLP.batch, i]);
  const y = tf.oneHot(tf.tensor1d(data.labels, "int32"), o);
  const forward = (): tf.Scalar => {
    let h: tf.Tensor2D = x;
    layers.forEach((l, k) => {
      const z = tf.add(tf.matMul(h, l.w), l.b) as tf.Tensor2D;
      h = k < layers.length - 1 ? tf.relu(z) : z;
    });
    return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
  };
  return async () => {
    const loss = optimizer.minimize(forward, true) as tf.Scalar;
    const value = (await loss.data())[0];
    loss.dispose();
    return value;
  };
}

const np = jax.numpy;
type Arr = jax.Array;
type Params = Record<string, Arr>;

/** jax-js moves arrays into ops; `.ref` keeps a reference for later use. */
function refs(p: Params): Params {
  return Object.fromEntries(Object.entries(p).map(([k, a]) => [k, a.ref]));
}

/** A jax-js array of `shape` from flat data. */
export function jaxArray(data: Float32Array, shape: number[]): Arr {
  return np.array(data).reshape(shape);
}

/** jax-js on its default device: value and gradient, then Adam, in one jit. */
export function jaxStep(): TrainingStep {
  const sizes = MLP.layers;
  let params: Params = {};
  for (let l = 0; l < 3; l++) {
    const w = uniform(sizes[l] * sizes[l + 1], 10 + l).map((v) => v / Math.sqrt(sizes[l]));
    params[`w${l}`] = jaxArray(w, [sizes[l], sizes[l + 1]]);
    params[`b${l}`] = np.zeros([sizes[l + 1]]);
  }
  const zeros = (p: Params): Params =>
    Object.fromEntries(Object.entries(p).map(([k, a]) => [k, np.zerosLike(a.ref)]));
  const loss = (p: Params, xb: Arr, yb: Arr): Arr => {
    let h = jax.nn.relu(np.add(np.matmul(xb, p.w0), p.b0));
    h = jax.nn.relu(np.add(np.matmul(h, p.w1), p.b1));
    const logits = np.add(np.matmul(h, p.w2), p.b2);
    return np.negative(np.mean(np.sum(np.multiply(jax.nn.logSoftmax(logits, -1), yb), -1)));
  };
  let m = zeros(params);
  let v = zeros(params);
  const data = inputs();
  const x = jaxArray(data.x, [MLP.batch, sizes[0]]);
  const y = jax.nn.oneHot(np.array(data.labels, { dtype: np.int32 }), sizes[3]);
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const train = jax.jit((p: Params, m0: Params, v0: Params, xb: Arr, yb: Arr, c1: Arr, c2: Arr) => {
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
  return async () => {
    t++;
    const [value, p1, m1, v1] = train(
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
  };
}
