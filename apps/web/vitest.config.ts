import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts", "e2e/**/*.test.ts"],
    environment: "node",
    // PGlite starts in ~1 s; the e2e suite starts a production server.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
