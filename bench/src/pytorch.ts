/** PyTorch CPU (one thread) through /usr/bin/python3, when torch is installed there. */

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Contender, Figures } from "./workloads.js";

const PYTHON = process.env.PYTHON ?? "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("../src/pytorch_bench.py", import.meta.url));

export function pytorchAvailable(): Promise<boolean> {
  if (!existsSync(PYTHON)) return Promise.resolve(false);
  return new Promise((resolve) => execFile(PYTHON, ["-c", "import torch"], (err) => resolve(!err)));
}

export const pytorch: Contender = {
  name: "PyTorch CPU, 1 thread",
  run() {
    return new Promise<Figures>((resolve, reject) => {
      execFile(PYTHON, [SCRIPT], { maxBuffer: 1 << 20 }, (err, stdout) => {
        if (err) reject(err);
        else resolve(JSON.parse(stdout) as Figures);
      });
    });
  },
};
