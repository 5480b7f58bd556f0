/** Loading ../shared/golden (PyTorch's reference values) and comparing results with them. */

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { GoldenTensor, Program, ProgramResult } from "./program.js";

export type { GoldenTensor };

export interface Tolerance {
  rtol: number;
  atol: number;
}

const SHARED =
  process.env.GRADBOOK_SHARED ?? fileURLToPath(new URL("../../../../shared/", import.meta.url));

export function readGolden<T>(file: string): T {
  return JSON.parse(readFileSync(`${SHARED}golden/${file}`, "utf8")) as T;
}

/** Every element within atol + rtol * |expected| (numpy's allclose), naming the first miss. */
export function expectClose(
  actual: { shape: readonly number[]; data: ArrayLike<number> },
  expected: { shape: number[]; data: number[] },
  tol: Tolerance,
  what: string,
): void {
  expect([...actual.shape], `${what}: shape`).toEqual(expected.shape);
  expected.data.forEach((e, i) => {
    const a = actual.data[i];
    if (!(Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e))) {
      expect.fail(
        `${what}: element ${i} is ${a}, PyTorch gives ${e} (rtol ${tol.rtol}, atol ${tol.atol})`,
      );
    }
  });
}

/** A program's whole run against PyTorch's: every loss, the final state_dict, the eval output. */
export function expectProgramMatches(p: Program, r: ProgramResult, tol: Tolerance): void {
  expectClose(
    { shape: [r.losses.length], data: r.losses },
    { shape: [p.expected.losses.length], data: p.expected.losses },
    tol,
    "losses",
  );
  expect(Object.keys(r.stateDict)).toEqual(Object.keys(p.expected.final_state_dict));
  for (const [k, v] of Object.entries(p.expected.final_state_dict))
    expectClose(r.stateDict[k], v, tol, `final ${k}`);
  expectClose(r.evalOutput, p.expected.eval_output, tol, "eval output");
}
