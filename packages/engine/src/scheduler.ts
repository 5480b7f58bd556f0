/**
 * Readback (`await loss.item()`) is where a training loop waits. On CPU backends the answer is
 * ready at once, so a loop that awaits only readbacks would never let the page repaint (its
 * loss plot) or take a click (its Interrupt button). So a readback yields to the event loop
 * when a frame's worth of time has passed since the last yield, and it is where a notebook's
 * Interrupt takes effect.
 */

const FRAME_MS = 16;
let lastYield = performance.now();
let interruptCheck: (() => void) | null = null;

/**
 * For notebook runtimes: `check` runs at every readback and may throw to stop the program
 * (e.g. an `Interrupted` error after the student pressed Interrupt). `null` removes it.
 */
export function _setInterruptCheck(check: (() => void) | null): void {
  interruptCheck = check;
}

type Schedule = (callback: () => void) => void;

/** A macrotask without setTimeout's 4 ms clamp: setImmediate in Node, a MessageChannel in browsers. */
const nextTask: Schedule = (() => {
  const setImmediate = (globalThis as { setImmediate?: Schedule }).setImmediate;
  if (setImmediate) return setImmediate;
  const queue: (() => void)[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => queue.shift()?.();
  return (callback) => {
    queue.push(callback);
    channel.port2.postMessage(null);
  };
})();

/** Called before every readback: honours an interrupt, and yields once per frame. */
export async function readbackPoint(): Promise<void> {
  interruptCheck?.();
  if (performance.now() - lastYield < FRAME_MS) return;
  await new Promise<void>((resolve) => nextTask(resolve));
  lastYield = performance.now();
  interruptCheck?.();
}
