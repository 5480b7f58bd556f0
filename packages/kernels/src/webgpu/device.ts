/**
 * Getting a WebGPU device, and noticing when it fails: device loss, out-of-memory and
 * validation errors arrive asynchronously, so they are recorded here and raised by the next
 * kernel call or read instead of leaving a student waiting on a result that never comes.
 */

export interface OpenedDevice {
  device: GPUDevice;
  /**
   * The objects the device came from. Kept referenced by the backend: Dawn in Node destroys
   * its instance when the GPU object is garbage collected, crashing the device still in use.
   */
  origin: { gpu: GPU; adapter: GPUAdapter };
  /** "vendor architecture (description)" as far as the adapter tells. */
  adapterName: string;
  /** A CPU implementation (SwiftShader, llvmpipe): kernels avoid workgroup barriers there. */
  software: boolean;
}

/** The limits kernels plan around, requested at the adapter's maximum. */
const WANTED_LIMITS = [
  "maxStorageBufferBindingSize",
  "maxBufferSize",
  "maxComputeWorkgroupStorageSize",
  "maxComputeInvocationsPerWorkgroup",
  "maxComputeWorkgroupSizeX",
  "maxComputeWorkgroupsPerDimension",
  "maxStorageBuffersPerShaderStage",
] as const;

/** The default GPU object: `navigator.gpu` where the browser has one. */
export function defaultGpu(): GPU | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu;
}

/** A device at the adapter's limits, or null when there is no adapter. */
export async function openDevice(
  gpu: GPU,
  powerPreference: GPUPowerPreference = "high-performance",
): Promise<OpenedDevice | null> {
  const adapter = await gpu.requestAdapter({ powerPreference });
  if (!adapter) return null;
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const device = await adapter.requestDevice({ requiredLimits });
  const info = adapter.info;
  const parts = [info.vendor, info.architecture].filter((s) => s);
  const name = parts.join(" ") || "unknown adapter";
  const described = `${info.vendor} ${info.architecture} ${info.description}`;
  return {
    device,
    origin: { gpu, adapter },
    software:
      info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|software/i.test(described),
    adapterName: info.description ? `${name} (${info.description})` : name,
  };
}

/** Collects the asynchronous failures of one device. */
export class GpuHealth {
  #lost: string | null = null;
  #error: string | null = null;
  /** Whether #error came from an error scope (the cause) rather than uncaptured (a symptom). */
  #errorIsCause = false;
  #pending = new Set<Promise<unknown>>();

  constructor(device: GPUDevice) {
    device.lost.then((info) => {
      this.#lost =
        info.reason === "destroyed"
          ? "the webgpu backend was shut down (its device was destroyed)"
          : `the GPU device was lost (${info.message || "no reason given"}); tensors on 'webgpu' are gone, reload the page to start again`;
    });
    device.addEventListener("uncapturederror", (event) => {
      const e = (event as GPUUncapturedErrorEvent).error;
      this.report(`a GPU command failed: ${e.message}`);
    });
  }

  get lost(): string | null {
    return this.#lost;
  }

  /**
   * Remember the first failure until the next check raises it. A `cause` (caught by an error
   * scope, e.g. a kernel that failed to compile) replaces an uncaptured error, which is usually
   * its consequence ("... is invalid due to a previous error").
   */
  report(message: string, cause = false): void {
    if (this.#error && (this.#errorIsCause || !cause)) return;
    this.#error = message;
    this.#errorIsCause = cause;
  }

  /** Follow an error scope's result; `settled()` waits for it. */
  track(scope: Promise<GPUError | null>, message: (e: GPUError) => string): void {
    const p = scope.then((e) => {
      if (e) this.report(message(e), true);
    });
    this.#pending.add(p);
    p.finally(() => this.#pending.delete(p));
  }

  /** Wait until every tracked error scope has resolved. */
  async settled(): Promise<void> {
    await Promise.all(this.#pending);
  }

  /** Throw if the device is lost or an earlier command failed (each failure is raised once). */
  check(): void {
    if (this.#lost) throw new Error(`webgpu: ${this.#lost}`);
    const e = this.#error;
    if (e) {
      this.#error = null;
      this.#errorIsCause = false;
      throw new Error(`webgpu: ${e}`);
    }
  }
}
