import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: {
    alias: { gradscope: fileURLToPath(new URL("./engine/index.ts", import.meta.url)) },
  },
  test: {
    include: ["test/unit/**/*.test.ts", "test/adapter/**/*.test.ts", "test/webview/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Adapter and webview tests start real processes; two cores are all we have.
    maxWorkers: 2,
  },
});
