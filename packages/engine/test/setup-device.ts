// Runs a suite on another device: GRADBOOK_DEVICE=wasm makes it the default before any test.
import * as torch from "../src/index.js";

const device = process.env.GRADBOOK_DEVICE;
if (device) await torch.set_default_device(device);
