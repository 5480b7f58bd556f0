/** Merging views' dims before a strided kernel walks them. */

import type { View } from "../backend.js";
import type { ViewTable } from "./runtime.js";

/**
 * The same walk over fewer dims: size-1 dims dropped, and neighbours merged wherever every view
 * steps through them as through one longer dim. A contiguous view becomes a single row.
 */
export function mergeViews(shape: readonly number[], views: readonly View[]): ViewTable {
  const dims: number[] = [];
  const strides: number[][] = views.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = dims.length - 1;
    const mergeable =
      last >= 0 && views.every((v, k) => strides[k][last] === v.strides[d] * shape[d]);
    if (mergeable) {
      dims[last] *= shape[d];
      views.forEach((v, k) => {
        strides[k][last] = v.strides[d];
      });
    } else {
      dims.push(shape[d]);
      views.forEach((v, k) => {
        strides[k].push(v.strides[d]);
      });
    }
  }
  return { shape: dims, offsets: views.map((v) => v.offset), strides };
}
