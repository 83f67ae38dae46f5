import { availableParallelism } from "node:os";
import { configDefaults, defineConfig } from "vitest/config";

const TESTS = ["test/**/*.test.ts", "src/**/*.test.ts"];
/**
 * Files that count requests per second or time a signal's answer: run after the others, one at a time,
 * so a busy machine's scheduler does not blur what they measure.
 */
const ALONE = ["test/http/pacing.test.ts", "test/mock/traffic.test.ts", "test/failures/interrupt.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Most test files wait on real HTTP, child processes and databases rather than compute: two files
    // at once even on two cores (vitest's default, one core less than there are, would run one).
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      {
        extends: true,
        test: { name: "ztoq", include: TESTS, exclude: [...configDefaults.exclude, ...ALONE], sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: "alone", include: ALONE, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
