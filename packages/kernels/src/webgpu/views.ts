/**
 * Host-side view analysis: elementwise kernels index their operands through strides, so
 * dimensions are first collapsed (size-1 dims dropped, mergeable neighbours fused) to keep the
 * per-element index arithmetic, and the number of distinct shaders, small.
 */

import type { View } from "../backend.js";

/** How a kernel reads an operand: element i at offset + i, everything at offset, or strided. */
export type Access = "contiguous" | "scalar" | "strided";

export interface CollapsedViews {
  shape: number[];
  /** strides[v][d] for view v. */
  strides: number[][];
  offsets: number[];
  access: Access[];
}

/** Collapse views that share one shape into the fewest dims that index them all. */
export function collapseViews(views: readonly View[]): CollapsedViews {
  const shape0 = views[0].shape;
  const shape: number[] = [];
  const strides: number[][] = views.map(() => []);
  for (let d = 0; d < shape0.length; d++) {
    const len = shape0[d];
    if (len === 1) continue;
    const last = shape.length - 1;
    // Dim d folds into the previous kept dim when, for every view, stepping the previous dim
    // once equals stepping dim d `len` times.
    const mergeable = last >= 0 && views.every((v, k) => strides[k][last] === v.strides[d] * len);
    if (mergeable) {
      shape[last] *= len;
      views.forEach((v, k) => {
        strides[k][last] = v.strides[d];
      });
    } else {
      shape.push(len);
      views.forEach((v, k) => {
        strides[k].push(v.strides[d]);
      });
    }
  }
  const access = strides.map((s) => accessOf(shape, s));
  return { shape, strides, offsets: views.map((v) => v.offset), access };
}

function accessOf(shape: readonly number[], strides: readonly number[]): Access {
  if (strides.every((s) => s === 0)) return "scalar";
  let expect = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (strides[d] !== expect) return "strided";
    expect *= shape[d];
  }
  return "contiguous";
}
