import { defineConfig } from "vitest/config";

/** End-to-end tests in the real workbench (code-server + Chromium): slow, so run one at a time. */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 300_000,
    hookTimeout: 180_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
