// Reading a kernel's arguments from the task block the host filled in (see src/wasm/protocol.ts).

import {
  MAX_DIMS,
  S_SPLAT,
  T_P,
  T_RESULT,
  T_SCRATCH,
  VIEW_SLOTS,
  VIEWS_AT,
} from "../src/wasm/protocol";

let task: usize = 0;
let scratch: usize = 0;

/** Select the task block and this thread's scratch area for the kernel about to run. */
export function beginTask(taskPtr: usize, thread: i32, scratchBytes: usize): void {
  task = taskPtr;
  scratch = <usize>load<f64>(taskPtr + (T_SCRATCH << 3)) + <usize>thread * scratchBytes;
}

/** Kernel parameter i as a pointer or count. */
export function pu(i: i32): usize {
  return <usize>load<f64>(task + ((T_P + i) << 3));
}

export function pi(i: i32): i32 {
  return <i32>load<f64>(task + ((T_P + i) << 3));
}

export function pf(i: i32): f64 {
  return load<f64>(task + ((T_P + i) << 3));
}

export function scratchAt(offset: usize): usize {
  return scratch + offset;
}

/** A 16-byte area of the scratch holding a splatted scalar, so loops can read it with stride 0. */
export function splatSlot(k: i32): usize {
  return scratch + S_SPLAT + ((<usize>k) << 4);
}

// ---- the view table: ndim, shape, then per view its offset and strides (all i32)

export function viewNdim(): i32 {
  return load<i32>(task + VIEWS_AT);
}

export function viewShape(d: i32): i32 {
  return load<i32>(task + VIEWS_AT + ((1 + <usize>d) << 2));
}

export function viewOffset(v: i32): i32 {
  return load<i32>(task + VIEWS_AT + ((1 + MAX_DIMS + <usize>v * VIEW_SLOTS) << 2));
}

export function viewStride(v: i32, d: i32): i32 {
  return load<i32>(task + VIEWS_AT + ((2 + MAX_DIMS + <usize>v * VIEW_SLOTS + d) << 2));
}

/** This thread's share [start, end) of `count` items, in multiples of `align`. */
export function shareStart(count: i32, thread: i32, threads: i32, align: i32): i32 {
  const units = (count + align - 1) / align;
  return min(count, <i32>((<i64>units * thread) / threads) * align);
}

/** Report a number back to the host (read from slot T_RESULT). */
export function setResult(v: f64): void {
  store<f64>(task + (T_RESULT << 3), v);
}
