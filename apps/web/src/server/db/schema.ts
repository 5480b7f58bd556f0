import { sql } from "drizzle-orm";
import {
  check,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * One schema for PGlite and PostgreSQL. Identity is split in two so that accounts slot in:
 * `users` is a person (anonymous today; `kind = 'account'` with an email and password later),
 * `sessions` is a browser's cookie. Signing up will turn an anonymous user into an account in
 * place, so the notebooks it owns stay its own.
 */

export const userKind = pgEnum("user_kind", ["anonymous", "account"]);
/** The site-wide role; per-classroom roles will live in a membership table. */
export const userRole = pgEnum("user_role", ["admin", "instructor", "student"]);
export const shareVisibility = pgEnum("share_visibility", ["private", "link", "public"]);

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
    passwordHash: text("password_hash"),
    displayName: text("display_name"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check("users_account_has_email", sql`${t.kind} = 'anonymous' or ${t.email} is not null`)],
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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("notebooks_owner_updated_idx").on(t.ownerId, t.updatedAt),
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

export type UserRow = typeof users.$inferSelect;
export type NotebookRow = typeof notebooks.$inferSelect;
export type ShareRow = typeof shares.$inferSelect;
export type ShareVisibility = (typeof shareVisibility.enumValues)[number];
