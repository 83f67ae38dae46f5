import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/errors.js";
import { type RollbackReport, rollbackReportSchema } from "../../src/rollback/report.js";
import { messageLines, runCli, startCli, waitFor } from "../support/cli.js";
import { closeFixtures, expectBundle, expectOneLine, type Setup, setUp } from "./setup.js";

/**
 * SIGINT and SIGTERM are honoured whatever a command is doing: rollback finishes the deletions in flight
 * and says what it did; migrate at the slowest pace allowed gives up its preflight at once. Each test
 * asserts the exit and its one line, not how fast it came (the timeouts are generous on purpose).
 */

afterEach(closeFixtures);
beforeAll(expectBundle);

type Counts = Record<"modules" | "testCases" | "testCycles" | "testSuites" | "testRuns" | "testLogs", number>;

/** What a rollback deletes, counted in the qTest mock: releases too (requirements here were all imported, none made). */
function counts(setup: Setup): Counts & { releases: number } {
  const { attachments: _, ...rest } = setup.f.mocks.qtest.store.counts();
  return { ...rest, releases: setup.f.mocks.qtest.store.traceCounts().releases };
}

const total = (c: Counts) => Object.values(c).reduce((sum, n) => sum + n, 0);

async function migrated(options: { latencyMs?: number } = {}): Promise<Setup> {
  const setup = await setUp({ generate: 40, seed: 9, ...options });
  expect((await setup.f.run()).exitCode).toBe(ExitCode.ok);
  return setup;
}

async function rollbackReport(setup: Setup): Promise<RollbackReport> {
  return rollbackReportSchema.parse(JSON.parse(await readFile(join(setup.f.dir, "rollback-report.json"), "utf8")));
}

describe("a signal during rollback", () => {
  it("SIGINT while deleting: the deletions in flight finish, one line says what was deleted, exit 130; the re-run finishes", async () => {
    const setup = await migrated({ latencyMs: 15 });
    const made = counts(setup);
    const args = [...(await setup.args(setup.config, "rollback")), "--yes"];
    const run = startCli(args, setup.f.env);
    await waitFor(() => counts(setup).testRuns < made.testRuns * 0.7, "some test runs deleted", {
      child: run.child,
      timeoutMs: 60_000,
    });
    run.child.kill("SIGINT");
    const result = await run.done;
    const line = expectOneLine(
      result,
      130,
      /^ztoq: rollback interrupted by SIGINT: the deletions in flight were finished; \d+ of \d+ objects deleted from qTest and forgotten in the state \(report .*rollback-report\.json\); re-run the same command to delete the rest$/,
    );
    // Nothing lands after the exit: what was in flight had finished.
    const atExit = counts(setup);
    await sleep(300);
    expect(counts(setup)).toEqual(atExit);

    // The line's count is what left qTest, and the report says the same.
    const [, deleted, planned] = /(\d+) of (\d+) objects/.exec(line) ?? [];
    expect(Number(deleted)).toBe(total(made) - total(atExit));
    expect(Number(planned)).toBe(total(made));
    expect(Number(deleted)).toBeGreaterThan(0);
    expect(Number(deleted)).toBeLessThan(Number(planned));
    const first = await rollbackReport(setup);
    expect(first).toMatchObject({ status: "incomplete", error: "interrupted by SIGINT" });
    expect(first.totals.removed).toBe(Number(deleted));

    // The same command finishes the job: the rest goes, nothing is deleted twice.
    const rerun = await runCli(args, setup.f.env);
    expect({ code: rerun.code, lines: messageLines(rerun.stderr) }).toEqual({ code: 0, lines: [] });
    expect(counts(setup)).toEqual({
      modules: 0,
      testCases: 0,
      testCycles: 0,
      testSuites: 0,
      testRuns: 0,
      testLogs: 0,
      releases: 0,
    });
    const second = await rollbackReport(setup);
    expect(second.totals.removed).toBe(total(atExit));
    expect(second.requests.qtest.failures).toBe(0);
  }, 120_000);

  it("SIGTERM while reading: nothing deleted, one line saying so, exit 143", async () => {
    const setup = await migrated();
    const made = counts(setup);
    // qTest answers slowly from now on (429 beyond one request a second): the reads outlast the signal.
    setup.f.mocks.qtest.rateLimit.set(1);
    const before = setup.f.mocks.qtest.stats.requests;
    const run = startCli([...(await setup.args(setup.config, "rollback")), "--yes"], setup.f.env);
    await waitFor(() => setup.f.mocks.qtest.stats.requests > before + 2, "rollback reading qTest", {
      child: run.child,
      timeoutMs: 60_000,
    });
    run.child.kill("SIGTERM");
    expectOneLine(
      await run.done,
      143,
      /^ztoq: rollback interrupted by SIGTERM before deleting anything: nothing deleted; run the same command again$/,
    );
    expect(counts(setup)).toEqual(made);
  }, 120_000);
});

describe("a signal during migrate's preflight", () => {
  it("at the slowest rate allowed, SIGTERM stops it at once: one line, exit 143, nothing written to qTest", async () => {
    const setup = await setUp({ generate: 40 });
    const slow = { rateLimit: 0.1, timeoutSeconds: 30 };
    const config = { ...setup.config, zephyr: slow, qtest: slow };
    const requests = () => setup.f.mocks.zephyr.stats.requests + setup.f.mocks.qtest.stats.requests;
    const before = requests();
    const run = startCli(await setup.args(config), setup.f.env);
    // One request every ten seconds: preflight would take minutes to read the project.
    await waitFor(() => requests() > before, "preflight's first request", { child: run.child, timeoutMs: 30_000 });
    run.child.kill("SIGTERM");
    expectOneLine(
      await run.done,
      143,
      /^ztoq: interrupted by SIGTERM during preflight, before any test asset was written; re-run the same command to resume$/,
    );
    expect(setup.f.mocks.qtest.stats.writes).toBe(setup.writesBefore);
  }, 60_000);
});
