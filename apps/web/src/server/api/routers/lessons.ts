import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { lessonSlug } from "../inputs";
import { readProcedure, router } from "../trpc";

export const lessonsRouter = router({
  list: readProcedure.query(({ ctx }) => ctx.services.lessons.list()),
  get: readProcedure.input(z.object({ slug: lessonSlug })).query(async ({ ctx, input }) => {
    const lesson = await ctx.services.lessons.get(input.slug);
    if (!lesson)
      throw new TRPCError({ code: "NOT_FOUND", message: `There is no lesson ${input.slug}.` });
    return lesson;
  }),
});
