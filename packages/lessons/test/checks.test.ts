/** check(): what it says about wrong answers, and how one check run becomes an outcome. */
import * as torch from "@gradbook/engine";
import { describe, expect, test } from "vitest";
import { compare, runCheck, todo } from "../src/index.js";

const long = (values: number[]) => torch.tensor(values, { dtype: torch.int64 });

describe("compare", () => {
  test("equal values, within the tolerance, pass", async () => {
    expect(await compare(torch.tensor([1, 2]), torch.tensor([1, 2.000001]))).toBeNull();
    expect(await compare(0.1 + 0.2, 0.3)).toBeNull();
    expect(await compare([2, 3], [2, 3])).toBeNull();
    expect(await compare({ a: 1, b: torch.ones(2) }, { a: 1, b: torch.ones(2) })).toBeNull();
    expect(await compare("relu", "relu")).toBeNull();
    expect(await compare(1.05, 1, { atol: 0.1 })).toBeNull();
  });

  test("a shape mismatch names both shapes, and guesses a transpose", async () => {
    expect(await compare(torch.zeros(3, 2), torch.zeros(2, 3), { name: "w" })).toBe(
      "`w` has shape [3, 2]; expected [2, 3] (transposed?)",
    );
    expect(await compare(torch.zeros(6), torch.zeros(2, 3))).toBe(
      "Your answer has shape [6]; expected [2, 3] (the same values in another shape? see reshape)",
    );
    expect(await compare(torch.zeros([]), torch.zeros(13))).toBe(
      "Your answer has shape []; expected [13]",
    );
  });

  test("a dtype mismatch says how to convert", async () => {
    expect(await compare(torch.tensor([1, 0]), long([1, 0]))).toBe(
      "Your answer has dtype float32; expected int64 (class labels are int64: `{ dtype: torch.int64 }` or `.long()`)",
    );
    expect(await compare(long([1]), torch.tensor([1]))).toBe(
      "Your answer has dtype int64; expected float32 (convert with `.float()`)",
    );
  });

  test("wrong values: how many, the first one, and a common factor", async () => {
    expect(
      await compare(
        torch.tensor([
          [1, 2],
          [3, 5],
        ]),
        torch.tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBe("Your answer has 1 of 4 values wrong: at [1, 1] it is 5, expected 4");
    expect(await compare(torch.tensor([2, 4, 6]), torch.tensor([1, 2, 3]), { name: "total" })).toBe(
      "`total` has 3 of 3 values wrong: at [0] it is 2, expected 1 (every value is 2× the expected one)",
    );
    expect(await compare(torch.tensor([-1, 2]), torch.tensor([1, -2]))).toContain(
      "(every value has the wrong sign)",
    );
    expect(await compare(torch.tensor(3), torch.tensor(2.5), { name: "loss" })).toBe(
      "`loss` holds 3, expected 2.5",
    );
    expect(await compare(torch.tensor([Number.NaN]), torch.tensor([1]))).toBe(
      "Your answer holds NaN, expected 1",
    );
  });

  test("the wrong kind of value says what it is", async () => {
    expect(await compare([1, 2], torch.tensor([1, 2]))).toBe(
      "Your answer is an array; expected a tensor of shape [2]: wrap it with `torch.tensor(...)`",
    );
    expect(await compare(undefined, torch.ones(1))).toBe(
      "Your answer is undefined; expected a tensor of shape [1]",
    );
    expect(await compare(torch.tensor(2), 2, { name: "slope" })).toBe(
      "`slope` is a tensor; expected a number: read it with `await t.item()`",
    );
    expect(await compare(torch.ones(3), 2)).toBe(
      "Your answer is a tensor of shape [3]; expected a number",
    );
    expect(await compare("2", 2)).toBe("Your answer is a string; expected a number");
    expect(await compare(0.5, 0.75, { name: "p" })).toBe("`p` is 0.5; expected 0.75");
  });

  test("arrays and objects are compared member by member", async () => {
    expect(await compare([5, 3], [5, 10], { name: "shape" })).toBe("`shape[1]` is 3; expected 10");
    expect(await compare([1], [1, 2])).toBe("Your answer has 1 item; expected 2");
    expect(await compare({ w: 1 }, { w: 1, b: 2 }, { name: "params" })).toBe("`params` has no `b`");
    expect(await compare(true, false, { name: "training" })).toBe(
      "`training` is true; expected false",
    );
  });

  test("a predicate passes with true and fails with false or its own message", async () => {
    expect(await compare(3, (v: unknown) => v === 3)).toBeNull();
    expect(await compare(4, (v: unknown) => v === 3, { name: "n" })).toBe(
      "`n` is not what was asked",
    );
    expect(await compare(4, () => "too big")).toBe("too big");
    expect(await compare(4, async () => true)).toBeNull();
  });
});

describe("runCheck", () => {
  test("passes when every check passes", async () => {
    const outcome = await runCheck(async (check) => {
      check(1, 1);
      await check(torch.ones(2), torch.ones(2));
    });
    expect(outcome).toEqual({ status: "passed", message: "Correct!" });
  });

  test("reports the first failing check, in the order they were written", async () => {
    const outcome = await runCheck((check) => {
      check(1, 1);
      check(torch.zeros(2, 2), torch.zeros(3), { name: "a" });
      check(2, 3, { name: "b" });
    });
    expect(outcome).toEqual({ status: "failed", message: "`a` has shape [2, 2]; expected [3]" });
  });

  test("todo() left in the student's code means not attempted", async () => {
    const outcome = await runCheck((check) => check(todo(), 1));
    expect(outcome.status).toBe("not-attempted");
    expect(outcome.message).toContain("replace todo()");
  });

  test("an error in the student's code is reported, after any check that failed before it", async () => {
    const broken = (): number => {
      throw new RangeError("index out of range");
    };
    expect(await runCheck((check) => check(broken(), 1))).toEqual({
      status: "failed",
      message: "Your code threw RangeError: index out of range",
    });
    expect(
      await runCheck((check) => {
        check(1, 2, { name: "first" });
        check(broken(), 1);
      }),
    ).toEqual({ status: "failed", message: "`first` is 1; expected 2" });
  });

  test("a check that compares nothing is a bug in the lesson", async () => {
    expect((await runCheck(() => {})).message).toContain("a bug in the lesson");
  });

  test("interrupts are passed on, not reported as the student's error", async () => {
    const stop = new Error("stop");
    await expect(
      runCheck(
        () => {
          throw stop;
        },
        (error) => error === stop,
      ),
    ).rejects.toBe(stop);
  });
});
