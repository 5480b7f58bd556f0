/**
 * Every program of ../shared/golden/programs.json, run as a student writes it: the loss of
 * every step, the final state_dict and the eval outputs must match PyTorch's.
 */

import { describe, test } from "vitest";
import { expectProgramMatches, readGolden, type Tolerance } from "./golden.js";
import { type Program, runProgram } from "./program.js";

const golden = readGolden<{ tolerance: Tolerance; programs: Program[] }>("programs.json");

describe("PyTorch golden programs", () => {
  test.each(golden.programs.map((p) => [p.name, p] as const))("%s", async (_name, p) => {
    expectProgramMatches(p, await runProgram(p), golden.tolerance);
  });
});
