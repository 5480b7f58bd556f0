// The module's entry points. The host fills a task block (kernel code and arguments) and calls
// run() on every participating thread; each thread computes its share of the work.

import {
  K_ADAM,
  K_BINARY,
  K_BINARY_SCALAR,
  K_CAST,
  K_COL2IM,
  K_COPY,
  K_FILL,
  K_FIRST_BAD_INDEX,
  K_GATHER,
  K_IM2COL,
  K_INDEX_ADD,
  K_INDEX_SELECT,
  K_MATMUL,
  K_RANDOM,
  K_REDUCE,
  K_RMSPROP,
  K_SCATTER_ADD,
  K_SGD,
  K_SOFTMAX,
  K_UNARY,
  K_WHERE,
  K_WRITE_VIEW,
  SCRATCH_BYTES,
  T_KERNEL,
} from "../src/wasm/protocol";
import { col2imTask, im2colTask } from "./conv";
import { copyTask, writeViewTask } from "./copy";
import {
  binaryScalarTask,
  binaryTask,
  castTask,
  fillTask,
  unaryTask,
  whereTask,
} from "./elementwise";
import {
  firstBadIndexTask,
  gatherTask,
  indexAddTask,
  indexSelectTask,
  scatterAddTask,
} from "./indexing";
import { matmulTask } from "./matmul";
import { adamTask, rmspropTask, sgdTask } from "./optim";
import { randomTask } from "./random";
import { reduceTask, softmaxTask } from "./reduce";
import { beginTask } from "./task";

/** First byte the host may use: everything below holds this module's static data. */
export function heapBase(): usize {
  return (__heap_base + 63) & ~63;
}

export function run(task: usize, thread: i32, threads: i32): void {
  beginTask(task, thread, SCRATCH_BYTES);
  const kernel = <i32>load<f64>(task + (T_KERNEL << 3));
  switch (kernel) {
    case K_FILL:
      fillTask(thread, threads);
      break;
    case K_CAST:
      castTask(thread, threads);
      break;
    case K_COPY:
      copyTask(thread, threads);
      break;
    case K_WRITE_VIEW:
      writeViewTask(thread, threads);
      break;
    case K_UNARY:
      unaryTask(thread, threads);
      break;
    case K_BINARY:
      binaryTask(thread, threads);
      break;
    case K_BINARY_SCALAR:
      binaryScalarTask(thread, threads);
      break;
    case K_ADAM:
      adamTask(thread, threads);
      break;
    case K_SGD:
      sgdTask(thread, threads);
      break;
    case K_RMSPROP:
      rmspropTask(thread, threads);
      break;
    case K_WHERE:
      whereTask(thread, threads);
      break;
    case K_REDUCE:
      reduceTask(thread, threads);
      break;
    case K_SOFTMAX:
      softmaxTask(thread, threads);
      break;
    case K_MATMUL:
      matmulTask(thread, threads);
      break;
    case K_GATHER:
      gatherTask(thread, threads);
      break;
    case K_INDEX_SELECT:
      indexSelectTask(thread, threads);
      break;
    case K_IM2COL:
      im2colTask(thread, threads);
      break;
    case K_COL2IM:
      col2imTask(thread, threads);
      break;
    case K_RANDOM:
      randomTask(thread, threads);
      break;
    // Accumulating kernels run on one thread (their writes may collide).
    case K_SCATTER_ADD:
      if (thread === 0) scatterAddTask();
      break;
    case K_INDEX_ADD:
      if (thread === 0) indexAddTask();
      break;
    case K_FIRST_BAD_INDEX:
      if (thread === 0) firstBadIndexTask();
      break;
    default:
      unreachable();
  }
}
