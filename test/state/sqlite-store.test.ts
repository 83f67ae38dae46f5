import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createStateStore } from "../../src/state/open-store.js";
import { APPLICATION_ID } from "../../src/state/sql-schema.js";
import { MIGRATIONS, SCHEMA_VERSION, SqliteStateStore } from "../../src/state/sqlite-store.js";
import { StateStoreError } from "../../src/state/store.js";
import { expectVersion1RecordsUpgraded, stateStoreContract } from "./contract.js";
import { request, taken } from "./hold-contract.js";

stateStoreContract("SQLite", async () => {
  const dir = await freshDir();
  // A missing parent directory on purpose: opening must create it (and opening to read must not).
  const path = join(dir, "state", "ztoq.db");
  return {
    store: new SqliteStateStore(path),
    cleanup: () => rm(dir, { recursive: true, force: true }),
    another: (options) => new SqliteStateStore(path, options),
    exists: async () => existsSync(dirname(path)),
  };
});

let dir: string;
let path: string;
const opened: SqliteStateStore[] = [];

describe("SqliteStateStore", () => {
  beforeEach(async () => {
    dir = await freshDir();
    path = join(dir, "ztoq.db");
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe("on disk", () => {
    it("marks the file as a ZTOQ store in WAL mode, and migrates once however often it is opened", async () => {
      await openStore(path);
      await (await openStore(path)).close();
      await openStore(path);

      const db = new DatabaseSync(path, { readOnly: true });
      try {
        const meta = db.prepare("SELECT key, value FROM ztoq_meta ORDER BY key").all();
        expect(meta.map((row) => ({ ...row }))).toEqual([
          { key: "application", value: APPLICATION_ID },
          { key: "schema_version", value: String(SCHEMA_VERSION) },
        ]);
        expect(db.prepare("PRAGMA journal_mode").get()?.journal_mode).toBe("wal");
      } finally {
        db.close();
      }
    });

    it("brings a store at an older schema version up to date", async () => {
      withRawDatabase(path, (db) => {
        db.exec("CREATE TABLE ztoq_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        db.prepare("INSERT INTO ztoq_meta VALUES ('application', ?), ('schema_version', '0')").run(APPLICATION_ID);
      });
      const store = await openStore(path);
      await store.setWatermark("testCases", "w1");
      expect(await store.getWatermark("testCases")).toBe("w1");
      withRawDatabase(path, (db) => {
        const version = db.prepare("SELECT value FROM ztoq_meta WHERE key = 'schema_version'").get();
        expect(version?.value).toBe(String(SCHEMA_VERSION));
      });
    });

    it("adds leases to a version 1 store in place, keeping its records as never claimed", async () => {
      // A file as ZTOQ wrote it at version 1: that version's migration step, and records in its columns.
      withRawDatabase(path, (db) => {
        db.exec("CREATE TABLE ztoq_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        db.prepare("INSERT INTO ztoq_meta VALUES ('application', ?), ('schema_version', '1')").run(APPLICATION_ID);
        db.exec(MIGRATIONS[0] ?? "");
        db.exec(
          `INSERT INTO entities (type, key, hash, target_id, status, attempts, last_error, data, run_id, updated_at) VALUES
             ('testCase', 'P-T1', 'h1', 11, 'done', 1, NULL, '{"versionId":3}', 'r1', '2024-05-01T00:00:00.000Z'),
             ('testCase', 'P-T2', NULL, NULL, 'creating', 2, NULL, NULL, 'r1', '2024-05-01T00:00:01.000Z'),
             ('testRun', 'E-1', NULL, NULL, 'failed', 0, 'boom', NULL, 'r1', '2024-05-01T00:00:02.000Z');
           INSERT INTO runs (id, mode, status, started_at) VALUES ('r1', 'full', 'running', '2024-05-01T00:00:00.000Z');`,
        );
      });

      const store = await openStore(path);

      withRawDatabase(path, (db) => {
        expect(db.prepare("SELECT value FROM ztoq_meta WHERE key = 'schema_version'").get()?.value).toBe(String(SCHEMA_VERSION));
      });
      await expectVersion1RecordsUpgraded(store);
    });

    it("reads a version 1 store as it is when opened to read, without upgrading it", async () => {
      withRawDatabase(path, (db) => {
        db.exec("CREATE TABLE ztoq_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        db.prepare("INSERT INTO ztoq_meta VALUES ('application', ?), ('schema_version', '1')").run(APPLICATION_ID);
        db.exec(MIGRATIONS[0] ?? "");
        db.exec(
          `INSERT INTO entities (type, key, hash, target_id, status, attempts, last_error, data, run_id, updated_at) VALUES
             ('testCase', 'P-T1', 'h1', 11, 'done', 1, NULL, NULL, 'r1', '2024-05-01T00:00:00.000Z');
           INSERT INTO runs (id, mode, status, started_at) VALUES ('r1', 'full', 'running', '2024-05-01T00:00:00.000Z');`,
        );
      });
      const before = await readFile(path);

      const reader = new SqliteStateStore(path);
      opened.push(reader);
      expect(await reader.openExisting()).toBe(true);

      expect(await reader.get("testCase", "P-T1")).toMatchObject({ status: "done", owner: null, leaseUntil: null });
      expect(await reader.countsByOwner()).toEqual([{ owner: null, counts: await reader.counts() }]);
      expect(await reader.lastRun()).toMatchObject({ id: "r1", status: "running", host: null, pid: null, heartbeatAt: null });
      // A store from before holds: none held, no project recorded.
      expect(await reader.holds()).toEqual([]);
      expect(await reader.project()).toBeUndefined();
      await reader.close();
      expect(await readFile(path)).toEqual(before);
    });

    it("finds no store in an empty file when opened to read, and leaves it empty", async () => {
      await writeFile(path, "");
      const reader = new SqliteStateStore(path);
      opened.push(reader);
      expect(await reader.openExisting()).toBe(false);
      expect((await readFile(path)).length).toBe(0);
    });

    it("lets two stores on one file claim the same keys, granting each once", async () => {
      const stores = [await openStore(path), await openStore(path)];
      const keys = Array.from({ length: 50 }, (_, index) => `P-T${index}`);
      const grants = new Map<string, string[]>(keys.map((key) => [key, []]));

      await Promise.all(
        stores.flatMap((store, index) =>
          ["a", "b"].map(async (worker) => {
            const owner = `store${index}-${worker}`;
            for (const key of keys) {
              if ((await store.claim("testCase", key, owner, 60_000, "r1")) === "granted") grants.get(key)?.push(owner);
            }
          }),
        ),
      );

      expect([...grants.values()].filter((owners) => owners.length !== 1)).toEqual([]);
      for (const [key, [owner]] of grants) expect((await stores[1]?.get("testCase", key))?.owner).toBe(owner);
    });

    it("refuses to return a record it cannot read back", async () => {
      const store = await openStore(path);
      await store.beginCreate("testCase", "P-T1", "r1");
      withRawDatabase(path, (db) => db.exec("UPDATE entities SET status = 'exploded'"));
      await expect(store.get("testCase", "P-T1")).rejects.toMatchObject({ name: "StateStoreError", reason: "corrupt" });
      await expect(store.counts()).rejects.toMatchObject({ name: "StateStoreError", reason: "corrupt" });
    });

    it("turns an empty file into a store", async () => {
      await writeFile(path, "");
      const store = await openStore(path);
      await store.beginCreate("testCase", "P-T1", "r1");
      expect((await store.get("testCase", "P-T1"))?.status).toBe("creating");
    });

    it("refuses a file that is not SQLite at all, and leaves it as it was", async () => {
      await writeFile(path, randomBytes(8192));
      await expectRefusal("corrupt", /not a readable SQLite database/);
    });

    it("refuses an SQLite header followed by garbage", async () => {
      await writeFile(path, Buffer.concat([Buffer.from("SQLite format 3\0"), randomBytes(8192 - 16)]));
      await expectRefusal("corrupt", /not a readable SQLite database/);
    });

    it("refuses a ZTOQ store cut short", async () => {
      const store = await openStore(path);
      for (let index = 0; index < 200; index++) {
        await store.recordDone("testCase", `P-T${index}`, { targetId: index, hash: "x".repeat(200), runId: "r1" });
      }
      await store.close();
      await truncate(path, 4096);
      await expectRefusal("corrupt");
    });

    it("refuses another application's SQLite database, and leaves it as it was", async () => {
      withRawDatabase(path, (db) =>
        db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'a')"),
      );
      await expectRefusal("foreign", /not a ZTOQ state store.*users/);
    });

    it("refuses a database whose ztoq_meta names another application", async () => {
      withRawDatabase(path, (db) => {
        db.exec("CREATE TABLE ztoq_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        db.exec("INSERT INTO ztoq_meta VALUES ('application', 'ztoq-something-else'), ('schema_version', '1')");
      });
      await expectRefusal("foreign", /ztoq-something-else/);
    });

    it("refuses a database whose ztoq_meta has another shape", async () => {
      withRawDatabase(path, (db) => db.exec("CREATE TABLE ztoq_meta (id INTEGER, blob BLOB)"));
      await expectRefusal("foreign", /ztoq_meta/);
    });

    it("refuses a store written by a newer ZTOQ, and leaves it as it was", async () => {
      await (await openStore(path)).close();
      withRawDatabase(path, (db) =>
        db.prepare("UPDATE ztoq_meta SET value = ? WHERE key = 'schema_version'").run(String(SCHEMA_VERSION + 1)),
      );
      await expectRefusal("newer", new RegExp(`version ${SCHEMA_VERSION + 1}.*newer ZTOQ`));
    });

    it("reports a location whose parent is a file as unusable (bad input, not a retry)", async () => {
      await writeFile(join(dir, "file"), "");
      const store = new SqliteStateStore(join(dir, "file", "ztoq.db"));
      await expect(store.open()).rejects.toMatchObject({ name: "StateStoreError", reason: "unusable" });
    });

    it("has a write on disk, readable by another process, as soon as the call returns", async () => {
      const store = await openStore(path);
      await store.beginCreate("testCase", "P-T1", "r1");
      await store.recordDone("testCase", "P-T1", { targetId: 42, hash: "h1", data: { versionId: 7 }, runId: "r1" });

      // The writer stays open: the reader must find the row in the file and its WAL, not in a cache.
      const child = await runNode(
        `import { DatabaseSync } from "node:sqlite";
       const db = new DatabaseSync(process.env.ZTOQ_STATE_PATH);
       const row = db.prepare("SELECT status, target_id AS targetId, attempts, data FROM entities WHERE type = 'testCase' AND key = 'P-T1'").get();
       process.stdout.write(JSON.stringify(row ?? null));`,
        { ZTOQ_STATE_PATH: path },
      );

      expect(child.stderr).toBe("");
      expect(JSON.parse(child.stdout)).toEqual({ status: "done", targetId: 42, attempts: 1, data: '{"versionId":7}' });
    });

    it("lets two stores on one file read and write in turn", async () => {
      const first = await openStore(path);
      const second = await openStore(path);
      await first.beginCreate("testCase", "P-T1", "r1");
      await second.recordDone("testCase", "P-T1", { targetId: 1, hash: "h", runId: "r1" });
      await first.recordFailure("testCase", "P-T2", "boom", "r1");

      // A listing in progress on one store survives a write from the other.
      const listing = first.list("testCase")[Symbol.asyncIterator]();
      expect((await listing.next()).value?.key).toBe("P-T1");
      await second.recordDone("testCase", "P-T3", { targetId: 3, hash: "h", runId: "r1" });
      expect((await listing.next()).value?.key).toBe("P-T2");
      await listing.return?.();

      expect((await first.getMany("testCase", ["P-T1", "P-T2", "P-T3"])).size).toBe(3);

      expect((await first.get("testCase", "P-T1"))?.status).toBe("done");
      expect((await second.get("testCase", "P-T2"))?.status).toBe("failed");
    });

    it("takes over at once a hold recorded on another machine: the file was carried here (a cache, an artifact)", async () => {
      const carried = await openStore(path);
      taken(await carried.acquireHold(request("run-on-runner-3", { host: "runner-3", scope: "boot-of-runner-3/pid:[1]" })));
      const here = await openStore(path);
      expect(await here.acquireHold(request("run-here"))).toMatchObject({
        taken: true,
        tookOver: [{ hold: { holder: "run-on-runner-3" }, why: expect.stringMatching(/^it was recorded on another machine/) }],
      });
    });
  });

  describe("across processes", () => {
    let bundle: string;
    let bundleDir: string;

    beforeAll(async () => {
      // Child processes cannot load the TypeScript source; they get the store as the CLI bundle would have it.
      bundleDir = await freshDir();
      bundle = join(bundleDir, "sqlite-store.mjs");
      await build({
        entryPoints: [join(import.meta.dirname, "../../src/state/sqlite-store.ts")],
        outfile: bundle,
        bundle: true,
        platform: "node",
        target: "node24",
        format: "esm",
        logLevel: "silent",
      });
    });

    afterAll(async () => {
      await rm(bundleDir, { recursive: true, force: true });
    });

    it("keeps a recorded create when the writer is killed with SIGKILL right after the call returns", async () => {
      const child = await runNode(
        `const { SqliteStateStore } = await import(process.env.ZTOQ_STORE_MODULE);
       const store = new SqliteStateStore(process.env.ZTOQ_STATE_PATH);
       await store.open();
       await store.beginCreate("testCase", "P-T1", "r1");
       await store.recordDone("testCase", "P-T1", { targetId: 42, hash: "h1", data: { versionId: 7 }, runId: "r1" });
       process.kill(process.pid, "SIGKILL");`,
        { ZTOQ_STORE_MODULE: pathToFileURL(bundle).href, ZTOQ_STATE_PATH: path },
      );
      expect(child.signal).toBe("SIGKILL");

      const store = await openStore(path);
      expect(await store.get("testCase", "P-T1")).toMatchObject({ status: "done", targetId: 42, data: { versionId: 7 } });
    });

    it("grants each key exactly once to several processes claiming the same keys at once", async () => {
      const processes = 3;
      const keyCount = 150;
      // Each process opens the store, then waits for the same moment to start, so that their claims overlap.
      // A millisecond between claims stands for a shard's work: without it the first process to take the
      // write lock runs through every key while the others are still backing off (SQLite's busy handler).
      const startAt = Date.now() + 1_500;
      const children = Array.from({ length: processes }, (_, index) =>
        runNode(
          `const { SqliteStateStore } = await import(process.env.ZTOQ_STORE_MODULE);
         const store = new SqliteStateStore(process.env.ZTOQ_STATE_PATH);
         await store.open();
         while (Date.now() < ${startAt}) await new Promise((resolve) => setTimeout(resolve, 1));
         const granted = [];
         for (let n = 0; n < ${keyCount}; n++) {
           const key = "P-T" + n;
           if ((await store.claim("testCase", key, "shard-${index}", 60000, "r${index}")) === "granted") granted.push(key);
           await new Promise((resolve) => setTimeout(resolve, 1));
         }
         await store.close();
         process.stdout.write(JSON.stringify(granted));`,
          { ZTOQ_STORE_MODULE: pathToFileURL(bundle).href, ZTOQ_STATE_PATH: path },
        ),
      );

      const results = await Promise.all(children);

      for (const result of results) expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
      const granted = results.flatMap((result, index) =>
        (JSON.parse(result.stdout) as string[]).map((key) => ({ key, owner: `shard-${index}` })),
      );
      expect(granted.map((grant) => grant.key).sort()).toEqual(
        Array.from({ length: keyCount }, (_, index) => `P-T${index}`).sort(),
      );
      const store = await openStore(path);
      for (const { key, owner } of granted) expect((await store.get("testCase", key))?.owner).toBe(owner);
    });

    it("lets another process take over what a process killed with SIGKILL had claimed, once the lease runs out", async () => {
      const child = await runNode(
        `const { SqliteStateStore } = await import(process.env.ZTOQ_STORE_MODULE);
       const store = new SqliteStateStore(process.env.ZTOQ_STATE_PATH);
       await store.open();
       await store.claim("testCase", "P-T1", "shard-1", 1000, "r1");
       await store.beginCreate("testCase", "P-T1", "r1");
       await store.claim("testCase", "P-T2", "shard-1", 1000, "r1");
       process.kill(process.pid, "SIGKILL");`,
        { ZTOQ_STORE_MODULE: pathToFileURL(bundle).href, ZTOQ_STATE_PATH: path },
      );
      expect(child.signal).toBe("SIGKILL");

      const store = await openStore(path);
      const leaseUntil = Date.parse((await store.get("testCase", "P-T1"))?.leaseUntil ?? "");
      if (Date.now() < leaseUntil) expect(await store.claim("testCase", "P-T1", "shard-2", 60_000, "r2")).toBe("held");
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, leaseUntil - Date.now()) + 20));

      expect(await store.claim("testCase", "P-T1", "shard-2", 60_000, "r2")).toBe("granted");
      expect(await store.claim("testCase", "P-T2", "shard-2", 60_000, "r2")).toBe("granted");
      expect(await store.get("testCase", "P-T1")).toMatchObject({ status: "creating", attempts: 1, owner: "shard-2" });
    });

    it("lets several processes open a new file at once and write without 'database is locked'", async () => {
      const writers = 4;
      const perWriter = 300;
      const children = Array.from({ length: writers }, (_, writer) =>
        runNode(
          `const { SqliteStateStore } = await import(process.env.ZTOQ_STORE_MODULE);
         const store = new SqliteStateStore(process.env.ZTOQ_STATE_PATH);
         await store.open();
         for (let index = 0; index < ${perWriter}; index++) {
           const key = "W${writer}-" + index;
           await store.beginCreate("testCase", key, "r${writer}");
           await store.recordDone("testCase", key, { targetId: index, hash: "h", runId: "r${writer}" });
         }
         await store.close();`,
          { ZTOQ_STORE_MODULE: pathToFileURL(bundle).href, ZTOQ_STATE_PATH: path },
        ),
      );
      const store = await openStore(path);
      for (let index = 0; index < perWriter; index++) await store.beginCreate("testRun", `P-${index}`, "parent");

      const results = await Promise.all(children);

      for (const result of results) expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
      const counts = await store.counts();
      expect(counts.testCase.done).toBe(writers * perWriter);
      expect(counts.testRun.creating).toBe(perWriter);
    });
  });
});

describe("createStateStore", () => {
  it("opens a plain path or sqlite:PATH as a SQLite store", () => {
    const plain = createStateStore("state/ztoq.db");
    const prefixed = createStateStore("sqlite:/var/ztoq/state.db");
    expect(plain).toBeInstanceOf(SqliteStateStore);
    expect(plain.location).toBe("state/ztoq.db");
    expect(prefixed).toBeInstanceOf(SqliteStateStore);
    expect(prefixed.location).toBe("/var/ztoq/state.db");
  });

  it.each(["sqlite:", "sqlite://state.db", "mysql://db/ztoq", ""])("refuses the location %j", (location) => {
    expect(catchError(() => createStateStore(location))).toMatchObject({ name: "StateStoreError", reason: "unreachable" });
  });
});

async function freshDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "ztoq-state-"));
}

async function openStore(location: string): Promise<SqliteStateStore> {
  const store = new SqliteStateStore(location);
  await store.open();
  opened.push(store);
  return store;
}

function withRawDatabase(location: string, change: (db: DatabaseSync) => void): void {
  const db = new DatabaseSync(location);
  try {
    change(db);
  } finally {
    db.close();
  }
}

/** Opening must fail for `reason`, name the file, and leave the directory byte for byte as it was. */
async function expectRefusal(reason: StateStoreError["reason"], message?: RegExp): Promise<void> {
  const before = await snapshot(dir);
  const error = await new SqliteStateStore(path).open().then(
    () => undefined,
    (caught: unknown) => caught,
  );

  expect(error).toBeInstanceOf(StateStoreError);
  expect(error).toMatchObject({ reason, message: expect.stringContaining(path) });
  if (message) expect(error).toMatchObject({ message: expect.stringMatching(message) });
  expect(await snapshot(dir)).toEqual(before);

  // Opening to read (`ztoq status`) refuses the same file for the same reason. SQLite may leave the
  // -wal and -shm companions of a WAL file behind a read-only connection; the database itself stays as it was.
  const reader = new SqliteStateStore(path);
  await expect(reader.openExisting()).rejects.toMatchObject({ name: "StateStoreError", reason });
  expect(withoutCompanions(await snapshot(dir))).toEqual(before);
}

function withoutCompanions(files: Map<string, string>): Map<string, string> {
  return new Map([...files].filter(([name]) => !/-(wal|shm)$/.test(name)));
}

async function snapshot(folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of (await readdir(folder)).sort()) files.set(name, (await readFile(join(folder, name))).toString("base64"));
  return files;
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runNode(script: string, env: Record<string, string>): Promise<ChildResult> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
