import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MIGRATIONS, PostgresStateStore, SCHEMA_VERSION } from "../../src/state/postgres-store.js";
import { APPLICATION_ID } from "../../src/state/sql-schema.js";
import { StateStoreError } from "../../src/state/store.js";
import { ADMIN_URL, adminSql, createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";
import { expectVersion1RecordsUpgraded, stateStoreContract } from "./contract.js";
import { request, taken } from "./hold-contract.js";

const available = await postgresAvailable();
/** In CI a missing server is a failure, not a reason to skip. */
const required = Boolean(process.env.CI) || process.env.ZTOQ_REQUIRE_POSTGRES === "1";
if (!available) {
  console.warn(
    `\n!!! PostgreSQL is not reachable at ${new URL(ADMIN_URL).host}: the PostgreSQL state store tests ${required ? "will FAIL" : "are SKIPPED"}.\n` +
      "!!! Start a server (trust auth, user postgres) or point ZTOQ_TEST_POSTGRES_URL at one.\n",
  );
}

describe.skipIf(!available && !required)("PostgreSQL", () => {
  // One database for the whole contract, its ztoq schema dropped around every test: each test starts
  // from an empty database as far as the store can tell, a few hundred ms cheaper than a new database.
  let contractDatabase: TestDatabase | undefined;
  afterAll(async () => {
    await contractDatabase?.drop();
  });
  stateStoreContract("PostgreSQL", async () => {
    contractDatabase ??= await createTestDatabase();
    const database = contractDatabase;
    const dropSchema = () => database.sql("DROP SCHEMA IF EXISTS ztoq CASCADE");
    await dropSchema();
    return {
      store: new PostgresStateStore(database.url),
      cleanup: async () => void (await dropSchema()),
      another: (options) => new PostgresStateStore(database.url, options),
      exists: async () => (await database.sql("SELECT 1 FROM pg_namespace WHERE nspname = 'ztoq'")).length > 0,
    };
  });

  describe("PostgresStateStore", () => {
    let db: TestDatabase;
    const opened: PostgresStateStore[] = [];
    const cleanups: (() => Promise<unknown>)[] = [];

    beforeEach(async () => {
      db = await createTestDatabase();
    });

    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await db.drop();
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    async function openStore(url = db.url): Promise<PostgresStateStore> {
      const store = new PostgresStateStore(url);
      opened.push(store);
      await store.open();
      return store;
    }

    describe("in the database", () => {
      it("keeps its tables in the ztoq schema, marked as ZTOQ's, beside other applications' tables", async () => {
        await db.sql("CREATE TABLE public.users (id integer PRIMARY KEY, name text); INSERT INTO public.users VALUES (1, 'a')");

        const store = await openStore();
        await store.recordDone("testCase", "P-T1", { targetId: 1, hash: "h", runId: "r1" });

        expect(await db.sql("SELECT key, value FROM ztoq.ztoq_meta ORDER BY key")).toEqual([
          { key: "application", value: APPLICATION_ID },
          { key: "schema_version", value: String(SCHEMA_VERSION) },
        ]);
        expect(await tables()).toEqual([
          "public.users",
          "ztoq.entities",
          "ztoq.holds",
          "ztoq.project",
          "ztoq.runs",
          "ztoq.watermarks",
          "ztoq.ztoq_meta",
        ]);
        expect(await db.sql("SELECT id, name FROM public.users")).toEqual([{ id: 1, name: "a" }]);
        const collations = await db.sql<{ collation: string }>(
          `SELECT DISTINCT collation_name AS collation FROM information_schema.columns
           WHERE table_schema = 'ztoq' AND table_name = 'entities' AND column_name IN ('type', 'key')`,
        );
        expect(collations).toEqual([{ collation: "C" }]);
      });

      it("lets four stores open a new database at the same moment, migrating it exactly once", async () => {
        // Three rounds, each on a database of its own, to give a race more than one chance to show.
        const databases = [db, await createTestDatabase(), await createTestDatabase()];
        cleanups.push(...databases.slice(1).map((other) => () => other.drop()));

        for (const database of databases) {
          const stores = Array.from({ length: 4 }, () => new PostgresStateStore(database.url));
          opened.push(...stores);
          const results = await Promise.allSettled(stores.map((store) => store.open()));

          expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
          expect(await database.sql("SELECT key, value FROM ztoq.ztoq_meta ORDER BY key")).toEqual([
            { key: "application", value: APPLICATION_ID },
            { key: "schema_version", value: String(SCHEMA_VERSION) },
          ]);
          // One transaction created the tables and wrote the version; no later open rewrote it.
          const [origin] = await database.sql<{ writers: number; sameTransaction: boolean }>(
            `SELECT (SELECT count(DISTINCT xmin::text)::integer FROM ztoq.ztoq_meta) AS writers,
                    (SELECT xmin::text FROM ztoq.ztoq_meta WHERE key = 'schema_version')
                      = (SELECT xmin::text FROM pg_class WHERE oid = 'ztoq.entities'::regclass) AS "sameTransaction"`,
          );
          expect(origin).toEqual({ writers: 1, sameTransaction: true });

          const [first, ...others] = stores;
          await first?.beginCreate("testCase", "P-T1", "r1");
          for (const other of others) expect((await other.get("testCase", "P-T1"))?.status).toBe("creating");
        }
      });

      it("brings a store at an older schema version up to date", async () => {
        await db.sql("CREATE SCHEMA ztoq; CREATE TABLE ztoq.ztoq_meta (key text PRIMARY KEY, value text NOT NULL)");
        await db.sql("INSERT INTO ztoq.ztoq_meta VALUES ('application', $1), ('schema_version', '0')", [APPLICATION_ID]);

        const store = await openStore();
        await store.setWatermark("testCases", "w1");

        expect(await store.getWatermark("testCases")).toBe("w1");
        expect(await db.sql("SELECT value FROM ztoq.ztoq_meta WHERE key = 'schema_version'")).toEqual([
          { value: String(SCHEMA_VERSION) },
        ]);
      });

      it("uses an empty ztoq schema made for it, as a user that may not create schemas", async () => {
        const role = `${db.name}_user`;
        await db.sql(`CREATE ROLE ${role} LOGIN PASSWORD 'pw'; CREATE SCHEMA ztoq AUTHORIZATION ${role}`);
        // The role owns objects in the database, which is dropped first (afterEach), then the role.
        cleanups.push(() => adminSql(`DROP ROLE IF EXISTS ${role}`));
        const url = new URL(db.url);
        url.username = role;
        url.password = "pw";

        const store = await openStore(url.href);
        await store.beginCreate("testCase", "P-T1", "r1");

        expect((await store.get("testCase", "P-T1"))?.status).toBe("creating");
        expect(await db.sql("SELECT has_database_privilege($1, current_database(), 'CREATE') AS may", [role])).toEqual([
          { may: false },
        ]);
      });

      it("reports a user that may not create the ztoq schema as a credentials problem", async () => {
        const role = `${db.name}_user`;
        await db.sql(`CREATE ROLE ${role} LOGIN PASSWORD 'pw-VALUE'`);
        cleanups.push(() => adminSql(`DROP ROLE IF EXISTS ${role}`));
        const url = new URL(db.url);
        url.username = role;
        url.password = "pw-VALUE";

        const error = await openError(url.href);

        expect(error).toMatchObject({ reason: "credentials", message: expect.stringMatching(/permission denied/) });
        expect(String(error)).not.toContain("pw-VALUE");
        expect(await tables()).toEqual([]);
      });

      it("refuses to return a record it cannot read back", async () => {
        const store = await openStore();
        await store.beginCreate("testCase", "P-T1", "r1");
        await db.sql("UPDATE ztoq.entities SET status = 'exploded'");
        await expect(store.get("testCase", "P-T1")).rejects.toMatchObject({ name: "StateStoreError", reason: "corrupt" });
        await expect(store.counts()).rejects.toMatchObject({ name: "StateStoreError", reason: "corrupt" });
      });

      it("has a write in the database, for every other connection, as soon as the call returns", async () => {
        const store = await openStore();
        await store.recordDone("testCase", "P-T1", { targetId: 2 ** 40, hash: "h1", data: { versionId: 7 }, runId: "r1" });

        expect(
          await db.sql("SELECT status, target_id::text AS target, data::text AS data FROM ztoq.entities WHERE key = 'P-T1'"),
        ).toEqual([{ status: "done", target: String(2 ** 40), data: '{"versionId":7}' }]);
      });

      it("keeps an error message that holds a NUL character", async () => {
        const store = await openStore();
        await store.recordFailure("testCase", "P-T1", "HTTP 500: a\u0000b", "r1");
        expect((await store.get("testCase", "P-T1"))?.lastError).toBe("HTTP 500: a\uFFFDb");
      });

      it("keeps working after the server ends its connections", async () => {
        const store = await openStore();
        await Promise.all([store.beginCreate("testCase", "P-T1", "r1"), store.beginCreate("testCase", "P-T2", "r1")]);

        await db.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [
          db.name,
        ]);
        await new Promise((resolve) => setTimeout(resolve, 100));

        expect((await store.getMany("testCase", ["P-T1", "P-T2"])).size).toBe(2);
      });

      it("leaves a hold recorded on another machine to its heartbeat: every machine reaches a server", async () => {
        const elsewhere = await openStore();
        taken(await elsewhere.acquireHold(request("run-on-runner-3", { host: "runner-3", scope: "boot-of-runner-3/pid:[1]" })));
        const here = await openStore();
        expect(await here.acquireHold(request("run-here"))).toMatchObject({ taken: false, reason: "held" });
      });

      it("keeps counts consistent while two stores write the same records at once", async () => {
        const [first, second] = [await openStore(), await openStore()];
        const keys = Array.from({ length: 200 }, (_, index) => `P-T${index}`);

        await Promise.all([
          Promise.all(keys.map((key) => first.beginCreate("testCase", key, "r1"))),
          Promise.all(keys.map((key) => second.beginCreate("testCase", key, "r2"))),
        ]);
        const begun = await first.getMany("testCase", keys);
        expect([...begun.values()].map((record) => record.attempts)).toEqual(keys.map(() => 2));
        expect((await second.counts()).testCase).toEqual({ pending: 0, creating: 200, done: 0, failed: 0, skipped: 0 });

        // Each store finishes half, both finish the first twenty, and each fails a record of its own.
        const done = (store: PostgresStateStore, key: string, index: number) =>
          store.recordDone("testCase", key, { targetId: index, hash: "h", data: { by: store === first ? 1 : 2 }, runId: "r" });
        await Promise.all([
          ...keys.map((key, index) => done(index % 2 === 0 ? first : second, key, index)),
          ...keys.slice(0, 20).map((key, index) => done(index % 2 === 0 ? second : first, key, index)),
          first.recordFailure("testRun", "E-1", "boom", "r1"),
          second.recordFailure("testRun", "E-2", "boom", "r2"),
        ]);

        for (const store of [first, second]) {
          const counts = await store.counts();
          expect(counts.testCase).toEqual({ pending: 0, creating: 0, done: 200, failed: 0, skipped: 0 });
          expect(counts.testRun).toEqual({ pending: 0, creating: 0, done: 0, failed: 2, skipped: 0 });
        }
        const listed = [];
        for await (const record of second.list("testCase", { status: "done" })) listed.push(record);
        expect(listed).toHaveLength(200);
        expect(listed.every((record) => record.attempts === 2 && record.targetId !== null)).toBe(true);
      });
    });

    describe("upgrading from schema version 1", () => {
      it("adds leases to a version 1 store in place, keeping its records as never claimed", async () => {
        // A store as ZTOQ wrote it at version 1: that version's migration step, and records in its columns.
        await db.sql('CREATE SCHEMA ztoq; CREATE TABLE ztoq.ztoq_meta (key text COLLATE "C" PRIMARY KEY, value text NOT NULL)');
        await db.sql("INSERT INTO ztoq.ztoq_meta VALUES ('application', $1), ('schema_version', '1')", [APPLICATION_ID]);
        await db.sql(MIGRATIONS[0] ?? "");
        await db.sql(
          `INSERT INTO ztoq.entities (type, key, hash, target_id, status, attempts, last_error, data, run_id, updated_at) VALUES
             ('testCase', 'P-T1', 'h1', 11, 'done', 1, NULL, '{"versionId":3}', 'r1', '2024-05-01T00:00:00Z'),
             ('testCase', 'P-T2', NULL, NULL, 'creating', 2, NULL, NULL, 'r1', '2024-05-01T00:00:01Z'),
             ('testRun', 'E-1', NULL, NULL, 'failed', 0, 'boom', NULL, 'r1', '2024-05-01T00:00:02Z')`,
        );
        await db.sql("INSERT INTO ztoq.runs (id, mode, status, started_at) VALUES ('r1', 'full', 'running', now())");

        const store = await openStore();

        expect(await db.sql("SELECT value FROM ztoq.ztoq_meta WHERE key = 'schema_version'")).toEqual([
          { value: String(SCHEMA_VERSION) },
        ]);
        await expectVersion1RecordsUpgraded(store);
        const collations = await db.sql<{ collation: string | null }>(
          `SELECT collation_name AS collation FROM information_schema.columns
           WHERE table_schema = 'ztoq' AND table_name = 'entities' AND column_name = 'owner'`,
        );
        expect(collations).toEqual([{ collation: "C" }]);
      });
    });

    describe("opened to read", () => {
      it("reads a version 1 store as it is, without upgrading it or writing anything", async () => {
        await db.sql('CREATE SCHEMA ztoq; CREATE TABLE ztoq.ztoq_meta (key text COLLATE "C" PRIMARY KEY, value text NOT NULL)');
        await db.sql("INSERT INTO ztoq.ztoq_meta VALUES ('application', $1), ('schema_version', '1')", [APPLICATION_ID]);
        await db.sql(MIGRATIONS[0] ?? "");
        await db.sql(
          `INSERT INTO ztoq.entities (type, key, hash, target_id, status, attempts, last_error, data, run_id, updated_at)
           VALUES ('testCase', 'P-T1', 'h1', 11, 'done', 1, NULL, NULL, 'r1', '2024-05-01T00:00:00Z')`,
        );
        await db.sql("INSERT INTO ztoq.runs (id, mode, status, started_at) VALUES ('r1', 'full', 'running', now())");
        const columns = () =>
          db.sql("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'ztoq' ORDER BY 1, 2");
        const before = await columns();

        const reader = new PostgresStateStore(db.url);
        opened.push(reader);
        expect(await reader.openExisting()).toBe(true);

        expect(await reader.get("testCase", "P-T1")).toMatchObject({ status: "done", owner: null, leaseUntil: null });
        expect(await reader.countsByOwner()).toEqual([{ owner: null, counts: await reader.counts() }]);
        expect(await reader.lastRun()).toMatchObject({ id: "r1", status: "running", host: null, pid: null, heartbeatAt: null });
        // A store from before holds: none held, no project recorded.
        expect(await reader.holds()).toEqual([]);
        expect(await reader.project()).toBeUndefined();
        expect(await columns()).toEqual(before);
        expect(await db.sql("SELECT value FROM ztoq.ztoq_meta WHERE key = 'schema_version'")).toEqual([{ value: "1" }]);
      });

      it("finds no store in an empty ztoq schema, and leaves it empty", async () => {
        await db.sql("CREATE SCHEMA ztoq");
        const reader = new PostgresStateStore(db.url);
        opened.push(reader);
        expect(await reader.openExisting()).toBe(false);
        expect(
          await db.sql("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'ztoq'"),
        ).toEqual([]);
      });
    });

    describe("claims across stores", () => {
      const KEYS = Array.from({ length: 200 }, (_, index) => `P-T${index}`);

      /**
       * Eight owners (four per store, one per pool connection) claim every key at once, in the same order,
       * so that each key is asked for by several at the same moment. Returns who was granted each key.
       */
      async function race(stores: readonly PostgresStateStore[], round: string): Promise<Map<string, string[]>> {
        const grants = new Map<string, string[]>(KEYS.map((key) => [key, []]));
        await Promise.all(
          stores.flatMap((store, index) =>
            Array.from({ length: 4 }, async (_, worker) => {
              const owner = `${round}-store${index}-worker${worker}`;
              for (const key of KEYS) {
                if ((await store.claim("testCase", key, owner, 60_000, round)) === "granted") grants.get(key)?.push(owner);
              }
            }),
          ),
        );
        return grants;
      }

      async function expectEachGrantedOnce(grants: Map<string, string[]>): Promise<void> {
        expect([...grants.values()].filter((owners) => owners.length !== 1)).toEqual([]);
        const rows = await db.sql<{ key: string; owner: string }>(
          "SELECT key, owner FROM ztoq.entities WHERE type = 'testCase' AND lease_until > clock_timestamp()",
        );
        expect(new Map(rows.map((row) => [row.key, [row.owner]]))).toEqual(grants);
      }

      /** Both rounds: new keys (concurrent inserts), then every lease expired (concurrent updates). */
      async function raceTwice(stores: readonly PostgresStateStore[]): Promise<void> {
        await expectEachGrantedOnce(await race(stores, "first"));
        await db.sql("UPDATE ztoq.entities SET lease_until = clock_timestamp() - interval '1 second'");
        await expectEachGrantedOnce(await race(stores, "second"));
        expect((await stores[0]?.counts())?.testCase.pending).toBe(KEYS.length);
      }

      it("grants each of 200 keys exactly once to 8 owners on 2 stores claiming them all at once", async () => {
        await raceTwice([await openStore(), await openStore()]);
      });

      it("grants each key exactly once under a SERIALIZABLE server default as well", async () => {
        await db.sql(`ALTER DATABASE ${db.name} SET default_transaction_isolation = 'serializable'`);
        const stores = [await openStore(), await openStore()];
        expect(await db.sql("SHOW default_transaction_isolation")).toEqual([{ default_transaction_isolation: "serializable" }]);
        await raceTwice(stores);
      });

      it("lets a second store take over the entities of one that stopped without releasing them, once the leases run out", async () => {
        const [first, second] = [await openStore(), await openStore()];
        for (const key of ["P-T1", "P-T2"]) expect(await first.claim("testCase", key, "shard-1", 300, "r1")).toBe("granted");
        await first.beginCreate("testCase", "P-T1", "r1");
        // The first shard is gone (a SIGKILL releases nothing): its connections close, its leases stay.
        await first.close();

        expect(await second.claim("testCase", "P-T1", "shard-2", 60_000, "r2")).toBe("held");
        await new Promise((resolve) => setTimeout(resolve, 400));

        expect(await second.claim("testCase", "P-T1", "shard-2", 60_000, "r2")).toBe("granted");
        expect(await second.claim("testCase", "P-T2", "shard-2", 60_000, "r2")).toBe("granted");
        expect(await second.get("testCase", "P-T1")).toMatchObject({ status: "creating", attempts: 1, owner: "shard-2" });
        await second.recordDone("testCase", "P-T1", { targetId: 1, hash: "h", runId: "r2" });

        const third = await openStore();
        expect(await third.claim("testCase", "P-T1", "shard-1", 60_000, "r3")).toBe("done");
        expect(await third.claim("testCase", "P-T2", "shard-1", 60_000, "r3")).toBe("held");
        expect(await third.countsByOwner()).toEqual([{ owner: "shard-2", counts: expect.anything() }]);
      });

      it("measures leases by the server's clock, so a shard whose clock is ahead does not end them early", async () => {
        const [first, second] = [await openStore(), await openStore()];
        expect(await first.claim("testCase", "P-T1", "shard-1", 60_000, "r1")).toBe("granted");

        // This process now believes it is an hour later, as a machine with a clock an hour fast would.
        vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3_600_000 });
        try {
          expect(await second.claim("testCase", "P-T1", "shard-2", 60_000, "r2")).toBe("held");
          expect(await second.claim("testCase", "P-T2", "shard-2", 60_000, "r2")).toBe("granted");
        } finally {
          vi.useRealTimers();
        }
        const [lease] = await db.sql<{ seconds: number }>(
          "SELECT extract(epoch FROM lease_until - clock_timestamp())::float8 AS seconds FROM ztoq.entities WHERE key = 'P-T2'",
        );
        expect(lease?.seconds).toBeGreaterThan(55);
        expect(lease?.seconds).toBeLessThanOrEqual(60);
      });
    });

    describe("refusing a schema that is not ZTOQ's, and leaving it as it was", () => {
      it("refuses a ztoq schema that holds other tables and no ztoq_meta", async () => {
        await db.sql("CREATE SCHEMA ztoq; CREATE TABLE ztoq.jobs (id integer)");
        await expectRefusal("foreign", /not a ZTOQ state store.*jobs|jobs.*not a ZTOQ state store/);
      });

      it("refuses a ztoq_meta that names another application", async () => {
        await db.sql("CREATE SCHEMA ztoq; CREATE TABLE ztoq.ztoq_meta (key text PRIMARY KEY, value text NOT NULL)");
        await db.sql("INSERT INTO ztoq.ztoq_meta VALUES ('application', 'ztoq-something-else'), ('schema_version', '1')");
        await expectRefusal("foreign", /ztoq-something-else/);
      });

      it("refuses a ztoq_meta of another shape", async () => {
        await db.sql("CREATE SCHEMA ztoq; CREATE TABLE ztoq.ztoq_meta (id integer, blob bytea)");
        await expectRefusal("foreign", /ztoq_meta/);
      });

      it("refuses a store without a valid schema version", async () => {
        await db.sql("CREATE SCHEMA ztoq; CREATE TABLE ztoq.ztoq_meta (key text PRIMARY KEY, value text NOT NULL)");
        await db.sql("INSERT INTO ztoq.ztoq_meta VALUES ('application', $1), ('schema_version', 'two')", [APPLICATION_ID]);
        await expectRefusal("corrupt", /schema version/);
      });

      it("refuses a store written by a newer ZTOQ", async () => {
        await (await openStore()).close();
        await db.sql("UPDATE ztoq.ztoq_meta SET value = $1 WHERE key = 'schema_version'", [String(SCHEMA_VERSION + 1)]);
        await expectRefusal("newer", new RegExp(`version ${SCHEMA_VERSION + 1}.*newer ZTOQ`));
      });

      /** Opening must fail for `reason`, name the store, and change nothing in the database. */
      async function expectRefusal(reason: StateStoreError["reason"], message: RegExp): Promise<void> {
        const before = await snapshot();
        const store = new PostgresStateStore(db.url);
        const error = await openError(db.url);

        expect(error).toBeInstanceOf(StateStoreError);
        expect(error).toMatchObject({ reason, message: expect.stringContaining(store.location) });
        expect(error).toMatchObject({ message: expect.stringMatching(message) });
        expect(await snapshot()).toEqual(before);

        // Opening to read (`ztoq status`) refuses it for the same reason.
        const reader = new PostgresStateStore(db.url);
        await expect(reader.openExisting()).rejects.toMatchObject({ name: "StateStoreError", reason });
        expect(await snapshot()).toEqual(before);
      }

      async function snapshot(): Promise<unknown> {
        const meta = (await tables()).includes("ztoq.ztoq_meta")
          ? await db.sql("SELECT row_to_json(m)::text AS row FROM ztoq.ztoq_meta m ORDER BY 1")
          : [];
        return { tables: await tables(), meta };
      }
    });

    /** Every table outside the system schemas, as schema.name. */
    async function tables(): Promise<string[]> {
      const rows = await db.sql<{ name: string }>(
        `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
      );
      return rows.map((row) => row.name);
    }
  });
});

async function openError(url: string): Promise<unknown> {
  const store = new PostgresStateStore(url);
  return store.open().then(
    async () => {
      await store.close();
      return undefined;
    },
    (caught: unknown) => caught,
  );
}
