import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MigrationReport } from "../../src/report/migration-report.js";
import type { TestCase } from "../../src/zephyr/schemas.js";
import { compareTarget, readSource, runMarker, type SourceProject } from "../support/expected-target.js";
import { type HttpClient, httpClient } from "../support/http.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import { propertyValue, qtestRead, readTarget, searchMarked } from "../support/qtest-target.js";

/**
 * A full migration, then the source changes through the Zephyr API (a new case, an edited case, steps
 * added to another, new executions in an existing cycle, a case gone), then `--mode incremental`:
 * it must create, update, append and report exactly those; run again with no change it writes
 * nothing; with `--prune` it deletes the case that is gone.
 */

function entity(report: MigrationReport, type: string) {
  const found = report.entities.find((e) => e.type === type);
  return found ?? { type, created: 0, updated: 0, unchanged: 0, failed: 0, skipped: 0, disappeared: 0, pruned: 0, reasons: [] };
}

describe("incremental migration after the source changed", () => {
  let f: MigrationFixture;
  let zephyr: HttpClient;
  let before: SourceProject;
  let source: SourceProject;
  let facts: { users: Record<string, string | number>; qtestUsers: { id: number; username: string }[] };
  const picked = { edited: "", extended: "", removed: "", executed: "", callee: "", cycle: "", created: "" };
  const newExecutionKeys: string[] = [];
  let incremental: { report: MigrationReport; exitCode: number };

  beforeAll(async () => {
    f = await migrationFixture({ generate: 60, seed: 5 });
    zephyr = httpClient(f.mocks.zephyr.url, f.mocks.zephyr.token);
    facts = {
      users: f.config.mapping.users,
      qtestUsers: (await qtestRead(f.mocks.qtest, "GET", "/users")) as { id: number; username: string }[],
    };
    const full = await f.run();
    expect(full.exitCode).toBe(0);
    before = readSource(f.mocks.zephyr.store);

    // Zephyr's `updatedAfter` has whole-second precision: change nothing within the second the last run
    // started in, whatever the watermark's rounding.
    await sleep(1100);
    pick(before);
    await mutateSource();
    source = readSource(f.mocks.zephyr.store);
    incremental = await f.run({ mode: "incremental" });
  }, 60_000);
  afterAll(async () => {
    await f?.close();
  });

  /** Cases for each change, chosen so that the changes do not overlap. */
  function pick(project: SourceProject) {
    const called = new Set(
      project.cases.flatMap((c) =>
        c.content.kind === "steps" ? c.content.steps.flatMap((s) => s.testCase?.testCaseKey ?? []) : [],
      ),
    );
    const executed = new Set(project.executions.map((e) => e.caseKey));
    const inlineOnly = project.cases.filter(
      (c) => c.content.kind === "steps" && c.content.steps.length > 0 && c.content.steps.every((s) => s.inline),
    );
    const quiet = inlineOnly.filter((c) => !called.has(c.testCase.key) && !executed.has(c.testCase.key));
    const [edited, extended, removed] = quiet.map((c) => c.testCase.key);
    const cycle = project.cycles[0]?.cycle.key ?? "";
    const executedInCycle = inlineOnly.find(
      (c) =>
        ![edited, extended, removed].includes(c.testCase.key) &&
        project.executions.some((e) => e.cycleKey === cycle && e.caseKey === c.testCase.key),
    );
    const callee = inlineOnly.find(
      (c) => c.testCase.key !== removed && c.content.kind === "steps" && c.content.steps.length <= 12,
    );
    Object.assign(picked, {
      edited,
      extended,
      removed,
      cycle,
      executed: executedInCycle?.testCase.key,
      callee: callee?.testCase.key,
    });
    for (const [what, key] of Object.entries(picked))
      if (what !== "created") expect({ what, key }).toMatchObject({ key: expect.stringMatching(/.+/) });
  }

  /** A Zephyr API call that must succeed; its body. */
  async function ok(promise: Promise<{ status: number; body: unknown }>, what: string) {
    const result = await promise;
    expect(result.status, `${what}: ${JSON.stringify(result.body)}`).toBeLessThan(300);
    return result.body as Record<string, unknown>;
  }

  async function mutateSource() {
    const key = f.mocks.zephyr.projectKey;
    const folder = before.cases.find((c) => c.testCase.folder)?.testCase.folder?.id;
    const owner = Object.keys(facts.users)[0];

    // A new case, with HTML and unicode text, inline steps (one with test data) and a call to another case.
    const created = await ok(
      zephyr.post("/testcases", {
        projectKey: key,
        name: "Nouveau cas — ログイン 🚀 <new>",
        objective: "<p>Added <strong>after</strong> the bulk load &amp; synced</p>",
        precondition: "Zoë's account exists",
        folderId: folder,
        priorityName: "High",
        statusName: "Approved",
        ownerId: owner,
        labels: ["Incremental", "Smoke"],
      }),
      "create a test case",
    );
    picked.created = String(created.key);
    await ok(
      zephyr.post(`/testcases/${picked.created}/teststeps`, {
        mode: "APPEND",
        items: [
          { inline: { description: "Open the app", testData: "user = zoë@example.com", expectedResult: "It opens" } },
          { testCase: { testCaseKey: picked.callee, parameters: [{ name: "locale", type: "MANUAL_INPUT", value: "ja-JP" }] } },
          { inline: { description: "Log in <b>twice</b>", expectedResult: "結果が表示される" } },
        ],
      }),
      "add the new case's steps",
    );

    // An edited case: PUT replaces the whole object, so the full object goes back with its name and
    // objective changed, and moved to another folder (so to another module).
    const current = (await ok(zephyr.get(`/testcases/${picked.edited}`), "read the edited case")) as unknown as TestCase;
    const otherFolder = f.mocks.zephyr.store.folders("TEST_CASE").find((x) => x.id !== current.folder?.id && x.parentId != null);
    expect(otherFolder).toBeDefined();
    await ok(
      zephyr.put(`/testcases/${picked.edited}`, {
        ...current,
        name: `${current.name} (édité ✏️)`,
        objective: "<p>Objective <em>rewritten</em> &lt;v2&gt;</p>",
        folder: { id: otherFolder?.id },
      }),
      "edit a test case",
    );

    // Two steps appended to another case.
    await ok(
      zephyr.post(`/testcases/${picked.extended}/teststeps`, {
        mode: "APPEND",
        items: [
          { inline: { description: "Appended step one", expectedResult: "Still works" } },
          { inline: { description: "Appended step two ✅", testData: '{"n": 2}', expectedResult: "Done" } },
        ],
      }),
      "append steps",
    );

    // New executions in an existing cycle: one more of a case already run there (a second log on its run),
    // and two of the new case (a new run with two logs).
    const inlineCount = (caseKey: string) => f.mocks.zephyr.store.testSteps(caseKey).filter((s) => s.inline).length;
    const execution = (caseKey: string, statusName: string, minutesAgo: number, comment: string) => ({
      projectKey: key,
      testCaseKey: caseKey,
      testCycleKey: picked.cycle,
      statusName,
      environmentName: "Firefox",
      actualEndDate: new Date(Date.UTC(2025, 5, 1, 12, 0, 0) - minutesAgo * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      executionTime: 90_000,
      comment,
      testScriptResults: Array.from({ length: inlineCount(caseKey) }, (_, i) => ({
        statusName: i % 2 === 0 ? "Pass" : "Fail",
        actualResult: `result ${i + 1}`,
      })),
    });
    for (const body of [
      execution(picked.executed, "Fail", 30, "Re-run after the fix — still <b>failing</b>"),
      execution(picked.created, "Pass", 20, "First run of the new case"),
      execution(picked.created, "Blocked", 10, ""),
    ]) {
      const result = await ok(zephyr.post("/testexecutions", body), "create an execution");
      const read = await ok(zephyr.get(`/testexecutions/${String(result.id)}`), "read the execution");
      newExecutionKeys.push(String(read.key));
    }

    // A case gone from Zephyr.
    f.mocks.zephyr.store.removeTestCase(picked.removed);
  }

  it("finishes with exit code 0", () => {
    expect(incremental.report.error).toBeNull();
    expect(incremental.exitCode).toBe(0);
    expect(incremental.report.run.mode).toBe("incremental");
    expect(incremental.report.run.updatedAfter).not.toBeNull();
  });

  it("reports exactly the changes: 1 test case created, 2 updated, the new executions as logs, 1 disappeared", () => {
    const { report } = incremental;
    expect(entity(report, "testCase")).toMatchObject({
      created: 1,
      updated: 2,
      failed: 0,
      skipped: 0,
      disappeared: 1,
      pruned: 0,
    });
    expect(entity(report, "testLog")).toMatchObject({ created: newExecutionKeys.length, updated: 0, failed: 0, skipped: 0 });
    expect(entity(report, "testRun")).toMatchObject({ created: 1, failed: 0 });
    for (const type of ["module", "testCycle", "testSuite"]) {
      expect(entity(report, type)).toMatchObject({ created: 0, updated: 0, failed: 0 });
    }
    expect(report.totals).toMatchObject({ created: 1 + 1 + newExecutionKeys.length, updated: 2, failed: 0, pruned: 0 });
    const gone = entity(report, "testCase").reasons.filter((r) => r.outcome === "disappeared");
    expect(gone.map((r) => r.key)).toEqual([picked.removed]);
  });

  it("brings qTest up to date: the new case, the edited fields, the new steps, the new logs, and keeps the gone case", async () => {
    const target = await readTarget(f.mocks.qtest);
    const { problems, checked } = compareTarget(source, target, facts, { keptCases: new Set([picked.removed]) });
    expect(problems).toEqual([]);
    expect(checked.testCases).toBe(source.cases.length);

    const byMarker = (marker: string) => target.testCases.filter((t) => propertyValue(t.properties, "Zephyr Key") === marker);
    const [created] = byMarker(picked.created);
    expect(created?.name).toBe("Nouveau cas — ログイン 🚀 <new>");
    expect(created?.test_steps).toHaveLength(3);
    expect(created?.test_steps[1]?.called_test_case_id).toBe(byMarker(picked.callee)[0]?.id);
    const [edited] = byMarker(picked.edited);
    expect(edited?.name).toMatch(/\(édité ✏️\)$/);
    expect(edited?.description).toBe("<p>Objective <em>rewritten</em> &lt;v2&gt;</p>");
    const editedSource = source.cases.find((c) => c.testCase.key === picked.edited);
    expect(edited?.modulePath).toEqual([f.mocks.zephyr.projectKey, ...(editedSource?.folderPath ?? ["?"])]);
    expect(editedSource?.folderPath).not.toEqual(before.cases.find((c) => c.testCase.key === picked.edited)?.folderPath);
    const [extended] = byMarker(picked.extended);
    const extendedSource = before.cases.find((c) => c.testCase.key === picked.extended)?.content;
    expect(extended?.test_steps).toHaveLength((extendedSource?.kind === "steps" ? extendedSource.steps.length : 0) + 2);
    expect(extended?.test_steps.at(-1)?.description).toContain("Appended step two ✅");
    expect(byMarker(picked.removed)).toHaveLength(1);

    // The new logs, on the right runs: a second log on the existing run, two on the new case's run.
    const logsOf = (run: string) => {
      const r = target.runs.find((x) => propertyValue(x.properties, "Zephyr Key") === run);
      return target.logs.filter((l) => l.runId === r?.id).map((l) => propertyValue(l.properties, "Zephyr Key"));
    };
    expect(logsOf(runMarker({ cycleKey: picked.cycle, caseKey: picked.executed }))).toContain(newExecutionKeys[0]);
    expect(logsOf(runMarker({ cycleKey: picked.cycle, caseKey: picked.created })).sort()).toEqual(
      [newExecutionKeys[1], newExecutionKeys[2]].sort(),
    );
  });

  it("run again with no change, writes nothing to qTest and creates or updates nothing", async () => {
    const writes = f.mocks.qtest.stats.writes;
    const counts = f.mocks.qtest.store.counts();
    const again = await f.run({ mode: "incremental" });
    expect(again.exitCode).toBe(0);
    expect(f.mocks.qtest.stats.writes - writes).toBe(0);
    expect(f.mocks.qtest.store.counts()).toEqual(counts);
    expect(again.report.totals).toMatchObject({ created: 0, updated: 0, failed: 0, skipped: 0, pruned: 0 });
  });

  it("with --prune, deletes the case gone from Zephyr from qTest, and nothing else", async () => {
    const counts = f.mocks.qtest.store.counts();
    const pruned = await f.run({ mode: "incremental", prune: true });
    expect(pruned.exitCode).toBe(0);
    expect(entity(pruned.report, "testCase")).toMatchObject({ created: 0, updated: 0, disappeared: 1, pruned: 1 });
    const hits = await searchMarked(f.mocks.qtest, "test-cases");
    expect(hits.filter((h) => h.marker === picked.removed)).toEqual([]);
    expect(f.mocks.qtest.store.counts()).toEqual({ ...counts, testCases: counts.testCases - 1 });

    const target = await readTarget(f.mocks.qtest);
    expect(compareTarget(source, target, facts).problems).toEqual([]);

    // Pruned once: a later run has nothing left to report as gone.
    const after = await f.run({ mode: "incremental" });
    expect(entity(after.report, "testCase")).toMatchObject({ disappeared: 0, pruned: 0, created: 0, updated: 0 });
  });
});
