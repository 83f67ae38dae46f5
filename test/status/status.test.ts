import { mkdtemp, readdir, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { runState } from "../../src/cli/status-command.js";
import { demoMapping } from "../../src/mock/demo-target.js";
import { SqliteStateStore } from "../../src/state/sqlite-store.js";
import { type MigrationRun, RUN_HEARTBEAT_MS } from "../../src/state/store.js";
import { runCli, startCli, waitFor, writeYamlConfig } from "../support/cli.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import { createTestDatabase, postgresAvailable } from "../support/postgres.js";

/**
 * `ztoq status` only reads: asked where no migration ran, it says so and leaves nothing behind; asked
 * about a run whose process was killed, it says interrupted rather than running (README, `ztoq migrate`).
 */

const postgres = await postgresAvailable();
/** In CI a missing server is a failure, not a reason to skip (as in test/state/postgres-store.test.ts). */
const requirePostgres = Boolean(process.env.CI) || process.env.ZTOQ_REQUIRE_POSTGRES === "1";
const dirs: string[] = [];
const fixtures: MigrationFixture[] = [];

afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function emptyDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "ztoq-status-"));
  dirs.push(dir);
  return dir;
}

/** Every path under `dir`, for comparing what is there before and after. */
async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).sort();
}

describe("ztoq status where no migration ran", () => {
  it("says so in one line for a missing SQLite file, exits 0, and creates neither the file nor its directory", async () => {
    const dir = await emptyDir();
    const path = join(dir, "nested", "state.db");

    const result = await runCli(["status", "--state", path], {});

    expect(result).toMatchObject({ code: 0, stdout: `no migration recorded at ${path}\n`, stderr: "" });
    expect(await tree(dir)).toEqual([]);
  });

  it("says so as JSON when asked for JSON", async () => {
    const dir = await emptyDir();
    const path = join(dir, "state.db");

    const result = await runCli(["status", "--state", `sqlite:${path}`, "--json"], {});

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ location: path, recorded: false });
    expect(await tree(dir)).toEqual([]);
  });

  it("leaves the default location (.ztoq/state.db) uncreated when nothing names one", async () => {
    const dir = await emptyDir();

    const result = await runCli(["status"], {}, { cwd: dir });

    expect(result).toMatchObject({ code: 0, stdout: "no migration recorded at .ztoq/state.db\n" });
    expect(await tree(dir)).toEqual([]);
  });

  it("reads an existing store it finds there, so the line above is no blanket answer", async () => {
    const dir = await emptyDir();
    const path = join(dir, "state.db");
    const store = new SqliteStateStore(path);
    await store.open();
    await store.recordDone("testCase", "P-T1", { targetId: 1, hash: "h", runId: "r1" });
    await store.startRun({ id: "r1", mode: "full" });
    await store.finishRun("r1", { status: "succeeded", summary: null });
    await store.close();

    const result = await runCli(["status", "--state", path], {});

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^testCase\s+0\s+0\s+1\s+0\s+0$/m);
    expect(result.stdout).toMatch(/^Last run: r1 \(full\) succeeded, started /m);
  });

  it.skipIf(!postgres && !requirePostgres)(
    "says so for a PostgreSQL database without ZTOQ's schema, and creates no schema",
    async () => {
      const db = await createTestDatabase();
      try {
        const result = await runCli(["status", "--state", db.url], {});

        const location = `${new URL(db.url).username}@${new URL(db.url).hostname}:${new URL(db.url).port || 5432}/${db.name}`;
        expect(result).toMatchObject({ code: 0, stdout: `no migration recorded at ${location}\n` });
        expect(await db.sql("SELECT nspname FROM pg_namespace WHERE nspname = 'ztoq'")).toEqual([]);
      } finally {
        await db.drop();
      }
    },
  );
});

describe("ztoq status of a run whose process is gone", () => {
  it("says running while the migration works, and interrupted once it was killed with SIGKILL", async () => {
    // Slowed down (latency) so the run lasts long enough to be looked at and cut.
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
    const migration = startCli(["migrate", "--config", file], f.env);
    await waitFor(() => f.mocks.qtest.store.counts().testCases >= 5, "some test cases in qTest", {
      child: migration.child,
      timeoutMs: 45_000,
    });

    const whileRunning = await runCli(["status", "--config", file], f.env);
    expect(whileRunning.stdout).toMatch(/^Last run: \S+ \(full\) running, started /m);

    migration.child.kill("SIGKILL");
    expect((await migration.done).signal).toBe("SIGKILL");

    const table = await runCli(["status", "--config", file], f.env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      new RegExp(
        `^Last run: \\S+ \\(full\\) interrupted \\(its process ${migration.child.pid} on ${hostname()} is gone; re-run the same command to resume\\)`,
        "m",
      ),
    );
    const json = await runCli(["status", "--config", file, "--json"], f.env);
    expect(JSON.parse(json.stdout).lastRun).toMatchObject({
      status: "interrupted",
      pid: migration.child.pid,
      host: hostname(),
    });
  }, 60_000);

  it("says interrupted when a run on another machine has stopped beating, and running while it beats", async () => {
    const dir = await emptyDir();
    const path = join(dir, "state.db");
    const store = new SqliteStateStore(path);
    await store.open();
    await store.startRun({ id: "r1", mode: "full" });
    await store.close();
    // As a runner elsewhere would have left it (the file restored from a cache, say): another host's pid.
    const setBeat = (at: string) => {
      const db = new DatabaseSync(path);
      db.prepare("UPDATE runs SET host = 'runner-elsewhere', pid = 4242, heartbeat_at = ?").run(at);
      db.close();
    };

    setBeat(new Date(Date.now() - 10 * RUN_HEARTBEAT_MS).toISOString());
    const stale = await runCli(["status", "--state", path], {});
    expect(stale.stdout).toMatch(
      /^Last run: r1 \(full\) interrupted \(its process on runner-elsewhere has given no sign of life for \d+ s; /m,
    );

    setBeat(new Date().toISOString());
    const beating = await runCli(["status", "--state", path], {});
    expect(beating.stdout).toMatch(/^Last run: r1 \(full\) running, started /m);
  });
});

describe("runState", () => {
  const run: MigrationRun = {
    id: "r1",
    mode: "full",
    status: "running",
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: null,
    summary: null,
    host: "ci-7",
    pid: 100,
    heartbeatAt: "2026-01-01T00:10:00.000Z",
  };
  const beat = Date.parse(run.heartbeatAt ?? "");

  it("trusts the process on its own machine at once, and the heartbeat anywhere else", () => {
    expect(runState(run, { host: "ci-7", now: beat, alive: () => false }).status).toBe("interrupted");
    expect(runState(run, { host: "ci-7", now: beat, alive: () => true }).status).toBe("running");
    expect(runState(run, { host: "laptop", now: beat + 4 * RUN_HEARTBEAT_MS, alive: () => false }).status).toBe("running");
    expect(runState(run, { host: "laptop", now: beat + 4 * RUN_HEARTBEAT_MS + 1, alive: () => true }).status).toBe("interrupted");
  });

  it("takes a live pid whose run stopped beating for a pid taken by another process", async () => {
    expect(runState(run, { host: "ci-7", now: beat + 60 * RUN_HEARTBEAT_MS, alive: () => true })).toEqual({
      status: "interrupted",
      interrupted: "its process on ci-7 has given no sign of life for 900 s",
    });
  });

  it("leaves finished runs, and runs recorded before ZTOQ kept their process, as recorded", () => {
    for (const status of ["succeeded", "failed", "incomplete"] as const) {
      expect(runState({ ...run, status }, { host: "ci-7", now: beat * 2, alive: () => false })).toEqual({ status });
    }
    const older = { ...run, host: null, pid: null, heartbeatAt: null };
    expect(runState(older, { host: "ci-7", now: beat * 2, alive: () => false })).toEqual({ status: "running" });
  });
});
