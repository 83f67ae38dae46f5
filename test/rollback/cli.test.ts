import { existsSync } from "node:fs";
/**
 * `ztoq rollback` as a user and a workflow run it: a child process of the CLI, killed with SIGKILL in the middle and run again; refusing to delete without a
 * confirmation where no terminal can give one; asking on a terminal. It runs the committed dist/ bundle.
 */

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/errors.js";
import { demoMapping } from "../../src/mock/demo-target.js";
import { type RollbackReport, rollbackReportSchema } from "../../src/rollback/report.js";
import { BIN, messageLines, startCli, waitFor, writeYamlConfig } from "../support/cli.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import { exists, makeByHand, stateRecords, topModule } from "./support.js";

beforeAll(() => {
  // The child processes run the bundle: it must be the current source (`npm run build`; CI checks it).
  expect(existsSync(BIN), "dist/cli.js: run `npm run build` first").toBe(true);
});

const fixtures: MigrationFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

/** A migrated project (its counts all ZTOQ's), a config file for the CLI, and things made by hand. */
async function setUp(options: { latencyMs?: number; generate?: number } = {}) {
  const f = await migrationFixture({ generate: options.generate ?? 40, seed: 9, latencyMs: options.latencyMs });
  fixtures.push(f);
  expect((await f.run()).exitCode).toBe(ExitCode.ok);
  const made = f.mocks.qtest.store.counts();
  const file = await writeYamlConfig(f.dir, {
    zephyr: { rateLimit: 500, timeoutSeconds: 5 },
    qtest: { rateLimit: 500, timeoutSeconds: 5 },
    state: f.statePath,
    migration: { concurrency: 4, retries: 6 },
    mapping: await demoMapping(f.mocks),
    report: { dir: f.dir },
  });
  const hand = await makeByHand(f.mocks.qtest, f.mocks.zephyr.projectKey);
  // No Zephyr token: a rollback reads nothing from Zephyr.
  const { ZTOQ_ZEPHYR_TOKEN: _, ...env } = f.env;
  return { f, file, made, hand, env };
}

async function report(f: MigrationFixture): Promise<RollbackReport> {
  return rollbackReportSchema.parse(JSON.parse(await readFile(join(f.dir, "rollback-report.json"), "utf8")));
}

describe("ztoq rollback (CLI)", () => {
  it("killed with SIGKILL in the middle and run again: everything ZTOQ made is gone, nothing else, nothing twice", async () => {
    const { f, file, made, hand, env } = await setUp({ latencyMs: 15 });
    const q = f.mocks.qtest;
    const root = await topModule(q, f.mocks.zephyr.projectKey);

    const first = startCli(["rollback", "--config", file, "--yes"], env);
    await waitFor(
      () => {
        const c = q.store.counts();
        return c.testRuns <= made.testRuns * 0.6 && c.testRuns > 0;
      },
      "some test runs deleted, but not all",
      { child: first.child, timeoutMs: 45_000 },
    );
    first.child.kill("SIGKILL");
    expect((await first.done).signal).toBe("SIGKILL");
    await sleep(300); // requests already sent may still land
    const atKill = q.store.counts();
    expect(atKill.testRuns).toBeGreaterThan(0);
    expect(atKill.testRuns).toBeLessThan(made.testRuns);
    expect(atKill.testCases).toBe(made.testCases + 2);

    const second = startCli(["rollback", "--config", file, "--yes"], env);
    const result = await second.done;
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect({ code: result.code, stderr: messageLines(result.stderr) }).toEqual({ code: ExitCode.ok, stderr: [] });
    expect(result.stdout).toContain("ZTOQ rollback: succeeded");

    // What ZTOQ made is gone; what was made by hand, and the root module holding it, are there.
    const after = q.store.counts();
    expect(after).toMatchObject({ modules: 3, testCases: 2, testCycles: 0, testSuites: 0, testRuns: 0, testLogs: 0 });
    for (const path of [
      `/modules/${root.id}`,
      `/modules/${hand.inside.moduleId}`,
      `/test-cases/${hand.inside.caseId}`,
      `/modules/${hand.outside.moduleId}`,
      `/test-cases/${hand.outside.caseId}`,
    ]) {
      expect({ path, exists: await exists(q, path) }).toEqual({ path, exists: true });
    }
    // Nothing twice: the second run removed exactly what the first one had left.
    const second_ = await report(f);
    const removed = Object.fromEntries(second_.entities.map((e) => [e.type, e.removed]));
    expect(removed).toEqual({
      testLog: atKill.testLogs - after.testLogs,
      testRun: atKill.testRuns - after.testRuns,
      testSuite: atKill.testSuites - after.testSuites,
      testCycle: atKill.testCycles - after.testCycles,
      testCase: atKill.testCases - after.testCases,
      module: atKill.modules - after.modules,
      // Releases go first: the first run had deleted them all before the kill.
      release: 0,
      requirement: 0,
    });
    expect(q.store.traceCounts().releases).toBe(0);
    expect(second_.requests.qtest.failures).toBe(0); // not one DELETE of something already gone
    // The state forgot all but the root module.
    const records = await stateRecords(f.statePath);
    expect(
      Object.values(records)
        .flat()
        .map((r) => [r.type, r.targetId]),
    ).toEqual([["module", root.id]]);
  }, 90_000);

  it("refuses, without a terminal and without --yes, with exit 2 and one line; deletes nothing", async () => {
    const { f, file, env } = await setUp({ generate: 5 });
    const q = f.mocks.qtest;
    const before = q.store.counts();
    const writes = q.stats.writes;
    const requests = q.stats.requests;
    const result = await startCli(["rollback", "--config", file], env).done;
    expect(result.code).toBe(ExitCode.badInput);
    expect(messageLines(result.stderr)).toEqual([
      "ztoq: rollback deletes from qTest and there is no terminal to confirm on: pass --yes (or --dry-run)",
    ]);
    expect(result.stdout).toBe("");
    expect(q.stats.requests).toBe(requests);
    expect(q.stats.writes).toBe(writes);
    expect(q.store.counts()).toEqual(before);

    // --dry-run needs no confirmation and writes nothing either.
    const dry = await startCli(["rollback", "--config", file, "--dry-run"], env).done;
    expect(dry.code).toBe(ExitCode.ok);
    expect(dry.stdout).toContain("ZTOQ rollback: dry-run");
    expect(q.stats.writes).toBe(writes);
    expect(q.store.counts()).toEqual(before);
  }, 60_000);

  it("on a terminal asks first: anything but yes deletes nothing, y deletes", async () => {
    const { f, file, env, made } = await setUp({ generate: 5 });
    const q = f.mocks.qtest;
    const before = q.store.counts();
    const writes = q.stats.writes;

    const declined = await startCli(["rollback", "--config", file], env, { terminal: { input: "\n" } }).done;
    expect(declined.code).toBe(ExitCode.ok);
    expect(declined.stdout).toMatch(
      new RegExp(`Delete .*${made.testCases} test cases.* from qTest project ${q.projectId} .*\\[y/N\\]`),
    );
    expect(declined.stdout).toContain("Nothing deleted.");
    expect(declined.stdout).toContain("ZTOQ rollback: cancelled");
    expect(q.stats.writes).toBe(writes);
    expect(q.store.counts()).toEqual(before);

    // Ctrl-D and Ctrl-C answer no as well, rather than leaving the question open.
    for (const key of ["\u0004", "\u0003"]) {
      const closed = await startCli(["rollback", "--config", file], env, { terminal: { input: key } }).done;
      expect({ key, code: closed.code, cancelled: closed.stdout.includes("ZTOQ rollback: cancelled") }).toEqual({
        key,
        code: ExitCode.ok,
        cancelled: true,
      });
    }
    expect(q.stats.writes).toBe(writes);

    const confirmed = await startCli(["rollback", "--config", file], env, { terminal: { input: "y\n" } }).done;
    expect(confirmed.code).toBe(ExitCode.ok);
    expect(confirmed.stdout).toContain("ZTOQ rollback: succeeded");
    expect(q.store.counts()).toMatchObject({ testCases: 2, testRuns: 0, testCycles: 0 });
  }, 60_000);
});
