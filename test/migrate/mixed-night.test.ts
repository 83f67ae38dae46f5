import { describe, expect, it } from "vitest";
import { migrationCheck } from "../../src/report/verification-report.js";
import { migrationFixture } from "../support/migration-fixture.js";
import { applyMixedNight } from "../support/mixed-night.js";

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/**
 * The nightly sync must converge every night, not some: from scratch each time, a full migration, a
 * night of mixed edits in Zephyr, one incremental run with `--prune` — then verify passes, and a second
 * incremental run writes nothing to qTest.
 */
describe("a mixed night of edits, from scratch, ten times", () => {
  it.each(SEEDS)(
    "seed %i: one incremental run converges, verify passes, the next run writes nothing",
    async (seed) => {
      const f = await migrationFixture({ generate: 30, seed });
      try {
        expect((await f.run()).exitCode).toBe(0);
        // Zephyr compares `updatedAfter` at whole seconds: the edits must come after the watermark's second.
        await new Promise((resolve) => setTimeout(resolve, 1100));
        const night = applyMixedNight(f.mocks.zephyr.store, f.config.zephyr.projectKey);
        expect(night.renamed.length + night.emptied.length + night.moved.length + night.stepRemoved.length).toBeGreaterThan(3);

        const incremental = await f.run({ mode: "incremental", prune: true });
        expect(incremental.exitCode).toBe(0);
        const report = await f.verify();
        const problems = migrationCheck(report)
          ?.entities.filter((e) => e.samples.length > 0 || e.missingInTarget > 0 || e.extraInTarget > 0 || e.changed > 0)
          .map((e) => ({ type: e.type, samples: e.samples }));
        expect({ night, problems }).toEqual({ night, problems: [] });
        expect(report.status).toBe("passed");

        const writes = f.mocks.qtest.stats.writes;
        const second = await f.run({ mode: "incremental", prune: true });
        expect(second.exitCode).toBe(0);
        expect(f.mocks.qtest.stats.writes - writes).toBe(0);
        expect(second.report.totals.created + second.report.totals.updated).toBe(0);
      } finally {
        await f.close();
      }
    },
    120_000,
  );
});
