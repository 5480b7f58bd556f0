import { type Backend, JsBackend } from "@gradbook/kernels";

/**
 * Backends by device name. `js` is the reference; `wasm` and `webgpu` register themselves when
 * loaded. "cpu" names the best CPU backend available.
 */
const backends = new Map<string, Backend>();
let defaultDevice = "js";

export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

registerBackend(new JsBackend());

export function getBackend(device?: string): Backend {
  const name = device === undefined ? defaultDevice : device === "cpu" ? cpuDevice() : device;
  const backend = backends.get(name);
  if (!backend) {
    throw new Error(
      `Unknown device '${device}'. Available devices: ${[...backends.keys()].join(", ")}`,
    );
  }
  return backend;
}

function cpuDevice(): string {
  return backends.has("wasm") ? "wasm" : "js";
}

/** Make new tensors live on `device` ("js", "wasm", "webgpu" or "cpu"). */
export function set_default_device(device: string): void {
  defaultDevice = getBackend(device).name;
}

export function get_default_device(): string {
  return defaultDevice;
}
