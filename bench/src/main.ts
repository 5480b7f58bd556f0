/**
 * `npm run bench`: matmul GFLOP/s and one MLP training step for Gradbook's wasm backend (1 and 2
 * threads), TensorFlow.js (wasm), jax-js (wasm) and PyTorch CPU (1 thread), side by side.
 * One Node process runs the JavaScript libraries in turn; PyTorch runs in its own process.
 */

import { hasRelaxedSimd } from "@gradbook/kernels";
import { gradbook } from "./gradbook.js";
import { jaxjs } from "./jax.js";
import { pytorch, pytorchAvailable } from "./pytorch.js";
import { tfjs } from "./tfjs.js";
import { type Contender, type Figures, MATMUL_SIZES } from "./workloads.js";

const only = process.argv.slice(2);
const contenders: Contender[] = [...gradbook, tfjs, jaxjs];
if (await pytorchAvailable()) contenders.push(pytorch);
else console.log("(PyTorch not found: apt-get install python3-torch to compare with it)");

const results: [string, Figures][] = [];
for (const c of contenders) {
  if (only.length > 0 && !only.some((o) => c.name.toLowerCase().includes(o.toLowerCase())))
    continue;
  process.stderr.write(`running ${c.name}...\n`);
  results.push([c.name, await c.run()]);
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (v: number, digits: number) => v.toFixed(digits).padStart(9);
const nameWidth = Math.max(...results.map(([n]) => n.length)) + 2;
console.log(
  `\nNode ${process.versions.node}, relaxed SIMD ${hasRelaxedSimd() ? "on" : "off"}; medians after warm-up\n`,
);
console.log(
  `${pad("", nameWidth)}${MATMUL_SIZES.map((n) => `n=${n}`.padStart(9)).join("")}   MLP step`,
);
console.log(
  `${pad("", nameWidth)}${"matmul GFLOP/s".padStart(9 * MATMUL_SIZES.length)}         ms`,
);
for (const [name, f] of results) {
  console.log(
    `${pad(name, nameWidth)}${MATMUL_SIZES.map((n) => num(f.matmul[n], 1)).join("")}${num(f.mlpStepMs, 2)}`,
  );
}
const ours = results.find(([n]) => n.startsWith("Gradbook wasm, 1"))?.[1];
if (ours) {
  console.log(
    "\nGradbook wasm (1 thread) relative to each (matmul n=512 speed ratio, MLP step speed ratio):",
  );
  for (const [name, f] of results.filter(([n]) => !n.startsWith("Gradbook"))) {
    console.log(
      `  vs ${pad(name, nameWidth)} ${(ours.matmul[512] / f.matmul[512]).toFixed(2)}x   ${(f.mlpStepMs / ours.mlpStepMs).toFixed(2)}x`,
    );
  }
}
// The wasm workers are unref'd, but tfjs and jax-js may keep handles open.
process.exit(0);
