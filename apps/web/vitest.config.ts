import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    include: ["test/**/*.test.ts", "e2e/**/*.test.ts"],
    environment: "node",
    // Limits for hangs, not speed: CI runs everything at once on 2 cores. PGlite starts in ~1 s;
    // the e2e suite starts a production server and waits on a browser (expect.poll).
    testTimeout: 60_000,
    hookTimeout: 120_000,
    expect: { poll: { timeout: 15_000 } },
  },
});
