/** The two workloads every library runs: square matmuls and one MLP training step. */

export const MATMUL_SIZES = [128, 256, 512, 1024];

/** The seeds' digit classifier: 784-128-64-10, ReLU, batch 64, CrossEntropyLoss, Adam. */
export const MLP = { layers: [784, 128, 64, 10], batch: 64, lr: 1e-3 };

export interface Figures {
  /** GFLOP/s by matmul size. */
  matmul: Record<number, number>;
  /** Milliseconds per training step. */
  mlpStepMs: number;
}

/** One library under test. */
export interface Contender {
  name: string;
  run(): Promise<Figures>;
}
