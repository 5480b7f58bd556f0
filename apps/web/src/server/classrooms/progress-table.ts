import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/open";
import {
  type AssignmentRow,
  assignments,
  classroomMembers,
  type ExerciseResultRow,
  exerciseResults,
  notebooks,
  users,
} from "../db/schema";
import { exerciseNames } from "./exercise-lists";
import { type ResultView, resultView } from "./results";

/**
 * Where each student is in each assignment: the classroom's progress table and its grades.
 * An exercise counts as passed once it has passed (a later edit that breaks it doesn't take the
 * credit back); for graded work only the server's check can pass it. Late: passed after the
 * due date.
 */

export interface AssignmentColumn {
  readonly id: string;
  readonly title: string;
  readonly dueAt: string | null;
  readonly graded: boolean;
  readonly total: number;
}

export interface StudentWork {
  readonly notebookId: string | null;
  readonly passed: number;
  readonly total: number;
  /** Some exercise passed after the due date. */
  readonly late: boolean;
  /** `yes` when every pass came by the due date (or there is none), `late` if not, `""` before any pass. */
  readonly onTime: "yes" | "late" | "";
  readonly exercises: readonly ResultView[];
}

export interface StudentRow {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly work: Readonly<Record<string, StudentWork>>;
}

export interface ProgressTable {
  readonly assignments: readonly AssignmentColumn[];
  readonly students: readonly StudentRow[];
}

export function assignmentExercises(row: AssignmentRow): readonly string[] {
  return exerciseNames(row.studentContent);
}

function studentWork(
  assignment: AssignmentRow,
  notebookId: string | null,
  results: readonly ExerciseResultRow[],
): StudentWork {
  const names = assignmentExercises(assignment);
  const mine = results.filter((result) => names.includes(result.exercise));
  const passes = mine.map((result) => result.passedAt).filter((at): at is Date => at !== null);
  const late = assignment.dueAt !== null && passes.some((at) => at > assignment.dueAt!);
  return {
    notebookId,
    passed: passes.length,
    total: names.length,
    late,
    onTime: passes.length === 0 ? "" : late ? "late" : "yes",
    exercises: names.map(
      (name) => mine.map(resultView).find((result) => result.exercise === name) ?? untouched(name),
    ),
  };
}

function untouched(exercise: string): ResultView {
  return {
    exercise,
    status: "not-attempted",
    message: null,
    attempts: 0,
    hintsShown: 0,
    solutionShown: false,
    checkedBy: "browser",
    firstAttemptAt: null,
    passedAt: null,
    updatedAt: new Date(0).toISOString(),
  };
}

export function assignmentColumn(row: AssignmentRow): AssignmentColumn {
  return {
    id: row.id,
    title: row.title,
    dueAt: row.dueAt?.toISOString() ?? null,
    graded: row.graded,
    total: assignmentExercises(row).length,
  };
}

/** A classroom's assignments, oldest first: the progress table's columns. */
export function classroomAssignments(db: Database, classroomId: string): Promise<AssignmentRow[]> {
  return db
    .select()
    .from(assignments)
    .where(eq(assignments.classroomId, classroomId))
    .orderBy(asc(assignments.createdAt));
}

/**
 * Reads the students' copies of the assignments and those copies' results (two queries, whatever
 * the numbers), and returns each student's work on each assignment from them.
 */
export async function loadStudentWork(
  db: Database,
  columns: readonly AssignmentRow[],
  studentIds: readonly string[],
): Promise<(studentId: string, assignment: AssignmentRow) => StudentWork> {
  const copies =
    columns.length && studentIds.length
      ? await db
          .select({
            id: notebooks.id,
            ownerId: notebooks.ownerId,
            assignmentId: notebooks.assignmentId,
          })
          .from(notebooks)
          .where(
            and(
              inArray(
                notebooks.assignmentId,
                columns.map((c) => c.id),
              ),
              inArray(notebooks.ownerId, [...studentIds]),
            ),
          )
      : [];
  const results = copies.length
    ? await db
        .select()
        .from(exerciseResults)
        .where(
          inArray(
            exerciseResults.notebookId,
            copies.map((c) => c.id),
          ),
        )
    : [];
  return (studentId, assignment) => {
    const copy = copies.find((c) => c.ownerId === studentId && c.assignmentId === assignment.id);
    const own = copy ? results.filter((r) => r.notebookId === copy.id) : [];
    return studentWork(assignment, copy?.id ?? null, own);
  };
}

export async function progressTable(db: Database, classroomId: string): Promise<ProgressTable> {
  const columns = await classroomAssignments(db, classroomId);
  const students = await db
    .select({ userId: users.id, name: users.displayName, email: users.email })
    .from(classroomMembers)
    .innerJoin(users, eq(users.id, classroomMembers.userId))
    .where(and(eq(classroomMembers.classroomId, classroomId), eq(classroomMembers.role, "student")))
    .orderBy(asc(users.displayName), asc(users.email));
  const workOf = await loadStudentWork(
    db,
    columns,
    students.map((s) => s.userId),
  );
  return {
    assignments: columns.map(assignmentColumn),
    students: students.map((student) => ({
      userId: student.userId,
      name: student.name ?? "",
      email: student.email ?? "",
      work: Object.fromEntries(
        columns.map((assignment) => [assignment.id, workOf(student.userId, assignment)]),
      ),
    })),
  };
}
