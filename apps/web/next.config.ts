import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

/** Where scripts/build-assets.mjs put Monaco's files (a folder per version). */
function monacoPath(): string {
  let dir = dirname(createRequire(import.meta.url).resolve("monaco-editor"));
  while (!existsSync(join(dir, "package.json"))) dir = dirname(dir);
  const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
    version: string;
  };
  return `/monaco/${version}/vs`;
}

/**
 * Every response is cross-origin isolated (COOP + COEP), which the sandbox needs for
 * SharedArrayBuffer (WebAssembly threads). The app serves every asset itself, so
 * `require-corp` costs nothing. App pages refuse to be framed; /sandbox sets its own CSP.
 *
 * The sandbox iframe has an opaque origin, so to the browser its requests for its script,
 * stylesheet and fonts are cross-origin: those (and only those) are served with
 * `Cross-Origin-Resource-Policy: cross-origin` and, for fonts (CORS requests), `Access-Control-
 * Allow-Origin: *`. They are public, content-hashed files, cached for good.
 */
const isolation = [
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Share links are secrets: never send them to other sites as a Referer.
  { key: "Referrer-Policy", value: "same-origin" },
];

const IMMUTABLE = "public, max-age=31536000, immutable";

const config: NextConfig = {
  poweredByHeader: false,
  env: { NEXT_PUBLIC_MONACO_VS: monacoPath() },
  reactStrictMode: true,
  // Loaded from node_modules at run time: PGlite finds its WebAssembly and data files beside it.
  serverExternalPackages: ["@electric-sql/pglite", "pg"],
  turbopack: { root: fileURLToPath(new URL("../..", import.meta.url)) },
  async headers() {
    return [
      { source: "/:path*", headers: isolation },
      {
        source: "/:path((?!sandbox$).*)",
        headers: [{ key: "Content-Security-Policy", value: "frame-ancestors 'none'" }],
      },
      {
        source: "/sandbox-assets/:hash/:path*",
        headers: [
          { key: "Cross-Origin-Resource-Policy", value: "cross-origin" },
          { key: "Access-Control-Allow-Origin", value: "*" },
          { key: "Cache-Control", value: IMMUTABLE },
        ],
      },
      // Versioned folders: Monaco's files change only with its version.
      { source: "/monaco/:version/:path*", headers: [{ key: "Cache-Control", value: IMMUTABLE }] },
    ];
  },
};

export default config;
