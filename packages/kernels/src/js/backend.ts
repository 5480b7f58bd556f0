/**
 * The reference backend: plain TypeScript on typed arrays, run eagerly on the calling thread.
 *
 * It is the oracle every other backend is tested against, so it favours clarity and accuracy
 * (float64 accumulation everywhere) over speed; only the common contiguous cases get fast
 * paths. All shape logic lives in the engine: kernels see sizes and strides only.
 */

import {
  type AdamStepParams,
  type AnyTypedArray,
  adamScalars,
  type Backend,
  type BackendBuffer,
  type BinaryOp,
  BYTES_PER_ELEMENT,
  COMPARISON_OPS,
  type Conv2dGeometry,
  convOutputSize,
  type DType,
  dtypeOfArray,
  type MatmulParams,
  type MemoryInfo,
  type RandomDistribution,
  type ReduceOp,
  type RmspropStepParams,
  rmspropScalars,
  type SgdStepParams,
  sgdScalars,
  sizeOf,
  typedArrayFor,
  type UnaryOp,
  type View,
} from "../backend.js";
import {
  checkExtent,
  checkSameShape,
  checkScalar,
  checkSize,
  checkUpdateBuffers,
  checkView,
} from "../checks.js";
import { counterWords, normalFromWords, philox4x32, uniformFromWord } from "../philox.js";
import { binaryFn, unaryFn } from "./math.js";

/** A js buffer: a typed array plus the bookkeeping needed to catch use after free. */
export class JsBuffer implements BackendBuffer {
  readonly dtype: DType;
  readonly size: number;
  freed = false;
  #data: AnyTypedArray;

  constructor(data: AnyTypedArray) {
    this.#data = data;
    this.dtype = dtypeOfArray(data);
    this.size = data.length;
  }

  /** The backing array; throws once the buffer has been freed. */
  get data(): AnyTypedArray {
    if (this.freed) throw new Error(`js backend: ${this.dtype} buffer used after free`);
    return this.#data;
  }

  /** Mark freed and drop the array so its memory can be reclaimed even if the handle lives on. */
  release(): void {
    this.freed = true;
    this.#data = new Float32Array(0);
  }
}

export class JsBackend implements Backend {
  readonly name = "js";
  readonly syncReadback = true;

  #buffers = 0;
  #bytes = 0;

  // ---------------------------------------------------------------- memory

  alloc(dtype: DType, size: number): BackendBuffer {
    checkSize(size, "alloc");
    return this.#wrap(typedArrayFor(dtype, size));
  }

  upload(data: AnyTypedArray): BackendBuffer {
    // slice() copies, so later writes by the caller don't reach the buffer.
    return this.#wrap(data.slice());
  }

  read(buf: BackendBuffer): Promise<AnyTypedArray> {
    try {
      return Promise.resolve(this.readSync(buf));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  readSync(buf: BackendBuffer): AnyTypedArray {
    return data(buf).slice();
  }

  /** Freeing an already-freed buffer is a no-op, so counts can never go negative. */
  free(buf: BackendBuffer): void {
    const b = asJs(buf);
    if (b.freed) return;
    b.release();
    this.#buffers--;
    this.#bytes -= b.size * BYTES_PER_ELEMENT[b.dtype];
  }

  memory(): MemoryInfo {
    return { buffers: this.#buffers, bytes: this.#bytes };
  }

  /** Every buffer the backend hands out goes through here, so the accounting stays exact. */
  #wrap(arr: AnyTypedArray): JsBuffer {
    const b = new JsBuffer(arr);
    this.#buffers++;
    this.#bytes += b.size * BYTES_PER_ELEMENT[b.dtype];
    return b;
  }

  // ---------------------------------------------------------------- elementwise

  fill(dtype: DType, size: number, value: number): BackendBuffer {
    checkSize(size, "fill");
    const out = typedArrayFor(dtype, size);
    out.fill(dtype === "bool" ? toBool(value) : value);
    return this.#wrap(out);
  }

  cast(x: BackendBuffer, dtype: DType): BackendBuffer {
    const xd = data(x);
    const out = typedArrayFor(dtype, xd.length);
    if (dtype === "bool") {
      for (let i = 0; i < xd.length; i++) out[i] = toBool(xd[i]);
    } else {
      // Storing into an Int32Array truncates toward zero (as PyTorch does); NaN becomes 0.
      out.set(xd);
    }
    return this.#wrap(out);
  }

  copy(x: BackendBuffer, view: View): BackendBuffer {
    const xd = data(x);
    checkView(view, xd.length, "copy");
    const n = sizeOf(view.shape);
    const kind = viewKind(view);
    if (kind === "contiguous") return this.#wrap(xd.slice(view.offset, view.offset + n));
    const out = typedArrayFor(x.dtype, n);
    if (kind === "scalar") {
      if (n > 0) out.fill(xd[view.offset]);
      return this.#wrap(out);
    }
    walk(view.shape, [view], (i, o) => {
      out[i] = xd[o[0]];
    });
    return this.#wrap(out);
  }

  writeView(dst: BackendBuffer, src: BackendBuffer, view: View): void {
    const dd = data(dst);
    const sd = data(src);
    checkView(view, dd.length, "writeView");
    const n = sizeOf(view.shape);
    if (sd.length !== n) {
      throw new Error(`writeView: src has ${sd.length} elements, view shape needs ${n}`);
    }
    if (dst.dtype === "bool" && src.dtype !== "bool") {
      walk(view.shape, [view], (i, o) => {
        dd[o[0]] = toBool(sd[i]);
      });
    } else if (viewKind(view) === "contiguous") {
      dd.set(sd, view.offset);
    } else {
      walk(view.shape, [view], (i, o) => {
        dd[o[0]] = sd[i];
      });
    }
  }

  unary(op: UnaryOp, x: BackendBuffer, params: readonly number[] = []): BackendBuffer {
    const xd = data(x);
    const f = unaryFn(op, params);
    // Computed in float64; the store into the output array rounds (float32) or truncates.
    const out = typedArrayFor(op === "logical_not" ? "bool" : x.dtype, xd.length);
    for (let i = 0; i < xd.length; i++) out[i] = f(xd[i]);
    return this.#wrap(out);
  }

  binary(op: BinaryOp, a: BackendBuffer, av: View, b: BackendBuffer, bv: View): BackendBuffer {
    const ad = data(a);
    const bd = data(b);
    checkView(av, ad.length, "binary a");
    checkView(bv, bd.length, "binary b");
    checkSameShape(av.shape, bv.shape, "binary");
    const f = binaryFn(op);
    const n = sizeOf(av.shape);
    const out = typedArrayFor(COMPARISON_OPS.has(op) ? "bool" : a.dtype, n);
    const ak = viewKind(av);
    const bk = viewKind(bv);
    if (ak !== "strided" && bk !== "strided") {
      // Fast path: each input is either contiguous or a single broadcast scalar.
      const ao = av.offset;
      const bo = bv.offset;
      if (ak === "contiguous" && bk === "contiguous") {
        for (let i = 0; i < n; i++) out[i] = f(ad[ao + i], bd[bo + i]);
      } else if (ak === "contiguous") {
        const s = n > 0 ? bd[bo] : 0;
        for (let i = 0; i < n; i++) out[i] = f(ad[ao + i], s);
      } else if (bk === "contiguous") {
        const s = n > 0 ? ad[ao] : 0;
        for (let i = 0; i < n; i++) out[i] = f(s, bd[bo + i]);
      } else if (n > 0) {
        out.fill(f(ad[ao], bd[bo]));
      }
    } else {
      walk(av.shape, [av, bv], (i, o) => {
        out[i] = f(ad[o[0]], bd[o[1]]);
      });
    }
    return this.#wrap(out);
  }

  binaryScalar(op: BinaryOp, a: BackendBuffer, s: number, scalarFirst: boolean): BackendBuffer {
    checkScalar(s, "binaryScalar");
    const ad = data(a);
    const f = binaryFn(op);
    const out = typedArrayFor(COMPARISON_OPS.has(op) ? "bool" : a.dtype, ad.length);
    if (scalarFirst) {
      for (let i = 0; i < ad.length; i++) out[i] = f(s, ad[i]);
    } else {
      for (let i = 0; i < ad.length; i++) out[i] = f(ad[i], s);
    }
    return this.#wrap(out);
  }

  where(
    cond: BackendBuffer,
    cv: View,
    a: BackendBuffer,
    av: View,
    b: BackendBuffer,
    bv: View,
  ): BackendBuffer {
    const cd = data(cond);
    const ad = data(a);
    const bd = data(b);
    checkView(cv, cd.length, "where cond");
    checkView(av, ad.length, "where a");
    checkView(bv, bd.length, "where b");
    checkSameShape(cv.shape, av.shape, "where");
    checkSameShape(cv.shape, bv.shape, "where");
    const out = typedArrayFor(a.dtype, sizeOf(cv.shape));
    // Any nonzero condition (including NaN) selects a, as in PyTorch's bool conversion.
    walk(cv.shape, [cv, av, bv], (i, o) => {
      out[i] = cd[o[0]] !== 0 ? ad[o[1]] : bd[o[2]];
    });
    return this.#wrap(out);
  }

  // ---------------------------------------------------------------- fused optimizer updates
  // Each float32 operation rounds (fround), so the result is what the unfused ops would store.

  adamStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    expAvg: BackendBuffer,
    expAvgSq: BackendBuffer,
    maxExpAvgSq: BackendBuffer | null,
    p: AdamStepParams,
  ): void {
    checkUpdateBuffers("adamStep", [param, grad, expAvg, expAvgSq, maxExpAvgSq]);
    const [pd, gd, md, vd] = [param, grad, expAvg, expAvgSq].map(data);
    const xd = maxExpAvgSq ? data(maxExpAvgSq) : null;
    const [sign, addDecay, wd, decay, b1, c1, b2, c2, bc2, eps, negStep] = adamScalars(p).map(fr);
    for (let i = 0; i < pd.length; i++) {
      let g = sign * gd[i];
      let w = pd[i];
      if (addDecay) g = fr(g + fr(wd * w));
      w = fr(w * decay);
      const m = fr(fr(md[i] * b1) + fr(c1 * g));
      const v = fr(fr(vd[i] * b2) + fr(fr(c2 * g) * g));
      md[i] = m;
      vd[i] = v;
      let second = v;
      if (xd) {
        const prev = xd[i];
        second = Number.isNaN(prev) || Number.isNaN(v) ? NaN : prev > v ? prev : v;
        xd[i] = second;
      }
      const denom = fr(fr(fr(Math.sqrt(second)) / bc2) + eps);
      pd[i] = fr(w + fr(fr(negStep * m) / denom));
    }
  }

  sgdStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    momentumBuffer: BackendBuffer | null,
    p: SgdStepParams,
  ): void {
    checkUpdateBuffers("sgdStep", [param, grad, momentumBuffer]);
    const [pd, gd] = [data(param), data(grad)];
    const bd = momentumBuffer ? data(momentumBuffer) : null;
    const [sign, addDecay, wd, first, momentum, c, nesterov, negLr] = sgdScalars(p).map(fr);
    for (let i = 0; i < pd.length; i++) {
      const w = pd[i];
      let g = sign * gd[i];
      if (addDecay) g = fr(g + fr(wd * w));
      if (bd) {
        const b = first ? g : fr(fr(bd[i] * momentum) + fr(c * g));
        bd[i] = b;
        g = nesterov ? fr(g + fr(momentum * b)) : b;
      }
      pd[i] = fr(w + fr(negLr * g));
    }
  }

  rmspropStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    squareAvg: BackendBuffer,
    gradAvg: BackendBuffer | null,
    momentumBuffer: BackendBuffer | null,
    p: RmspropStepParams,
  ): void {
    checkUpdateBuffers("rmspropStep", [param, grad, squareAvg, gradAvg, momentumBuffer]);
    const [pd, gd, sd] = [param, grad, squareAvg].map(data);
    const ad = gradAvg ? data(gradAvg) : null;
    const bd = momentumBuffer ? data(momentumBuffer) : null;
    const [sign, addDecay, wd, alpha, c, eps, momentum, negLr] = rmspropScalars(p).map(fr);
    for (let i = 0; i < pd.length; i++) {
      const w = pd[i];
      let g = sign * gd[i];
      if (addDecay) g = fr(g + fr(wd * w));
      const s = fr(fr(sd[i] * alpha) + fr(fr(c * g) * g));
      sd[i] = s;
      let centered = s;
      if (ad) {
        const a = fr(fr(ad[i] * alpha) + fr(c * g));
        ad[i] = a;
        centered = fr(s - fr(a * a));
      }
      const avg = fr(fr(Math.sqrt(centered)) + eps);
      if (bd) {
        const b = fr(fr(bd[i] * momentum) + fr(g / avg));
        bd[i] = b;
        pd[i] = fr(w + fr(negLr * b));
      } else {
        pd[i] = fr(w + fr(fr(negLr * g) / avg));
      }
    }
  }

  // ---------------------------------------------------------------- reductions

  reduce(
    op: ReduceOp,
    x: BackendBuffer,
    outer: number,
    size: number,
    inner: number,
  ): BackendBuffer {
    const xd = data(x);
    checkExtent(xd.length, outer * size * inner, "reduce");
    if (size === 0 && op !== "sum" && op !== "prod") {
      throw new Error(`reduce: ${op} of an empty dimension (size 0) has no identity`);
    }
    const isArg = op === "argmax" || op === "argmin";
    const out = typedArrayFor(isArg ? "int32" : x.dtype, outer * inner);
    // Accumulate a whole [inner] row at a time so the innermost loop reads memory in order.
    const acc = new Float64Array(inner);
    const arg = new Int32Array(inner);
    for (let o = 0; o < outer; o++) {
      const base = o * size * inner;
      if (op === "sum") acc.fill(0);
      else if (op === "prod") acc.fill(1);
      else {
        for (let i = 0; i < inner; i++) acc[i] = xd[base + i];
        arg.fill(0);
      }
      const first = op === "sum" || op === "prod" ? 0 : 1;
      for (let s = first; s < size; s++) {
        const row = base + s * inner;
        switch (op) {
          case "sum":
            for (let i = 0; i < inner; i++) acc[i] += xd[row + i];
            break;
          case "prod":
            for (let i = 0; i < inner; i++) acc[i] *= xd[row + i];
            break;
          case "max":
          case "argmax":
            // NaN is the largest value (PyTorch); only a strictly larger value moves the
            // argument, so ties and repeated NaNs keep the first occurrence.
            for (let i = 0; i < inner; i++) {
              const v = xd[row + i];
              const a = acc[i];
              if (v > a || (Number.isNaN(v) && !Number.isNaN(a))) {
                acc[i] = v;
                arg[i] = s;
              }
            }
            break;
          case "min":
          case "argmin":
            for (let i = 0; i < inner; i++) {
              const v = xd[row + i];
              const a = acc[i];
              if (v < a || (Number.isNaN(v) && !Number.isNaN(a))) {
                acc[i] = v;
                arg[i] = s;
              }
            }
            break;
        }
      }
      const dst = o * inner;
      if (isArg) out.set(arg, dst);
      else for (let i = 0; i < inner; i++) out[dst + i] = acc[i];
    }
    return this.#wrap(out);
  }

  softmax(
    x: BackendBuffer,
    outer: number,
    size: number,
    inner: number,
    log: boolean,
  ): BackendBuffer {
    const xd = data(x);
    checkExtent(xd.length, outer * size * inner, "softmax");
    const out = new Float32Array(outer * size * inner);
    const max = new Float64Array(inner);
    const sum = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      const base = o * size * inner;
      // Subtracting the max keeps exp() from overflowing; a NaN max makes the row NaN.
      max.fill(Number.NEGATIVE_INFINITY);
      for (let s = 0; s < size; s++) {
        const row = base + s * inner;
        for (let i = 0; i < inner; i++) {
          const v = xd[row + i];
          if (v > max[i] || Number.isNaN(v)) max[i] = v;
        }
      }
      sum.fill(0);
      for (let s = 0; s < size; s++) {
        const row = base + s * inner;
        for (let i = 0; i < inner; i++) sum[i] += Math.exp(xd[row + i] - max[i]);
      }
      if (log) {
        for (let i = 0; i < inner; i++) sum[i] = max[i] + Math.log(sum[i]);
        for (let s = 0; s < size; s++) {
          const row = base + s * inner;
          for (let i = 0; i < inner; i++) out[row + i] = xd[row + i] - sum[i];
        }
      } else {
        for (let s = 0; s < size; s++) {
          const row = base + s * inner;
          for (let i = 0; i < inner; i++) out[row + i] = Math.exp(xd[row + i] - max[i]) / sum[i];
        }
      }
    }
    return this.#wrap(out);
  }

  // ---------------------------------------------------------------- matmul

  matmul(a: BackendBuffer, b: BackendBuffer, p: MatmulParams): BackendBuffer {
    const ad = data(a);
    const bd = data(b);
    const { batch, m, k, n, aBatchStride, bBatchStride, transA, transB } = p;
    if (batch > 0) {
      checkExtent(ad.length, (batch - 1) * aBatchStride + m * k, "matmul A");
      checkExtent(bd.length, (batch - 1) * bBatchStride + k * n, "matmul B");
    }
    const out = typedArrayFor(a.dtype, batch * m * n);
    const aRow = new Float64Array(k);
    const acc = new Float64Array(n);
    for (let t = 0; t < batch; t++) {
      const aBase = t * aBatchStride;
      const bBase = t * bBatchStride;
      const oBase = t * m * n;
      for (let i = 0; i < m; i++) {
        // Gather row i of A once (contiguous, or a column of the stored k x m matrix).
        if (transA) for (let q = 0; q < k; q++) aRow[q] = ad[aBase + q * m + i];
        else for (let q = 0; q < k; q++) aRow[q] = ad[aBase + i * k + q];
        if (transB) {
          // B stored n x k: row j of storage is column j of B, so each output is a dot
          // product of two contiguous vectors.
          for (let j = 0; j < n; j++) {
            const bRow = bBase + j * k;
            let s = 0;
            for (let q = 0; q < k; q++) s += aRow[q] * bd[bRow + q];
            acc[j] = s;
          }
        } else {
          // i-k-j order: the inner loop streams through a row of B and the accumulator row.
          acc.fill(0);
          for (let q = 0; q < k; q++) {
            const aq = aRow[q];
            const bRow = bBase + q * n;
            for (let j = 0; j < n; j++) acc[j] += aq * bd[bRow + j];
          }
        }
        const oRow = oBase + i * n;
        for (let j = 0; j < n; j++) out[oRow + j] = acc[j];
      }
    }
    return this.#wrap(out);
  }

  // ---------------------------------------------------------------- indexing

  gather(
    x: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    xSize: number,
    indexSize: number,
    inner: number,
  ): BackendBuffer {
    const xd = data(x);
    const id = indexData(index, "gather");
    checkExtent(xd.length, outer * xSize * inner, "gather x");
    checkExtent(id.length, outer * indexSize * inner, "gather index");
    const out = typedArrayFor(x.dtype, outer * indexSize * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < indexSize; j++) {
        const row = (o * indexSize + j) * inner;
        for (let i = 0; i < inner; i++) {
          const ix = checkIndex(id[row + i], xSize, "gather");
          out[row + i] = xd[(o * xSize + ix) * inner + i];
        }
      }
    }
    return this.#wrap(out);
  }

  scatterAdd(
    src: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    outSize: number,
    indexSize: number,
    inner: number,
  ): BackendBuffer {
    const sd = data(src);
    const id = indexData(index, "scatterAdd");
    checkExtent(sd.length, outer * indexSize * inner, "scatterAdd src");
    checkExtent(id.length, outer * indexSize * inner, "scatterAdd index");
    const acc = new Float64Array(outer * outSize * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < indexSize; j++) {
        const row = (o * indexSize + j) * inner;
        for (let i = 0; i < inner; i++) {
          const ix = checkIndex(id[row + i], outSize, "scatterAdd");
          acc[(o * outSize + ix) * inner + i] += sd[row + i];
        }
      }
    }
    return this.#wrap(store(acc, src.dtype));
  }

  indexSelect(
    x: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    xSize: number,
    inner: number,
  ): BackendBuffer {
    const xd = data(x);
    const id = indexData(index, "indexSelect");
    checkExtent(xd.length, outer * xSize * inner, "indexSelect x");
    for (let j = 0; j < id.length; j++) checkIndex(id[j], xSize, "indexSelect");
    const len = id.length;
    const out = typedArrayFor(x.dtype, outer * len * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < len; j++) {
        const from = (o * xSize + id[j]) * inner;
        out.set(xd.subarray(from, from + inner), (o * len + j) * inner);
      }
    }
    return this.#wrap(out);
  }

  indexAdd(
    src: BackendBuffer,
    index: BackendBuffer,
    outer: number,
    outSize: number,
    inner: number,
  ): BackendBuffer {
    const sd = data(src);
    const id = indexData(index, "indexAdd");
    const len = id.length;
    checkExtent(sd.length, outer * len * inner, "indexAdd src");
    for (let j = 0; j < len; j++) checkIndex(id[j], outSize, "indexAdd");
    const acc = new Float64Array(outer * outSize * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < len; j++) {
        const from = (o * len + j) * inner;
        const to = (o * outSize + id[j]) * inner;
        for (let i = 0; i < inner; i++) acc[to + i] += sd[from + i];
      }
    }
    return this.#wrap(store(acc, src.dtype));
  }

  // ---------------------------------------------------------------- convolution helpers

  im2col(x: BackendBuffer, g: Conv2dGeometry): BackendBuffer {
    const xd = data(x);
    checkExtent(xd.length, g.n * g.c * g.h * g.w, "im2col");
    const [oh, ow] = convOutputSize(g);
    const rows = g.c * g.kh * g.kw;
    const out = typedArrayFor(x.dtype, g.n * rows * oh * ow);
    let p = 0; // out is written in order: [b, (ci, ki, kj), (oy, ox)]
    for (let b = 0; b < g.n; b++) {
      for (let ci = 0; ci < g.c; ci++) {
        const plane = (b * g.c + ci) * g.h * g.w;
        for (let ki = 0; ki < g.kh; ki++) {
          for (let kj = 0; kj < g.kw; kj++) {
            for (let oy = 0; oy < oh; oy++) {
              const y = oy * g.strideH - g.padH + ki * g.dilationH;
              const rowOk = y >= 0 && y < g.h;
              for (let ox = 0; ox < ow; ox++) {
                const xx = ox * g.strideW - g.padW + kj * g.dilationW;
                out[p++] = rowOk && xx >= 0 && xx < g.w ? xd[plane + y * g.w + xx] : g.padValue;
              }
            }
          }
        }
      }
    }
    return this.#wrap(out);
  }

  col2im(cols: BackendBuffer, g: Conv2dGeometry): BackendBuffer {
    const cd = data(cols);
    const [oh, ow] = convOutputSize(g);
    checkExtent(cd.length, g.n * g.c * g.kh * g.kw * oh * ow, "col2im");
    // The exact adjoint of im2col: each column entry adds back to the pixel it was read
    // from; entries that read padding have no pixel and are dropped.
    const acc = new Float64Array(g.n * g.c * g.h * g.w);
    let p = 0;
    for (let b = 0; b < g.n; b++) {
      for (let ci = 0; ci < g.c; ci++) {
        const plane = (b * g.c + ci) * g.h * g.w;
        for (let ki = 0; ki < g.kh; ki++) {
          for (let kj = 0; kj < g.kw; kj++) {
            for (let oy = 0; oy < oh; oy++) {
              const y = oy * g.strideH - g.padH + ki * g.dilationH;
              if (y < 0 || y >= g.h) {
                p += ow;
                continue;
              }
              for (let ox = 0; ox < ow; ox++, p++) {
                const xx = ox * g.strideW - g.padW + kj * g.dilationW;
                if (xx >= 0 && xx < g.w) acc[plane + y * g.w + xx] += cd[p];
              }
            }
          }
        }
      }
    }
    return this.#wrap(store(acc, cols.dtype));
  }

  // ---------------------------------------------------------------- random

  random(
    dist: RandomDistribution,
    size: number,
    key: readonly [number, number],
    offset: number,
  ): BackendBuffer {
    checkSize(size, "random");
    if (!Number.isInteger(offset) || offset < 0 || offset + size > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`random: offset ${offset} must be a non-negative safe integer`);
    }
    const out = new Float32Array(size);
    const words = new Uint32Array(4);
    const [k0, k1] = key;
    // One Philox block per element (only words 0 and 1 are used) so that element i depends
    // on nothing but (key, offset + i): trivial to reproduce in a GPU shader.
    for (let i = 0; i < size; i++) {
      const [c0, c1] = counterWords(offset + i);
      philox4x32(c0, c1, k0, k1, words);
      out[i] = dist === "uniform" ? uniformFromWord(words[0]) : normalFromWords(words[0], words[1]);
    }
    return this.#wrap(out);
  }
}

// ------------------------------------------------------------------ helpers

function asJs(buf: BackendBuffer): JsBuffer {
  if (!(buf instanceof JsBuffer)) throw new Error("js backend: buffer belongs to another backend");
  return buf;
}

function data(buf: BackendBuffer): AnyTypedArray {
  return asJs(buf).data;
}

function indexData(buf: BackendBuffer, what: string): AnyTypedArray {
  if (buf.dtype !== "int32") throw new TypeError(`${what}: index must be int32, got ${buf.dtype}`);
  return data(buf);
}

function checkIndex(ix: number, size: number, what: string): number {
  if (ix < 0 || ix >= size) {
    throw new RangeError(`${what}: index ${ix} is out of range for a dimension of size ${size}`);
  }
  return ix;
}

const fr = Math.fround;

type ViewKind = "contiguous" | "scalar" | "strided";

/**
 * "contiguous": element i is at offset + i; "scalar": every element is at offset (all
 * strides 0, i.e. a broadcast scalar); otherwise "strided". Size-1 dims never matter.
 */
function viewKind(v: View): ViewKind {
  let contiguous = true;
  let scalar = true;
  let expect = 1;
  for (let d = v.shape.length - 1; d >= 0; d--) {
    const len = v.shape[d];
    if (len === 1) continue;
    if (v.strides[d] !== expect) contiguous = false;
    if (v.strides[d] !== 0) scalar = false;
    expect *= len;
  }
  return contiguous ? "contiguous" : scalar ? "scalar" : "strided";
}

/**
 * Visit every position of `shape` in row-major order with an odometer, calling
 * `body(i, offsets)` where offsets[v] is the element offset of position i in views[v].
 * `offsets` is reused between calls: nothing is allocated per element.
 */
function walk(
  shape: readonly number[],
  views: readonly View[],
  body: (i: number, offsets: Int32Array) => void,
): void {
  const nd = shape.length;
  const nv = views.length;
  if (sizeOf(shape) === 0) return;
  const offsets = new Int32Array(nv);
  for (let v = 0; v < nv; v++) offsets[v] = views[v].offset;
  if (nd === 0) {
    body(0, offsets);
    return;
  }
  // Strides as a [dim][view] table, so the hot loop reads plain typed arrays.
  const strides = new Int32Array(nd * nv);
  for (let d = 0; d < nd; d++)
    for (let v = 0; v < nv; v++) strides[d * nv + v] = views[v].strides[d];
  const counter = new Int32Array(nd);
  const last = nd - 1;
  const lastLen = shape[last];
  const lastBase = last * nv;
  let i = 0;
  for (;;) {
    for (let j = 0; j < lastLen; j++) {
      body(i++, offsets);
      for (let v = 0; v < nv; v++) offsets[v] += strides[lastBase + v];
    }
    for (let v = 0; v < nv; v++) offsets[v] -= lastLen * strides[lastBase + v];
    // Carry into the outer dims, rewinding each one that wraps around.
    let d = last - 1;
    for (; d >= 0; d--) {
      const base = d * nv;
      for (let v = 0; v < nv; v++) offsets[v] += strides[base + v];
      if (++counter[d] < shape[d]) break;
      counter[d] = 0;
      for (let v = 0; v < nv; v++) offsets[v] -= shape[d] * strides[base + v];
    }
    if (d < 0) return;
  }
}

/** PyTorch's conversion to bool: anything nonzero (NaN included) is true. */
function toBool(v: number): number {
  return v !== 0 ? 1 : 0;
}

/** Round float64 accumulators into a new array of `dtype`. */
function store(acc: Float64Array, dtype: DType): AnyTypedArray {
  const out = typedArrayFor(dtype, acc.length);
  if (dtype === "bool") for (let i = 0; i < acc.length; i++) out[i] = toBool(acc[i]);
  else out.set(acc);
  return out;
}
