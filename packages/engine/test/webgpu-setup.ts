/**
 * Make webgpu the default device in Node: Dawn from the `webgpu` package, on a real GPU's
 * Vulkan driver or, without one, Chromium's SwiftShader (Debian's chromium package).
 */

import { existsSync } from "node:fs";
import type { WebGpuBackend } from "@gradbook/kernels";
import { create } from "webgpu";
import { getBackend } from "../src/device.js";
import * as torch from "../src/index.js";

const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";

/** Load the webgpu backend and make it the default device; returns it. */
export async function useWebGpu(): Promise<WebGpuBackend> {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  await torch.init({ device: "webgpu", webgpu: { gpu: create([]) } });
  return getBackend("webgpu") as WebGpuBackend;
}
