import { TRPCError } from "@trpc/server";
import { cookies } from "next/headers";
import { cache } from "react";
import { getAppServices } from "../app-services";
import { cookieIdentity } from "../identity";
import { createCaller } from "./root";

/**
 * The API as server components call it: same procedures, same checks, the browser's identity
 * from its cookie. Pages only read; writes go through /api/trpc, where the same-origin check
 * and the cookie are handled.
 */
export const serverApi = cache(async () => {
  // cookies() first: it marks the page dynamic, so `next build` stops before opening the database.
  const jar = await cookies();
  const services = await getAppServices();
  const identity = cookieIdentity(
    services.db,
    {
      get: (name) => jar.get(name)?.value,
      set: () => {
        throw new Error("pages do not create identities; the API does on the first write");
      },
    },
    false,
  );
  return createCaller({
    services,
    identity,
    origin: { ok: false, reason: "pages only read; changes go through /api/trpc" },
    clientAddress: "server",
  });
});

/** The tRPC code of an error the API threw, to turn NOT_FOUND into a 404 page and so on. */
export function apiErrorCode(error: unknown): TRPCError["code"] | null {
  return error instanceof TRPCError ? error.code : null;
}
