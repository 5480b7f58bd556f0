/**
 * The golden suites on the webgpu backend in Node: every op case (value and gradients) and every
 * training program of ../shared/golden must match PyTorch, read back asynchronously.
 */

import { beforeAll, describe, expect, test } from "vitest";
import * as torch from "../src/index.js";
import { expectClose, expectProgramMatches, readGolden, type Tolerance } from "./golden.js";
import { type Program, runProgram } from "./program.js";
import { type OpCase, runOpCase } from "./webgpu-golden-ops.js";
import { useWebGpu } from "./webgpu-setup.js";

const ops = readGolden<{ tolerance: Tolerance; cases: OpCase[] }>("ops.json");
const programs = readGolden<{ tolerance: Tolerance; programs: Program[] }>("programs.json");

beforeAll(async () => {
  await useWebGpu();
}, 60_000);

describe("PyTorch golden ops on webgpu", () => {
  test.each(ops.cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const r = await runOpCase(c);
    expectClose(r.out, c.out, ops.tolerance, `${c.name} output`);
    c.grads?.forEach((g, i) => {
      if (!g) return;
      expect(r.grads[i], `${c.name}: input ${i} got no gradient`).not.toBeNull();
      expectClose(r.grads[i]!, g, ops.tolerance, `${c.name} grad of input ${i}`);
    });
  });
});

describe("PyTorch golden programs on webgpu", () => {
  test.each(programs.programs.map((p) => [p.name, p] as const))("%s", async (_name, p) => {
    expect(torch.get_default_device()).toBe("webgpu");
    expectProgramMatches(p, await runProgram(p), programs.tolerance);
  });
});
