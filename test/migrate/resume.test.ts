import { existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RecordedType } from "../../src/entity-types.js";
import { demoMapping } from "../../src/mock/demo-target.js";
import type { EntityStatus } from "../../src/state/store.js";
import { runCli, startCli, waitFor, writeYamlConfig } from "../support/cli.js";
import { expectedCounts, readSource } from "../support/expected-target.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import { expectWholeTargetOnce } from "../support/whole-target.js";

/**
 * `kill -9` in the middle of a migration, then the same command again: it must finish with zero
 * duplicates and zero gaps (README, `ztoq migrate`: a stopped run is resumed by the same command). The
 * CLI runs as a child process against mocks in this process, slowed down (latency) so the run lasts
 * long enough to be cut.
 */

type QTestCounts = ReturnType<MigrationFixture["mocks"]["qtest"]["store"]["counts"]>;
interface StatusJson {
  counts: Record<RecordedType, Record<EntityStatus, number>>;
  lastRun: { status: string; mode: string } | null;
}

const fixtures: MigrationFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

beforeAll(() => {
  // The child processes run the bundle: it must be the current source (`npm run build`).
  expect(existsSync(join(import.meta.dirname, "..", "..", "dist", "cli.js")), "dist/cli.js: run `npm run build` first").toBe(
    true,
  );
});

async function setUp() {
  const f = await migrationFixture({ generate: 60, seed: 5, latencyMs: 15 });
  fixtures.push(f);
  const file = await writeYamlConfig(f.dir, {
    zephyr: { rateLimit: 500, timeoutSeconds: 5 },
    qtest: { rateLimit: 500, timeoutSeconds: 5 },
    state: f.statePath,
    migration: { concurrency: 4, retries: 6 },
    mapping: await demoMapping(f.mocks),
    report: { dir: f.dir },
  });
  const source = readSource(f.mocks.zephyr.store);
  return { f, file, source, expected: expectedCounts(source), args: ["migrate", "--config", file] };
}

async function status(f: MigrationFixture, file: string): Promise<StatusJson> {
  const result = await runCli(["status", "--config", file, "--json"], f.env);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as StatusJson;
}

/** Kills `ztoq migrate` with SIGKILL the moment `cut` holds, then checks what the kill left behind. */
async function killWhen(setup: Awaited<ReturnType<typeof setUp>>, cut: (c: QTestCounts) => boolean, what: string) {
  const { f, file, args } = setup;
  const run = startCli(args, f.env);
  await waitFor(() => cut(f.mocks.qtest.store.counts()), what, { child: run.child, timeoutMs: 45_000 });
  run.child.kill("SIGKILL");
  const killed = await run.done;
  expect(killed.signal).toBe("SIGKILL");
  // Requests the process had already sent may still be answered; let them land before looking.
  await sleep(300);
  const atKill = f.mocks.qtest.store.counts();
  const state = await status(f, file);
  // The table a person reads says the same: the last run never finished, and its process is gone.
  const table = await runCli(["status", "--config", file], f.env);
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(/^testCase\s/m);
  expect(table.stdout).toMatch(/Last run: .* interrupted \(its process \d+ on .* is gone; re-run the same command to resume\)/);
  return { atKill, state };
}

/** The re-run with the same command, and everything a resumed run must show. */
async function resumeAndVerify(setup: Awaited<ReturnType<typeof setUp>>) {
  const { f, file, args, source, expected } = setup;
  const rerun = await runCli(args, f.env);
  expect(rerun.stderr).not.toMatch(/\n\s+at /);
  expect({ code: rerun.code, stderrTail: rerun.stderr.slice(-800) }).toMatchObject({ code: 0 });

  // `ztoq status`: nothing in flight, nothing failed, everything done.
  const after = await status(f, file);
  expect(after.lastRun?.status).toBe("succeeded");
  for (const [type, counts] of Object.entries(after.counts)) {
    expect({ type, creating: counts.creating, failed: counts.failed, pending: counts.pending }).toEqual({
      type,
      creating: 0,
      failed: 0,
      pending: 0,
    });
  }
  const done = Object.fromEntries(Object.entries(after.counts).map(([type, c]) => [type, c.done]));
  expect(done).toEqual(expected);

  // Zero gaps and zero duplicates, field by field, through the qTest read and search APIs.
  await expectWholeTargetOnce(f.mocks, source, f.config);
}

describe("a migration killed with SIGKILL and run again", () => {
  it("resumes after a kill during the test cases: zero duplicates, zero gaps", async () => {
    const setup = await setUp();
    const total = setup.expected.testCase;
    const { atKill, state } = await killWhen(
      setup,
      (c) => c.testCases >= total / 3 && c.testCases <= total - 15,
      "some test cases, but not all, in qTest",
    );
    expect(atKill.testCases).toBeGreaterThan(0);
    expect(atKill.testCases).toBeLessThan(total);
    expect(atKill.testLogs).toBe(0);

    // `ztoq status` after the kill: the run never finished and entities are not all done.
    expect(state.lastRun?.status).toBe("interrupted");
    expect(state.counts.testCase.done).toBeLessThan(total);
    expect(state.counts.testLog.done).toBe(0);
    // The intent is recorded before every create: whatever reached qTest is known to the state.
    expect(atKill.testCases).toBeLessThanOrEqual(state.counts.testCase.done + state.counts.testCase.creating);

    await resumeAndVerify(setup);
  }, 60_000);

  it("resumes after a kill during the executions: zero duplicates, zero gaps", async () => {
    const setup = await setUp();
    const total = setup.expected.testLog;
    const { atKill, state } = await killWhen(
      setup,
      (c) => c.testLogs >= total / 3 && c.testLogs <= total - 20,
      "some test logs, but not all, in qTest",
    );
    expect(atKill.testCases).toBe(setup.expected.testCase);
    expect(atKill.testLogs).toBeGreaterThan(0);
    expect(atKill.testLogs).toBeLessThan(total);

    expect(state.lastRun?.status).toBe("interrupted");
    expect(state.counts.testCase.done).toBe(setup.expected.testCase);
    expect(state.counts.testLog.done).toBeLessThan(total);
    expect(atKill.testLogs).toBeLessThanOrEqual(state.counts.testLog.done + state.counts.testLog.creating);
    expect(atKill.testRuns).toBeLessThanOrEqual(state.counts.testRun.done + state.counts.testRun.creating);

    await resumeAndVerify(setup);
  }, 60_000);
});

describe("a reconcile killed with SIGKILL and run again", () => {
  it("re-creates what was deleted exactly once: zero duplicates, zero gaps", async () => {
    const setup = await setUp();
    const { f, file } = setup;
    expect((await runCli(setup.args, f.env)).code).toBe(0);
    // A third of the migrated cases deleted in qTest (their runs and logs go with them).
    const cases = f.mocks.qtest.store.testCases(undefined, { expandSteps: false }) as unknown as { id: number }[];
    for (const c of cases.slice(0, 20)) f.mocks.qtest.store.deleteTestCase(c.id);
    const left = f.mocks.qtest.store.counts().testCases;

    const run = startCli([...setup.args, "--reconcile"], f.env);
    await waitFor(() => f.mocks.qtest.store.counts().testCases >= left + 5, "some deleted cases re-created", {
      child: run.child,
      timeoutMs: 45_000,
    });
    run.child.kill("SIGKILL");
    expect((await run.done).signal).toBe("SIGKILL");
    await sleep(300);
    expect(f.mocks.qtest.store.counts().testCases).toBeLessThan(setup.expected.testCase);

    const again = await runCli([...setup.args, "--reconcile"], f.env);
    expect({ code: again.code, stderrTail: again.stderr.slice(-800) }).toMatchObject({ code: 0 });
    await expectWholeTargetOnce(f.mocks, setup.source, f.config);
    expect((await status(f, file)).lastRun?.status).toBe("succeeded");
  }, 90_000);
});
