import type { SQLInputValue } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../../support/postgres.js";
import { check, postgresAvailable, postgresRequired, Scratch, samples, summary } from "./support.js";

/**
 * PostgreSQL ↔ SQLite, both ways: the type pairs that spell one value differently (numeric and real,
 * timestamptz and ISO text, boolean and 0/1, jsonb and text in another key order) compare equal under
 * the check's rules, the real differences are still found, and text keys merge in byte order whatever
 * either side's collation says.
 */

const available = await postgresAvailable();
const ROWS = 12_000;

const PG_TABLE = `CREATE TABLE orders (id integer PRIMARY KEY, amount numeric(12,2), ratio double precision, created_at timestamptz,
  active boolean, payload jsonb, name text, note text);
  INSERT INTO orders SELECT g, round(g * 1.37, 2), g::float8 / 7, timestamptz '2024-01-01 00:00:00+00' + g * interval '1.234567 second',
    g % 3 = 0, jsonb_build_object('b', g, 'a', 'x' || g), 'Name ' || g, CASE WHEN g % 4 = 0 THEN NULL ELSE 'note ' || g END
  FROM generate_series(1, ${ROWS}) g`;

/** The same rows as SQLite holds them: REAL numbers, ISO text at milliseconds (some with an offset), 0/1, JSON text. */
const TO_SQLITE = `SELECT id, amount::float8::text, ratio::text,
  CASE WHEN id % 3 = 0 THEN to_char(created_at + interval '2 hours', 'YYYY-MM-DD"T"HH24:MI:SS.MS') || '+02:00'
       ELSE to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END,
  active::int, '{"b":' || id || ',"a":"x' || id || '"}', CASE WHEN id % 10 = 0 THEN '  Name ' || id || ' ' ELSE 'Name ' || id END,
  coalesce(note, '') FROM orders ORDER BY id`;

const SQLITE_TABLE = `CREATE TABLE orders (id INTEGER PRIMARY KEY, amount REAL, ratio REAL, created_at TEXT, active BOOLEAN,
  payload JSON, name TEXT, note TEXT)`;

const NORMALIZE = { created_at: { timestamp: "ms" as const }, name: { trim: true as const }, note: { nullEquals: "" } };

async function sqliteCopy(scratch: Scratch, db: TestDatabase, ...after: string[]) {
  const rows = (await db.sql<{ [k: string]: string }>(TO_SQLITE.replace("SELECT id,", "SELECT id::text AS k0,"))).map((r) => {
    const [id, amount, ratio, at, active, payload, name, note] = Object.values(r) as string[];
    return [Number(id), Number(amount), Number(ratio), at, Number(active), payload, name, note] as SQLInputValue[];
  });
  return scratch.sqliteRows(SQLITE_TABLE, "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows, ...after);
}

describe.skipIf(!available && !postgresRequired)("sql check, PostgreSQL ↔ SQLite", () => {
  const scratch = new Scratch();
  let pg: TestDatabase;
  let same: Awaited<ReturnType<typeof sqliteCopy>>;
  let changed: Awaited<ReturnType<typeof sqliteCopy>>;

  beforeAll(async () => {
    pg = await scratch.postgres(PG_TABLE);
    same = await sqliteCopy(scratch, pg);
    changed = await sqliteCopy(
      scratch,
      pg,
      "UPDATE orders SET amount = amount + 0.01 WHERE id = 100",
      "UPDATE orders SET created_at = '2024-01-01T00:04:07.001Z' WHERE id = 200",
      `UPDATE orders SET payload = '{"a":"changed","b":300}' WHERE id = 300`,
      "UPDATE orders SET active = 1 - active WHERE id = 400",
      "DELETE FROM orders WHERE id = 500",
      `INSERT INTO orders VALUES (${ROWS + 1}, 1, 1, '2030-01-01T00:00:00Z', 0, '{}', 'x', '')`,
    );
  });
  afterAll(() => scratch.cleanup());

  it("finds a faithful copy equal, type pairs compared by value", async () => {
    const outcome = await check(
      { source: pg.url, target: same.location, table: "orders", key: "id", normalize: NORMALIZE },
      same.dir,
    );
    expect(summary(outcome)).toEqual({
      matched: ROWS,
      missing: 0,
      extra: 0,
      changed: 0,
      duplicated: 0,
      source: ROWS,
      target: ROWS,
    });
    expect(outcome.target.description).toBe("sqlite:data.db table orders");
    expect(outcome.normalization).toMatchObject({
      amount: "numbers by value (a float and a decimal alike)",
      created_at: expect.stringMatching(/^timestamps in UTC to the millisecond/),
      active: expect.stringMatching(/^booleans/),
      payload: "JSON compared parsed, object key order ignored",
      name: "surrounding whitespace trimmed",
      note: '"" equals NULL',
    });
  });

  it("reports what the rules do not cover: microseconds, padding, empty notes", async () => {
    const outcome = await check({ source: pg.url, target: same.location, table: "orders", key: "id" }, same.dir);
    const paths = Object.fromEntries(outcome.findings.changedPaths);
    expect(paths).toMatchObject({ name: ROWS / 10, note: ROWS / 4 });
    // Every timestamp whose microseconds are not 000.
    expect(paths.created_at).toBeGreaterThan(ROWS * 0.99);
  });

  it("finds the real differences, PostgreSQL → SQLite", async () => {
    const outcome = await check(
      { source: pg.url, target: changed.location, table: "orders", key: "id", normalize: NORMALIZE },
      changed.dir,
    );
    expect(summary(outcome)).toEqual({
      matched: ROWS - 5,
      missing: 1,
      extra: 1,
      changed: 4,
      duplicated: 0,
      source: ROWS,
      target: ROWS,
    });
    expect(samples(outcome).map((s) => `${s.problem} ${s.key} ${s.differences.map((d) => d.path).join(",")}`)).toEqual([
      "changed id=100 amount",
      "changed id=200 created_at",
      "changed id=300 payload",
      "changed id=400 active",
      "missing id=500 ",
      `extra id=${ROWS + 1} `,
    ]);
    expect(samples(outcome)[0]?.differences).toEqual([{ path: "amount", source: "137.00", target: "137.01" }]);
  });

  it("finds the same differences the other way, SQLite → PostgreSQL", async () => {
    const outcome = await check(
      { source: changed.location, target: pg.url, table: "orders", key: "id", normalize: NORMALIZE },
      changed.dir,
    );
    expect(summary(outcome)).toEqual({
      matched: ROWS - 5,
      missing: 1,
      extra: 1,
      changed: 4,
      duplicated: 0,
      source: ROWS,
      target: ROWS,
    });
    expect(samples(outcome, "missing").map((s) => s.key)).toEqual([`id=${ROWS + 1}`]);
    expect(samples(outcome, "extra").map((s) => s.key)).toEqual(["id=500"]);
  });

  it("merges text keys in byte order across collations, in pages and in one ordered read", async () => {
    const prefixes = ["a-b", "a_b", "aB", "ab", "Å", "ａ", "😀", "b"];
    const keys = Array.from({ length: 6_000 }, (_, i) => `${prefixes[i % prefixes.length]}${i % 977}-${i}`);
    const values = keys.map((k, i) => `('${k}', ${i})`).join(", ");
    const db = await scratch.postgres(
      `CREATE TABLE codes (code text COLLATE "en-x-icu" PRIMARY KEY, n int)`,
      `INSERT INTO codes VALUES ${values}`,
    );
    const rows = keys.map((k, i) => [k, i] as SQLInputValue[]);
    // A BINARY primary key: read in keyset pages. A NOCASE column: SQLite sorts once, read as one statement.
    const paged = await scratch.sqliteRows(
      "CREATE TABLE codes (code TEXT PRIMARY KEY NOT NULL, n INTEGER) WITHOUT ROWID",
      "INSERT INTO codes VALUES (?, ?)",
      rows,
    );
    const sorted = await scratch.sqliteRows(
      "CREATE TABLE codes (code TEXT COLLATE NOCASE, n INTEGER); CREATE INDEX codes_code ON codes (code)",
      "INSERT INTO codes VALUES (?, ?)",
      rows,
      "UPDATE codes SET n = -1 WHERE code = 'ａ5-5'",
      "DELETE FROM codes WHERE code = 'a_b1-1'",
      "INSERT INTO codes VALUES ('AB', 0)",
    );
    const clean = await check({ source: db.url, target: paged.location, table: "codes", key: "code" }, paged.dir);
    expect(summary(clean)).toEqual({
      matched: 6_000,
      missing: 0,
      extra: 0,
      changed: 0,
      duplicated: 0,
      source: 6_000,
      target: 6_000,
    });
    const reverse = await check({ source: paged.location, target: db.url, table: "codes", key: "code" }, paged.dir);
    expect(summary(reverse).matched).toBe(6_000);
    const outcome = await check({ source: db.url, target: sorted.location, table: "codes", key: "code" }, sorted.dir);
    expect(samples(outcome).map((s) => `${s.problem} ${s.key}`)).toEqual([
      "extra code=AB",
      "missing code=a_b1-1",
      "changed code=ａ5-5",
    ]);
  });

  it("compares SQLite with SQLite, compound keys included", async () => {
    const rows = Array.from(
      { length: 300 },
      (_, i) => [i % 3 === 0 ? "t-1" : i % 3 === 1 ? "T1" : "t_1", i, `v${i}`] as SQLInputValue[],
    );
    const create = "CREATE TABLE kv (tenant TEXT NOT NULL, id INTEGER NOT NULL, v TEXT, PRIMARY KEY (tenant, id))";
    const a = await scratch.sqliteRows(create, "INSERT INTO kv VALUES (?, ?, ?)", rows);
    const b = await scratch.sqliteRows(
      create,
      "INSERT INTO kv VALUES (?, ?, ?)",
      rows,
      "UPDATE kv SET v = 'x' WHERE tenant = 'T1' AND id = 100",
    );
    const outcome = await check({ source: `sqlite:${a.file}`, target: `sqlite:${b.file}`, table: "kv", key: ["tenant", "id"] });
    expect(summary(outcome)).toMatchObject({ matched: 299, changed: 1 });
    expect(samples(outcome)[0]?.key).toBe("tenant=T1, id=100");
  });
});
