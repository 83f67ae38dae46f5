import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.js";
import { migrate } from "../../src/migrate/run.js";
import { Progress } from "../../src/progress/progress.js";
import { migrationCheck, type VerificationReport } from "../../src/report/verification-report.js";
import type { MigrationFixture } from "../support/migration-fixture.js";
import { migrationFixture } from "../support/migration-fixture.js";
import { applyMixedNight } from "../support/mixed-night.js";
import {
  type Container,
  duplicatedMarkers,
  type Marked,
  markerOf,
  ok,
  qtestProject,
  search,
  trees,
} from "../support/qtest-edits.js";

const log = createLogger({ test: true });
log.level = "silent";

/** What verify found wrong, by type: empty when the target is what it should be. */
function problems(report: VerificationReport) {
  return (migrationCheck(report)?.entities ?? [])
    .filter((e) => e.samples.length > 0 || e.missingInTarget + e.extraInTarget + e.changed > 0)
    .map((e) => ({ type: e.type, samples: e.samples }));
}

/** A second `ztoq migrate` on the same mocks with a state of its own, as an overlapping run made before runs held their state. */
function runWithOwnState(f: MigrationFixture, name: string) {
  return migrate({
    config: { ...f.config, state: join(f.dir, `${name}.db`) },
    mode: "full",
    dryRun: false,
    prune: false,
    reconcile: false,
    reportPath: join(f.dir, `${name}-report.json`),
    log,
    progress: new Progress({ quiet: true }),
  });
}

/** A reconcile, then verify, then a second reconcile counted in qTest writes. */
async function reconcileTwice(f: MigrationFixture) {
  const first = await f.run({ reconcile: true });
  const report = await f.verify();
  const writes = f.mocks.qtest.stats.writes;
  const second = await f.run({ reconcile: true });
  return { first, report, second, secondWrites: f.mocks.qtest.stats.writes - writes };
}

/**
 * One plain incremental run puts right what qTest lost: it finishes without error, verify then finds
 * nothing wrong, and the next incremental run writes nothing.
 */
async function incrementalConverges(f: MigrationFixture): Promise<void> {
  const run = await f.run({ mode: "incremental" });
  expect(run.report.error).toBeNull();
  expect(run.exitCode).toBe(0);
  expect(problems(await f.verify())).toEqual([]);
  const writes = f.mocks.qtest.stats.writes;
  const next = await f.run({ mode: "incremental" });
  expect(next.exitCode).toBe(0);
  expect(next.report.entities.filter((e) => e.created + e.updated > 0)).toEqual([]);
  expect(f.mocks.qtest.stats.writes - writes).toBe(0);
}

/** Zephyr compares `updatedAfter` at whole seconds: what is edited next comes after the last run's second. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100));

let fixture: MigrationFixture | undefined;
/** A fixture closed after the test, however it ends. */
async function fixtureOf(options: Parameters<typeof migrationFixture>[0]): Promise<MigrationFixture> {
  fixture = await migrationFixture(options);
  return fixture;
}
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

describe("--reconcile settles: one run repairs, the next writes nothing", () => {
  it("the duplicates two overlapping runs made are removed by one reconcile", async () => {
    const f = await fixtureOf({ generate: 30, seed: 4 });
    const qtest = qtestProject(f);
    const [a, b] = await Promise.all([f.run(), runWithOwnState(f, "overlapping")]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    const duplicated = async () => ({
      testCases: (await duplicatedMarkers(qtest, "test-cases")).length,
      testSuites: (await duplicatedMarkers(qtest, "test-suites")).length,
      testRuns: (await duplicatedMarkers(qtest, "test-runs")).length,
      testLogs: (await duplicatedMarkers(qtest, "test-logs")).length,
    });
    const before = await duplicated();
    expect(Object.values(before).reduce((x, y) => x + y)).toBeGreaterThan(0);

    const { first, report, second, secondWrites } = await reconcileTwice(f);
    expect(first.exitCode).toBe(0);
    expect(await duplicated()).toEqual({ testCases: 0, testSuites: 0, testRuns: 0, testLogs: 0 });
    expect(problems(report)).toEqual([]);
    expect(report.status).toBe("passed");
    expect(second.exitCode).toBe(0);
    expect(secondWrites).toBe(0);
  }, 180_000);

  it("a run holding two logs of one execution is rebuilt by one reconcile, with one log each", async () => {
    const f = await fixtureOf({ generate: 30, seed: 9 });
    expect((await f.run()).exitCode).toBe(0);
    const qtest = qtestProject(f);
    const [original] = (await search(qtest, "test-logs")) as (Marked & Record<string, unknown>)[];
    if (!original) throw new Error("no log");
    // What a second run working without the first's state wrote on the run it adopted.
    const copy = {
      status: { id: (original.status as { id: number }).id },
      exe_start_date: original.exe_start_date,
      exe_end_date: original.exe_end_date,
      note: original.note,
      test_case_version_id: original.test_case_version_id,
      properties: original.properties.map((p) => ({ field_id: p.field_id, field_value: p.field_value })),
      test_step_logs: ((original.test_step_logs ?? []) as Record<string, unknown>[]).map((l) => ({
        test_step_id: l.test_step_id,
        status: { id: (l.status as { id: number }).id },
        actual_result: l.actual_result,
        order: l.order,
      })),
    };
    await ok(qtest.post(`/test-runs/${original.test_run_id}/test-logs`, copy), "copy a log onto its run");
    expect(await duplicatedMarkers(qtest, "test-logs")).toEqual([markerOf(original)]);
    expect((await f.verify()).status).toBe("failed");

    const { first, report, secondWrites } = await reconcileTwice(f);
    expect(first.exitCode).toBe(0);
    expect(first.report.entities.find((e) => e.type === "testRun")?.pruned).toBe(1);
    expect(await duplicatedMarkers(qtest, "test-logs")).toEqual([]);
    expect(problems(report)).toEqual([]);
    expect(report.status).toBe("passed");
    expect(secondWrites).toBe(0);
  }, 120_000);

  it("a copy of a migrated module that holds a case made by hand stays, named in the report, with the case", async () => {
    const f = await fixtureOf({ generate: 20, seed: 4 });
    expect((await f.run()).exitCode).toBe(0);
    const qtest = qtestProject(f);
    const { modules } = await trees(qtest);
    const root = modules.find((m) => m.name === f.config.zephyr.projectKey) as Container;
    const [migrated] = root.children ?? [];
    if (!migrated) throw new Error("no module");
    const copy = (await ok(qtest.post(`/modules?parentId=${root.id}`, { name: migrated.name }), "copy a module")) as Container;
    const empty = (await ok(qtest.post(`/modules?parentId=${root.id}`, { name: migrated.name }), "an empty copy")) as Container;
    const handMade = (await ok(
      qtest.post("/test-cases", { name: "Kept by the team", parent_id: copy.id, properties: [] }),
      "a case made by hand in the copy",
    )) as Marked;

    const reconciled = await f.run({ reconcile: true });
    expect(reconciled.exitCode).toBe(0);
    const modulesOutcome = reconciled.report.entities.find((e) => e.type === "module");
    expect(modulesOutcome?.pruned).toBe(1);
    expect(modulesOutcome?.reasons).toContainEqual(
      expect.objectContaining({ outcome: "skipped", key: `#${copy.id} '${migrated.name}'` }),
    );
    expect((await qtest.get(`/modules/${empty.id}`)).status).toBe(404);
    expect((await qtest.get(`/modules/${copy.id}`)).status).toBe(200);
    expect((await qtest.get(`/test-cases/${handMade.id}`)).status).toBe(200);
  }, 120_000);

  it("a called case deleted in qTest is made again and its callers point at it, in one reconcile", async () => {
    const f = await fixtureOf({ generate: 40, seed: 3 });
    expect((await f.run()).exitCode).toBe(0);
    const qtest = qtestProject(f);
    const store = f.mocks.zephyr.store;
    // A callee streamed after its caller (a case made later, called by an earlier one): the caller is
    // compared before the callee is made again.
    const projectKey = f.config.zephyr.projectKey;
    const { key: calleeKey } = store.createTestCase({ projectKey, name: "Sign in as an auditor" });
    store.addTestSteps(calleeKey, {
      mode: "OVERWRITE",
      items: [{ inline: { description: "Sign in", expectedResult: "Signed in" } }],
    });
    const [caller] = store.testCases();
    if (!caller) throw new Error("no case");
    store.addTestSteps(caller.key, { mode: "APPEND", items: [{ testCase: { testCaseKey: calleeKey } }] });
    expect((await f.run()).exitCode).toBe(0);
    const callee = (await search(qtest, "test-cases")).find((c) => markerOf(c) === calleeKey) as Marked;
    await ok(qtest.request("DELETE", `/test-cases/${callee.id}`), "delete a called case");

    const { first, report, second, secondWrites } = await reconcileTwice(f);
    expect(first.exitCode).toBe(0);
    expect(problems(report)).toEqual([]);
    const recreated = (await search(qtest, "test-cases")).find((c) => markerOf(c) === calleeKey) as Marked;
    const callerNow = (await search(qtest, "test-cases")).find((c) => markerOf(c) === caller.key) as Marked;
    const callerSteps = (await ok(qtest.get(`/test-cases/${callerNow.id}?expand=teststep`), "caller")) as {
      test_steps: { called_test_case_id?: number }[];
    };
    expect(callerSteps.test_steps.at(-1)?.called_test_case_id).toBe(recreated.id);
    expect(second.report.totals.created + second.report.totals.updated).toBe(0);
    expect(secondWrites).toBe(0);
  }, 120_000);

  it("a suite, a test cycle, a module and a case moved by hand are moved back in one reconcile", async () => {
    const f = await fixtureOf({ generate: 40, seed: 6 });
    expect((await f.run()).exitCode).toBe(0);
    const qtest = qtestProject(f);
    const { modules, cycles } = await trees(qtest);
    const rootModule = modules.find((m) => m.name === f.config.zephyr.projectKey) as Container;
    const rootCycle = cycles.find((c) => c.name === f.config.zephyr.projectKey) as Container;
    const [moduleA, moduleB] = rootModule.children ?? [];
    const [cycleA, cycleB] = rootCycle["test-cycles"] ?? [];
    if (!moduleA || !moduleB || !cycleA || !cycleB) throw new Error("too few containers");
    await ok(qtest.put(`/modules/${moduleB.id}?parentId=${moduleA.id}`, {}), "move a module");
    await ok(qtest.put(`/test-cycles/${cycleB.id}?parentId=${cycleA.id}&parentType=test-cycle`, {}), "move a cycle");
    const suite = (await search(qtest, "test-suites")).find((s) => s.parentId !== cycleB.id) as Marked;
    await ok(qtest.put(`/test-suites/${suite.id}?parentId=${cycleB.id}&parentType=test-cycle`, {}), "move a suite");
    const testCase = (await search(qtest, "test-cases")).find((c) => c.parent_id !== moduleA.id) as Marked;
    await ok(qtest.put(`/test-cases/${testCase.id}`, { parent_id: moduleA.id }), "move a case");
    const run = (await search(qtest, "test-runs")).find((r) => r.parentId !== suite.id) as Marked;
    const runHome = run.parentId;
    await ok(qtest.put(`/test-runs/${run.id}?parentId=${suite.id}&parentType=test-suite`, {}), "move a run");
    expect((await f.verify()).status).toBe("failed");

    const { first, report, secondWrites } = await reconcileTwice(f);
    expect(first.exitCode).toBe(0);
    expect(problems(report)).toEqual([]);
    expect(secondWrites).toBe(0);
    const after = await trees(qtest);
    const root = after.modules.find((m) => m.name === f.config.zephyr.projectKey);
    expect(root?.children?.map((m) => m.id)).toContain(moduleB.id);
    expect((await search(qtest, "test-runs")).find((r) => r.id === run.id)?.parentId).toBe(runHome);
  }, 120_000);

  it("after a night of edits and its incremental run, a reconcile finds nothing to repair", async () => {
    const f = await fixtureOf({ generate: 30, seed: 7 });
    expect((await f.run()).exitCode).toBe(0);
    await nextSecond();
    applyMixedNight(f.mocks.zephyr.store, f.config.zephyr.projectKey);
    expect((await f.run({ mode: "incremental", prune: true })).exitCode).toBe(0);
    const writes = f.mocks.qtest.stats.writes;
    const reconciled = await f.run({ reconcile: true });
    expect(reconciled.exitCode).toBe(0);
    expect(f.mocks.qtest.stats.writes - writes).toBe(0);
  }, 120_000);
});

describe("a stale state never loops", () => {
  it("the test cycle tree deleted in qTest and one new execution: a plain incremental run puts everything back", async () => {
    const f = await fixtureOf({ generate: 30, seed: 2 });
    expect((await f.run()).exitCode).toBe(0);
    const qtest = qtestProject(f);
    const { cycles } = await trees(qtest);
    const rootCycle = cycles.find((c) => c.name === f.config.zephyr.projectKey) as Container;
    await ok(qtest.request("DELETE", `/test-cycles/${rootCycle.id}?force=true`), "delete the test cycle tree");
    await nextSecond();
    const store = f.mocks.zephyr.store;
    const [cycle] = store.testCycles();
    const [testCase] = store.testCases();
    if (!cycle || !testCase) throw new Error("no cycle or case");
    store.createTestExecution({
      projectKey: f.config.zephyr.projectKey,
      testCaseKey: testCase.key,
      testCycleKey: cycle.key,
      statusName: "Pass",
      actualEndDate: "2026-12-01T10:00:00Z",
    });

    await incrementalConverges(f);
  }, 120_000);

  it("the root module deleted in qTest and one case edited: a plain incremental run puts everything back", async () => {
    const f = await fixtureOf({ generate: 30, seed: 8 });
    expect((await f.run()).exitCode).toBe(0);
    const qtest = qtestProject(f);
    const { modules } = await trees(qtest);
    const rootModule = modules.find((m) => m.name === f.config.zephyr.projectKey) as Container;
    await ok(qtest.request("DELETE", `/modules/${rootModule.id}?force=true`), "delete the module tree");
    await nextSecond();
    const store = f.mocks.zephyr.store;
    const [edited] = store.testCases();
    if (!edited) throw new Error("no case");
    store.updateTestCase(edited.key, { ...edited, name: `${edited.name} (edited)` } as never);

    await incrementalConverges(f);
  }, 120_000);

  it("a run deleted in qTest and a new execution of it: a plain incremental run makes the run again, with every log", async () => {
    const f = await fixtureOf({ generate: 30, seed: 5 });
    expect((await f.run()).exitCode).toBe(0);
    const qtest = qtestProject(f);
    const store = f.mocks.zephyr.store;
    const logsPerRun = new Map<number, number>();
    for (const l of await search(qtest, "test-logs"))
      logsPerRun.set(l.test_run_id ?? 0, (logsPerRun.get(l.test_run_id ?? 0) ?? 0) + 1);
    // A run holding two logs or more, in a cycle.
    const run = (await search(qtest, "test-runs")).find(
      (r) => (logsPerRun.get(r.id) ?? 0) >= 2 && !markerOf(r).startsWith("ad-hoc"),
    );
    if (!run) throw new Error("no run with two logs");
    await ok(qtest.request("DELETE", `/test-runs/${run.id}`), "delete a run");
    await nextSecond();
    const [cycleKey, caseKey] = markerOf(run).split("/") as [string, string];
    store.createTestExecution({
      projectKey: f.config.zephyr.projectKey,
      testCaseKey: caseKey,
      testCycleKey: cycleKey,
      statusName: "Fail",
      actualEndDate: "2026-12-01T10:00:00Z",
    });

    await incrementalConverges(f);
  }, 120_000);

  it("a called case deleted in qTest and its caller edited: a plain incremental run makes the callee again, with its runs", async () => {
    const f = await fixtureOf({ generate: 40, seed: 3 });
    expect((await f.run()).exitCode).toBe(0);
    const qtest = qtestProject(f);
    const store = f.mocks.zephyr.store;
    const executed = new Set(store.testExecutions().flatMap((e) => store.executionTestCaseKey(e) ?? []));
    const stepsOf = (key: string) => {
      try {
        return store.testSteps(key);
      } catch {
        return [];
      }
    };
    const caller = store.testCases().find((t) => stepsOf(t.key).some((s) => s.testCase && executed.has(s.testCase.testCaseKey)));
    const calleeKey =
      caller && stepsOf(caller.key).find((s) => s.testCase && executed.has(s.testCase.testCaseKey))?.testCase?.testCaseKey;
    if (!caller || !calleeKey) throw new Error("no caller of an executed case");
    const callee = (await search(qtest, "test-cases")).find((c) => markerOf(c) === calleeKey) as Marked;
    await ok(qtest.request("DELETE", `/test-cases/${callee.id}`), "delete a called case");
    await nextSecond();
    store.updateTestCase(caller.key, { ...caller, objective: "<p>Edited after the callee was deleted in qTest</p>" } as never);

    await incrementalConverges(f);
  }, 120_000);
});
