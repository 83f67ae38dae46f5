import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MigrationReport } from "../../src/report/migration-report.js";
import {
  compareTarget,
  expectedCounts,
  readSource,
  type SourceProject,
  sourceFeatures,
  targetCounts,
} from "../support/expected-target.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import { type QTestTarget, qtestRead, readTarget } from "../support/qtest-target.js";

/**
 * One full migration of a generated project, then everything read back through the qTest HTTP API and
 * compared field by field with the Zephyr source. Seed 5 with 60 cases has every feature the migration
 * maps (asserted first, so the comparison cannot pass on a project that lacks one).
 */
describe("a full migration, read back through the qTest API", () => {
  let f: MigrationFixture;
  let source: SourceProject;
  let target: QTestTarget;
  let report: MigrationReport;
  let exitCode: number;

  beforeAll(async () => {
    f = await migrationFixture({ generate: 60, seed: 5 });
    source = readSource(f.mocks.zephyr.store);
    ({ report, exitCode } = await f.run());
    target = await readTarget(f.mocks.qtest);
  }, 60_000);
  afterAll(async () => {
    await f?.close();
  });

  it("works on a project that has every feature the mapping must handle", () => {
    const features = sourceFeatures(source);
    for (const [feature, count] of Object.entries(features)) expect({ feature, count }).not.toMatchObject({ count: 0 });
  });

  it("finishes with exit code 0 and a succeeded report", () => {
    expect(report.error).toBeNull();
    expect(report.status).toBe("succeeded");
    expect(exitCode).toBe(0);
  });

  it("measures how long each entity type took, within the run's own duration", () => {
    for (const entity of report.entities) {
      // A type with nothing to do (no requirement to create here) took no time.
      const worked = entity.created + entity.updated + entity.unchanged > 0;
      expect({ type: entity.type, positive: entity.durationMs > 0 }).toEqual({ type: entity.type, positive: worked });
      expect(entity.durationMs).toBeLessThanOrEqual(report.run.durationMs);
    }
    expect(report.entities.map((e) => e.type)).toEqual([
      "module",
      "testCase",
      "testCycle",
      "testSuite",
      "testRun",
      "testLog",
      "release",
      "requirement",
    ]);
  });

  it("put every entity where it belongs, field by field", async () => {
    const qtestUsers = (await qtestRead(f.mocks.qtest, "GET", "/users")) as { id: number; username: string }[];
    const { problems, checked } = compareTarget(source, target, { users: f.config.mapping.users, qtestUsers });
    expect(problems).toEqual([]);

    // What was compared: every entity of every kind, including each feature.
    const counts = expectedCounts(source);
    const features = sourceFeatures(source);
    expect(checked).toMatchObject({
      testCases: counts.testCase,
      suites: counts.testSuite,
      runs: counts.testRun,
      logs: counts.testLog,
      casesWithMoreThan100Steps: features.casesWithMoreThan100Steps,
      callToTestSteps: features.callToTestSteps,
      plainScripts: features.plainScripts,
      bddScripts: features.bddScripts,
      adHocLogs: features.executionsOutsideCycles,
    });
    expect(checked.runsWithSeveralLogs).toBeGreaterThanOrEqual(features.casesExecutedTwiceInOneCycle);
    expect(checked.steps).toBeGreaterThan(100);
    expect(checked.stepLogs).toBeGreaterThan(0);
    expect(checked.customFieldValues).toBe(source.cases.length * 8);
  });

  it("holds exactly what the source has, no more, no less, per object type", () => {
    expect(targetCounts(target)).toEqual(expectedCounts(source));
  });

  it("reports the counts that were read back", () => {
    const created = Object.fromEntries(report.entities.map((e) => [e.type, e.created]));
    expect(created).toEqual(targetCounts(target));
    for (const entity of report.entities) {
      expect({ type: entity.type, failed: entity.failed, skipped: entity.skipped, reasons: entity.reasons }).toEqual({
        type: entity.type,
        failed: 0,
        skipped: 0,
        reasons: [],
      });
    }
    expect(report.totals.created).toBe(Object.values(targetCounts(target)).reduce((a, b) => a + b, 0));
    expect(report.preflight.sourceCounts).toEqual({
      testCases: source.cases.length,
      testCycles: source.cycles.length,
      testExecutions: source.executions.length,
    });
  });

  it("matches the mock's own counts (nothing outside what the API listings show)", () => {
    const counts = f.mocks.qtest.store.counts();
    expect(counts).toMatchObject({
      modules: target.modules.length,
      testCases: target.testCases.length,
      testCycles: target.cycles.length,
      testSuites: target.suites.length,
      testRuns: target.runs.length,
      testLogs: target.logs.length,
    });
  });
});
