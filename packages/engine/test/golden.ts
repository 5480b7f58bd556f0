/** Loading ../shared/golden (PyTorch's reference values) and comparing engine output with it. */

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import * as torch from "../src/index.js";

export interface GoldenTensor {
  shape: number[];
  dtype: "float32" | "int64";
  data: number[];
  requires_grad?: boolean;
}

export interface Tolerance {
  rtol: number;
  atol: number;
}

const SHARED = process.env.GRADBOOK_SHARED ?? fileURLToPath(new URL("../../../../shared/", import.meta.url));

export function readGolden<T>(file: string): T {
  return JSON.parse(readFileSync(`${SHARED}golden/${file}`, "utf8")) as T;
}

export function toTensor(g: GoldenTensor, requiresGrad = false): torch.Tensor {
  return torch.tensor(g.data, { dtype: g.dtype, requires_grad: requiresGrad }).reshape(g.shape);
}

/** Every element within atol + rtol * |expected| (numpy's allclose), with a message naming the first miss. */
export function expectClose(actual: torch.Tensor, expected: GoldenTensor, tol: Tolerance, what: string): void {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  const got = actual.dataSync();
  expected.data.forEach((e, i) => {
    const a = got[i];
    if (!(Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e))) {
      expect.fail(`${what}: element ${i} is ${a}, PyTorch gives ${e} (rtol ${tol.rtol}, atol ${tol.atol})`);
    }
  });
}
