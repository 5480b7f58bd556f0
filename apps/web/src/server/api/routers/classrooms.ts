import { TRPCError } from "@trpc/server";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { formatJoinCode, newJoinCode, normalizeJoinCode } from "../../classrooms/join-code";
import { classroomFor, instructedClassroom } from "../../classrooms/membership";
import { progressTable } from "../../classrooms/progress-table";
import type { Database } from "../../db/open";
import { type ClassroomRow, classroomMembers, classrooms, users } from "../../db/schema";
import { randomId } from "../../ids";
import { signedInUser } from "../session-user";
import { accountProcedure, instructorProcedure, readProcedure, router } from "../trpc";

export const classroomId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "not a classroom id");
const classroomName = z.string().trim().min(1, "give the classroom a name").max(200);

/** A join code is unique: on the rare collision, draw another. */
async function withFreshCode<T>(write: (code: string) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write(newJoinCode());
    } catch (error) {
      if (attempt >= 4 || !isUniqueViolation(error)) throw error;
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}

function classroomView(row: ClassroomRow, role: "instructor" | "student") {
  return {
    id: row.id,
    name: row.name,
    role,
    // Students joined already; the code is the instructors' to hand out.
    joinCode: role === "instructor" ? formatJoinCode(row.joinCode) : null,
    createdAt: row.createdAt.toISOString(),
  };
}
export type ClassroomView = ReturnType<typeof classroomView>;

async function memberCount(db: Database, id: string, role: "instructor" | "student") {
  const [row] = await db
    .select({ n: count() })
    .from(classroomMembers)
    .where(and(eq(classroomMembers.classroomId, id), eq(classroomMembers.role, role)));
  return row.n;
}

export const classroomsRouter = router({
  /** The viewer's classrooms with their role in each, and whether they may create one. */
  list: readProcedure.query(async ({ ctx }) => {
    const user = await signedInUser(ctx);
    if (!user) return { signedIn: false, canCreate: false, classrooms: [] as ClassroomView[] };
    const rows = await ctx.services.db
      .select({ classroom: classrooms, role: classroomMembers.role })
      .from(classroomMembers)
      .innerJoin(classrooms, eq(classrooms.id, classroomMembers.classroomId))
      .where(eq(classroomMembers.userId, user.id))
      .orderBy(asc(classrooms.name));
    return {
      signedIn: true,
      canCreate: user.role !== "student",
      classrooms: rows.map((row) => classroomView(row.classroom, row.role)),
    };
  }),

  get: readProcedure.input(z.object({ id: classroomId })).query(async ({ ctx, input }) => {
    const user = await signedInUser(ctx);
    const { classroom, role } = await classroomFor(ctx.services.db, input.id, user?.id ?? null);
    return classroomView(classroom, role);
  }),

  create: instructorProcedure
    .input(z.object({ name: classroomName }).strict())
    .mutation(async ({ ctx, input }) => {
      const id = randomId();
      const joinCode = await withFreshCode((code) =>
        ctx.services.db.transaction(async (tx) => {
          await tx
            .insert(classrooms)
            .values({ id, name: input.name, joinCode: code, createdBy: ctx.userId });
          await tx
            .insert(classroomMembers)
            .values({ classroomId: id, userId: ctx.userId, role: "instructor" });
          return code;
        }),
      );
      return { id, joinCode: formatJoinCode(joinCode) };
    }),

  /** A new code: the old one stops working (members stay). */
  renewCode: accountProcedure
    .input(z.object({ id: classroomId }).strict())
    .mutation(async ({ ctx, input }) => {
      await instructedClassroom(ctx.services.db, input.id, ctx.userId, "renew its join code");
      const joinCode = await withFreshCode(async (code) => {
        await ctx.services.db
          .update(classrooms)
          .set({ joinCode: code, updatedAt: sql`now()` })
          .where(eq(classrooms.id, input.id));
        return code;
      });
      return { joinCode: formatJoinCode(joinCode) };
    }),

  /** Joins with a code; joining a classroom one is already in changes nothing. */
  join: accountProcedure
    .input(z.object({ code: z.string().max(100) }).strict())
    .mutation(async ({ ctx, input }) => {
      const normalized = normalizeJoinCode(input.code);
      if ("problem" in normalized) {
        throw new TRPCError({ code: "BAD_REQUEST", message: normalized.problem });
      }
      const { db } = ctx.services;
      const [classroom] = await db
        .select()
        .from(classrooms)
        .where(eq(classrooms.joinCode, normalized.code));
      if (!classroom) {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `No classroom has the code ${formatJoinCode(normalized.code)}. Check it with your instructor: a renewed code replaces the old one.`,
        });
      }
      await db
        .insert(classroomMembers)
        .values({ classroomId: classroom.id, userId: ctx.userId, role: "student" })
        .onConflictDoNothing();
      const { role } = await classroomFor(db, classroom.id, ctx.userId);
      return { id: classroom.id, name: classroom.name, role };
    }),

  members: readProcedure.input(z.object({ id: classroomId })).query(async ({ ctx, input }) => {
    const { db } = ctx.services;
    const user = await signedInUser(ctx);
    await instructedClassroom(db, input.id, user?.id ?? null, "see its members");
    const rows = await db
      .select({
        userId: users.id,
        name: users.displayName,
        email: users.email,
        role: classroomMembers.role,
        joinedAt: classroomMembers.joinedAt,
      })
      .from(classroomMembers)
      .innerJoin(users, eq(users.id, classroomMembers.userId))
      .where(eq(classroomMembers.classroomId, input.id))
      .orderBy(asc(classroomMembers.role), asc(users.displayName), asc(users.email));
    return rows.map((row) => ({
      ...row,
      name: row.name ?? "",
      email: row.email ?? "",
      joinedAt: row.joinedAt.toISOString(),
    }));
  }),

  removeMember: accountProcedure
    .input(z.object({ id: classroomId, userId: z.string().uuid() }).strict())
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.services;
      await instructedClassroom(db, input.id, ctx.userId, "remove members");
      const where = and(
        eq(classroomMembers.classroomId, input.id),
        eq(classroomMembers.userId, input.userId),
      );
      const [member] = await db.select().from(classroomMembers).where(where);
      if (!member) {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: "They are not a member of this classroom.",
        });
      }
      if (member.role === "instructor" && (await memberCount(db, input.id, "instructor")) <= 1) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: "A classroom needs an instructor: this is its last one.",
        });
      }
      await db.delete(classroomMembers).where(where);
      return { removed: input.userId };
    }),

  /** Students × assignments, with each exercise's record: the instructors' live table. */
  progress: readProcedure.input(z.object({ id: classroomId })).query(async ({ ctx, input }) => {
    const { db } = ctx.services;
    const user = await signedInUser(ctx);
    await instructedClassroom(db, input.id, user?.id ?? null, "see its progress");
    return progressTable(db, input.id);
  }),
});
