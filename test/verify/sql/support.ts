import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { pino } from "pino";
import type { CheckContext, CheckOutcome } from "../../../src/verify/checks/check-kind.js";
import { runSqlCheck } from "../../../src/verify/sql/run.js";
import { type SqlCheckInput, sqlCheckSettingsSchema } from "../../../src/verify/sql/settings.js";
import { createTestDatabase, type TestDatabase } from "../../support/postgres.js";

/** Databases and files a test made, dropped and removed after it. */
export class Scratch {
  readonly #databases: TestDatabase[] = [];
  readonly #dirs: string[] = [];

  async postgres(...statements: string[]): Promise<TestDatabase> {
    const db = await createTestDatabase();
    this.#databases.push(db);
    for (const statement of statements) await db.sql(statement);
    return db;
  }

  async dir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "ztoq-sql-check-"));
    this.#dirs.push(dir);
    return dir;
  }

  /** A SQLite file in a scratch directory, built by `statements`; its path relative to that directory. */
  async sqlite(...statements: string[]): Promise<{ dir: string; file: string; location: string }> {
    const dir = await this.dir();
    const file = join(dir, "data.db");
    const db = new DatabaseSync(file);
    for (const statement of statements) db.exec(statement);
    db.close();
    return { dir, file, location: "sqlite:data.db" };
  }

  /** A SQLite file holding `rows`, inserted by `insert` (one `?` per value) after `create`. */
  async sqliteRows(create: string, insert: string, rows: readonly SQLInputValue[][], ...after: string[]) {
    const made = await this.sqlite(create);
    const db = new DatabaseSync(made.file);
    const statement = db.prepare(insert);
    db.exec("BEGIN");
    for (const row of rows) statement.run(...row);
    db.exec("COMMIT");
    for (const statement of after) db.exec(statement);
    db.close();
    return made;
  }

  async cleanup(): Promise<void> {
    for (const db of this.#databases.splice(0)) await db.drop();
    for (const dir of this.#dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  }
}

export function context(baseDir = process.cwd()): CheckContext {
  return { name: "sql", baseDir, log: pino({ level: "silent" }) };
}

/** Runs the check as the framework does: the settings parsed by the schema first. */
export async function check(settings: SqlCheckInput, baseDir?: string): Promise<CheckOutcome> {
  return runSqlCheck(sqlCheckSettingsSchema.parse(settings), context(baseDir));
}

/** The findings in a form easy to assert on. */
export function summary(outcome: CheckOutcome) {
  const { matched, missing, extra, changed, duplicated } = outcome.findings;
  return { matched, missing, extra, changed, duplicated, source: outcome.source.count, target: outcome.target.count };
}

export function samples(outcome: CheckOutcome, problem?: string) {
  return outcome.findings.samples.filter((s) => problem === undefined || s.problem === problem);
}

export { ADMIN_URL, postgresAvailable } from "../../support/postgres.js";

/** In CI a missing server is a failure, not a reason to skip. */
export const postgresRequired = Boolean(process.env.CI) || process.env.ZTOQ_REQUIRE_POSTGRES === "1";
