/**
 * The sandbox page's script (bundled by scripts/build-assets.mjs): runs a notebook sent by the
 * app shell, in an iframe with an opaque origin, and reports its layout and cell statuses back.
 */
import "@gradbook/notebook/styles.css";
import "@gradbook/lessons/styles.css";
import "./sandbox.css";
import * as torch from "@gradbook/engine";
import type { DeviceChoice } from "../protocol";
import { notebookBuiltins } from "./builtins";
import { Grading } from "./grading";
import { ModelRequests } from "./models-builtin";
import { SandboxNotebook } from "./sandbox-notebook";
import { ShellChannel } from "./shell-channel";

const channel = new ShellChannel();
const models = new ModelRequests(channel);
// Load the fastest backend (WebGPU, else WebAssembly with threads) while the shell sends the
// notebook; cells start once it is ready. If none loads, cells run on the reference backend.
const fastest = torch.init().catch(() => torch.get_default_device());
const engine = {
  builtins: notebookBuiltins(models),
  async start(device: DeviceChoice): Promise<string> {
    await fastest;
    if (device !== "auto") {
      // A device the machine lacks (no WebGPU) leaves the fastest one in place.
      await torch.set_default_device(device).catch(() => {});
    }
    return torch.get_default_device();
  },
};
const root = document.getElementById("notebook");
if (!root) throw new Error("the sandbox page has no #notebook element");
const grading = new Grading(channel, engine);
const notebook = new SandboxNotebook(root, channel, {
  ...engine,
  lessonOptions: () => grading.sessionOptions(),
});
channel.listen((message) => {
  if (!models.handle(message) && !grading.handle(message)) notebook.handle(message);
});
channel.forwardShortcuts();
channel.post({
  type: "ready",
  capabilities: {
    crossOriginIsolated: self.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === "function",
    webgpu: "gpu" in navigator,
  },
});
