import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { listAccounts, setRole } from "../../accounts";
import { signedInUser } from "../session-user";
import { adminProcedure, readProcedure, router } from "../trpc";

/** Site administration: the accounts and their roles. Admins only. */
export const adminRouter = router({
  listUsers: readProcedure.query(async ({ ctx }) => {
    const user = await signedInUser(ctx);
    if (user?.role !== "admin") {
      throw new TRPCError({ code: "FORBIDDEN", message: "Only admins can see the accounts." });
    }
    return listAccounts(ctx.services.db);
  }),

  setRole: adminProcedure
    .input(
      z
        .object({
          userId: z.uuid("not a user id"),
          role: z.enum(["admin", "instructor", "student"]),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => setRole(ctx.services.db, input.userId, input.role)),
});
