import * as jax from "@jax-js/jax";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
const np = jax.numpy;
const avail = await jax.init("wasm");
console.log("jax devices", avail);
jax.defaultDevice("wasm");
for (const n of [256, 512, 1024]) {
  const a = np.ones([n, n]);
  const b = np.ones([n, n]);
  const f = jax.jit((x, y) => np.matmul(x, y));
  const ts = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const c = f(a.ref, b.ref);
    await c.blockUntilReady();
    ts.push(performance.now() - t0);
    c.dispose();
  }
  ts.sort((x, y) => x - y);
  const med = ts[7];
  console.log("jax", n, ((2 * n ** 3) / med / 1e6).toFixed(1), "GFLOP/s");
}
await tf.setBackend("wasm");
await tf.ready();
for (const n of [256, 512, 1024]) {
  const a = tf.ones([n, n]);
  const b = tf.ones([n, n]);
  const ts = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    ts.push(performance.now() - t0);
    c.dispose();
  }
  ts.sort((x, y) => x - y);
  console.log("tfjs", n, ((2 * n ** 3) / ts[7] / 1e6).toFixed(1), "GFLOP/s");
}
