import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Readable } from "node:stream";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { pino } from "pino";
import YAML from "yaml";
import { runSqlCheck } from "../src/verify/sql/run.js";
import { sqlCheckSettingsSchema } from "../src/verify/sql/settings.js";
import { createTestDatabase, type TestDatabase } from "../test/support/postgres.js";
import { cli } from "./mock-process.js";

/**
 * `sql` check benchmark. Two PostgreSQL databases hold the same 8-column table (float, numeric and
 * timestamptz among them), the target with ten differences; the figure is runSqlCheck's wall time ÷
 * the floor, both sides' ordered `COPY … TO STDOUT` read in parallel and discarded, measured in the same
 * run, alternately with the check (target ≤ 1.3). The check runs as the bundles run it, in its worker
 * thread (scripts/bench.mjs bundles the worker beside this file). The peak RSS is that of a
 * `ztoq verify --checks` process per size, as its report gives it: the 10M ÷ 1M ratio shows whether
 * memory stays bounded (target ≤ 1.3). At the first size, PostgreSQL is also compared with a SQLite
 * copy of the table (floor: the PostgreSQL COPY and a SQLite read of the table in key order, side by side).
 *
 * `ZTOQ_BENCH_SQL_ROWS=1000000` runs one size only (10M rows takes minutes to build and to read).
 */
const SIZES = (process.env.ZTOQ_BENCH_SQL_ROWS ?? "1000000,10000000").split(",").map(Number);

const TABLE = `CREATE TABLE orders (
  id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2), ratio double precision, quantity integer,
  created_at timestamptz, active boolean, note text)`;
const FILL = (rows: number) => `INSERT INTO orders SELECT g, 'customer-' || (g % 9973), round((g % 100000) * 1.37, 2),
  (g % 7919) / 7.0, g % 1000, timestamptz '2020-01-01 00:00:00+00' + g * interval '1.5 second', g % 3 = 0,
  CASE WHEN g % 5 = 0 THEN NULL ELSE 'note ' || g END FROM generate_series(1, ${rows}) g`;
/** Ten differences: three rows missing, three extra, four changed. */
const DIFFERENCES = (rows: number) => [
  `DELETE FROM orders WHERE id IN (17, ${rows >> 1}, ${rows - 3})`,
  `INSERT INTO orders VALUES (${rows + 1}, 'new', 1, 1, 1, now(), true, 'x'), (${rows + 2}, 'new', 2, 2, 2, now(), false, NULL), (${rows + 3}, 'new', 3, 3, 3, now(), true, '')`,
  `UPDATE orders SET amount = amount + 0.01 WHERE id = 1000`,
  `UPDATE orders SET ratio = ratio * 1.000001 WHERE id = ${rows >> 2}`,
  `UPDATE orders SET created_at = created_at + interval '1 microsecond' WHERE id = ${(rows >> 2) * 3}`,
  `UPDATE orders SET note = 'changed' WHERE id = ${rows - 10}`,
];
const SESSION = "SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, YMD'; SET extra_float_digits TO 1; SET bytea_output TO 'hex'";
const ORDERED = "COPY (SELECT * FROM orders ORDER BY id) TO STDOUT";
const log = pino({ level: "silent" });
const context = { name: "bench", baseDir: tmpdir(), log };
const settingsFor = (source: string, target: string) =>
  sqlCheckSettingsSchema.parse({ source, target, table: "orders", key: "id" });

const rss: { rows: number; mb: number }[] = [];
for (const [index, rows] of SIZES.entries()) rss.push({ rows, mb: await benchmark(rows, index === 0) });
const [small, large] = [rss[0], rss.at(-1)];
if (small && large && large !== small) {
  console.log(
    `peak RSS of ztoq verify, ${large.rows.toLocaleString("en")} ÷ ${small.rows.toLocaleString("en")} rows: ${(large.mb / small.mb).toFixed(3)} (target ≤ 1.3)`,
  );
}

/** Prints one size's figures; returns the check's peak RSS in MB. */
async function benchmark(rows: number, withSqlite: boolean): Promise<number> {
  const [source, target] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const dir = await mkdtemp(join(tmpdir(), "ztoq-bench-sql-"));
  try {
    await Promise.all([build(source, rows, []), build(target, rows, DIFFERENCES(rows))]);
    const settings = settingsFor(source.url, target.url);
    // Warm the database cache once, then alternate floor and check; the best of each counts. The check starts
    // cold every time (a new worker thread), as in a `ztoq verify` process.
    await floorPostgres(source.url, target.url);
    const floors: number[] = [];
    const walls: number[] = [];
    let problems = "";
    for (let i = 0; i < (rows > 2_000_000 ? 2 : 5); i++) {
      floors.push(await timed(() => floorPostgres(source.url, target.url)));
      walls.push(
        await timed(async () => {
          problems = describe((await runSqlCheck(settings, context)).findings);
        }),
      );
    }
    const [floor, wall] = [Math.min(...floors), Math.min(...walls)];
    const verified = await verifyProcess(source.url, target.url, dir);
    console.log(
      `sql merge ${rows.toLocaleString("en")} rows, PostgreSQL ↔ PostgreSQL: ${wall.toFixed(2)} s wall, floor ${floor.toFixed(2)} s ` +
        `(both ordered COPYs in parallel) → ratio ${(wall / floor).toFixed(3)} (target ≤ 1.3); ${problems}; ` +
        `peak RSS of ztoq verify --checks ${verified.rssMb} MB (it ${verified.problems})`,
    );
    if (withSqlite) {
      const file = join(dir, "orders.db");
      await copyToSqlite(target.url, file);
      const sqliteSettings = settingsFor(source.url, `sqlite:${file}`);
      await floorSqlite(source.url, file);
      const sqliteFloor = await timed(() => floorSqlite(source.url, file));
      let sqliteProblems = "";
      const sqliteWall = await timed(async () => {
        sqliteProblems = describe((await runSqlCheck(sqliteSettings, context)).findings);
      });
      console.log(
        `sql merge ${rows.toLocaleString("en")} rows, PostgreSQL ↔ SQLite: ${sqliteWall.toFixed(2)} s wall, floor ${sqliteFloor.toFixed(2)} s ` +
          `(ordered COPY ∥ SQLite read in key order) → ratio ${(sqliteWall / sqliteFloor).toFixed(3)}; ${sqliteProblems}`,
      );
    }
    return verified.rssMb;
  } finally {
    await Promise.all([source.drop(), target.drop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `ztoq verify --checks` on the two databases; its report gives its peak RSS and what it found. */
async function verifyProcess(source: string, target: string, dir: string): Promise<{ rssMb: number; problems: string }> {
  const checks = join(dir, "checks.yml");
  const report = join(dir, "report.json");
  await writeFile(
    checks,
    YAML.stringify({ checks: [{ name: "orders", kind: "sql", source, target, table: "orders", key: "id" }] }),
  );
  const proc = spawn(process.execPath, [cli, "verify", "--checks", checks, "--report", report], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ZTOQ_LOG_LEVEL: "warn" },
  });
  let stderr = "";
  proc.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => proc.on("close", resolve));
  // The differences fail the gate: exit 1 is the expected verdict.
  if (code !== 1) throw new Error(`ztoq verify exited ${code}: ${stderr.trim()}`);
  const {
    cost,
    checks: [check],
  } = JSON.parse(await readFile(report, "utf8"));
  return {
    rssMb: Math.round(cost.peakRssBytes / 1024 / 1024),
    problems: describe({
      missing: check.missingInTarget,
      extra: check.extraInTarget,
      changed: check.changed,
      duplicated: check.duplicated,
    }),
  };
}

function describe(f: { missing: number; extra: number; changed: number; duplicated: number }): string {
  return `found ${f.missing} missing, ${f.extra} extra, ${f.changed} changed, ${f.duplicated} duplicated`;
}

async function build(db: TestDatabase, rows: number, differences: string[]): Promise<void> {
  await db.sql(TABLE);
  await db.sql(FILL(rows));
  for (const statement of differences) await db.sql(statement);
  await db.sql("VACUUM ANALYZE orders");
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(SESSION);
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Reads a stream to its end, discarding what it reads. */
function drain(stream: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on("data", () => {});
    stream.on("end", resolve);
    stream.on("error", reject);
  });
}

async function floorPostgres(sourceUrl: string, targetUrl: string): Promise<void> {
  await Promise.all([sourceUrl, targetUrl].map((url) => withClient(url, (client) => drain(client.query(copyTo(ORDERED))))));
}

async function floorSqlite(sourceUrl: string, file: string): Promise<void> {
  const readSqlite = async () => {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const statement = db.prepare("SELECT * FROM orders ORDER BY id");
      statement.setReturnArrays(true);
      let n = 0;
      for (const _ of statement.iterate()) {
        // Yield now and then, as the check does between pages, so the COPY beside it is read too.
        if (++n % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      db.close();
    }
  };
  await Promise.all([withClient(sourceUrl, (client) => drain(client.query(copyTo(ORDERED)))), readSqlite()]);
}

/** The target table as a SQLite file: REAL for the numbers, ISO text for the timestamps, 0/1 for booleans. */
async function copyToSqlite(url: string, file: string): Promise<void> {
  const db = new DatabaseSync(file);
  db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount REAL, ratio REAL, quantity INTEGER,
    created_at TEXT, active INTEGER, note TEXT)`);
  const insert = db.prepare("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  await withClient(url, async (client) => {
    const cursorSize = 50_000;
    let last = -1;
    db.exec("BEGIN");
    for (;;) {
      const { rows } = await client.query<Record<string, unknown>>(
        "SELECT id::text, customer, amount::float8 AS amount, ratio, quantity, to_char(created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.USZ') AS created_at, active, note FROM orders WHERE orders.id > $1 ORDER BY orders.id LIMIT $2",
        [last, cursorSize],
      );
      for (const r of rows) {
        insert.run(
          BigInt(r.id as string),
          r.customer as string,
          r.amount as number,
          r.ratio as number,
          r.quantity as number,
          r.created_at as string,
          r.active ? 1 : 0,
          r.note as string | null,
        );
      }
      if (rows.length < cursorSize) break;
      last = Number((rows.at(-1) as Record<string, unknown>).id);
    }
    db.exec("COMMIT");
  });
  db.close();
}
