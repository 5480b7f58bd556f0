import * as torch from "@gradbook/engine";
import { compare, PASSED_MESSAGE } from "@gradbook/lessons";
import { type Answer, type AnswerValue, answerToValue } from "../../lib/answer-values";

/**
 * The server's check of a graded exercise: each name the exercise defines, compared with the
 * value the reference solution gave it, by @gradbook/lessons' `compare` (the same messages a
 * student gets from a local check). Tensors are rebuilt on the engine's js backend.
 */
export async function gradeAnswer(
  expected: Answer,
  actual: Answer,
): Promise<{ status: "passed" | "failed"; message: string }> {
  for (const [name, wanted] of Object.entries(expected)) {
    const given = Object.hasOwn(actual, name) ? await toValue(actual[name]) : undefined;
    const problem = await compare(given, await toValue(wanted), { name });
    if (problem !== null) return { status: "failed", message: problem };
  }
  return { status: "passed", message: PASSED_MESSAGE };
}

function toValue(value: AnswerValue): Promise<unknown> {
  return answerToValue(value, (data, dtype, shape) =>
    torch.tensor(data, { dtype, device: "js" }).reshape([...shape]),
  );
}
