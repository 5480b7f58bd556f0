import { defineConfig } from "vitest/config";

export default defineConfig({
  // CI runs every package's tests at once on two cores: time limits are for hangs, not speed.
  test: { include: ["test/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 },
});
