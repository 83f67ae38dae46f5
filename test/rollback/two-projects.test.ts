/**
 * Two Zephyr projects migrated into one qTest project, each with its own state, root module and root
 * test cycle (both named after the project key by default), through real parts: two Zephyr mocks,
 * one qTest mock over HTTP, real SQLite states. Rolling one back leaves the other whole and every
 * object made by hand in place.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/errors.js";
import { createLogger } from "../../src/log/logger.js";
import { Progress } from "../../src/progress/progress.js";
import { migrationCheck, type VerificationReport } from "../../src/report/verification-report.js";
import { rollback } from "../../src/rollback/run.js";
import { keylessExecutions, type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import { propertyValue, type QTestTarget, readTarget } from "../support/qtest-target.js";
import { exists, qtestApi, stateRecords, topModule } from "./support.js";

const fixtures: MigrationFixture[] = [];
afterEach(async () => {
  // The second project's fixture first: it migrates into the first one's qTest mock.
  for (const f of fixtures.splice(0).reverse()) await f.close();
});

const log = createLogger({ test: true });
log.level = "warn";

const rollbackOf = (f: MigrationFixture, dryRun: boolean) =>
  rollback({
    config: f.config,
    dryRun,
    reportPath: join(f.dir, dryRun ? "dry" : "done", "rollback-report.json"),
    log,
    progress: new Progress({ quiet: true }),
  });

/** What qTest holds under a project's root module and root test cycle (both named after its key), in full. */
function projectPart(target: QTestTarget, root: string) {
  const suites = target.suites.filter((s) => s.cyclePath[0] === root);
  const suiteIds = new Set(suites.map((s) => s.id));
  const runs = target.runs.filter((r) => suiteIds.has(r.suiteId));
  const runIds = new Set(runs.map((r) => r.id));
  return {
    modules: target.modules.filter((m) => m.path[0] === root),
    testCases: target.testCases.filter((t) => t.modulePath[0] === root),
    cycles: target.cycles.filter((c) => c.path[0] === root),
    suites,
    runs,
    logs: target.logs.filter((l) => runIds.has(l.runId)),
  };
}

const countsOf = (report: VerificationReport) =>
  Object.fromEntries((migrationCheck(report)?.entities ?? []).map((e) => [e.type, e.target.count]));

describe("two Zephyr projects in one qTest project", () => {
  it("each verifies; rolling back one leaves the other whole and what was made by hand in place, as its dry run said", async () => {
    const a = await migrationFixture({ dataset: keylessExecutions({ testCases: 20, seed: 7, projectKey: "QA" }) });
    fixtures.push(a);
    const b = await migrationFixture({ dataset: keylessExecutions({ testCases: 20, seed: 8, projectKey: "QB" }), into: a });
    fixtures.push(b);
    const q = a.mocks.qtest;
    expect(b.mocks.qtest).toBe(q);
    expect(b.config.qtest.projectId).toBe(a.config.qtest.projectId);

    expect((await a.run()).exitCode).toBe(ExitCode.ok);
    expect((await b.run()).exitCode).toBe(ExitCode.ok);
    // Both projects have executions outside any cycle, and keyless executions with the same ids.
    const suiteMarkers = (await readTarget(q)).suites.map((s) => propertyValue(s.properties, "Zephyr Key"));
    expect(suiteMarkers).toEqual(expect.arrayContaining(["QA-ad-hoc", "QB-ad-hoc"]));
    const logMarkers = (await readTarget(q)).logs.map((l) => propertyValue(l.properties, "Zephyr Key"));
    expect(logMarkers).toEqual(expect.arrayContaining(["QA-execution-50001", "QB-execution-50001"]));

    const verifiedA = await a.verify();
    const verifiedB = await b.verify();
    expect(verifiedA.status).toBe("passed");
    expect(verifiedB.status).toBe("passed");
    expect(verifiedA.totals).toMatchObject({ missing: 0, extra: 0, changed: 0, duplicated: 0, misplaced: 0 });
    expect(verifiedB.totals).toMatchObject({ missing: 0, extra: 0, changed: 0, duplicated: 0, misplaced: 0 });

    // Made by hand in QA's area: an empty module under its root module, a case carrying a migrated
    // case's marker, an empty test cycle under its root test cycle, and a suite carrying its ad-hoc marker.
    const rootModule = await topModule(q, "QA");
    const cycles = (await qtestApi(q, "GET", "/test-cycles")) as { id: number; name: string }[];
    const rootCycle = cycles.find((c) => c.name === "QA");
    if (!rootCycle) throw new Error("no root test cycle QA");
    const caseFields = (await qtestApi(q, "GET", "/settings/test-cases/fields")) as { id: number; label: string }[];
    const suiteFields = (await qtestApi(q, "GET", "/settings/test-suites/fields")) as { id: number; label: string }[];
    const marker = (fields: { id: number; label: string }[], value: string) => [
      { field_id: fields.find((f) => f.label === "Zephyr Key")?.id, field_value: value },
    ];
    const hand = {
      module: (await qtestApi(q, "POST", `/modules?parentId=${rootModule.id}`, { name: "Empty, by hand" })) as { id: number },
      testCase: (await qtestApi(q, "POST", "/test-cases", {
        name: "A copy made by hand",
        parent_id: rootModule.id,
        properties: marker(caseFields, "QA-T1"),
      })) as { id: number },
      cycle: (await qtestApi(q, "POST", `/test-cycles?parentId=${rootCycle.id}&parentType=test-cycle`, {
        name: "Team cycle",
      })) as { id: number },
      suite: (await qtestApi(q, "POST", `/test-suites?parentId=${rootCycle.id}&parentType=test-cycle`, {
        name: "Team suite",
        properties: marker(suiteFields, "QA-ad-hoc"),
      })) as { id: number },
    };

    const before = await readTarget(q);
    const storeBefore = q.store.counts();
    const writes = q.stats.writes;

    // The dry run: what would go, all of it QA's; nothing written.
    const dry = await rollbackOf(a, true);
    expect(dry.exitCode).toBe(ExitCode.ok);
    expect(q.stats.writes).toBe(writes);
    expect(dry.report.ownership).toMatch(
      /^ZTOQ's for QA: .*names QA and whose id the state recorded; modules and test cycles whose id/,
    );
    const listed = (report: typeof dry.report, outcome: string) =>
      report.objects
        .filter((o) => o.outcome === outcome)
        .map((o) => `${o.type}:${o.id}:${o.name}:${o.marker}`)
        .toSorted();
    const toRemove = listed(dry.report, "removed");
    for (const o of dry.report.objects.filter((x) => x.outcome === "removed" && x.marker !== null)) {
      expect({ marker: o.marker, names: /(^|\/)QA-/.test(o.marker ?? "") }).toEqual({ marker: o.marker, names: true });
    }

    // The rollback: removes exactly what its dry run listed, object by object.
    const done = await rollbackOf(a, false);
    expect(done.exitCode).toBe(ExitCode.ok);
    expect(done.report.status).toBe("succeeded");
    expect(listed(done.report, "removed")).toEqual(toRemove);
    expect(listed(done.report, "kept")).toEqual(listed(dry.report, "kept"));

    // What was made by hand stays, each listed as kept with why.
    for (const path of [
      `/modules/${hand.module.id}`,
      `/test-cases/${hand.testCase.id}`,
      `/test-cycles/${hand.cycle.id}`,
      `/test-suites/${hand.suite.id}`,
    ]) {
      expect({ path, exists: await exists(q, path) }).toEqual({ path, exists: true });
    }
    const kept = new Map(done.report.objects.filter((o) => o.outcome === "kept").map((o) => [`${o.type}:${o.id}`, o.reason]));
    const notRecorded = "not made by this migration: it carries this project's marker (QA), but the state does not record it";
    expect(Object.fromEntries(kept)).toEqual({
      [`module:${hand.module.id}`]: "not made by ZTOQ: the state does not record it",
      [`testCase:${hand.testCase.id}`]: notRecorded,
      [`module:${rootModule.id}`]: "holds 1 module and 1 test case that stay",
      [`testCycle:${hand.cycle.id}`]: "not made by ZTOQ: the state does not record it",
      [`testSuite:${hand.suite.id}`]: notRecorded,
      [`testCycle:${rootCycle.id}`]: "holds 1 test cycle and 1 test suite that stay",
    });

    // QB is whole: every object as it was, its verification still passes with the same counts.
    const after = await readTarget(q);
    expect(projectPart(after, "QB")).toEqual(projectPart(before, "QB"));
    const againB = await b.verify();
    expect(againB.status).toBe("passed");
    expect(againB.totals).toMatchObject({ missing: 0, extra: 0, changed: 0, duplicated: 0, misplaced: 0 });
    expect(countsOf(againB)).toEqual(countsOf(verifiedB));
    // And the qTest project lost exactly what the rollback removed.
    const removed = (type: string) => done.report.objects.filter((o) => o.outcome === "removed" && o.type === type).length;
    expect(q.store.counts()).toEqual({
      ...storeBefore,
      modules: storeBefore.modules - removed("module"),
      testCases: storeBefore.testCases - removed("testCase"),
      testCycles: storeBefore.testCycles - removed("testCycle"),
      testSuites: storeBefore.testSuites - removed("testSuite"),
      testRuns: storeBefore.testRuns - removed("testRun"),
      testLogs: storeBefore.testLogs - removed("testLog"),
    });
    // QA's part now holds only what was made by hand and the roots holding it.
    const leftA = projectPart(after, "QA");
    expect(leftA.modules.map((m) => m.id).toSorted()).toEqual([rootModule.id, hand.module.id].toSorted());
    expect(leftA.testCases.map((t) => t.id)).toEqual([hand.testCase.id]);
    expect(leftA.cycles.map((c) => c.id).toSorted()).toEqual([rootCycle.id, hand.cycle.id].toSorted());
    expect(leftA.suites.map((s) => s.id)).toEqual([hand.suite.id]);
    expect([leftA.runs, leftA.logs]).toEqual([[], []]);
    // QA's state forgot all but its root module and root test cycle, which stay; QB's state is untouched.
    const recordsA = await stateRecords(a.statePath);
    expect(
      Object.values(recordsA)
        .flat()
        .map((r) => r.targetId)
        .toSorted(),
    ).toEqual([rootModule.id, rootCycle.id].toSorted());

    // Rolled back in turn, QB goes too — and still nothing made by hand.
    const doneB = await rollbackOf(b, false);
    expect(doneB.exitCode).toBe(ExitCode.ok);
    expect(doneB.report.totals.kept).toBe(0);
    expect(projectPart(await readTarget(q), "QB")).toEqual({
      modules: [],
      testCases: [],
      cycles: [],
      suites: [],
      runs: [],
      logs: [],
    });
    for (const id of [hand.module.id, rootModule.id]) expect(await exists(q, `/modules/${id}`)).toBe(true);
    expect(await exists(q, `/test-cases/${hand.testCase.id}`)).toBe(true);
    expect(await exists(q, `/test-suites/${hand.suite.id}`)).toBe(true);
  }, 120_000);
});
