import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import type { Database } from "../db/open";
import { type ClassroomRow, classroomMembers, classrooms } from "../db/schema";

export type ClassroomRole = "instructor" | "student";

/**
 * Who may see what in a classroom: its members see it; only its own instructors see members,
 * progress and grades, and publish. Being an instructor on the site is not enough: it has to be
 * this classroom.
 */
export async function classroomFor(
  db: Database,
  classroomId: string,
  userId: string | null,
): Promise<{ classroom: ClassroomRow; role: ClassroomRole }> {
  const [classroom] = await db.select().from(classrooms).where(eq(classrooms.id, classroomId));
  if (!classroom) {
    throw new TRPCError({ code: "NOT_FOUND", message: "There is no such classroom." });
  }
  const role = userId === null ? null : await roleIn(db, classroomId, userId);
  if (role === null) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message:
        "You are not a member of this classroom: join it with the code your instructor gives you.",
    });
  }
  return { classroom, role };
}

export async function instructedClassroom(
  db: Database,
  classroomId: string,
  userId: string | null,
  action: string,
): Promise<ClassroomRow> {
  const { classroom, role } = await classroomFor(db, classroomId, userId);
  if (role !== "instructor") {
    throw new TRPCError({
      code: "FORBIDDEN",
      message: `Only this classroom's instructors can ${action}.`,
    });
  }
  return classroom;
}

export async function roleIn(
  db: Database,
  classroomId: string,
  userId: string,
): Promise<ClassroomRole | null> {
  const [row] = await db
    .select({ role: classroomMembers.role })
    .from(classroomMembers)
    .where(and(eq(classroomMembers.classroomId, classroomId), eq(classroomMembers.userId, userId)));
  return row?.role ?? null;
}
