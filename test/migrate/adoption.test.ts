/**
 * The target is the truth, the state a cache: a migration whose state store is lost (an evicted
 * cache, a new runner, a deleted file) finds what qTest already holds by marker and adopts it.
 * Through real HTTP to the mocks and a real SQLite file.
 */
import { rm } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.js";
import type { TestCaseUpdate } from "../../src/zephyr/schemas.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";

const log = createLogger({ test: true });
log.level = "silent";

async function loseState(f: MigrationFixture): Promise<void> {
  for (const suffix of ["", "-wal", "-shm"]) await rm(`${f.statePath}${suffix}`, { force: true });
}

describe("a lost state duplicates nothing", () => {
  let f: MigrationFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  for (const mode of ["full", "incremental"] as const) {
    it(`--mode ${mode}: the re-run adopts everything by marker, creates nothing, and the target still verifies`, async () => {
      f = await migrationFixture({ generate: 30, seed: 3 });
      const first = await f.run();
      expect(first.exitCode).toBe(0);
      const holds = f.mocks.qtest.store.counts();
      expect(holds.testCases).toBeGreaterThan(0);

      await loseState(f);
      const writesBefore = f.mocks.qtest.stats.writes;
      const again = await f.run({ mode });
      expect(again.exitCode).toBe(0);
      expect(again.report.status).toBe("succeeded");
      expect(again.report.totals.created).toBe(0);
      expect(again.report.totals.failed).toBe(0);
      // Nothing needed bringing up to date, so nothing was written at all.
      expect(again.report.totals.updated).toBe(0);
      expect(f.mocks.qtest.stats.writes).toBe(writesBefore);
      expect(f.mocks.qtest.store.counts()).toEqual(holds);
      expect((await f.verify()).status).toBe("passed");

      // The state was rebuilt: the next run reads nothing in bulk and writes nothing.
      const third = await f.run({ mode });
      expect(third.exitCode).toBe(0);
      expect(third.report.totals.created + third.report.totals.updated).toBe(0);
      expect(f.mocks.qtest.stats.writes).toBe(writesBefore);
    }, 120_000);
  }

  it("an adopted object whose content differs from the source is brought up to date, not duplicated", async () => {
    f = await migrationFixture({ generate: 30, seed: 3 });
    expect((await f.run()).exitCode).toBe(0);
    const [edited] = f.mocks.zephyr.store.testCases();
    if (!edited) throw new Error("no test case");
    // PUT replaces the whole test case: the full object goes back, renamed.
    f.mocks.zephyr.store.updateTestCase(edited.key, { ...edited, name: `${edited.name} (renamed in Zephyr)` } as TestCaseUpdate);
    await loseState(f);
    const holds = f.mocks.qtest.store.counts();
    const again = await f.run();
    expect(again.exitCode).toBe(0);
    expect(again.report.totals.created).toBe(0);
    expect(again.report.entities.find((e) => e.type === "testCase")?.updated).toBe(1);
    expect(f.mocks.qtest.store.counts().testCases).toBe(holds.testCases);
    expect((await f.verify()).status).toBe("passed");
  }, 120_000);
});
