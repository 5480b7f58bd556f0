// Bundled for Chromium by webgpu-browser.test.ts: the golden runners and the gradcheck suite on
// the page's own WebGPU adapter. `vitest` is replaced by webgpu-vitest-shim.ts in this bundle.
import type { WebGpuBackend } from "@gradbook/kernels";
import { getBackend, registerBackend } from "../../src/device.js";
import * as torch from "../../src/index.js";
import { runProgram } from "../program.js";
import { runOpCase } from "../webgpu-golden-ops.js";
import { MirrorBackend } from "../webgpu-mirror.js";
import { runCollected } from "./webgpu-vitest-shim.js";

const page = {
  /** Make webgpu the default device; returns the adapter's name. */
  async init(): Promise<string> {
    const device = await torch.init({ device: "webgpu" });
    if (device !== "webgpu") throw new Error(`torch.init() chose ${device}`);
    return (getBackend("webgpu") as WebGpuBackend).adapter;
  },
  runProgram,
  runOpCase,
  /** gradcheck.test.ts on the mirror harness (see webgpu-mirror.ts). */
  async gradcheck() {
    const gpu = getBackend("webgpu");
    const mirror = new MirrorBackend(gpu, { rtol: 1e-4, atol: 1e-5 });
    registerBackend(mirror);
    await import("../gradcheck.test.js");
    const { afterEach } = await import("./webgpu-vitest-shim.js");
    afterEach(() => mirror.verify());
    const results = await runCollected();
    registerBackend(gpu);
    return { results, compared: mirror.compared };
  },
};

(globalThis as unknown as { gradbook: typeof page }).gradbook = page;
