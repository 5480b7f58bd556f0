// The bench page's script: runs on load, shows the table, and leaves the result on `window`
// for the Node launcher (main.ts).
import { formatTable, runWebGpuBench, type WebGpuBenchResult } from "./page.js";

const out = document.createElement("pre");
document.body.append(out);
const log = (line: string) => {
  out.textContent += `${line}\n`;
};
const w = window as unknown as { benchResult?: WebGpuBenchResult; benchError?: string };
// `bench.html#jax,tensorflow` runs only the libraries whose names contain those words.
const only = decodeURIComponent(location.hash.slice(1))
  .split(",")
  .filter((s) => s);
runWebGpuBench(log, only).then(
  (r) => {
    out.textContent = formatTable(r);
    w.benchResult = r;
  },
  (e: unknown) => {
    w.benchError = e instanceof Error ? e.message : String(e);
    log(`failed: ${w.benchError}`);
  },
);
