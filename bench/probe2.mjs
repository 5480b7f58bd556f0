import * as tf from "@tensorflow/tfjs";
import * as w from "@tensorflow/tfjs-backend-wasm";

await tf.setBackend("wasm");
await tf.ready();
console.log(Object.keys(w), w.getThreadsCount?.());
