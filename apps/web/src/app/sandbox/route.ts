import { SANDBOX_CSP, SANDBOX_HTML } from "@/sandbox/page";

export function GET(): Response {
  return new Response(SANDBOX_HTML, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": SANDBOX_CSP,
      "cache-control": "no-cache",
    },
  });
}
