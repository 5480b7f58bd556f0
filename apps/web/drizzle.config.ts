import { defineConfig } from "drizzle-kit";

// `npm run db:generate -w @gradbook/web` writes a migration for schema changes; the app and the
// tests apply them (src/server/db/migrate.ts), on PGlite and PostgreSQL alike.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/server/db/schema.ts",
  out: "./drizzle",
});
