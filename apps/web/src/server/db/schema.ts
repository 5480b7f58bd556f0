import { sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import {
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * One schema for PGlite and PostgreSQL. Identity is split in two: `users` is a person (anonymous,
 * or `kind = 'account'` with an email and password and/or a school's OpenID Connect identity),
 * `sessions` is a browser's cookie. Signing up turns an anonymous user into an account in place,
 * so the notebooks it owns stay its own.
 */

export const userKind = pgEnum("user_kind", ["anonymous", "account"]);
/** The site-wide role; per-classroom roles will live in a membership table. */
export const userRole = pgEnum("user_role", ["admin", "instructor", "student"]);
export const shareVisibility = pgEnum("share_visibility", ["private", "link", "public"]);
export const classroomRole = pgEnum("classroom_role", ["instructor", "student"]);
/** Where an exercise's verdict came from: the student's browser, or the server's re-check. */
export const checkedBy = pgEnum("checked_by", ["browser", "server"]);

/** Raw bytes (PostgreSQL `bytea`), as Node Buffers. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey(),
    kind: userKind("kind").notNull(),
    role: userRole("role").notNull().default("student"),
    /** Accounts only; unique among accounts. */
    email: text("email").unique(),
    /** Null for an account that signs in only through OpenID Connect (oidc/). */
    passwordHash: text("password_hash"),
    displayName: text("display_name"),
    /** The school's identity (the ID token's `iss` and `sub`) this account signs in as, if any. */
    oidcIssuer: text("oidc_issuer"),
    oidcSubject: text("oidc_subject"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // An OpenID Connect account may have no email: providers need not share a verified one.
    check(
      "users_account_has_login",
      sql`${t.kind} = 'anonymous' or ${t.email} is not null or ${t.oidcSubject} is not null`,
    ),
    check("users_oidc_pair", sql`(${t.oidcIssuer} is null) = (${t.oidcSubject} is null)`),
    uniqueIndex("users_oidc_identity_idx").on(t.oidcIssuer, t.oidcSubject),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    /** SHA-256 of the cookie's secret: a leaked table does not log anyone in. */
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const notebooks = pgTable(
  "notebooks",
  {
    id: text("id").primaryKey(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Derived from the content's front matter (or first heading) on every save, for lists. */
    title: text("title").notNull(),
    /** The notebook as Markdown, in @gradbook/notebook's format. */
    content: text("content").notNull(),
    /** Starts at 1 and grows by one per save; a save must name the version it edited. */
    version: integer("version").notNull().default(1),
    forkedFromId: text("forked_from_id"),
    /** The lesson this notebook was started from, if any. */
    lessonSlug: text("lesson_slug"),
    /** A student's copy of an assignment: one per student and assignment. */
    assignmentId: text("assignment_id").references((): AnyPgColumn => assignments.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("notebooks_owner_updated_idx").on(t.ownerId, t.updatedAt),
    uniqueIndex("notebooks_assignment_owner_idx").on(t.assignmentId, t.ownerId),
    foreignKey({ columns: [t.forkedFromId], foreignColumns: [t.id] }).onDelete("set null"),
  ],
);

export const notebookRevisions = pgTable(
  "notebook_revisions",
  {
    notebookId: text("notebook_id")
      .notNull()
      .references(() => notebooks.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    content: text("content").notNull(),
    /** Who saved it: the owner today, a collaborator or instructor later. */
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.notebookId, t.version] })],
);

export const shares = pgTable(
  "shares",
  {
    /** Unguessable: 144 random bits, base64url. Knowing it is what grants read access. */
    id: text("id").primaryKey(),
    notebookId: text("notebook_id")
      .notNull()
      .references(() => notebooks.id, { onDelete: "cascade" }),
    visibility: shareVisibility("visibility").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("shares_notebook_idx").on(t.notebookId)],
);

/** Failed sign-ins per key (an email, an address) in the current window: brute-force limits that hold across app instances. */
export const loginThrottle = pgTable("login_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true }).notNull().defaultNow(),
});

export const classrooms = pgTable("classrooms", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** What students type to join: short, unambiguous, unique; the instructor can renew it. */
  joinCode: text("join_code").notNull().unique(),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const classroomMembers = pgTable(
  "classroom_members",
  {
    classroomId: text("classroom_id")
      .notNull()
      .references(() => classrooms.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: classroomRole("role").notNull(),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.classroomId, t.userId] }),
    index("classroom_members_user_idx").on(t.userId),
  ],
);

/**
 * A lesson published to a classroom, with a due date when it is an assignment. `content` is the
 * lesson as the instructor wrote it (solutions included: instructors only); students start from
 * `studentContent`, which for graded work has no solution or check cells.
 */
export const assignments = pgTable(
  "assignments",
  {
    id: text("id").primaryKey(),
    classroomId: text("classroom_id")
      .notNull()
      .references(() => classrooms.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    /** Where it came from: a built-in lesson, or the instructor's own notebook. */
    lessonSlug: text("lesson_slug"),
    sourceNotebookId: text("source_notebook_id").references((): AnyPgColumn => notebooks.id, {
      onDelete: "set null",
    }),
    content: text("content").notNull(),
    studentContent: text("student_content").notNull(),
    graded: boolean("graded").notNull().default(false),
    dueAt: timestamp("due_at", { withTimezone: true }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("assignments_classroom_idx").on(t.classroomId, t.createdAt)],
);

/**
 * A graded exercise's expected answer (the values its names hold after the reference solution,
 * serialized), sent by the instructor's browser when publishing. Never sent to a student.
 */
export const assignmentExpectations = pgTable(
  "assignment_expectations",
  {
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id, { onDelete: "cascade" }),
    exercise: text("exercise").notNull(),
    expected: jsonb("expected").notNull(),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.exercise] })],
);

/** One exercise's state in one notebook: the record a progress table and grades are made of. */
export const exerciseResults = pgTable(
  "exercise_results",
  {
    notebookId: text("notebook_id")
      .notNull()
      .references(() => notebooks.id, { onDelete: "cascade" }),
    exercise: text("exercise").notNull(),
    /** The lesson session's status: not-attempted, checking, passed, failed, error, blocked. */
    status: text("status").notNull(),
    message: text("message"),
    attempts: integer("attempts").notNull().default(0),
    hintsShown: integer("hints_shown").notNull().default(0),
    solutionShown: boolean("solution_shown").notNull().default(false),
    checkedBy: checkedBy("checked_by").notNull().default("browser"),
    firstAttemptAt: timestamp("first_attempt_at", { withTimezone: true }),
    passedAt: timestamp("passed_at", { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.notebookId, t.exercise] })],
);

/** A saved model: safetensors from `torch.save`, stored in chunks so uploads and downloads stream. */
export const models = pgTable(
  "models",
  {
    id: text("id").primaryKey(),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    bytes: integer("bytes").notNull(),
    sha256: text("sha256").notNull(),
    /** The safetensors header's `__metadata__`: architecture, metrics, what saved it. */
    metadata: jsonb("metadata").notNull(),
    /** The notebook it was saved from, if any. */
    notebookId: text("notebook_id").references(() => notebooks.id, { onDelete: "set null" }),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("models_owner_name_idx").on(t.ownerId, t.name)],
);

export const modelChunks = pgTable(
  "model_chunks",
  {
    modelId: text("model_id")
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    data: bytea("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.seq] })],
);

export type UserRow = typeof users.$inferSelect;
export type NotebookRow = typeof notebooks.$inferSelect;
export type ShareRow = typeof shares.$inferSelect;
export type ClassroomRow = typeof classrooms.$inferSelect;
export type AssignmentRow = typeof assignments.$inferSelect;
export type ExerciseResultRow = typeof exerciseResults.$inferSelect;
export type ModelRow = typeof models.$inferSelect;
export type ShareVisibility = (typeof shareVisibility.enumValues)[number];
