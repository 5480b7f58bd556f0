import { newNonce, sandboxAssets, sandboxCsp, sandboxHtml } from "@/sandbox/page";

/** Each response has its own nonce. */
export const dynamic = "force-dynamic";

export function GET(): Response {
  let assets: ReturnType<typeof sandboxAssets>;
  try {
    assets = sandboxAssets();
  } catch (error) {
    console.error("The sandbox's assets are missing: run `npm run build -w @gradbook/web`.", error);
    return new Response("The notebook sandbox is not built.", { status: 503 });
  }
  const nonce = newNonce();
  return new Response(sandboxHtml(assets, nonce), {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": sandboxCsp(nonce),
      // A fresh nonce each time: never reuse a stored copy.
      "cache-control": "no-store",
    },
  });
}
