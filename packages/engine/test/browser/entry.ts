// Bundled for Chromium by browser.test.ts: the same program runner the Node tests use.
import { runProgram } from "../program.js";

(globalThis as unknown as { runProgram: typeof runProgram }).runProgram = runProgram;
