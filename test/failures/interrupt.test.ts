import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { messageLines, runCli, startCli, waitFor } from "../support/cli.js";
import { expectedCounts, readSource } from "../support/expected-target.js";
import { expectWholeTargetOnce } from "../support/whole-target.js";
import { closeFixtures, expectBundle, expectOneLine, setUp } from "./setup.js";

/**
 * Ctrl-C (SIGINT) or SIGTERM during a run: migrate takes no new work, finishes and records what is in
 * flight, writes its report (incomplete, "interrupted") and exits 130 / 143 with one line; the same
 * command then completes with nothing lost or duplicated. Verify stops with no verdict.
 */

afterEach(closeFixtures);
beforeAll(expectBundle);

interface Report {
  status: string;
  error: string | null;
  totals: Record<string, number>;
}

describe("a signal during migrate", () => {
  it("SIGINT: the work in flight is recorded, report incomplete, exit 130; the re-run completes once", async () => {
    const setup = await setUp({ generate: 60, latencyMs: 15 });
    const { f } = setup;
    const source = readSource(f.mocks.zephyr.store);
    const expected = expectedCounts(source);
    const args = await setup.args();
    const run = startCli(args, f.env);
    await waitFor(() => f.mocks.qtest.store.counts().testCases >= 5, "some test cases in qTest", {
      child: run.child,
      timeoutMs: 45_000,
    });
    const sent = Date.now();
    run.child.kill("SIGINT");
    const result = await run.done;
    const stopMs = Date.now() - sent;
    expectOneLine(result, 130, /^ztoq: interrupted by SIGINT: .*re-run the same command to resume$/);
    console.info(`SIGINT → exit in ${stopMs} ms`);

    // Nothing arrives after the exit: what was in flight had finished.
    const atExit = f.mocks.qtest.store.counts();
    await sleep(300);
    expect(f.mocks.qtest.store.counts()).toEqual(atExit);
    expect(atExit.testCases).toBeLessThan(expected.testCase);

    const report = JSON.parse(await readFile(join(f.dir, "migration-report.json"), "utf8")) as Report;
    expect(report).toMatchObject({ status: "incomplete", error: "interrupted" });
    expect(report.totals.failed).toBe(0);

    // Everything in qTest is recorded as done: no create was left half-way.
    const status = await runCli(["status", "--config", args[2] as string, "--json"], f.env);
    const counts = (JSON.parse(status.stdout) as { counts: Record<string, Record<string, number>> }).counts;
    expect(counts.testCase?.creating).toBe(0);
    expect(counts.testCase?.done).toBe(atExit.testCases);

    const rerun = await runCli(args, f.env);
    expect({ code: rerun.code, lines: messageLines(rerun.stderr) }).toEqual({ code: 0, lines: [] });
    expect(f.mocks.qtest.store.counts().testCases).toBe(expected.testCase);
    await expectWholeTargetOnce(f.mocks, source, f.config);
    const verified = await f.verify();
    expect(verified.status).toBe("passed");
  }, 90_000);

  it("SIGTERM: exit 143, the same one line", async () => {
    const setup = await setUp({ generate: 60, latencyMs: 15 });
    const { f } = setup;
    const args = await setup.args();

    const term = startCli(args, f.env);
    await waitFor(() => f.mocks.qtest.store.counts().testCases >= 3, "some test cases", { child: term.child, timeoutMs: 45_000 });
    term.child.kill("SIGTERM");
    expectOneLine(await term.done, 143, /^ztoq: interrupted by SIGTERM: /);
  }, 90_000);

  it("a second SIGINT exits at once, without waiting for the requests in flight", async () => {
    // Every answer takes 1.5 s: waiting for the work in flight would show.
    const setup = await setUp({ generate: 5, latencyMs: 1_500 });
    const { f } = setup;
    const run = startCli(await setup.args(), f.env);
    // Past preflight (which a first signal gives up at once), creating modules: work in flight to wait for.
    await waitFor(() => f.mocks.qtest.store.counts().modules > 0, "the first module", {
      child: run.child,
      timeoutMs: 150_000,
    });
    run.child.kill("SIGINT");
    await sleep(100);
    const sent = Date.now();
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(Date.now() - sent).toBeLessThan(1_000);
    expectOneLine(result, 130, /^ztoq: SIGINT again: stopped at once; re-run the same command to resume$/);
  }, 180_000);
});

describe("a signal during verify", () => {
  it("SIGINT: no verdict, no report, exit 130 with one line", async () => {
    const setup = await setUp({ generate: 30, latencyMs: 20 });
    const { f } = setup;
    expect((await f.run()).exitCode).toBe(0);
    const before = f.mocks.zephyr.stats.requests;
    const args = await setup.args(setup.config, "verify");
    const run = startCli(args, f.env);
    await waitFor(() => f.mocks.zephyr.stats.requests > before + 5, "verify reading", { child: run.child, timeoutMs: 30_000 });
    const sent = Date.now();
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(Date.now() - sent).toBeLessThan(2_000);
    expectOneLine(result, 130, /^ztoq: verification interrupted by SIGINT: no verdict/);
    await expect(readFile(join(f.dir, "verification-report.json"), "utf8")).rejects.toThrow();
  }, 60_000);
});
