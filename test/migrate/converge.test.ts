import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.js";
import { migrationCheck, type VerificationReport } from "../../src/report/verification-report.js";
import type { TestCaseUpdate, TestCycleUpdate } from "../../src/zephyr/schemas.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";

const log = createLogger({ test: true });
log.level = "silent";

describe("an incremental run after source edits", () => {
  let f: MigrationFixture;
  let incremental: Awaited<ReturnType<MigrationFixture["run"]>>;
  let report: VerificationReport;
  let writesBefore: number;
  let quiet: Awaited<ReturnType<MigrationFixture["run"]>>;

  beforeAll(async () => {
    f = await migrationFixture({ generate: 40, seed: 3 });
    expect((await f.run()).exitCode).toBe(0);
    const store = f.mocks.zephyr.store;
    // Zephyr compares `updatedAfter` at whole seconds: the edits must come after the watermark's second.
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const cases = store.testCases();
    const withSteps = cases.filter((t) => {
      try {
        return store.testSteps(t.key).every((s) => s.inline) && store.testSteps(t.key).length > 1;
      } catch {
        return false;
      }
    });
    const [renamed, rewritten] = withSteps;
    if (!renamed || !rewritten) throw new Error("too few cases with inline steps");
    store.updateTestCase(renamed.key, {
      ...renamed,
      name: `${renamed.name} — renamed`,
      objective: "<p>Objective rewritten</p>",
    } as TestCaseUpdate);
    store.addTestSteps(rewritten.key, {
      mode: "OVERWRITE",
      items: [
        { inline: { description: "Rewritten first step", expectedResult: "It works" } },
        { inline: { description: "Rewritten second step", testData: "n=2", expectedResult: "Still works" } },
      ],
    });
    // An execution re-run with another result and comment.
    const executed = store
      .testExecutions()
      .find((e) => e.actualEndDate && e.testCycle && store.executionTestCaseKey(e) !== rewritten.key);
    if (!executed) throw new Error("no execution");
    const otherStatus = store
      .statuses("TEST_EXECUTION")
      .find((s) => s.id !== executed.testExecutionStatus.id && !s.archived && s.name !== "Not Executed");
    store.updateTestExecution(String(executed.id), {
      statusName: otherStatus?.name,
      comment: "Re-run after the fix",
      actualEndDate: "2026-11-30T10:00:00Z",
    });
    // A new execution of an existing case in an existing cycle, and a new case.
    const cycle = store.testCycles()[0];
    if (!cycle) throw new Error("no cycle");
    store.createTestExecution({
      projectKey: f.config.zephyr.projectKey,
      testCaseKey: renamed.key,
      testCycleKey: cycle.key,
      statusName: executed.testExecutionStatus.id === otherStatus?.id ? "Pass" : (otherStatus?.name ?? "Pass"),
      actualEndDate: "2026-11-30T11:00:00Z",
      executionTime: 60_000,
    });
    store.createTestCase({ projectKey: f.config.zephyr.projectKey, name: "A case written after the migration" });
    // A cycle re-described.
    store.updateTestCycle(cycle.key, { ...cycle, description: "<p>New cycle description</p>" } as unknown as TestCycleUpdate);

    incremental = await f.run({ mode: "incremental" });
    report = await f.verify();
    writesBefore = f.mocks.qtest.stats.writes;
    quiet = await f.run({ mode: "incremental" });
  }, 180_000);
  afterAll(async () => {
    await f?.close();
  });

  it("brings qTest up to date in one run: verify passes", () => {
    expect(incremental.exitCode).toBe(0);
    const byType = Object.fromEntries(incremental.report.entities.map((e) => [e.type, e]));
    expect(byType.testCase?.created).toBe(1);
    expect(byType.testLog?.created).toBeGreaterThanOrEqual(1);
    expect(byType.testLog?.updated).toBeGreaterThanOrEqual(1);
    expect(byType.testSuite?.updated).toBeGreaterThanOrEqual(1);
    const problems = migrationCheck(report)
      ?.entities.filter((e) => e.samples.length > 0)
      .map((e) => [e.type, e.samples]);
    expect(problems).toEqual([]);
    expect(report.status).toBe("passed");
  });

  it("the next incremental run writes nothing", () => {
    expect(quiet.exitCode).toBe(0);
    expect(quiet.report.totals.created + quiet.report.totals.updated).toBe(0);
    expect(f.mocks.qtest.stats.writes).toBe(writesBefore);
  });
});
