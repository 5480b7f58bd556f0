/**
 * gradcheck.test.ts on the webgpu backend. That suite reads synchronously, which a GPU can't,
 * so it runs on the mirror harness (webgpu-mirror.ts): every kernel runs on webgpu and on the
 * js oracle, and every value the suite reads is also read back from the GPU and compared.
 */

import { afterAll, afterEach, expect } from "vitest";
import { registerBackend } from "../src/device.js";
import * as torch from "../src/index.js";
import { MirrorBackend } from "./webgpu-mirror.js";
import { useWebGpu } from "./webgpu-setup.js";

const gpu = await useWebGpu();
const mirror = new MirrorBackend(gpu, { rtol: 1e-4, atol: 1e-5 });
registerBackend(mirror); // replaces "webgpu" by its mirrored self
await torch.set_default_device("webgpu");

afterEach(async () => {
  await mirror.verify();
});

afterAll(() => {
  expect(mirror.compared).toBeGreaterThan(1000); // the harness did compare GPU values
});

await import("./gradcheck.test.js");
