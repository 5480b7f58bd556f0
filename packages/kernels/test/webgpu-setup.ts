/**
 * A webgpu backend in Node: Dawn from the `webgpu` package. Without a GPU, Chromium's
 * SwiftShader Vulkan driver (Debian's chromium package) serves as a software adapter.
 */

import { existsSync } from "node:fs";
import { create } from "webgpu";
import { WebGpuBackend } from "../src/index.js";

const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";

let backend: Promise<WebGpuBackend> | null = null;

/**
 * One backend per test file (creating devices is slow); `fresh` for a separate one, and
 * `softwareKernels` to choose the kernels for software or hardware adapters.
 */
export function nodeWebGpu(
  options: { fresh?: boolean; softwareKernels?: boolean } = {},
): Promise<WebGpuBackend> {
  if (options.fresh || options.softwareKernels !== undefined) return open(options.softwareKernels);
  backend ??= open();
  return backend;
}

async function open(softwareKernels?: boolean): Promise<WebGpuBackend> {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  const be = await WebGpuBackend.create({ gpu: create([]), softwareKernels });
  if (!be) {
    throw new Error(
      "No WebGPU adapter in Node: install libvulkan1 and chromium (its SwiftShader driver), or point VK_ICD_FILENAMES at a Vulkan driver",
    );
  }
  return be;
}
