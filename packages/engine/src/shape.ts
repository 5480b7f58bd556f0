/** Shape arithmetic shared by the ops: broadcasting, dims, reshape inference. */

export type Shape = readonly number[];

export function shapeStr(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** PyTorch's broadcasting: align right; sizes must match or be 1. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** A dim in [-ndim, ndim) as a non-negative index, with PyTorch's error otherwise. */
export function normalizeDim(dim: number, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    throw new RangeError(
      `Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`,
    );
  }
  return dim < 0 ? dim + n : dim;
}

export function normalizeDims(
  dims: number | readonly number[] | null | undefined,
  ndim: number,
): number[] {
  if (dims === null || dims === undefined) return [...Array(ndim).keys()];
  const list = typeof dims === "number" ? [dims] : [...dims];
  const out = list.map((d) => normalizeDim(d, ndim));
  if (new Set(out).size !== out.length) {
    throw new Error(`dim ${list.join(", ")} appears multiple times in the list of dims`);
  }
  // A 0-d tensor accepts dim 0 / -1 (as PyTorch), but has no dim to reduce.
  if (ndim === 0) return [];
  return out.sort((x, y) => x - y);
}

/** Resolve one -1 in a requested shape, checking the element count. */
export function inferShape(shape: readonly number[], numel: number): number[] {
  let unknown = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (unknown >= 0) throw new Error("only one dimension can be inferred");
      unknown = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new Error(`invalid shape dimension ${d}`);
    } else known *= d;
  });
  const out = [...shape];
  if (unknown >= 0) {
    if (known === 0 || numel % known !== 0) {
      throw new Error(`shape '${shapeStr(shape)}' is invalid for input of size ${numel}`);
    }
    out[unknown] = numel / known;
  } else if (known !== numel) {
    throw new Error(`shape '${shapeStr(shape)}' is invalid for input of size ${numel}`);
  }
  return out;
}

/** Accept `f(2, 3)`, `f([2, 3])` the way PyTorch's size arguments do. */
export function sizeArgs(args: readonly (number | readonly number[])[]): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return [...(args[0] as readonly number[])];
  return args.map((a) => {
    if (typeof a !== "number") throw new TypeError("size must be numbers or one array of numbers");
    return a;
  });
}

/**
 * The strides that view memory laid out as (`shape`, `strides`) with `newShape`, or null when
 * no view can (PyTorch's computeStride): dims may be split or merged only where they are
 * contiguous with each other.
 */
export function viewStrides(
  shape: Shape,
  strides: readonly number[],
  newShape: Shape,
): number[] | null {
  const numel = shape.reduce((p, d) => p * d, 1);
  const newStrides = new Array<number>(newShape.length);
  if (numel === 0 || shape.length === 0) {
    // Nothing to keep in place: any contiguous layout will do.
    let s = 1;
    for (let i = newShape.length - 1; i >= 0; i--) {
      newStrides[i] = s;
      s *= Math.max(newShape[i], 1);
    }
    return newStrides;
  }
  let viewD = newShape.length - 1;
  let chunkBaseStride = strides[strides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let tensorD = shape.length - 1; tensorD >= 0; tensorD--) {
    tensorNumel *= shape[tensorD];
    // A chunk ends where the next outer dim is not contiguous with this one.
    if (
      tensorD === 0 ||
      (shape[tensorD - 1] !== 1 && strides[tensorD - 1] !== tensorNumel * chunkBaseStride)
    ) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (tensorD > 0) {
        chunkBaseStride = strides[tensorD - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : null;
}
