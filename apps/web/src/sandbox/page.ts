import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The page served at /sandbox, where notebook cells run. It is embedded with
 * `sandbox="allow-scripts"` and no `allow-same-origin`, and its CSP says `sandbox allow-scripts`
 * too, so even opened directly it has an opaque origin: no cookies, no storage, no API.
 *
 * Its CSP allows what the runtime needs and nothing else: its own script (by nonce), `eval` (cells
 * are compiled with `new Function`) and WebAssembly (the wasm backend), inline event-handler
 * attributes (Observable Inputs' templates parse `oninput=` before binding the handler; code
 * that may eval gains nothing from them), workers from blobs (the
 * wasm backend's threads), styles and fonts from the app (`'self'` is this URL's origin), images
 * from data/blob URLs (plots), and no network at all (`connect-src 'none'`): a cell cannot fetch
 * anything, the API included.
 */
export interface SandboxAssets {
  readonly script: string;
  readonly style: string;
}

export function sandboxCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'unsafe-eval' 'wasm-unsafe-eval'`,
    "script-src-attr 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "img-src data: blob:",
    "media-src data: blob:",
    "worker-src blob:",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
    "sandbox allow-scripts",
  ].join("; ");
}

export function sandboxHtml(assets: SandboxAssets, nonce: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gradbook sandbox</title>
<link rel="stylesheet" href="${assets.style}">
</head><body><main id="notebook"></main>
<script nonce="${nonce}" src="${assets.script}"></script></body></html>
`;
}

export function newNonce(): string {
  return randomBytes(18).toString("base64");
}

let cached: SandboxAssets | undefined;

/** The bundle's file names, from the manifest scripts/build-assets.mjs writes. */
export function sandboxAssets(publicDir = join(process.cwd(), "public")): SandboxAssets {
  if (cached) return cached;
  const file = join(/*turbopackIgnore: true*/ publicDir, "sandbox-assets", "manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as Partial<SandboxAssets>;
  if (typeof manifest.script !== "string" || typeof manifest.style !== "string") {
    throw new Error(`${file} does not name the sandbox's script and style`);
  }
  cached = { script: manifest.script, style: manifest.style };
  return cached;
}
