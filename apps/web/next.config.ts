import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

/**
 * Every response is cross-origin isolated (COOP + COEP), which the sandbox needs for
 * SharedArrayBuffer (WebAssembly threads). The app serves every asset itself, so
 * `require-corp` costs nothing. App pages refuse to be framed; /sandbox sets its own CSP.
 */
const isolation = [
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Embedder-Policy", value: "require-corp" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Share links are secrets: never send them to other sites as a Referer.
  { key: "Referrer-Policy", value: "same-origin" },
];

const config: NextConfig = {
  poweredByHeader: false,
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
    ];
  },
};

export default config;
