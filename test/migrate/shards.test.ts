import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { shardOf, shardOfOwner } from "../../src/migrate/shard.js";
import { demoMapping } from "../../src/mock/demo-target.js";
import { migrationReportSchema } from "../../src/report/migration-report.js";
import { type CliResult, messageLines, runCli, startCli, waitFor, writeYamlConfig } from "../support/cli.js";
import { expectedCounts, readSource } from "../support/expected-target.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import { ADMIN_URL, createTestDatabase, postgresAvailable, type TestDatabase, urlForDatabase } from "../support/postgres.js";
import { expectWholeTargetOnce } from "../support/whole-target.js";

/**
 * Sharded migrations: N `ztoq migrate --shard i/N` processes at once against one PostgreSQL
 * state store and one qTest project, as a GitHub Actions matrix runs them. Each test has a database of
 * its own.
 */

const available = await postgresAvailable();
const required = Boolean(process.env.CI) || process.env.ZTOQ_REQUIRE_POSTGRES === "1";

interface ShardStatus {
  counts: Record<string, Record<string, number>>;
  shards: { shard: string; counts: Record<string, number> }[];
}

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

async function setUp(options: { generate: number; leaseSeconds?: number; latencyMs?: number }) {
  const f = await migrationFixture({ generate: options.generate, seed: 11, latencyMs: options.latencyMs ?? 10 });
  fixtures.push(f);
  const database = await createTestDatabase();
  databases.push(database);
  const file = await writeYamlConfig(f.dir, {
    zephyr: { rateLimit: 1000, timeoutSeconds: 10 },
    qtest: { rateLimit: 1000, timeoutSeconds: 10 },
    migration: { concurrency: 4, leaseSeconds: options.leaseSeconds ?? 300 },
    mapping: await demoMapping(f.mocks),
    report: { dir: f.dir },
  });
  const env = { ...f.env, ZTOQ_STATE: database.url };
  const shardArgs = (index: number, count: number) => [
    "migrate",
    "--config",
    file,
    "--shard",
    `${index}/${count}`,
    "--report",
    join(f.dir, `report-${index}-of-${count}.json`),
  ];
  return { f, database, file, env, shardArgs, source: readSource(f.mocks.zephyr.store) };
}

function expectClean(result: CliResult, what: string) {
  expect(result.stderr, what).not.toMatch(/\n\s+at /);
  expect({ what, code: result.code, stderrTail: result.code === 0 ? "" : result.stderr.slice(-1500) }).toEqual({
    what,
    code: 0,
    stderrTail: "",
  });
}

async function shardStatus(setup: Awaited<ReturnType<typeof setUp>>): Promise<ShardStatus> {
  const result = await runCli(["status", "--config", setup.file, "--json"], setup.env);
  expectClean(result, "ztoq status --json");
  return JSON.parse(result.stdout) as ShardStatus;
}

describe.skipIf(!available && !required)("sharded migrations against one PostgreSQL state store", () => {
  for (const count of [2, 4]) {
    it(`${count} shards at once finish the whole migration with zero duplicates`, async () => {
      const setup = await setUp({ generate: 80 });
      const results = await Promise.all(
        Array.from({ length: count }, (_, i) => runCli(setup.shardArgs(i + 1, count), setup.env)),
      );
      results.forEach((result, i) => {
        expectClean(result, `shard ${i + 1}/${count}`);
      });

      await expectWholeTargetOnce(setup.f.mocks, setup.source, setup.f.config);

      // The store shows the work per shard (in shard order) and overall. A shard that started late may
      // find everything done by the others, and then owns nothing.
      const status = await shardStatus(setup);
      const names = Array.from({ length: count }, (_, i) => `shard ${i + 1}/${count}`);
      expect(status.shards.map((s) => s.shard)).toEqual(names.filter((name) => status.shards.some((s) => s.shard === name)));
      expect(status.shards.length).toBeGreaterThan(0);
      for (const shard of status.shards) expect(shard.counts.done, shard.shard).toBeGreaterThan(0);
      const sum = (pick: (counts: Record<string, number>) => number) =>
        status.shards.reduce((total, shard) => total + pick(shard.counts), 0);
      const overallDone = Object.values(status.counts).reduce((total, c) => total + (c.done ?? 0), 0);
      expect(sum((c) => c.done ?? 0)).toBe(overallDone);
      for (const type of Object.keys(status.counts)) {
        expect({ type, creating: status.counts[type]?.creating, failed: status.counts[type]?.failed }).toEqual({
          type,
          creating: 0,
          failed: 0,
        });
      }
      const table = await runCli(["status", "--config", setup.file], setup.env);
      expect(table.stdout).toMatch(/Per shard, all entity types:/);
      // Columns pending, creating, done, failed, skipped.
      for (const { shard, counts } of status.shards) {
        expect(table.stdout).toMatch(new RegExp(`^${shard}\\s+0\\s+0\\s+${counts.done}\\s+0\\s+${counts.skipped}$`, "m"));
      }

      // Each shard's report says which shard it was; their created test cases add up to the source's.
      const reports = results.map((_, i) =>
        migrationReportSchema.parse(JSON.parse(readFileSync(join(setup.f.dir, `report-${i + 1}-of-${count}.json`), "utf8"))),
      );
      expect(reports.map((r) => r.run.shard)).toEqual(Array.from({ length: count }, (_, i) => `${i + 1}/${count}`));
      // The shards' reports partition the work: each test case and each test log is created by one shard.
      const summed = (type: string, outcome: "created" | "unchanged") =>
        reports.reduce((total, r) => total + (r.entities.find((e) => e.type === type)?.[outcome] ?? 0), 0);
      expect(summed("testCase", "created")).toBe(setup.source.cases.length);
      expect(summed("testLog", "created")).toBe(expectedCounts(setup.source).testLog);
      // A shard reports as unchanged only the cases of its own part that another shard finished before it
      // started (a matrix does not start its jobs at the same instant); what another finished while it ran is theirs.
      const cases = await setup.database.sql<{ key: string; owner: string; updatedAt: Date }>(
        `SELECT key, owner, updated_at AS "updatedAt" FROM ztoq.entities WHERE type = 'testCase'`,
      );
      reports.forEach((report, i) => {
        const shard = `${i + 1}/${count}`;
        const startedAt = Date.parse(report.run.startedAt);
        const earlier = cases.filter(
          (c) => shardOf(c.key, count) === i + 1 && shardOfOwner(c.owner) !== shard && c.updatedAt.getTime() < startedAt,
        );
        const unchanged = report.entities.find((e) => e.type === "testCase")?.unchanged ?? 0;
        expect({ shard, unchanged }).toEqual({ shard, unchanged: earlier.length });
      });

      if (count !== 2) return;
      // The matrix run again (a re-run of the workflow): every shard compares its own part, none writes.
      const writes = setup.f.mocks.qtest.stats.writes;
      const again = await Promise.all([1, 2].map((i) => runCli(setup.shardArgs(i, 2), setup.env)));
      again.forEach((result, i) => {
        expectClean(result, `shard ${i + 1}/2 again`);
      });
      expect(setup.f.mocks.qtest.stats.writes - writes).toBe(0);
      const rerun = [1, 2].map((i) =>
        migrationReportSchema.parse(JSON.parse(readFileSync(join(setup.f.dir, `report-${i}-of-2.json`), "utf8"))),
      );
      for (const report of rerun) expect(report.totals).toMatchObject({ created: 0, updated: 0, failed: 0 });
      const unchangedCases = rerun.reduce((n, r) => n + (r.entities.find((e) => e.type === "testCase")?.unchanged ?? 0), 0);
      expect(unchangedCases).toBe(setup.source.cases.length);
    }, 120_000);
  }

  it("a sharded re-run whose PostgreSQL store was emptied adopts everything: zero creates, zero duplicates", async () => {
    const setup = await setUp({ generate: 60 });
    const first = await Promise.all([1, 2].map((i) => runCli(setup.shardArgs(i, 2), setup.env)));
    first.forEach((result, i) => {
      expectClean(result, `shard ${i + 1}/2`);
    });
    const holds = setup.f.mocks.qtest.store.counts();
    // The store lost: every table of ZTOQ's schema emptied, as a restored-from-nothing database would be.
    await setup.database.sql("TRUNCATE ztoq.entities, ztoq.runs, ztoq.watermarks");

    const writes = setup.f.mocks.qtest.stats.writes;
    const again = await Promise.all([1, 2].map((i) => runCli(setup.shardArgs(i, 2), setup.env)));
    again.forEach((result, i) => {
      expectClean(result, `shard ${i + 1}/2 after the store was emptied`);
    });
    expect(setup.f.mocks.qtest.stats.writes - writes).toBe(0);
    expect(setup.f.mocks.qtest.store.counts()).toEqual(holds);
    const reports = [1, 2].map((i) =>
      migrationReportSchema.parse(JSON.parse(readFileSync(join(setup.f.dir, `report-${i}-of-2.json`), "utf8"))),
    );
    for (const report of reports) expect(report.totals).toMatchObject({ created: 0, updated: 0, failed: 0 });
    await expectWholeTargetOnce(setup.f.mocks, setup.source, setup.f.config);
  }, 120_000);

  it("finishes the work of a shard killed with SIGKILL once its leases run out", async () => {
    const setup = await setUp({ generate: 100, leaseSeconds: 5, latencyMs: 20 });
    const { database } = setup;
    const ownedBy = async (shard: string, condition: string) =>
      database.sql<{ type: string; key: string }>(
        `SELECT type, key FROM ztoq.entities WHERE owner LIKE $1 AND ${condition} ORDER BY type, key`,
        [`shard ${shard} (%`],
      );
    const hasDone = async (shard: string) => (await ownedBy(shard, "status = 'done'").catch(() => [])).length >= 5;
    // The victim starts first, so that it surely holds work when it dies; the survivors join while it runs.
    const victim = startCli(setup.shardArgs(2, 3), setup.env);
    await waitFor(() => hasDone("2/3"), "shard 2/3 to have migrated something", { child: victim.child, timeoutMs: 60_000 });
    const survivors = [1, 3].map((index) => startCli(setup.shardArgs(index, 3), setup.env));
    // Killed while all three work, at a moment it holds leases on unfinished work.
    // Entity work, not the last phase's brief claims on releases and requirements, which end within moments.
    const unfinished = "status NOT IN ('done', 'skipped') AND lease_until IS NOT NULL AND type NOT IN ('release', 'requirement')";
    await waitFor(
      async () => (await hasDone("1/3")) && (await ownedBy("2/3", unfinished)).length > 0,
      "shard 1/3 to have migrated something while shard 2/3 holds unfinished work",
      { child: victim.child, timeoutMs: 60_000 },
    );
    victim.child.kill("SIGKILL");
    expect((await victim.done).signal).toBe("SIGKILL");
    // What the dead shard held when it died: claimed, not finished, lease still running.
    const orphaned = await ownedBy("2/3", unfinished);
    expect(orphaned.length).toBeGreaterThan(0);

    for (const [i, survivor] of survivors.entries()) expectClean(await survivor.done, `shard ${[1, 3][i]}/3`);

    await expectWholeTargetOnce(setup.f.mocks, setup.source, setup.f.config);
    // Each entity the dead shard left was taken over and finished by a survivor.
    const left = await database.sql<{ type: string; key: string; status: string; owner: string }>(
      "SELECT type, key, status, owner FROM ztoq.entities WHERE (type, key) IN (SELECT * FROM unnest($1::text[], $2::text[]))",
      [orphaned.map((o) => o.type), orphaned.map((o) => o.key)],
    );
    expect(left).toHaveLength(orphaned.length);
    for (const record of left) {
      expect({ key: record.key, status: record.status }).toEqual({
        key: record.key,
        status: expect.stringMatching(/^(done|skipped)$/),
      });
      expect(record.owner, record.key).not.toMatch(/^shard 2\/3 /);
    }
  }, 120_000);

  describe("bad input", () => {
    it("refuses --shard with an SQLite state file, and a shard outside 1..n, before any write", async () => {
      const setup = await setUp({ generate: 10 });
      const sqlite = await runCli(setup.shardArgs(1, 2), setup.f.env);
      expect(sqlite.code).toBe(2);
      expect(messageLines(sqlite.stderr).join("\n")).toMatch(/Shard 1\/2 needs a state store every shard shares.*postgres:\/\//);

      for (const spec of ["3/2", "0/2", "two/4", "1/0"]) {
        const result = await runCli(["migrate", "--config", setup.file, "--shard", spec], setup.env);
        expect({ spec, code: result.code }).toEqual({ spec, code: 2 });
        expect(messageLines(result.stderr).join("\n")).toContain(`got "${spec}"`);
      }
      const incremental = await runCli([...setup.shardArgs(1, 2), "--mode", "incremental"], setup.env);
      expect(incremental.code).toBe(2);
      expect(messageLines(incremental.stderr).join("\n")).toMatch(/Incremental runs are not sharded/);
      expect(setup.f.mocks.qtest.store.counts().testCases).toBe(0);
    }, 60_000);

    it("exits 3 for an unreachable database, naming the host and not the password", async () => {
      const setup = await setUp({ generate: 10 });
      const url = "postgres://ztoq:s3cret-pw@127.0.0.1:9/ztoq";
      const result = await runCli(setup.shardArgs(1, 2), { ...setup.env, ZTOQ_STATE: url });
      expect(result.code).toBe(3);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      const message = messageLines(result.stderr).join("\n");
      expect(message).toContain("127.0.0.1:9");
      expect(result.stderr + result.stdout).not.toContain("s3cret-pw");
    }, 60_000);

    it("exits 2 for wrong credentials or an unknown database, naming the host and not the password", async () => {
      const setup = await setUp({ generate: 10 });
      const host = new URL(ADMIN_URL).host;
      const wrongUser = new URL(ADMIN_URL);
      wrongUser.username = "ztoq_no_such_user";
      wrongUser.password = "s3cret-pw";
      const unknownDatabase = new URL(urlForDatabase("ztoq_no_such_database"));
      unknownDatabase.password = "s3cret-pw";
      for (const url of [wrongUser.href, unknownDatabase.href]) {
        const result = await runCli(setup.shardArgs(1, 2), { ...setup.env, ZTOQ_STATE: url });
        expect({ url, code: result.code }).toEqual({ url, code: 2 });
        expect(result.stderr).not.toMatch(/\n\s+at /);
        expect(messageLines(result.stderr).join("\n")).toContain(host);
        expect(result.stderr + result.stdout).not.toContain("s3cret-pw");
      }
      expect(setup.f.mocks.qtest.store.counts().testCases).toBe(0);
    }, 60_000);
  });
});
