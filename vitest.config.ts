import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Most test files wait on real HTTP, child processes and databases rather than compute: two files
    // at once even on two cores (vitest's default, one core less than there are, would run one).
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
