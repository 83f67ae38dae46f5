import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.js";
import type { VerificationReport } from "../../src/report/verification-report.js";
import type { HttpClient } from "../support/http.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import { type Marked, markerOf, ok, qtestProject, search } from "../support/qtest-edits.js";

const log = createLogger({ test: true });
log.level = "silent";

describe("migrate --reconcile repairs what was damaged in qTest", () => {
  let f: MigrationFixture;
  let qtest: HttpClient;
  let damaged: VerificationReport;
  let repaired: Awaited<ReturnType<MigrationFixture["run"]>>;
  let after: VerificationReport;
  let again: Awaited<ReturnType<MigrationFixture["run"]>>;
  let writesBeforeAgain: number;
  /** Cases reconcile must update: the edited, moved and renamed ones, and those calling the deleted case. */
  let expectedUpdated: number;

  beforeAll(async () => {
    f = await migrationFixture({ generate: 40, seed: 3 });
    expect((await f.run()).exitCode).toBe(0);
    qtest = qtestProject(f);

    const cases = (await search(qtest, "test-cases")).sort((a, b) => a.id - b.id);
    const withSteps = async (c: Marked) => (await ok(qtest.get(`/test-cases/${c.id}?expand=teststep`), "read case")) as Marked;
    const [deleted, edited, moved] = cases;
    if (!deleted || !edited || !moved) throw new Error("too few cases");
    // A case deleted (its runs and logs go with it).
    await ok(qtest.request("DELETE", `/test-cases/${deleted.id}`), "delete a case");
    const store = f.mocks.zephyr.store;
    const calls = (key: string) => {
      try {
        return store.testSteps(key).filter((s) => s.testCase?.testCaseKey === markerOf(deleted)).length > 0;
      } catch {
        return false; // a scripted case has no steps
      }
    };
    const callers = store.testCases().filter((t) => calls(t.key));
    // A step's expected result edited.
    const full = await withSteps(edited);
    const steps = (full.test_steps ?? []).map((s, i) => ({ ...s, expected: i === 0 ? "edited in qTest" : s.expected }));
    await ok(qtest.put(`/test-cases/${edited.id}`, { test_steps: steps }), "edit a step");
    // A case moved to another module.
    const modules = (await ok(qtest.get("/modules?expand=descendants"), "modules")) as {
      id: number;
      name: string;
      children?: { id: number; name: string }[];
    }[];
    const root = modules.find((m) => m.name === f.config.zephyr.projectKey);
    const movedFull = await withSteps(moved);
    const otherModule = root?.children?.find((m) => m.id !== movedFull.parent_id);
    if (!root || !otherModule) throw new Error("no module to move to");
    await ok(qtest.put(`/test-cases/${moved.id}`, { parent_id: otherModule.id }), "move a case");
    // A module renamed.
    const renamedModule = root.children?.find((m) => m.id !== otherModule.id) ?? otherModule;
    await ok(qtest.put(`/modules/${renamedModule.id}`, { name: `${renamedModule.name} (renamed in qTest)` }), "rename a module");
    // A test cycle renamed.
    const cycles = (await ok(qtest.get("/test-cycles?parentId=0&parentType=root&expand=descendants"), "cycles")) as {
      id: number;
      name: string;
      "test-cycles"?: { id: number; name: string }[];
    }[];
    const cycle = cycles.find((c) => c.name === f.config.zephyr.projectKey)?.["test-cycles"]?.[0];
    if (!cycle) throw new Error("no test cycle");
    await ok(qtest.put(`/test-cycles/${cycle.id}`, { name: `${cycle.name} (renamed in qTest)` }), "rename a cycle");
    // A suite renamed.
    const [suite] = await search(qtest, "test-suites");
    if (!suite) throw new Error("no suite");
    await ok(qtest.put(`/test-suites/${suite.id}`, { name: `${suite.name} (renamed in qTest)` }), "rename a suite");
    // A run deleted (its logs go with it), from a case not otherwise damaged.
    const untouched = new Set([deleted.id, edited.id, moved.id]);
    const runs = (await search(qtest, "test-runs")) as (Marked & { test_case: { id: number } })[];
    const run = runs.find((r) => !untouched.has(r.test_case.id));
    if (!run) throw new Error("no run");
    await ok(qtest.request("DELETE", `/test-runs/${run.id}`), "delete a run");
    // Another suite deleted (its runs and logs go with it).
    const [, deletedSuite] = await search(qtest, "test-suites");
    if (!deletedSuite) throw new Error("no second suite");
    await ok(qtest.request("DELETE", `/test-suites/${deletedSuite.id}`), "delete a suite");
    // A log's status and note edited, on a run still there.
    const logs = (await search(qtest, "test-logs")) as (Marked & {
      test_run_id: number;
      status: { id: number };
      exe_start_date: string;
      exe_end_date: string;
    })[];
    const remainingRuns = new Set((await search(qtest, "test-runs")).map((r) => r.id));
    const log = logs.find((l) => remainingRuns.has(l.test_run_id));
    if (!log) throw new Error("no log");
    await ok(
      qtest.put(`/test-runs/${log.test_run_id}/test-logs/${log.id}`, {
        status: { id: log.status.id === 601 ? 602 : 601 },
        exe_start_date: log.exe_start_date,
        exe_end_date: log.exe_end_date,
        note: "edited in qTest",
      }),
      "edit a log",
    );
    // A case's name edited, and one of its steps deleted.
    const [, , , renamedCase] = cases;
    if (!renamedCase) throw new Error("no fourth case");
    const renamedFull = await withSteps(renamedCase);
    await ok(
      qtest.put(`/test-cases/${renamedCase.id}`, {
        name: `${renamedFull.name} (edited in qTest)`,
        test_steps: (renamedFull.test_steps ?? []).slice(1),
      }),
      "rename a case and delete a step",
    );

    expectedUpdated = new Set([...callers.map((t) => t.key), ...[edited, moved, renamedCase].map(markerOf)]).size;
    damaged = await f.verify();
    repaired = await f.run({ reconcile: true });
    after = await f.verify();
    writesBeforeAgain = f.mocks.qtest.stats.writes;
    again = await f.run({ reconcile: true });
  }, 180_000);
  afterAll(async () => {
    await f?.close();
  });

  it("verify sees the damage first", () => {
    expect(damaged.status).toBe("failed");
    const problems = damaged.totals;
    expect(problems.missing).toBeGreaterThan(0);
    expect(problems.changed + problems.misplaced).toBeGreaterThan(0);
  });

  it("reconcile repairs it: re-creates, restores, moves back and renames back", () => {
    expect(repaired.exitCode).toBe(0);
    expect(repaired.report.status).toBe("succeeded");
    expect(repaired.report.run.reconcile).toBe(true);
    const byType = Object.fromEntries(repaired.report.entities.map((e) => [e.type, e]));
    expect(byType.testCase).toMatchObject({ created: 1, updated: expectedUpdated });
    expect(byType.module?.updated).toBe(1);
    expect(byType.testCycle?.updated).toBe(1);
    expect(byType.testSuite).toMatchObject({ created: 1, updated: 1 });
    expect(byType.testLog?.updated).toBeGreaterThanOrEqual(1);
    expect(byType.testRun?.created).toBeGreaterThanOrEqual(2);
    expect(after.status).toBe("passed");
    expect(after.totals).toMatchObject({ missing: 0, extra: 0, changed: 0, duplicated: 0, misplaced: 0 });
  });

  it("reconcile again: the target matches, so nothing is written", () => {
    expect(again.exitCode).toBe(0);
    expect(again.report.totals.created + again.report.totals.updated).toBe(0);
    expect(f.mocks.qtest.stats.writes).toBe(writesBeforeAgain);
  });
});

describe("migrate --reconcile removes duplicates ZTOQ's marker identifies", () => {
  let f: MigrationFixture | undefined;
  afterAll(async () => {
    await f?.close();
  });

  it("a second qTest case carrying a migrated case's key is reported, then removed, and verify passes", async () => {
    f = await migrationFixture({ generate: 20, seed: 3 });
    expect((await f.run()).exitCode).toBe(0);
    const qtest = qtestProject(f);
    const [original] = (await search(qtest, "test-cases")).sort((a, b) => a.id - b.id);
    if (!original) throw new Error("no case");
    const full = (await ok(qtest.get(`/test-cases/${original.id}?expand=teststep`), "read case")) as Marked;
    const copy = (await ok(
      qtest.post("/test-cases", {
        name: full.name,
        parent_id: full.parent_id,
        properties: full.properties.map((p) => ({ field_id: p.field_id, field_value: p.field_value })),
        test_steps: (full.test_steps ?? []).map(({ description, expected, order }) => ({ description, expected, order })),
      }),
      "copy a case",
    )) as { id: number };
    expect((await f.verify()).totals.duplicated).toBe(1);

    // Without --reconcile a run trusts its state and leaves the copy (it logs it when it adopts).
    const plain = await f.run();
    expect(plain.exitCode).toBe(0);
    expect((await f.verify()).totals.duplicated).toBe(1);

    const repaired = await f.run({ reconcile: true });
    expect(repaired.exitCode).toBe(0);
    const cases = repaired.report.entities.find((e) => e.type === "testCase");
    expect(cases?.pruned).toBe(1);
    expect(cases?.reasons).toContainEqual(expect.objectContaining({ outcome: "pruned", key: markerOf(original) }));
    expect((await qtest.get(`/test-cases/${copy.id}`)).status).toBe(404);
    expect((await qtest.get(`/test-cases/${original.id}`)).status).toBe(200);
    expect((await f.verify()).status).toBe("passed");
  }, 120_000);
});
