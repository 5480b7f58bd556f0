import { LessonFormatError } from "@gradbook/lessons";
import { TRPCError } from "@trpc/server";
import { type Answer, parseAnswer, UngradableValue } from "../../lib/answer-values";
import { exercisesOf, gradedLesson } from "../../lib/graded-lesson";
import { checkedNotebook } from "../api/notebook-content";
import type { Limits } from "../limits";

/**
 * What publishing stores: the lesson as written (`content`, instructors only), the copy students
 * start from, and for graded work each exercise's expected answer. Graded work must come with
 * an answer for every exercise, holding exactly the names its cell defines, each a value the
 * server can compare; otherwise the publish is refused saying which exercise and why.
 */
export interface PublishedContent {
  readonly title: string;
  readonly content: string;
  readonly studentContent: string;
  readonly expectations: ReadonlyMap<string, Answer>;
}

export function publishedContent(
  content: string,
  graded: boolean,
  expectations: Readonly<Record<string, unknown>> | undefined,
  limits: Limits,
): PublishedContent {
  const { title } = checkedNotebook(content, limits);
  if (!graded) {
    return { title, content, studentContent: content, expectations: new Map() };
  }
  let studentContent: string;
  let exercises: { name: string; names: readonly string[] }[];
  try {
    studentContent = gradedLesson(content, { solutions: false });
    exercises = exercisesOf(content);
  } catch (error) {
    if (!(error instanceof LessonFormatError)) throw error;
    throw refused(`Its exercises don't hold together, so it can't be graded: ${error.message}.`);
  }
  if (exercises.length === 0) {
    throw refused("It has no exercises, so there is nothing to grade: publish it ungraded.");
  }
  checkedNotebook(studentContent, limits);
  const given = expectations ?? {};
  const known = new Set(exercises.map((exercise) => exercise.name));
  const stray = Object.keys(given).find((name) => !known.has(name));
  if (stray !== undefined) throw refused(`It has no exercise "${stray}".`);
  const answers = new Map<string, Answer>();
  for (const { name, names } of exercises) {
    if (!Object.hasOwn(given, name)) {
      throw refused(
        `Exercise "${name}" has no expected answer: run the reference solutions first (publishing graded work does, in your browser).`,
      );
    }
    let answer: Answer;
    try {
      answer = parseAnswer(given[name], `exercise "${name}"`);
    } catch (error) {
      if (!(error instanceof UngradableValue)) throw error;
      throw refused(`${error.message}.`);
    }
    const missing = names.find((n) => !Object.hasOwn(answer, n));
    if (missing !== undefined) {
      throw refused(`Exercise "${name}": the expected answer has no value for \`${missing}\`.`);
    }
    const extra = Object.keys(answer).find((n) => !names.includes(n));
    if (extra !== undefined) {
      throw refused(`Exercise "${name}": \`${extra}\` is not a name its cell defines.`);
    }
    answers.set(name, answer);
  }
  return { title, content, studentContent, expectations: answers };
}

function refused(why: string): TRPCError {
  return new TRPCError({
    code: "BAD_REQUEST",
    message: `This can't be published as graded work. ${why}`,
  });
}
