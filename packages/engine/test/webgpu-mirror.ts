/**
 * A test harness that lets the synchronous suites (gradcheck.test.ts reads with dataSync) run
 * on the webgpu backend. Every kernel runs on webgpu and on the js oracle; synchronous reads
 * answer with the oracle's values, and each read also fetches the webgpu buffer and compares
 * it with them. `verify()` (after each test) fails the test if any webgpu value read so far
 * differed. A test passes only if its assertions hold and every value it looked at came out
 * of the webgpu kernels the same (within float32 tolerance).
 */

import {
  type AdamStepParams,
  type AnyTypedArray,
  type Backend,
  type BackendBuffer,
  type BinaryOp,
  type Conv2dGeometry,
  type DType,
  JsBackend,
  type MatmulParams,
  type MemoryInfo,
  type RandomDistribution,
  type ReduceOp,
  type RmspropStepParams,
  type SgdStepParams,
  type UnaryOp,
  type View,
} from "@gradbook/kernels";

class MirrorBuffer implements BackendBuffer {
  constructor(
    readonly gpu: BackendBuffer,
    readonly oracle: BackendBuffer,
  ) {}
  get dtype(): DType {
    return this.gpu.dtype;
  }
  get size(): number {
    return this.gpu.size;
  }
}

export interface MirrorTolerance {
  rtol: number;
  atol: number;
}

export class MirrorBackend implements Backend {
  readonly name: string;
  readonly syncReadback = true;
  readonly #gpu: Backend;
  readonly #oracle = new JsBackend();
  readonly #tol: MirrorTolerance;
  #checks: Promise<void>[] = [];
  #mismatches: string[] = [];
  /** Values compared so far (to show the harness did look at the GPU). */
  compared = 0;

  constructor(gpu: Backend, tol: MirrorTolerance) {
    this.name = gpu.name;
    this.#gpu = gpu;
    this.#tol = tol;
  }

  /** Wait for every comparison so far; throw if any webgpu value differed. */
  async verify(): Promise<void> {
    const checks = this.#checks;
    this.#checks = [];
    await Promise.all(checks);
    const bad = this.#mismatches;
    this.#mismatches = [];
    if (bad.length > 0)
      throw new Error(`webgpu differs from the js oracle:\n${bad.slice(0, 10).join("\n")}`);
  }

  // ---------------------------------------------------------------- memory and reads

  alloc(dtype: DType, size: number): BackendBuffer {
    return this.#pair((b) => b.alloc(dtype, size));
  }
  upload(data: AnyTypedArray): BackendBuffer {
    return this.#pair((b) => b.upload(data));
  }
  async read(buf: BackendBuffer): Promise<AnyTypedArray> {
    const m = mirror(buf);
    const expected = this.#oracle.readSync(m.oracle);
    const actual = await this.#gpu.read(m.gpu);
    this.#compare(actual, expected);
    return actual;
  }
  readSync(buf: BackendBuffer): AnyTypedArray {
    const m = mirror(buf);
    const expected = this.#oracle.readSync(m.oracle);
    this.#checks.push(this.#gpu.read(m.gpu).then((actual) => this.#compare(actual, expected)));
    return expected;
  }
  free(buf: BackendBuffer): void {
    const m = mirror(buf);
    this.#gpu.free(m.gpu);
    this.#oracle.free(m.oracle);
  }
  memory(): MemoryInfo {
    return this.#gpu.memory();
  }

  // ---------------------------------------------------------------- kernels

  fill(dtype: DType, size: number, value: number): BackendBuffer {
    return this.#pair((b) => b.fill(dtype, size, value));
  }
  cast(x: BackendBuffer, dtype: DType): BackendBuffer {
    return this.#pair((b, [a]) => b.cast(a, dtype), x);
  }
  copy(x: BackendBuffer, view: View): BackendBuffer {
    return this.#pair((b, [a]) => b.copy(a, view), x);
  }
  writeView(dst: BackendBuffer, src: BackendBuffer, view: View): void {
    const [d, s] = [mirror(dst), mirror(src)];
    this.#oracle.writeView(d.oracle, s.oracle, view);
    this.#gpu.writeView(d.gpu, s.gpu, view);
  }
  unary(op: UnaryOp, x: BackendBuffer, params?: readonly number[]): BackendBuffer {
    return this.#pair((b, [a]) => b.unary(op, a, params), x);
  }
  binary(op: BinaryOp, a: BackendBuffer, av: View, b: BackendBuffer, bv: View): BackendBuffer {
    return this.#pair((be, [x, y]) => be.binary(op, x, av, y, bv), a, b);
  }
  binaryScalar(op: BinaryOp, a: BackendBuffer, s: number, scalarFirst: boolean): BackendBuffer {
    return this.#pair((b, [x]) => b.binaryScalar(op, x, s, scalarFirst), a);
  }
  where(
    c: BackendBuffer,
    cv: View,
    a: BackendBuffer,
    av: View,
    b: BackendBuffer,
    bv: View,
  ): BackendBuffer {
    return this.#pair((be, [x, y, z]) => be.where(x, cv, y, av, z, bv), c, a, b);
  }
  reduce(
    op: ReduceOp,
    x: BackendBuffer,
    outer: number,
    size: number,
    inner: number,
  ): BackendBuffer {
    return this.#pair((b, [a]) => b.reduce(op, a, outer, size, inner), x);
  }
  softmax(
    x: BackendBuffer,
    outer: number,
    size: number,
    inner: number,
    log: boolean,
  ): BackendBuffer {
    return this.#pair((b, [a]) => b.softmax(a, outer, size, inner, log), x);
  }
  matmul(a: BackendBuffer, b: BackendBuffer, p: MatmulParams): BackendBuffer {
    return this.#pair((be, [x, y]) => be.matmul(x, y, p), a, b);
  }
  gather(
    x: BackendBuffer,
    i: BackendBuffer,
    outer: number,
    xSize: number,
    iSize: number,
    inner: number,
  ): BackendBuffer {
    return this.#pair((b, [a, ix]) => b.gather(a, ix, outer, xSize, iSize, inner), x, i);
  }
  scatterAdd(
    s: BackendBuffer,
    i: BackendBuffer,
    outer: number,
    oSize: number,
    iSize: number,
    inner: number,
  ): BackendBuffer {
    return this.#pair((b, [a, ix]) => b.scatterAdd(a, ix, outer, oSize, iSize, inner), s, i);
  }
  indexSelect(
    x: BackendBuffer,
    i: BackendBuffer,
    outer: number,
    xSize: number,
    inner: number,
  ): BackendBuffer {
    return this.#pair((b, [a, ix]) => b.indexSelect(a, ix, outer, xSize, inner), x, i);
  }
  indexAdd(
    s: BackendBuffer,
    i: BackendBuffer,
    outer: number,
    oSize: number,
    inner: number,
  ): BackendBuffer {
    return this.#pair((b, [a, ix]) => b.indexAdd(a, ix, outer, oSize, inner), s, i);
  }
  im2col(x: BackendBuffer, g: Conv2dGeometry): BackendBuffer {
    return this.#pair((b, [a]) => b.im2col(a, g), x);
  }
  col2im(cols: BackendBuffer, g: Conv2dGeometry): BackendBuffer {
    return this.#pair((b, [a]) => b.col2im(a, g), cols);
  }
  adamStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    expAvg: BackendBuffer,
    expAvgSq: BackendBuffer,
    maxExpAvgSq: BackendBuffer | null,
    p: AdamStepParams,
  ): void {
    const [w, g, m, v] = [param, grad, expAvg, expAvgSq].map(mirror);
    const x = maxExpAvgSq ? mirror(maxExpAvgSq) : null;
    this.#oracle.adamStep(w.oracle, g.oracle, m.oracle, v.oracle, x?.oracle ?? null, p);
    this.#gpu.adamStep(w.gpu, g.gpu, m.gpu, v.gpu, x?.gpu ?? null, p);
  }
  sgdStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    momentumBuffer: BackendBuffer | null,
    p: SgdStepParams,
  ): void {
    const [w, g] = [mirror(param), mirror(grad)];
    const b = momentumBuffer ? mirror(momentumBuffer) : null;
    this.#oracle.sgdStep(w.oracle, g.oracle, b?.oracle ?? null, p);
    this.#gpu.sgdStep(w.gpu, g.gpu, b?.gpu ?? null, p);
  }
  rmspropStep(
    param: BackendBuffer,
    grad: BackendBuffer,
    squareAvg: BackendBuffer,
    gradAvg: BackendBuffer | null,
    momentumBuffer: BackendBuffer | null,
    p: RmspropStepParams,
  ): void {
    const [w, g, s] = [param, grad, squareAvg].map(mirror);
    const [a, b] = [gradAvg, momentumBuffer].map((x) => (x ? mirror(x) : null));
    this.#oracle.rmspropStep(w.oracle, g.oracle, s.oracle, a?.oracle ?? null, b?.oracle ?? null, p);
    this.#gpu.rmspropStep(w.gpu, g.gpu, s.gpu, a?.gpu ?? null, b?.gpu ?? null, p);
  }
  random(
    dist: RandomDistribution,
    size: number,
    key: readonly [number, number],
    offset: number,
  ): BackendBuffer {
    return this.#pair((b) => b.random(dist, size, key, offset));
  }

  // ---------------------------------------------------------------- helpers

  /** Run a kernel on the oracle (which validates arguments and may throw), then on webgpu. */
  #pair(
    run: (b: Backend, inputs: BackendBuffer[]) => BackendBuffer,
    ...inputs: BackendBuffer[]
  ): MirrorBuffer {
    const ms = inputs.map(mirror);
    const oracle = run(
      this.#oracle,
      ms.map((m) => m.oracle),
    );
    const gpu = run(
      this.#gpu,
      ms.map((m) => m.gpu),
    );
    return new MirrorBuffer(gpu, oracle);
  }

  #compare(actual: AnyTypedArray, expected: AnyTypedArray): void {
    this.compared += expected.length;
    const { rtol, atol } = this.#tol;
    for (let i = 0; i < expected.length; i++) {
      const [a, e] = [actual[i], expected[i]];
      const ok = Number.isNaN(e)
        ? Number.isNaN(a)
        : a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e);
      if (!ok) {
        this.#mismatches.push(`element ${i} of ${expected.length}: webgpu ${a}, js ${e}`);
        return;
      }
    }
  }
}

function mirror(buf: BackendBuffer): MirrorBuffer {
  if (!(buf instanceof MirrorBuffer))
    throw new Error("mirror backend: buffer belongs to another backend");
  return buf;
}
