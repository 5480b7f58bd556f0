/** Readback yields to the event loop once per frame, and is where an interrupt stops a program. */

import { afterEach, describe, expect, it } from "vitest";
import * as torch from "../src/index.js";

afterEach(() => torch._setInterruptCheck(null));

describe("readback points", () => {
  it("a loop that awaits only readbacks still lets timers run", async () => {
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    }, 0);
    const x = torch.ones(4);
    const start = performance.now();
    while (!timerRan && performance.now() - start < 2000) await x.sum().item();
    expect(timerRan).toBe(true);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it("an interrupt check stops a training loop at its next readback", async () => {
    class Interrupted extends Error {}
    let steps = 0;
    const w = torch.randn(3, { requires_grad: true });
    const train = async () => {
      for (;;) {
        const loss = w.square().sum();
        loss.backward();
        await loss.item();
        steps++;
      }
    };
    const running = train();
    setTimeout(() =>
      torch._setInterruptCheck(() => {
        throw new Interrupted("stopped");
      }),
    );
    await expect(running).rejects.toBeInstanceOf(Interrupted);
    expect(steps).toBeGreaterThan(0);
  });
});
