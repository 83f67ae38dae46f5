import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadInputError, ExitCode, ZtoqError } from "../../../src/errors.js";
import { runSqlCheck } from "../../../src/verify/sql/run.js";
import type { SqlCheckSettings } from "../../../src/verify/sql/settings.js";
import { type TestDatabase, urlForDatabase } from "../../support/postgres.js";
import { check, context, postgresAvailable, postgresRequired, Scratch } from "./support.js";

/** What stops a sql check: bad settings and names (exit 2), a database that cannot be reached (exit 3). Never a password. */

const available = await postgresAvailable();
const PASSWORD = "pa55-w0rd";

/** `url` with a password in it (trust authentication lets it in all the same). */
function withPassword(url: string): string {
  const u = new URL(url);
  u.password = PASSWORD;
  return u.href;
}

async function failure(run: Promise<unknown>): Promise<ZtoqError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZtoqError);
  const message = (error as ZtoqError).message;
  expect(message).not.toContain("\n");
  expect(message).not.toContain(PASSWORD);
  return error as ZtoqError;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!available && !postgresRequired)("sql check errors", () => {
  const scratch = new Scratch();
  let db: TestDatabase;
  let url: string;
  let sqlite: Awaited<ReturnType<Scratch["sqlite"]>>;

  beforeAll(async () => {
    db = await scratch.postgres(
      "CREATE TABLE orders (id int PRIMARY KEY, total numeric, note text)",
      "INSERT INTO orders VALUES (1, 2, 'x')",
    );
    url = withPassword(db.url);
    sqlite = await scratch.sqlite(
      "CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL, note TEXT)",
      "INSERT INTO orders VALUES (1, 2, 'x')",
    );
  });
  afterAll(() => scratch.cleanup());

  const both = () => ({ source: url, target: sqlite.location, table: "orders", key: "id" });

  it("describes each side without its password", async () => {
    const outcome = await check(both(), sqlite.dir);
    expect(outcome.findings.problems).toBe(0);
    expect(outcome.source.description).toBe(`postgres://127.0.0.1:5432/${db.name} table orders`);
    expect(JSON.stringify(outcome)).not.toContain(PASSWORD);
  });

  it("refuses settings that say nothing to read, as bad input", async () => {
    const settings = { source: url, target: url, key: "id", method: "merge" } as SqlCheckSettings;
    const error = await failure(runSqlCheck(settings, context()));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe(
      "sql check: the source needs table, sourceTable or sourceQuery; the target needs table, targetTable or targetQuery",
    );
  });

  it("names a table that is not there, on either engine", async () => {
    const pgError = await failure(
      check({ ...both(), table: undefined, sourceTable: "public.nope", targetTable: "orders" }, sqlite.dir),
    );
    expect(pgError).toBeInstanceOf(BadInputError);
    expect(pgError.message).toBe(`sql check: the source postgres://127.0.0.1:5432/${db.name} has no table "public.nope"`);
    const sqliteError = await failure(
      check({ ...both(), table: undefined, sourceTable: "orders", targetTable: "nope" }, sqlite.dir),
    );
    expect(sqliteError.message).toBe('sql check: the target sqlite:data.db has no table "nope"');
    const noFile = await failure(check({ ...both(), target: "sqlite:missing.db" }, sqlite.dir));
    expect(noFile.message).toBe("sql check: the target sqlite:missing.db: no such file");
    expect(noFile.exitCode).toBe(ExitCode.badInput);
  });

  it("names a column that is not there, wherever the settings name it", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { key: "idd" },
        /key column "idd" is not a column of the source postgres:\/\/.* table orders \(columns: id, total, note\)/,
      ],
      [{ columns: { total: "sum" } }, /column "sum" is not a column of the target sqlite:data.db table orders/],
      [{ ignore: ["nope"] }, /ignore names "nope", which is a column of neither side/],
      [{ normalize: { nope: { trim: true } } }, /normalize names "nope", which is a column of neither side/],
    ];
    for (const [settings, message] of cases) {
      const error = await failure(check({ ...both(), ...settings }, sqlite.dir));
      expect(error).toBeInstanceOf(BadInputError);
      expect(error.message).toMatch(message);
    }
  });

  it("names a condition or query the database cannot run, as bad input", async () => {
    const where = await failure(check({ ...both(), where: "nope > 1" }, sqlite.dir));
    expect(where).toBeInstanceOf(BadInputError);
    expect(where.message).toMatch(/^sql check: the source postgres:\/\/.*: column "nope" does not exist$/);
    const query = await failure(
      check({ ...both(), table: undefined, sourceQuery: "SELEC id FROM orders", targetTable: "orders" }, sqlite.dir),
    );
    expect(query).toBeInstanceOf(BadInputError);
    expect(query.message).toMatch(/syntax error/);
    const sqliteQuery = await failure(
      check({ ...both(), table: undefined, sourceTable: "orders", targetQuery: "SELECT nope FROM orders" }, sqlite.dir),
    );
    expect(sqliteQuery.message).toMatch(/^sql check: the target sqlite:data.db: no such column: nope$/);
  });

  it("names a database that does not exist, as bad input", async () => {
    const error = await failure(check({ ...both(), source: withPassword(urlForDatabase("ztoq_no_such_db")) }, sqlite.dir));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toMatch(/database "ztoq_no_such_db" does not exist/);
  });

  it("stops with exit 3 when a database cannot be reached, password left out", async () => {
    const port = await closedPort();
    const error = await failure(check({ ...both(), source: `postgres://app:${PASSWORD}@127.0.0.1:${port}/shop` }, sqlite.dir));
    expect(error).not.toBeInstanceOf(BadInputError);
    expect(error.exitCode).toBe(ExitCode.incomplete);
    expect(error.message).toMatch(
      new RegExp(`^sql check: cannot reach the source postgres://127.0.0.1:${port}/shop: .*ECONNREFUSED.* \\(safe to re-run\\)$`),
    );
  });
});
