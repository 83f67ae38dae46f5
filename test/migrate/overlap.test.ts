import { existsSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { demoMapping } from "../../src/mock/demo-target.js";
import type { RunningMocks } from "../../src/mock/start.js";
import { migrationReportSchema } from "../../src/report/migration-report.js";
import { createStateStore } from "../../src/state/open-store.js";
import { type CliResult, messageLines, runCli, startCli, waitFor, writeYamlConfig } from "../support/cli.js";
import { readSource } from "../support/expected-target.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";
import { duplicates } from "../support/qtest-target.js";
import { expectWholeTargetOnce } from "../support/whole-target.js";

/**
 * Runs that overlap on one state store (a scheduled run and a manual one, a run and a rollback): one
 * run at a time writes through a store, so qTest never holds anything twice. Every run is the CLI
 * bundle as a child process, against mocks in this process slowed down (latency) so that a run lasts
 * long enough to be overlapped; the state is an SQLite file or a PostgreSQL database.
 */

const available = await postgresAvailable();
const required = Boolean(process.env.CI) || process.env.ZTOQ_REQUIRE_POSTGRES === "1";

const fixtures: MigrationFixture[] = [];
const databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});
afterAll(async () => {
  await Promise.all(databases.splice(0).map((d) => d.drop()));
});

beforeAll(() => {
  expect(existsSync(join(import.meta.dirname, "..", "..", "dist", "cli.js")), "dist/cli.js: run `npm run build` first").toBe(
    true,
  );
});

type Engine = "SQLite" | "PostgreSQL";

async function setUp(engine: Engine, generate = 30) {
  const f = await migrationFixture({ generate, seed: 5, latencyMs: 15 });
  fixtures.push(f);
  let state = f.statePath;
  if (engine === "PostgreSQL") {
    const database = await createTestDatabase();
    databases.push(database);
    state = database.url;
  }
  const file = await writeYamlConfig(f.dir, {
    zephyr: { rateLimit: 500, timeoutSeconds: 5 },
    qtest: { rateLimit: 500, timeoutSeconds: 5 },
    migration: { concurrency: 4, retries: 6 },
    mapping: await demoMapping(f.mocks),
    report: { dir: f.dir },
  });
  const env = { ...f.env, ZTOQ_STATE: state };
  const migrate = (...extra: string[]) => ["migrate", "--config", file, ...extra];
  return { f, file, env, state, migrate, source: readSource(f.mocks.zephyr.store) };
}

/** Objects in the mock qTest store whose marker occurs more than once, per object type. */
function duplicatesInQTest(mocks: RunningMocks): Record<string, number> {
  const types = ["test-cases", "test-suites", "test-runs", "test-logs"] as const;
  return Object.fromEntries(
    types.map((type) => {
      const markers = mocks.qtest.store.searchable(type).flatMap((object) => object.value("Zephyr Key") ?? []);
      const extra = Object.values(duplicates(markers)).reduce((sum, n) => sum + n - 1, 0);
      return [type, extra];
    }),
  );
}

const NO_DUPLICATES = { "test-cases": 0, "test-suites": 0, "test-runs": 0, "test-logs": 0 };

/** The `msg` of every JSON log record on stderr. */
function logMessages(stderr: string): string[] {
  return stderr.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      const record = JSON.parse(line) as { msg?: unknown };
      return typeof record.msg === "string" ? [record.msg] : [];
    } catch {
      return [];
    }
  });
}

function expectClean(result: CliResult, code: number, what: string) {
  expect(result.stderr, what).not.toMatch(/\n\s+at /);
  expect({ what, code: result.code, stderrTail: result.code === code ? "" : result.stderr.slice(-1500) }).toEqual({
    what,
    code,
    stderrTail: "",
  });
}

/** The holds of the store, read as `ztoq status` reads them. */
async function holdsOf(state: string) {
  const store = createStateStore(state);
  try {
    return (await store.openExisting()) ? await store.holds() : [];
  } finally {
    await store.close();
  }
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const HELD = (pid: number | undefined) =>
  new RegExp(
    `^ztoq: State store .+ is held by ztoq migrate \\(run \\S+\\) on host ${escaped(hostname())}, pid ${pid}, since \\S+ \\(one run at a time writes through a store, or the second would duplicate what the first creates\\)\\. Nothing was written; re-run once it has finished, or let this run wait for it with --wait-seconds N \\(ZTOQ_WAIT_SECONDS, input wait-seconds, migration\\.waitSeconds in the config\\)\\.$`,
  );

for (const engine of ["SQLite", "PostgreSQL"] as const) {
  describe.skipIf(engine === "PostgreSQL" && !available && !required)(`two runs on one ${engine} state store`, () => {
    it("started together: one migrates, the other exits 3 at once naming it; qTest holds everything once", async () => {
      const setup = await setUp(engine);
      const runs = [startCli(setup.migrate(), setup.env), startCli(setup.migrate(), setup.env)];
      const results = await Promise.all(runs.map((run) => run.done));

      const winner = results.findIndex((result) => result.code === 0);
      const loser = 1 - winner;
      expect(results.map((result) => result.code).toSorted()).toEqual([0, 3]);
      expectClean(results[winner] as CliResult, 0, "the run that held the store");
      // One line, naming the holder by host and pid; no report, no stack trace.
      expect(messageLines(results[loser]?.stderr ?? "")).toEqual([expect.stringMatching(HELD(runs[winner]?.child.pid))]);
      expect(results[loser]?.stdout).toBe("");

      expect(duplicatesInQTest(setup.f.mocks)).toEqual(NO_DUPLICATES);
      await expectWholeTargetOnce(setup.f.mocks, setup.source, setup.f.config);
      // The refused run left no trace in the store: the last run is the one that migrated, and nothing holds it.
      const status = JSON.parse((await runCli(["status", "--config", setup.file, "--json"], setup.env)).stdout);
      expect(status.lastRun).toMatchObject({ status: "succeeded", pid: runs[winner]?.child.pid });
      expect(status.holds).toEqual([]);
    }, 90_000);

    it("started together with --wait-seconds: the second waits for the first, then finds nothing left to create", async () => {
      const setup = await setUp(engine);
      const reports = [join(setup.f.dir, "first.json"), join(setup.f.dir, "second.json")];
      const results = await Promise.all(
        reports.map((report) => runCli(setup.migrate("--wait-seconds", "120", "--report", report), setup.env)),
      );
      results.forEach((result, i) => {
        expectClean(result, 0, `run ${i + 1}`);
      });

      const waited = results.map((result) =>
        logMessages(result.stderr).includes("the state store is held by another run: waiting up to 120 s for it"),
      );
      expect(waited.toSorted()).toEqual([false, true]);
      const waiter = waited.indexOf(true);
      expect(logMessages(results[waiter]?.stderr ?? "")).toContain("the state store is free: going on");
      const totals = reports.map((path) => migrationReportSchema.parse(JSON.parse(readFileSync(path, "utf8"))).totals);
      expect(totals[waiter]?.created).toBe(0);
      expect(totals[1 - waiter]?.created).toBeGreaterThan(0);

      expect(duplicatesInQTest(setup.f.mocks)).toEqual(NO_DUPLICATES);
      await expectWholeTargetOnce(setup.f.mocks, setup.source, setup.f.config);
    }, 120_000);

    it("kill -9 of the holder: the next run takes the store over at once and finishes with zero duplicates and zero gaps", async () => {
      const setup = await setUp(engine);
      const killed = startCli(setup.migrate(), setup.env);
      await waitFor(() => setup.f.mocks.qtest.store.counts().testCases >= 10, "some test cases in qTest", {
        child: killed.child,
        timeoutMs: 45_000,
      });
      expect((await holdsOf(setup.state)).map((hold) => hold.pid)).toEqual([killed.child.pid]);
      killed.child.kill("SIGKILL");
      expect((await killed.done).signal).toBe("SIGKILL");
      // Requests the process had already sent may still be answered; let them land.
      await sleep(300);
      expect(setup.f.mocks.qtest.store.counts().testLogs).toBe(0);

      // No wait asked for, and none needed: the holder's process is gone.
      const next = await runCli(setup.migrate(), setup.env);
      expectClean(next, 0, "the run after the kill");
      expect(next.stderr).toContain("took over the state store's hold from a run that died");
      expect(next.stderr).toContain(`its process ${killed.child.pid} on ${hostname()} is gone`);

      expect(duplicatesInQTest(setup.f.mocks)).toEqual(NO_DUPLICATES);
      await expectWholeTargetOnce(setup.f.mocks, setup.source, setup.f.config);
      expect(await holdsOf(setup.state)).toEqual([]);
    }, 90_000);
  });
}

describe("while a migration holds the store", () => {
  it("status names the holder, rollback exits 3 naming it, a dry run goes on; afterwards no run holds it", async () => {
    const setup = await setUp("SQLite");
    // As a GitHub Actions job runs it: the runner's variables name the workflow run.
    const actions = {
      GITHUB_REPOSITORY: "octo/qa",
      GITHUB_WORKFLOW: "ztoq nightly",
      GITHUB_RUN_ID: "9876",
      GITHUB_RUN_ATTEMPT: "2",
      GITHUB_SERVER_URL: "https://github.com",
    };
    const holder = startCli(setup.migrate(), { ...setup.env, ...actions });
    await waitFor(() => setup.f.mocks.qtest.store.counts().testCases >= 5, "some test cases in qTest", {
      child: holder.child,
      timeoutMs: 45_000,
    });

    const json = await runCli(["status", "--config", setup.file, "--json"], setup.env);
    expectClean(json, 0, "ztoq status --json");
    const status = JSON.parse(json.stdout);
    expect(status.holds).toMatchObject([
      {
        command: "migrate",
        shard: null,
        host: hostname(),
        pid: holder.child.pid,
        workflow: { repository: "octo/qa", workflow: "ztoq nightly", runId: "9876", runAttempt: "2" },
        dead: null,
      },
    ]);
    expect(status.project).toEqual({
      zephyrProject: setup.f.mocks.zephyr.projectKey,
      qtestUrl: setup.f.mocks.qtest.url,
      qtestProject: setup.f.mocks.qtest.projectId,
    });
    const table = await runCli(["status", "--config", setup.file], setup.env);
    expect(table.stdout).toMatch(
      new RegExp(
        `^Held by: ztoq migrate \\(run \\S+\\) on host ${escaped(hostname())}, pid ${holder.child.pid}, GitHub Actions octo/qa workflow "ztoq nightly" run 9876 attempt 2 .*, since `,
        "m",
      ),
    );

    const before = setup.f.mocks.qtest.store.counts().testCases;
    const rollback = await runCli(["rollback", "--config", setup.file, "--yes"], setup.env);
    expectClean(rollback, 3, "ztoq rollback while a migration holds the store");
    expect(messageLines(rollback.stderr)).toEqual([
      expect.stringMatching(
        /^ztoq: State store .+ is held by ztoq migrate \(run \S+\) on host .+, pid \d+, GitHub Actions octo\/qa workflow "ztoq nightly" run 9876 attempt 2 \(https:\/\/github\.com\/octo\/qa\/actions\/runs\/9876\), since \S+ \(one run at a time/,
      ),
    ]);
    expect(setup.f.mocks.qtest.store.counts().testCases).toBeGreaterThanOrEqual(before);

    const dryRun = await runCli(setup.migrate("--dry-run", "--report", join(setup.f.dir, "dry-run.json")), setup.env);
    expectClean(dryRun, 0, "a dry run beside the migration");

    expectClean(await holder.done, 0, "the migration");
    const after = await runCli(["status", "--config", setup.file], setup.env);
    expect(after.stdout).toMatch(/^Held by: no run \(the next run that writes takes the store\)$/m);
    expect(duplicatesInQTest(setup.f.mocks)).toEqual(NO_DUPLICATES);
    await expectWholeTargetOnce(setup.f.mocks, setup.source, setup.f.config);
  }, 90_000);
});

describe("a store of another project", () => {
  it("refuses a run of another project with exit 2 and one line, and writes nothing", async () => {
    const setup = await setUp("SQLite", 10);
    expectClean(await runCli(setup.migrate(), setup.env), 0, "the first project's migration");
    const counts = setup.f.mocks.qtest.store.counts();
    const statusBefore = (await runCli(["status", "--config", setup.file, "--json"], setup.env)).stdout;

    const { projectKey } = setup.f.mocks.zephyr;
    const { url, projectId } = setup.f.mocks.qtest;
    const others: Record<string, string>[] = [
      { ZTOQ_QTEST_PROJECT: String(projectId + 1000) },
      { ZTOQ_ZEPHYR_PROJECT: "OTHER" },
      { ZTOQ_QTEST_URL: url.replace("127.0.0.1", "localhost") },
    ];
    for (const other of others) {
      const env: Record<string, string> = { ...setup.env, ...other };
      const ours = `Zephyr project ${env.ZTOQ_ZEPHYR_PROJECT} → qTest project ${env.ZTOQ_QTEST_PROJECT} at ${env.ZTOQ_QTEST_URL}`;
      for (const args of [setup.migrate(), setup.migrate("--dry-run"), ["rollback", "--config", setup.file, "--yes"]]) {
        const result = await runCli(args, env);
        expectClean(result, 2, `${args.join(" ")} with ${JSON.stringify(other)}`);
        expect(messageLines(result.stderr)).toEqual([
          `ztoq: State store ${setup.state} belongs to Zephyr project ${projectKey} → qTest project ${projectId} at ${url}, not ${ours}: its records name no project, so one store serves one project. Nothing was written; give this project a state location of its own (--state, ZTOQ_STATE, input state or state in the config).`,
        ]);
      }
    }
    expect(setup.f.mocks.qtest.store.counts()).toEqual(counts);
    expect((await runCli(["status", "--config", setup.file, "--json"], setup.env)).stdout).toBe(statusBefore);
  }, 90_000);
});

describe("the wait setting", () => {
  it.each([
    [["--wait-seconds", "soon"], {}, '--wait-seconds must be a whole number from 0 to 86400; got "soon".'],
    [["--wait-seconds", "-1"], {}, '--wait-seconds must be a whole number from 0 to 86400; got "-1".'],
    [[], { ZTOQ_WAIT_SECONDS: "86401" }, 'ZTOQ_WAIT_SECONDS must be a whole number from 0 to 86400; got "86401".'],
    [[], { ZTOQ_WAIT_SECONDS: "1.5" }, 'ZTOQ_WAIT_SECONDS must be a whole number from 0 to 86400; got "1.5".'],
  ])("refuses %j %j with one line and exit 2", async (flags, env, message) => {
    const result = await runCli(["migrate", ...flags], {
      ZTOQ_ZEPHYR_TOKEN: "t",
      ZTOQ_QTEST_TOKEN: "t",
      ZTOQ_ZEPHYR_PROJECT: "QA",
      ZTOQ_QTEST_URL: "http://127.0.0.1:9",
      ZTOQ_QTEST_PROJECT: "1",
      ZTOQ_STATE: join(import.meta.dirname, "never-written", "state.db"),
      ...env,
    });
    expect(result.code).toBe(2);
    expect(messageLines(result.stderr)).toEqual([`ztoq: ${message}`]);
    expect(existsSync(join(import.meta.dirname, "never-written"))).toBe(false);
  });
});

describe.skipIf(!available && !required)("a sharded migration on PostgreSQL", () => {
  it("shards hold the store together; an unsharded run meanwhile exits 3 naming them; the shards finish everything once", async () => {
    const setup = await setUp("PostgreSQL", 80);
    const shards = [1, 2].map((i) =>
      startCli(setup.migrate("--shard", `${i}/2`, "--report", join(setup.f.dir, `shard-${i}.json`)), setup.env),
    );
    await waitFor(async () => (await holdsOf(setup.state)).length === 2, "both shards holding the store", {
      child: shards[0]?.child,
      timeoutMs: 45_000,
      intervalMs: 50,
    });

    const alone = await runCli(setup.migrate(), setup.env);
    expectClean(alone, 3, "an unsharded run beside the shards");
    expect(messageLines(alone.stderr)).toEqual([
      expect.stringMatching(
        /^ztoq: State store .+ is held by 2 runs: ztoq migrate --shard [12]\/2 \(run \S+\) on host .+; ztoq migrate --shard [12]\/2 \(run \S+\) on host .+ \(a sharded migration is running, and an unsharded run would duplicate what its shards create\)\. /,
      ),
    ]);

    const results = await Promise.all(shards.map((shard) => shard.done));
    results.forEach((result, i) => {
      expectClean(result, 0, `shard ${i + 1}/2`);
    });
    expect(duplicatesInQTest(setup.f.mocks)).toEqual(NO_DUPLICATES);
    await expectWholeTargetOnce(setup.f.mocks, setup.source, setup.f.config);
  }, 120_000);
});
