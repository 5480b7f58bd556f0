import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AnswerValue, serializeAnswer } from "../src/lib/answer-values";
import { exercisesOf, gradedLesson } from "../src/lib/graded-lesson";
import { csvField } from "../src/server/classrooms/grades-csv";
import { handleGradesCsv } from "../src/server/classrooms/grades-route";
import { gradeAnswer } from "../src/server/classrooms/grading";
import { normalizeJoinCode } from "../src/server/classrooms/join-code";
import { exerciseResults, users } from "../src/server/db/schema";
import type { Services } from "../src/server/services";
import { browser, sessionCookie, signedInBrowser, testServices } from "./browsers";
import type { TestDatabase } from "./databases";
import { rejection } from "./suite-helpers";

const tensor = (dtype: "float32" | "int64", shape: number[], data: number[]): AnswerValue => ({
  kind: "tensor",
  dtype,
  shape,
  data,
});

const scores = [
  [70, 80, 90],
  [60, 85, 75],
  [90, 95, 85],
  [80, 60, 70],
];
const means = [0, 1, 2].map((j) => scores.reduce((s, row) => s + row[j], 0) / 4);
const centered = scores.flatMap((row) => row.map((v, j) => v - means[j]));

/** What the "tensors" lesson's reference solutions give (the instructor's browser computes these). */
const TENSORS_EXPECTED = {
  grid: { grid: tensor("int64", [3, 4], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) },
  classes: { classes: tensor("int64", [3], [2, 0, 1]) },
  centered: { centered: tensor("float32", [4, 3], centered) },
};

/** Classrooms, assignments, progress and grades, run once per database driver. */
export function classroomsSuite(name: string, open: () => Promise<TestDatabase>): void {
  describe(`classrooms on ${name}`, () => {
    let database: TestDatabase;
    let services: Services;

    beforeAll(async () => {
      database = await open();
      services = testServices(database);
    });
    afterAll(async () => {
      await database?.dispose();
    });

    /** An account made directly in the database, and a browser signed in as it. */
    async function account(role: "instructor" | "student" | "admin", displayName: string) {
      const id = randomUUID();
      const email = `${displayName.toLowerCase().replace(/[^a-z]+/g, ".")}.${id.slice(0, 8)}@school.test`;
      await services.db.insert(users).values({ id, kind: "account", role, email, displayName });
      return { id, email, api: await signedInBrowser(services, id) };
    }

    async function classroomWithStudents(...names: string[]) {
      const teacher = await account("instructor", "Ada Teacher");
      const room = await teacher.api.classrooms.create({ name: "Deep learning 101" });
      const students = [];
      for (const n of names) {
        const student = await account("student", n);
        await student.api.classrooms.join({ code: room.joinCode.toLowerCase() });
        students.push(student);
      }
      return { teacher, room, students };
    }

    const publishGraded = (
      teacher: Awaited<ReturnType<typeof account>>,
      classroomId: string,
      extra: { dueAt?: string } = {},
    ) =>
      teacher.api.assignments.publish({
        classroomId,
        title: "Tensors (graded)",
        source: { lesson: "tensors" },
        graded: true,
        expectations: TENSORS_EXPECTED,
        ...extra,
      });

    it("answers serialized from engine tensors are what the server grades (the reference run's format)", async () => {
      const torch = await import("@gradbook/engine");
      const grid = await serializeAnswer({ grid: torch.arange(12).reshape(3, 4) });
      expect(grid).toEqual(TENSORS_EXPECTED.grid);
      const scoresT = torch.tensor(scores);
      const mine = await serializeAnswer({ centered: scoresT.sub(scoresT.mean(0)) });
      expect(await gradeAnswer(TENSORS_EXPECTED.centered, mine)).toEqual({
        status: "passed",
        message: "Correct!",
      });
      expect(
        await gradeAnswer(TENSORS_EXPECTED.centered, { centered: mine.centered, extra: grid.grid }),
      ).toMatchObject({ status: "passed" });
      expect(await gradeAnswer(TENSORS_EXPECTED.grid, {})).toEqual({
        status: "failed",
        message: "`grid` is undefined; expected a tensor of shape [3, 4]",
      });
      await expect(serializeAnswer({ f: () => 1 })).rejects.toThrow(
        "`f` is a function; graded answers must be tensors",
      );
      await expect(serializeAnswer({ m: new Map() })).rejects.toThrow(/an object of class Map/);
      // The students' copy and the reference run hold the same exercises, graded.
      const lesson = (await services.lessons.get("tensors"))!.content;
      const reference = gradedLesson(lesson, { solutions: true });
      expect(reference).toContain(
        "```js exercise=grid graded\nconst grid = torch.arange(12).reshape(3, 4);",
      );
      expect(exercisesOf(lesson)).toEqual([
        { name: "grid", names: ["grid"] },
        { name: "classes", names: ["classes"] },
        { name: "centered", names: ["centered"] },
      ]);
    });

    it("join codes: 8 unambiguous characters, read without case or dashes", async () => {
      const { teacher, room, students } = await classroomWithStudents("Bo Student");
      expect(room.joinCode).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
      expect(normalizeJoinCode(" k7pd-q2mx ")).toEqual({ code: "K7PDQ2MX" });
      expect(normalizeJoinCode("K7PD-Q2M0")).toMatchObject({
        problem: expect.stringMatching(/never use 0/),
      });

      const [bo] = students;
      // Joining twice is fine; the student sees the classroom with their role, no code.
      await bo.api.classrooms.join({ code: room.joinCode });
      const mine = await bo.api.classrooms.list();
      expect(mine.classrooms).toEqual([
        expect.objectContaining({ id: room.id, role: "student", joinCode: null }),
      ]);
      expect(mine.canCreate).toBe(false);
      expect((await teacher.api.classrooms.list()).classrooms[0]).toMatchObject({
        role: "instructor",
        joinCode: room.joinCode,
      });

      const wrong = await rejection(() => bo.api.classrooms.join({ code: "ZZZZ-ZZZZ" }));
      expect(wrong.code).toBe("NOT_FOUND");
      expect(wrong.message).toMatch(/No classroom has the code ZZZZ-ZZZZ/);
      expect((await rejection(() => bo.api.classrooms.join({ code: "abc" }))).message).toMatch(
        /not a join code/,
      );

      // A renewed code replaces the old one.
      const { joinCode } = await teacher.api.classrooms.renewCode({ id: room.id });
      expect(joinCode).not.toBe(room.joinCode);
      const late = await account("student", "Late Joiner");
      expect((await rejection(() => late.api.classrooms.join({ code: room.joinCode }))).code).toBe(
        "NOT_FOUND",
      );
      await late.api.classrooms.join({ code: joinCode });

      // Anonymous browsers and students can't create classrooms.
      expect((await rejection(() => browser(services).classrooms.create({ name: "x" }))).code).toBe(
        "FORBIDDEN",
      );
      expect((await rejection(() => bo.api.classrooms.create({ name: "x" }))).code).toBe(
        "FORBIDDEN",
      );
    });

    it("members: only the classroom's own instructors see and remove them", async () => {
      const { teacher, room, students } = await classroomWithStudents("Cy Student", "Di Student");
      const [cy, di] = students;
      const members = await teacher.api.classrooms.members({ id: room.id });
      expect(members.map((m) => m.role).sort()).toEqual(["instructor", "student", "student"]);
      expect((await rejection(() => cy.api.classrooms.members({ id: room.id }))).code).toBe(
        "FORBIDDEN",
      );
      const other = await account("instructor", "Other Teacher");
      expect((await rejection(() => other.api.classrooms.members({ id: room.id }))).code).toBe(
        "FORBIDDEN",
      );
      expect(
        (
          await rejection(() =>
            teacher.api.classrooms.removeMember({ id: room.id, userId: teacher.id }),
          )
        ).message,
      ).toMatch(/last one/);
      await teacher.api.classrooms.removeMember({ id: room.id, userId: di.id });
      expect((await rejection(() => di.api.assignments.list({ classroomId: room.id }))).code).toBe(
        "FORBIDDEN",
      );
    });

    it("publishing: instructors of that classroom only; students see no content or expectations", async () => {
      const { teacher, room, students } = await classroomWithStudents("Ed Student");
      const [ed] = students;
      const forbidden = await rejection(() => publishGraded(ed, room.id));
      expect(forbidden.code).toBe("FORBIDDEN");
      const other = await account("instructor", "Other Teacher");
      expect((await rejection(() => publishGraded(other, room.id))).code).toBe("FORBIDDEN");
      // An instructor publishes only notebooks they own.
      const someone = browser(services);
      const theirs = await someone.notebooks.create({ lesson: "tensors" });
      const notMine = await rejection(() =>
        teacher.api.assignments.publish({
          classroomId: room.id,
          title: "Stolen",
          source: { notebookId: theirs.id },
          graded: false,
        }),
      );
      expect(notMine.code).toBe("FORBIDDEN");

      await publishGraded(teacher, room.id);
      const { assignments } = await ed.api.assignments.list({ classroomId: room.id });
      expect(assignments).toHaveLength(1);
      const text = JSON.stringify(assignments);
      expect(text).not.toContain("arange");
      expect(text).not.toContain("expect");
      expect(assignments[0]).toMatchObject({
        title: "Tensors (graded)",
        graded: true,
        total: 3,
        mine: null,
      });

      // The student's copy has no solutions or checks: the exercise cells are marked graded.
      const { notebookId } = await ed.api.assignments.start({ assignmentId: assignments[0].id });
      const copy = await ed.api.notebooks.get({ id: notebookId });
      expect(copy.content).toContain("```js exercise=grid graded");
      expect(copy.content).not.toContain("solution=");
      expect(copy.content).not.toContain("check=");
      expect(copy.content).not.toContain("// hint:");
      // Starting again opens the same copy.
      expect((await ed.api.assignments.start({ assignmentId: assignments[0].id })).notebookId).toBe(
        notebookId,
      );
    });

    it("refuses graded work whose expected answers are missing or not gradable, saying which exercise", async () => {
      const { teacher, room } = await classroomWithStudents();
      const attempt = (expectations: Record<string, unknown>) =>
        rejection(() =>
          teacher.api.assignments.publish({
            classroomId: room.id,
            title: "T",
            source: { lesson: "tensors" },
            graded: true,
            expectations,
          }),
        );
      const { grid: _grid, ...noGrid } = TENSORS_EXPECTED;
      expect((await attempt(noGrid)).message).toMatch(/Exercise "grid" has no expected answer/);
      expect(
        (await attempt({ ...TENSORS_EXPECTED, grid: { grid: { kind: "function" } } })).message,
      ).toMatch(/exercise "grid": `grid` has an unknown kind "function"/);
      expect(
        (await attempt({ ...TENSORS_EXPECTED, grid: { other: TENSORS_EXPECTED.grid.grid } }))
          .message,
      ).toMatch(/Exercise "grid": the expected answer has no value for `grid`/);
      expect(
        (
          await attempt({
            ...TENSORS_EXPECTED,
            grid: { grid: { kind: "tensor", dtype: "int64", shape: [3, 4], data: [1] } },
          })
        ).message,
      ).toMatch(/has 1 values for shape \[3, 4\]/);
    });

    it("graded exercises: a browser-reported pass doesn't count; the server's check does", async () => {
      const { teacher, room, students } = await classroomWithStudents("Fay Student", "Gus Student");
      const [fay, gus] = students;
      const { id: assignmentId } = await publishGraded(teacher, room.id);
      const { notebookId } = await fay.api.assignments.start({ assignmentId });

      await fay.api.progress.record({
        notebookId,
        exercises: [
          {
            exercise: "grid",
            status: "passed",
            message: "Correct!",
            hintsShown: 0,
            solutionShown: false,
          },
        ],
      });
      let table = await teacher.api.classrooms.progress({ id: room.id });
      const fayRow = () => table.students.find((s) => s.userId === fay.id)!;
      expect(fayRow().work[assignmentId]).toMatchObject({ passed: 0, total: 3 });

      // Wrong shape: compare's message, from the server.
      const wrong = await fay.api.progress.submitAnswer({
        notebookId,
        exercise: "grid",
        values: { grid: tensor("int64", [4, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) },
      });
      expect(wrong).toMatchObject({
        status: "failed",
        message: "`grid` has shape [4, 3]; expected [3, 4] (transposed?)",
      });
      const wrongDtype = await fay.api.progress.submitAnswer({
        notebookId,
        exercise: "classes",
        values: { classes: tensor("float32", [3], [2, 0, 1]) },
      });
      expect(wrongDtype.message).toMatch(/`classes` has dtype float32; expected int64/);

      const right = await fay.api.progress.submitAnswer({
        notebookId,
        exercise: "grid",
        values: { grid: TENSORS_EXPECTED.grid.grid },
      });
      expect(right).toMatchObject({ status: "passed", message: "Correct!" });
      const [row] = await services.db
        .select()
        .from(exerciseResults)
        .where(eq(exerciseResults.notebookId, notebookId))
        .then((rows) => rows.filter((r) => r.exercise === "grid"));
      expect(row).toMatchObject({ status: "passed", checkedBy: "server", attempts: 2 });
      expect(row.passedAt).not.toBeNull();

      // A later browser report can't turn the server's pass into a fail either.
      await fay.api.progress.record({
        notebookId,
        exercises: [
          {
            exercise: "grid",
            status: "failed",
            message: "nope",
            hintsShown: 0,
            solutionShown: false,
          },
        ],
      });
      table = await teacher.api.classrooms.progress({ id: room.id });
      expect(fayRow().work[assignmentId]).toMatchObject({ passed: 1, total: 3, late: false });
      const grid = fayRow().work[assignmentId].exercises.find((e) => e.exercise === "grid");
      expect(grid).toMatchObject({ status: "passed", checkedBy: "server", attempts: 2 });

      // Another student can't submit to, record in, or read Fay's notebook or results.
      const args = { notebookId, exercise: "grid", values: { grid: TENSORS_EXPECTED.grid.grid } };
      expect((await rejection(() => gus.api.progress.submitAnswer(args))).code).toBe("FORBIDDEN");
      expect(
        (await rejection(() => gus.api.progress.record({ notebookId, exercises: [] }))).code,
      ).toBe("FORBIDDEN");
      expect((await rejection(() => gus.api.progress.forNotebook({ notebookId }))).code).toBe(
        "FORBIDDEN",
      );
      expect((await rejection(() => gus.api.notebooks.get({ id: notebookId }))).code).toBe(
        "FORBIDDEN",
      );
      expect((await rejection(() => gus.api.classrooms.progress({ id: room.id }))).code).toBe(
        "FORBIDDEN",
      );
      // Gus's own list shows only his own work.
      const gusList = await gus.api.assignments.list({ classroomId: room.id });
      expect(gusList.assignments[0].mine).toBeNull();
      expect(JSON.stringify(gusList)).not.toContain(notebookId);
    });

    it("ungraded work: the browser's verdicts count; hints and attempts are kept", async () => {
      const { teacher, room, students } = await classroomWithStudents("Hal Student");
      const [hal] = students;
      const { id: assignmentId } = await teacher.api.assignments.publish({
        classroomId: room.id,
        title: "Tensors (practice)",
        source: { lesson: "tensors" },
        graded: false,
      });
      const { notebookId } = await hal.api.assignments.start({ assignmentId });
      expect((await hal.api.notebooks.get({ id: notebookId })).content).toContain("solution=grid");
      const report = (
        status: "failed" | "passed" | "checking",
        message: string,
        hintsShown: number,
      ) =>
        hal.api.progress.record({
          notebookId,
          exercises: [{ exercise: "grid", status, message, hintsShown, solutionShown: false }],
        });
      await report("failed", "`grid` has shape [4, 3]", 1);
      await report("failed", "`grid` has shape [4, 3]", 1); // the same verdict again: no new attempt
      await report("checking", "Checking…", 2);
      await report("passed", "Correct!", 2);
      const saved = await hal.api.progress.forNotebook({ notebookId });
      expect(saved).toMatchObject({ total: 3, passed: 1, graded: false });
      expect(saved.results[0]).toMatchObject({
        exercise: "grid",
        status: "passed",
        attempts: 2,
        hintsShown: 2,
        checkedBy: "browser",
      });
      expect(saved.results[0].firstAttemptAt).not.toBeNull();
      // Submitting is for graded work only.
      expect(
        (
          await rejection(() =>
            hal.api.progress.submitAnswer({ notebookId, exercise: "grid", values: {} }),
          )
        ).message,
      ).toMatch(/not graded work/);
    });

    it("lesson copies: progress is the owner's, and the course shows it per lesson", async () => {
      const ivy = browser(services);
      const { id } = await ivy.notebooks.create({ lesson: "tensors" });
      await ivy.progress.record({
        notebookId: id,
        exercises: [
          {
            exercise: "grid",
            status: "passed",
            message: "Correct!",
            hintsShown: 1,
            solutionShown: true,
          },
          {
            exercise: "classes",
            status: "failed",
            message: "no",
            hintsShown: 0,
            solutionShown: false,
          },
        ],
      });
      expect(await ivy.progress.lessons()).toEqual([
        { slug: "tensors", notebookId: id, passed: 1, total: 3 },
      ]);
      const stranger = browser(services);
      expect(
        (
          await rejection(() =>
            stranger.progress.record({
              notebookId: id,
              exercises: [
                {
                  exercise: "grid",
                  status: "passed",
                  message: "",
                  hintsShown: 0,
                  solutionShown: false,
                },
              ],
            }),
          )
        ).code,
      ).toBe("FORBIDDEN");
      expect(await stranger.progress.lessons()).toEqual([]);
    });

    it("due dates: a pass after the due date is late", async () => {
      const { teacher, room, students } = await classroomWithStudents("Jo Student", "Kim Student");
      const [jo, kim] = students;
      const past = await publishGraded(teacher, room.id, {
        dueAt: new Date(Date.now() - 86_400_000).toISOString(),
      });
      const future = await publishGraded(teacher, room.id, {
        dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      for (const { id } of [past, future]) {
        const { notebookId } = await jo.api.assignments.start({ assignmentId: id });
        await jo.api.progress.submitAnswer({
          notebookId,
          exercise: "grid",
          values: { grid: TENSORS_EXPECTED.grid.grid },
        });
      }
      const table = await teacher.api.classrooms.progress({ id: room.id });
      const joRow = table.students.find((s) => s.userId === jo.id)!;
      expect(joRow.work[past.id]).toMatchObject({ passed: 1, late: true, onTime: "late" });
      expect(joRow.work[future.id]).toMatchObject({ passed: 1, late: false, onTime: "yes" });
      const kimRow = table.students.find((s) => s.userId === kim.id)!;
      expect(kimRow.work[past.id]).toMatchObject({ passed: 0, notebookId: null, onTime: "" });
      const joList = await jo.api.assignments.list({ classroomId: room.id });
      expect(joList.assignments.map((a) => a.mine?.late)).toEqual([true, false]);
    });

    it("grades CSV: instructors of that classroom only, quoted, formulas neutralised", async () => {
      const { teacher, room, students } = await classroomWithStudents('=HYPERLINK("x"), "Lee"');
      const [lee] = students;
      const { id: assignmentId } = await publishGraded(teacher, room.id, {
        dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      const { notebookId } = await lee.api.assignments.start({ assignmentId });
      await lee.api.progress.submitAnswer({
        notebookId,
        exercise: "classes",
        values: { classes: TENSORS_EXPECTED.classes.classes },
      });
      const get = (who: object | null, id = room.id) => {
        return handleGradesCsv(
          new Request(`http://gradbook.test/api/classrooms/${id}/grades.csv`, {
            headers: who ? { cookie: sessionCookie(who) } : {},
          }),
          services,
          id,
        );
      };
      const response = await get(teacher.api);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("content-disposition")).toBe(
        'attachment; filename="Deep-learning-101-grades.csv"',
      );
      const csv = await response.text();
      expect(csv.split("\r\n")).toEqual([
        "name,email,Tensors (graded) (passed/total),Tensors (graded) (on time)",
        `"'=HYPERLINK(""x""), ""Lee""",${lee.email},1/3,yes`,
        "",
      ]);

      expect((await get(lee.api)).status).toBe(403);
      expect((await get(null)).status).toBe(403);
      const other = await account("instructor", "Other Teacher");
      expect((await get(other.api)).status).toBe(403);
      expect((await get(teacher.api, "A".repeat(24))).status).toBe(404);
      expect((await get(teacher.api, "../etc")).status).toBe(404);

      expect(csvField("-1+2")).toBe("'-1+2");
      expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
      expect(csvField("+44 20")).toBe("'+44 20");
      expect(csvField("a\nb")).toBe('"a\nb"');
      expect(csvField("plain")).toBe("plain");
    });
  });
}
