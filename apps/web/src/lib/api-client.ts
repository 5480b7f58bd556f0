import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "@/server/api/root";

/** The API from the browser. Mutations carry the session cookie and the page's Origin. */
export const api = createTRPCClient<AppRouter>({
  links: [httpLink({ url: "/api/trpc" })],
});

/** The message to show for a failed call: the server's own, which says what to do. */
export function messageOf(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
