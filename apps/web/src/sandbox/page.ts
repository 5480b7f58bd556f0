import { createHash } from "node:crypto";

/**
 * The page served at /sandbox, where notebook cells will run. It is embedded with
 * `sandbox="allow-scripts"` and no `allow-same-origin`, and its own CSP says `sandbox
 * allow-scripts` too, so even opened directly it has an opaque origin: no cookies, no storage,
 * no API. `connect-src 'none'` additionally stops it from fetching anything.
 *
 * For now its script only answers a `ping` from its parent with a `pong` and what the sandbox
 * can use (see protocol.ts); the follow-up loads the notebook runtime here.
 */
const SCRIPT = `"use strict";
addEventListener("message", (event) => {
  if (event.source !== window.parent) return;
  const data = event.data;
  if (typeof data !== "object" || data === null || data.type !== "ping") return;
  if (typeof data.id !== "string" || data.id.length > 100) return;
  window.parent.postMessage({
    type: "pong",
    id: data.id,
    crossOriginIsolated: self.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === "function",
    webgpu: "gpu" in navigator,
  }, "*");
});
`;

const scriptHash = createHash("sha256").update(SCRIPT).digest("base64");

export const SANDBOX_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gradbook sandbox</title></head>
<body><script>${SCRIPT}</script></body></html>
`;

export const SANDBOX_CSP = [
  "default-src 'none'",
  `script-src 'sha256-${scriptHash}'`,
  "style-src 'unsafe-inline'",
  "img-src data: blob:",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  "sandbox allow-scripts",
].join("; ");
