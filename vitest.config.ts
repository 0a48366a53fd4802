import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve("app") } },
  test: {
    include: ["tests/**/*.test.{ts,tsx}"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup-file.ts"],
    // Each worker gets its own database and Redis logical DB (tests/support/test-env.ts); files in a worker
    // run one after another and start from empty tables.
    pool: "forks",
    maxWorkers: 2,
    fileParallelism: true,
    // Browser tests start a web server and Chromium; on a busy 2-core machine that takes a while. A hang still
    // fails: these bound waits, they do not measure speed.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    restoreMocks: true,
  },
});
