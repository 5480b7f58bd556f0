// Bundled for Chromium by browser-wasm.test.ts: the golden program runner on the wasm backend.
import { createWasmBackend } from "@gradbook/kernels";
import * as torch from "../../src/index.js";
import { type Program, type ProgramResult, runProgram } from "../program.js";

/** Load a wasm backend with `threads` and make it the default; returns the threads it got. */
async function useWasm(threads: number): Promise<number> {
  const backend = await createWasmBackend({ threads });
  torch.registerBackend(backend);
  await torch.set_default_device("wasm");
  return backend.threads;
}

async function runProgramOnWasm(p: Program): Promise<ProgramResult> {
  if (torch.get_default_device() !== "wasm") await useWasm(1);
  return runProgram(p);
}

Object.assign(globalThis, { runProgramOnWasm, useWasm });
