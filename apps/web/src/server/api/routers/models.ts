import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { modelNameProblem } from "../../../lib/model-name";
import { summarizeMetadata } from "../../models/metadata";
import { deleteModel, listModels } from "../../models/store";
import { readProcedure, router, writeProcedure } from "../trpc";

/**
 * The caller's saved models: listing and deleting. Saving and downloading stream bytes, so they
 * are route handlers (server/models/http.ts), not procedures.
 */
const modelName = z.string().superRefine((name, ctx) => {
  const problem = modelNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const modelsRouter = router({
  /** The largest model this server stores: the shell refuses bigger ones before asking. */
  limit: readProcedure.query(({ ctx }) => ({ bytes: ctx.services.limits.modelBytes })),

  list: readProcedure.query(async ({ ctx }) => {
    const userId = await ctx.identity.current();
    if (userId === null) return [];
    const rows = await listModels(ctx.services.db, userId);
    return rows.map(({ row, notebookTitle }) => ({
      name: row.name,
      bytes: row.bytes,
      version: row.version,
      sha256: row.sha256,
      ...summarizeMetadata(row.metadata),
      notebook: row.notebookId ? { id: row.notebookId, title: notebookTitle ?? "" } : null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    }));
  }),

  delete: writeProcedure
    .input(z.object({ name: modelName }).strict())
    .mutation(async ({ ctx, input }) => {
      if (!(await deleteModel(ctx.services.db, ctx.userId, input.name))) {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `You have no saved model named “${input.name}”.`,
        });
      }
      return { name: input.name };
    }),
});
