import {
  type Backend,
  createWasmBackend,
  JsBackend,
  type WasmBackendOptions,
  WebGpuBackend,
  type WebGpuOptions,
} from "@gradbook/kernels";

/**
 * Backends by device name. `js` is the reference and always loaded; `wasm` (and `webgpu`)
 * load asynchronously, because browsers compile WebAssembly (and open GPUs) asynchronously:
 * `await torch.init()` loads the fastest one and makes it the default. "cpu" names the best
 * CPU backend loaded.
 */
const backends = new Map<string, Backend>();
/** Asynchronous constructors of backends not loaded yet, by device name. */
const loaders = new Map<string, () => Promise<Backend>>();
const loading = new Map<string, Promise<Backend>>();
let defaultDevice = "js";
let wasmOptions: WasmBackendOptions = {};

export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/** Make `device` loadable by `set_default_device` / `init` (e.g. a GPU backend). */
export function registerBackendLoader(device: string, load: () => Promise<Backend>): void {
  loaders.set(device, load);
}

registerBackend(new JsBackend());
registerBackendLoader("wasm", () => createWasmBackend(wasmOptions));

let webgpuOptions: WebGpuOptions = {};
registerBackendLoader("webgpu", async () => {
  const backend = await WebGpuBackend.create(webgpuOptions);
  if (!backend) {
    throw new Error(
      "WebGPU is not available here (no navigator.gpu, or no GPU adapter): use the wasm or js device",
    );
  }
  return backend;
});

function resolveName(device: string): string {
  return device === "cpu" ? cpuDevice() : device;
}

export function getBackend(device?: string): Backend {
  const name = device === undefined ? defaultDevice : resolveName(device);
  const backend = backends.get(name);
  if (!backend) {
    if (loaders.has(name)) {
      throw new Error(
        `The ${name} backend is not loaded yet: \`await torch.init()\` (or \`await torch.set_default_device("${name}")\`) first.`,
      );
    }
    throw new Error(
      `Unknown device '${device}'. Available devices: ${[...new Set([...backends.keys(), ...loaders.keys()])].join(", ")}`,
    );
  }
  return backend;
}

function cpuDevice(): string {
  return backends.has("wasm") ? "wasm" : "js";
}

/** Load `device`'s backend once (later calls share the same promise). */
export function loadBackend(device: string): Promise<Backend> {
  const name = device === "cpu" ? "wasm" : device;
  const ready = backends.get(name);
  if (ready) return Promise.resolve(ready);
  const load = loaders.get(name);
  if (!load) return Promise.reject(new Error(`Unknown device '${device}'`));
  let pending = loading.get(name);
  if (!pending) {
    pending = load().then((backend) => {
      registerBackend(backend);
      return backend;
    });
    pending.catch(() => loading.delete(name));
    loading.set(name, pending);
  }
  return pending;
}

/**
 * Make new tensors live on `device` ("js", "wasm", "webgpu" or "cpu"). A loaded device switches
 * at once; one that must load first (wasm compiles asynchronously) switches when the returned
 * promise resolves, so `await torch.set_default_device("wasm")`.
 */
export function set_default_device(device: string): Promise<void> {
  const name = resolveName(device);
  if (backends.has(name)) {
    defaultDevice = name;
    return Promise.resolve();
  }
  if (!loaders.has(name) && device !== "cpu") getBackend(device); // throws: unknown device
  return loadBackend(device).then((backend) => {
    defaultDevice = backend.name;
  });
}

export function get_default_device(): string {
  return defaultDevice;
}

/** Devices to try in `init()`, fastest first. */
const PREFERENCE = ["webgpu", "wasm"];

/**
 * Load the fastest backend this machine has (WebGPU where present, else WebAssembly) and make
 * it the default; returns its name. Falls back to js if none loads. `threads` sets the wasm
 * backend's worker threads (it needs SharedArrayBuffer: Node, or a cross-origin isolated page).
 * In Node, `webgpu: { gpu: create([]) }` (from the `webgpu` package) enables the GPU backend.
 */
export async function init(
  options: { device?: string; threads?: number; webgpu?: WebGpuOptions } = {},
): Promise<string> {
  if (options.threads !== undefined) wasmOptions = { ...wasmOptions, threads: options.threads };
  // `webgpu.gpu` supplies WebGPU where there is no navigator.gpu (in Node: the `webgpu` package).
  if (options.webgpu) webgpuOptions = options.webgpu;
  const candidates = options.device ? [options.device] : PREFERENCE.filter((d) => loaders.has(d));
  for (const device of candidates) {
    try {
      await set_default_device(device);
      return defaultDevice;
    } catch (e) {
      if (options.device) throw e;
    }
  }
  return defaultDevice;
}
