import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // CI runs every package's tests at once on two cores: time limits are for hangs, not speed.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // memory.test.ts calls gc() to check that training loops don't leak; forks run with it exposed.
    pool: "forks",
    poolOptions: { forks: { execArgv: ["--expose-gc"] } },
  },
});
