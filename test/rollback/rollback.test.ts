/**
 * `ztoq rollback` through real parts: the qTest mock over HTTP, a real SQLite state, the migration
 * that made what is rolled back, and verification of what a migration afterwards rebuilds.
 */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/errors.js";
import { createLogger } from "../../src/log/logger.js";
import { Progress } from "../../src/progress/progress.js";
import { migrationCheck } from "../../src/report/verification-report.js";
import { rollbackReportSchema } from "../../src/rollback/report.js";
import { type RollbackOptions, rollback } from "../../src/rollback/run.js";
import { verify } from "../../src/verify/run.js";
import { closedPort } from "../support/cli.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import { exists, makeByHand, qtestApi, stateRecords, topModule } from "./support.js";

const fixtures: MigrationFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

const log = createLogger({ test: true });
log.level = "warn";

function run(f: MigrationFixture, options: Partial<RollbackOptions> = {}) {
  return rollback({
    config: f.config,
    dryRun: false,
    reportPath: join(f.dir, "rollback-report.json"),
    log,
    progress: new Progress({ quiet: true }),
    ...options,
  });
}

/** A migrated project; its counts are all ZTOQ's (the mock starts empty). */
async function migrated(options: { generate?: number; seed?: number } = {}) {
  const f = await migrationFixture({ generate: options.generate ?? 30, seed: options.seed ?? 7 });
  fixtures.push(f);
  const first = await f.run();
  expect(first.exitCode).toBe(ExitCode.ok);
  return { f, made: f.mocks.qtest.store.counts(), root: f.mocks.zephyr.projectKey };
}

describe("ztoq rollback", () => {
  it("--dry-run lists what would go and writes nothing; then it removes exactly what ZTOQ made, and migrate rebuilds it", async () => {
    const { f, made, root } = await migrated();
    const q = f.mocks.qtest;
    const hand = await makeByHand(q, root);
    const rootModule = await topModule(q, root);
    const stateBefore = await readFile(f.statePath);
    const recordsBefore = await stateRecords(f.statePath);
    const before = q.store.counts();
    const writes = q.stats.writes;

    // Dry run: the plan, and not one write anywhere.
    const dry = await run(f, { dryRun: true, reportPath: join(f.dir, "dry", "rollback-report.json") });
    expect(dry.exitCode).toBe(ExitCode.ok);
    expect(dry.report.status).toBe("dry-run");
    expect(q.stats.writes).toBe(writes);
    expect(q.store.counts()).toEqual(before);
    expect(await readFile(f.statePath)).toEqual(stateBefore);
    const removedByType = (report: typeof dry.report) => Object.fromEntries(report.entities.map((e) => [e.type, e.removed]));
    const ztoqMade = {
      testLog: made.testLogs,
      testRun: made.testRuns,
      testSuite: made.testSuites,
      testCycle: made.testCycles,
      testCase: made.testCases,
      // ZTOQ's root module stays: it holds the module made by hand.
      module: made.modules - 1,
      release: f.mocks.zephyr.store.testPlans().length,
      // Every requirement here was imported by qTest's Jira integration (requirements.create is off): none goes.
      requirement: 0,
    };
    expect(removedByType(dry.report)).toEqual(ztoqMade);
    const kept = dry.report.objects.filter((o) => o.outcome === "kept").map((o) => [o.type, o.id, o.reason]);
    // The module made by hand under ZTOQ's root is not ZTOQ's for sitting there: the state never recorded it.
    expect(kept.toSorted()).toEqual(
      [
        ["module", rootModule.id, "holds 1 module that stays"],
        ["module", hand.inside.moduleId, "not made by ZTOQ: the state does not record it"],
      ].toSorted(),
    );
    // Every object to remove is named, and none of them is one made by hand.
    const doomed = dry.report.objects.filter((o) => o.outcome === "removed");
    expect(doomed).toHaveLength(Object.values(ztoqMade).reduce((a, b) => a + b, 0));
    const handIds = [hand.inside.moduleId, hand.inside.caseId, hand.outside.moduleId, hand.outside.caseId, rootModule.id];
    expect(doomed.filter((o) => (o.type === "module" || o.type === "testCase") && handIds.includes(o.id))).toEqual([]);
    const dryMarkdown = await readFile(join(f.dir, "dry", "rollback-report.md"), "utf8");
    expect(dryMarkdown).toContain("ZTOQ rollback: dry-run");
    expect(dryMarkdown).toContain(`| Test cases | ${made.testCases} | 0 | 0 | 0 |`);
    expect(dryMarkdown).toContain(`What is ZTOQ's: ZTOQ's for ${root}: `);

    // The rollback itself.
    const done = await run(f);
    expect(done.exitCode).toBe(ExitCode.ok);
    expect(done.report.status).toBe("succeeded");
    expect(removedByType(done.report)).toEqual(ztoqMade);
    expect(q.store.counts()).toEqual({
      modules: 3,
      testCases: 2,
      testCycles: 0,
      testSuites: 0,
      testRuns: 0,
      testLogs: 0,
      attachments: before.attachments,
    });
    for (const path of [
      `/modules/${rootModule.id}`,
      `/modules/${hand.inside.moduleId}`,
      `/modules/${hand.outside.moduleId}`,
      `/test-cases/${hand.inside.caseId}`,
      `/test-cases/${hand.outside.caseId}`,
    ]) {
      expect({ path, exists: await exists(q, path) }).toEqual({ path, exists: true });
    }
    // The state forgot everything it had recorded but the root module, which is still there.
    const records = await stateRecords(f.statePath);
    expect(Object.fromEntries(Object.entries(records).map(([type, list]) => [type, list.map((r) => r.targetId)]))).toEqual({
      module: [rootModule.id],
      testCase: [],
      testCycle: [],
      testSuite: [],
      testRun: [],
      testLog: [],
      release: [],
      requirement: [],
    });
    expect(done.report.state.forgotten).toBe(Object.values(recordsBefore).flat().length - 1);
    const written = rollbackReportSchema.parse(JSON.parse(await readFile(join(f.dir, "rollback-report.json"), "utf8")));
    expect(written.totals).toEqual(done.report.totals);
    expect(await readFile(join(f.dir, "rollback-report.md"), "utf8")).toContain("ZTOQ rollback: succeeded");

    // Again: nothing left to remove, nothing written.
    const writesAfter = q.stats.writes;
    const again = await run(f, { reportPath: join(f.dir, "again", "rollback-report.json") });
    expect(again.exitCode).toBe(ExitCode.ok);
    expect(again.report.totals.removed).toBe(0);
    expect(q.stats.writes).toBe(writesAfter);

    // A migration rebuilds the whole project — even an incremental one, whose watermark predates
    // everything rolled back; verification finds only the two things made by hand.
    const rebuilt = await f.run({ mode: "incremental" });
    expect(rebuilt.exitCode).toBe(ExitCode.ok);
    expect(q.store.counts()).toMatchObject({
      modules: made.modules + 2,
      testCases: made.testCases + 2,
      testCycles: made.testCycles,
      testSuites: made.testSuites,
      testRuns: made.testRuns,
      testLogs: made.testLogs,
    });
    const verification = await verify({
      config: f.config,
      failOn: "extra>2",
      reportPath: join(f.dir, "verification-report.json"),
      log,
      progress: new Progress({ quiet: true }),
    });
    expect(verification.exitCode).toBe(ExitCode.ok);
    expect(verification.report.status).toBe("passed");
    const samples = (migrationCheck(verification.report)?.entities ?? []).flatMap((e) => e.samples);
    expect(samples.every((s) => s.problem === "extra")).toBe(true);
    expect([...new Set(samples.flatMap((s) => s.targetIds))].toSorted()).toEqual(
      [hand.inside.moduleId, hand.inside.caseId].toSorted(),
    );
    expect(verification.report.totals).toMatchObject({ missing: 0, changed: 0, duplicated: 0, misplaced: 0, extra: 2 });
  }, 60_000);

  it("keeps a run that holds a log made by hand, with its suite, its test cycles, its test case and that case's modules", async () => {
    const { f, root } = await migrated({ generate: 8, seed: 3 });
    const q = f.mocks.qtest;
    const runs = (await qtestApi(q, "GET", "/test-runs?parentId=0&parentType=root&expand=descendants&pageSize=999")) as {
      items: { id: number; parentId: number; testCaseId: number }[];
    };
    const target = runs.items[0];
    if (!target) throw new Error("the migration made no test run");
    const byHand = (await qtestApi(q, "POST", `/test-runs/${target.id}/test-logs`, {
      status: { id: 601 },
      exe_start_date: "2026-01-05T10:00:00.000Z",
      exe_end_date: "2026-01-05T10:10:00.000Z",
      note: "run by hand after the migration",
    })) as { id: number };
    const logsOnRun = ((await qtestApi(q, "GET", `/test-runs/${target.id}/test-logs`)) as { total: number }).total;
    const suite = (await qtestApi(q, "GET", `/test-suites/${target.parentId}`)) as { id: number; parentId: number };
    const testCase = (await qtestApi(q, "GET", `/test-cases/${target.testCaseId}`)) as { id: number; parent_id: number };

    const done = await run(f);
    expect(done.exitCode).toBe(ExitCode.ok);
    const kept = new Map(done.report.objects.filter((o) => o.outcome === "kept").map((o) => [`${o.type}:${o.id}`, o.reason]));
    expect(kept.get(`testLog:${byHand.id}`)).toBe("not made by ZTOQ: no 'Zephyr Key' value");
    expect(kept.get(`testRun:${target.id}`)).toBe("holds 1 test log that stays");
    expect(kept.get(`testSuite:${suite.id}`)).toBe("holds 1 test run that stays");
    expect(kept.get(`testCycle:${suite.parentId}`)).toMatch(/^holds .*test suite.* that stay/);
    expect(kept.get(`testCase:${testCase.id}`)).toBe("has 1 test run that stays: qTest deletes a test case's runs with it");
    expect(kept.get(`module:${testCase.parent_id}`)).toMatch(/^holds .*1 test case.* that stay/);
    expect(kept.get(`module:${(await topModule(q, root)).id}`)).toBeDefined();
    // What stays is what was kept, and the log made by hand is still on its run.
    for (const path of [
      `/test-runs/${target.id}/test-logs/${byHand.id}`,
      `/test-suites/${suite.id}`,
      `/test-cases/${testCase.id}`,
    ]) {
      expect({ path, exists: await exists(q, path) }).toEqual({ path, exists: true });
    }
    const counts = q.store.counts();
    const keptOf = (type: string) => done.report.objects.filter((o) => o.outcome === "kept" && o.type === type).length;
    expect(counts).toMatchObject({
      testRuns: keptOf("testRun"),
      testSuites: keptOf("testSuite"),
      testCycles: keptOf("testCycle"),
      testCases: keptOf("testCase"),
      modules: keptOf("module"),
      testLogs: logsOnRun,
    });
    // Kept ZTOQ objects stay recorded; everything removed was forgotten.
    const records = await stateRecords(f.statePath);
    expect(records.testRun.map((r) => r.targetId)).toEqual([target.id]);
    expect(records.testCase.map((r) => r.targetId)).toEqual([testCase.id]);
  }, 60_000);

  it("exits 1 when qTest refuses a deletion: a module that gained a test case after the read stays, and so do its parents", async () => {
    const { f, root } = await migrated({ generate: 8, seed: 4 });
    const q = f.mocks.qtest;
    const rootModule = await topModule(q, root);
    type Tree = { id: number; name: string; children?: Tree[] };
    const [tree] = ((await qtestApi(q, "GET", "/modules?expand=descendants")) as Tree[]).filter((m) => m.id === rootModule.id);
    const chain: Tree[] = [];
    for (let at = tree; at; at = at.children?.[0]) chain.push(at);
    const leaf = chain.at(-1) as Tree;
    expect(chain.length).toBeGreaterThan(1);
    let late: { id: number } | undefined;

    // Between the read and the deletions, someone adds a test case to one of ZTOQ's modules.
    const done = await run(f, {
      confirm: async () => {
        late = (await qtestApi(q, "POST", "/test-cases", { name: "Added meanwhile", parent_id: leaf.id, properties: [] })) as {
          id: number;
        };
        return true;
      },
    });
    expect(done.exitCode).toBe(ExitCode.failed);
    expect(done.report.status).toBe("failed");
    const outcome = new Map(done.report.objects.map((o) => [`${o.type}:${o.id}`, o]));
    expect(outcome.get(`module:${leaf.id}`)).toMatchObject({ outcome: "refused", reason: expect.stringMatching(/HTTP 400/) });
    for (const parent of chain.slice(0, -1)) {
      expect(outcome.get(`module:${parent.id}`)).toMatchObject({
        outcome: "blocked",
        reason: expect.stringMatching(/^not attempted: module:\d+ could not be deleted$/),
      });
    }
    for (const m of chain) expect(await exists(q, `/modules/${m.id}`)).toBe(true);
    expect(await exists(q, `/test-cases/${late?.id}`)).toBe(true);
    expect(q.store.counts()).toMatchObject({ modules: chain.length, testCases: 1, testRuns: 0, testCycles: 0 });
    // The modules that stay are still recorded, so a later migration adopts them.
    const records = await stateRecords(f.statePath);
    expect(records.module.map((r) => r.targetId).toSorted()).toEqual(chain.map((m) => m.id).toSorted());
    expect(await readFile(join(f.dir, "rollback-report.md"), "utf8")).toContain("Refused or blocked");
  }, 60_000);

  it("exits 2 for an unknown qTest project and 3 when qTest cannot be reached, deleting nothing", async () => {
    const { f } = await migrated({ generate: 5, seed: 2 });
    const before = f.mocks.qtest.store.counts();
    // Another qTest project or site on this project's state store is refused before qTest is asked
    // (test/migrate/overlap.test.ts); without a state store, qTest's own answer is what stops the rollback.
    const noState = join(f.dir, "no-state.db");
    const unknown = run(f, { config: { ...f.config, state: noState, qtest: { ...f.config.qtest, projectId: 999 } } });
    await expect(unknown).rejects.toMatchObject({
      exitCode: ExitCode.badInput,
      message: expect.stringMatching(/project 999 not found/),
    });
    const unreachable = run(f, {
      config: {
        ...f.config,
        state: noState,
        migration: { ...f.config.migration, retries: 0 },
        qtest: { ...f.config.qtest, url: `http://127.0.0.1:${await closedPort()}` },
      },
    });
    await expect(unreachable).rejects.toMatchObject({
      exitCode: ExitCode.incomplete,
      message: expect.stringMatching(/nothing deleted/),
    });
    expect(f.mocks.qtest.store.counts()).toEqual(before);
  }, 60_000);

  it("without a state store it goes by this project's markers alone, keeps every module and test cycle, and creates no state file", async () => {
    const { f, made, root } = await migrated({ generate: 5, seed: 2 });
    const q = f.mocks.qtest;
    const missing = join(f.dir, "nowhere", "state.db");
    const config = { ...f.config, state: missing };
    const writes = q.stats.writes;
    const dry = await run(f, { dryRun: true, config });
    expect(dry.exitCode).toBe(ExitCode.ok);
    expect(dry.report.state.location).toBeNull();
    expect(dry.report.ownership).toMatch(new RegExp(`^no state store: .* names ${root} .*; no module or test cycle$`));
    expect(existsSync(missing)).toBe(false);
    expect(q.stats.writes).toBe(writes);
    expect((await stat(join(f.dir, "rollback-report.md"))).isFile()).toBe(true);

    const done = await run(f, { config });
    expect(done.exitCode).toBe(ExitCode.ok);
    expect(done.report.totals).toMatchObject({
      // Releases carry this project's marker: they go too.
      removed: made.testCases + made.testSuites + made.testRuns + made.testLogs + f.mocks.zephyr.store.testPlans().length,
      kept: made.modules + made.testCycles,
    });
    const keptReasons = new Set(done.report.objects.filter((o) => o.outcome === "kept").map((o) => o.reason));
    expect([...keptReasons]).toEqual([
      "no state store: only the state tells the modules and test cycles ZTOQ made from those made by hand",
    ]);
    expect(q.store.counts()).toMatchObject({
      modules: made.modules,
      testCases: 0,
      testCycles: made.testCycles,
      testSuites: 0,
      testRuns: 0,
      testLogs: 0,
    });
    expect(existsSync(missing)).toBe(false);
  }, 60_000);
});
