import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { plainText, richText } from "../../src/compare/normalize.js";
import type { HttpClient } from "../support/http.js";
import type { MigrationFixture } from "../support/migration-fixture.js";
import {
  allRuns,
  entity,
  findCase,
  findRun,
  logsOf,
  markerOf,
  migrated,
  type QCase,
  type QLog,
  recreateRun,
  runVerify,
  threshold,
} from "./harness.js";

/**
 * Verify sees what a repair would restore, and only that: a run's name, steps paired by identity
 * (one deleted step is one missing step, not every later step changed), step problems counted toward
 * the thresholds once, and logs made against an earlier version of their test case still paired with
 * their steps. Each sabotage is made through the qTest mock's HTTP API, on a fresh migrated fixture.
 */

const noCalls = (c: QCase) => c.test_steps.every((s) => !s.called_test_case_id);
const distinctSteps = (c: QCase) =>
  new Set(c.test_steps.map((s) => `${s.description}\u0000${s.expected}`)).size === c.test_steps.length;

/** The steps of a case as a `PUT /test-cases/{id}` body sends them; without ids, qTest makes new steps. */
const stepInputs = (c: QCase, options: { ids: boolean }) =>
  c.test_steps.map((s) => ({ ...(options.ids && { id: s.id }), description: s.description, expected: s.expected }));

describe("verify sees everything a repair would restore", () => {
  let f: MigrationFixture;
  let qtest: HttpClient;

  afterEach(async () => {
    await f?.close();
  });

  it("a test run renamed in qTest is changed, by its name; a name differing only in spacing is not", async () => {
    ({ f, qtest } = await migrated());
    const [renamed, respaced] = await allRuns(qtest);
    if (!renamed || !respaced) throw new Error("fewer than two runs");
    expect((await qtest.put(`/test-runs/${renamed.id}`, { name: "Renamed in qTest" })).status).toBe(200);
    expect((await qtest.put(`/test-runs/${respaced.id}`, { name: ` ${respaced.name.replace(/ /g, "  ")}  ` })).status).toBe(200);

    const { report, exitCode } = await runVerify(f);
    expect(exitCode).toBe(1);
    const runs = entity(report, "testRun");
    expect(runs).toMatchObject({
      changed: 1,
      misplaced: 0,
      missingInTarget: 0,
      matched: runs.source.count - 1,
      fieldMismatches: { name: 1 },
      counted: { changed: 1 },
      verdict: "failed",
    });
    expect(runs.samples).toEqual([
      {
        key: markerOf(renamed),
        problem: "changed",
        targetIds: [renamed.id],
        differences: [{ path: "name", source: plainText(renamed.name), target: "Renamed in qTest" }],
      },
    ]);
    expect(report.totals.changed).toBe(1);
    // Only the renamed run is read again: the re-spaced one has the digest of its expected name.
    expect(report.cost.entitiesRead?.reread).toBe(1);
  }, 30_000);

  it("deleting step 2 of 4 in qTest is one missing step, and the case changed, counted once", async () => {
    ({ f, qtest } = await migrated());
    const victim = await findCase(qtest, (c) => c.test_steps.length >= 4 && noCalls(c) && distinctSteps(c));
    const key = markerOf(victim);
    const deleted = victim.test_steps[1] as QCase["test_steps"][number];
    const kept = stepInputs(victim, { ids: true }).filter((s) => s.id !== deleted.id);
    expect((await qtest.put(`/test-cases/${victim.id}`, { test_steps: kept })).status).toBe(200);

    const { report, exitCode } = await runVerify(f);
    expect(exitCode).toBe(1);
    const steps = entity(report, "testStep");
    expect(steps).toMatchObject({
      missingInTarget: 1,
      extraInTarget: 0,
      changed: 0,
      matched: steps.source.count - 1,
      counted: { missing: 1, changed: 0 },
      verdict: "failed",
    });
    expect(steps.samples).toEqual([{ key: `${key} testSteps[1]`, problem: "missing", targetIds: [victim.id], differences: [] }]);
    const cases = entity(report, "testCase");
    expect(cases).toMatchObject({ changed: 1, counted: { changed: 0 }, fieldMismatches: { "testSteps[]": 1 } });
    expect(cases.samples).toEqual([
      {
        key,
        problem: "changed",
        targetIds: [victim.id],
        differences: [
          {
            path: "testSteps[1]",
            source: {
              description: richText(deleted.description),
              expected: richText(deleted.expected),
              calledTestCase: null,
              parameters: [],
            },
            target: null,
          },
        ],
      },
    ]);
    expect(report.totals).toMatchObject({ missing: 1, extra: 0, changed: 0, duplicated: 0, misplaced: 0 });
    expect(threshold(report, "missing")).toMatchObject({ actual: 1, verdict: "failed" });
    expect(threshold(report, "changed")).toMatchObject({ actual: 0, verdict: "passed" });
    // The case's logs were made against the version before the deletion: still paired with their steps.
    expect(entity(report, "testLog")).toMatchObject({ changed: 0, matched: entity(report, "testLog").source.count });

    const markdown = await readFile(join(f.dir, "verification-report.md"), "utf8");
    expect(markdown).toMatch(/^\| Test cases \| .* \| 1 \(0 counted\) ¹ \| 0 \| ✅ \|$/m);
    expect(markdown).toContain("¹ Every type adds to the totals the thresholds bound, each problem once");
  }, 30_000);

  it("a step inserted in qTest is one extra step, named by its place in the target", async () => {
    ({ f, qtest } = await migrated());
    const victim = await findCase(qtest, (c) => c.test_steps.length >= 2 && noCalls(c) && distinctSteps(c));
    const key = markerOf(victim);
    const [first, ...rest] = stepInputs(victim, { ids: true });
    const inserted = { description: "Inserted in qTest", expected: "Nothing" };
    expect((await qtest.put(`/test-cases/${victim.id}`, { test_steps: [first, inserted, ...rest] })).status).toBe(200);

    const { report, exitCode } = await runVerify(f);
    expect(exitCode).toBe(1);
    const steps = entity(report, "testStep");
    expect(steps).toMatchObject({ extraInTarget: 1, missingInTarget: 0, changed: 0, matched: steps.source.count });
    expect(steps.target.count).toBe(steps.source.count + 1);
    expect(steps.samples).toEqual([
      { key: `${key} testSteps[1] (in qTest)`, problem: "extra", targetIds: [victim.id], differences: [] },
    ]);
    const cases = entity(report, "testCase");
    expect(cases).toMatchObject({ changed: 1, counted: { changed: 0 } });
    expect(cases.samples).toEqual([
      expect.objectContaining({
        key,
        problem: "changed",
        differences: [{ path: "testSteps[1]", source: null, target: { ...inserted, calledTestCase: null, parameters: [] } }],
      }),
    ]);
    expect(report.totals).toMatchObject({ missing: 0, extra: 1, changed: 0 });
    expect(threshold(report, "extra")).toMatchObject({ actual: 1, verdict: "failed" });
  }, 30_000);

  it("a test case updated in qTest after its logs were written: new steps, a new version, and the logs still match", async () => {
    ({ f, qtest } = await migrated());
    const { run, logs } = await findRun(qtest, (l) => l.some((log) => log.test_step_logs.length > 1));
    const before = (await qtest.get(`/test-cases/${run.test_case.id}?expand=teststep`)).body as QCase;
    expect(noCalls(before)).toBe(true);
    // The same steps again, without their ids: qTest makes new steps (new ids) in a new version.
    expect((await qtest.put(`/test-cases/${before.id}`, { test_steps: stepInputs(before, { ids: false }) })).status).toBe(200);
    const after = (await qtest.get(`/test-cases/${before.id}?expand=teststep`)).body as QCase;
    const currentIds = new Set(after.test_steps.map((s) => s.id));
    for (const log of logs) {
      expect(log.test_case_version_id).not.toBe(after.test_case_version_id);
      for (const s of log.test_step_logs) expect(currentIds.has(s.test_step_id)).toBe(false);
    }

    const { report, exitCode } = await runVerify(f);
    expect(exitCode).toBe(0);
    expect(report.status).toBe("passed");
    expect(report.totals).toMatchObject({ missing: 0, extra: 0, changed: 0, duplicated: 0, misplaced: 0 });
    expect(entity(report, "testLog")).toMatchObject({ changed: 0, matched: entity(report, "testLog").source.count });
    expect(entity(report, "testCase")).toMatchObject({ changed: 0, matched: entity(report, "testCase").source.count });
  }, 30_000);

  it("a step log changed before its test case was updated is still found, at the position of its step", async () => {
    ({ f, qtest } = await migrated());
    const victim = await findRun(qtest, (l) => l.length === 1 && (l[0]?.test_step_logs.length ?? 0) > 1);
    const [log] = victim.logs as [QLog];
    const testCase = (await qtest.get(`/test-cases/${victim.run.test_case.id}?expand=teststep`)).body as QCase;
    expect(noCalls(testCase)).toBe(true);
    const byOrder = [...log.test_step_logs].sort((a, b) => a.order - b.order);
    const edited = byOrder[0] as QLog["test_step_logs"][number];
    const runId = await recreateRun(qtest, victim.run, [
      {
        ...log,
        test_step_logs: log.test_step_logs.map((s) => (s === edited ? { ...s, actual_result: "Edited in qTest" } : s)),
      },
    ]);
    // Then the case gets new steps in a new version: the log points at steps of the version before.
    expect((await qtest.put(`/test-cases/${testCase.id}`, { test_steps: stepInputs(testCase, { ids: false }) })).status).toBe(
      200,
    );
    const [recreated] = await logsOf(qtest, runId);
    const current = (await qtest.get(`/test-cases/${testCase.id}`)).body as QCase;
    expect(recreated?.test_case_version_id).not.toBe(current.test_case_version_id);

    const { report, exitCode } = await runVerify(f);
    expect(exitCode).toBe(1);
    const logs = entity(report, "testLog");
    expect(logs).toMatchObject({
      changed: 1,
      matched: logs.source.count - 1,
      fieldMismatches: { "testStepLogs[].actualResult": 1 },
    });
    expect(logs.samples).toEqual([
      expect.objectContaining({
        key: markerOf(log),
        problem: "changed",
        differences: [
          { path: "testStepLogs[0].actualResult", source: richText(edited.actual_result), target: "Edited in qTest" },
        ],
      }),
    ]);
    expect(entity(report, "testCase")).toMatchObject({ changed: 0 });
    expect(entity(report, "testRun")).toMatchObject({ changed: 0, matched: entity(report, "testRun").source.count });
  }, 30_000);
});
