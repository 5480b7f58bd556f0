import { defineConfig } from "vitest/config";

/** Suites that run again with the wasm backend as the default device. */
const WASM_SUITES = [
  "test/golden-ops.test.ts",
  "test/golden-programs.test.ts",
  "test/gradcheck.test.ts",
  "test/memory.test.ts",
  "test/browser-wasm.test.ts",
];

export default defineConfig({
  test: {
    // CI runs every package's tests at once on two cores: time limits are for hangs, not speed.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // memory.test.ts calls gc() to check that training loops don't leak; forks run with it exposed.
    pool: "forks",
    poolOptions: { forks: { execArgv: ["--expose-gc"] } },
    projects: [
      {
        extends: true,
        test: {
          name: "js",
          include: ["test/**/*.test.ts"],
          exclude: ["test/browser-wasm.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "wasm",
          include: WASM_SUITES,
          env: { GRADBOOK_DEVICE: "wasm" },
          setupFiles: ["test/setup-device.ts"],
        },
      },
    ],
  },
});
