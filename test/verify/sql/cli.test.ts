import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { ExitCode, ZtoqError } from "../../../src/errors.js";
import { type VerificationReport, verificationReportSchema } from "../../../src/report/verification-report.js";
import { Findings } from "../../../src/verify/checks/findings.js";
import { runSqlCheckInWorker } from "../../../src/verify/sql/run.js";
import { sqlCheckSettingsSchema } from "../../../src/verify/sql/settings.js";
import { closedPort, messageLines, runCli } from "../../support/cli.js";
import type { TestDatabase } from "../../support/postgres.js";
import { context, postgresAvailable, postgresRequired, Scratch } from "./support.js";

/**
 * The sql check as `ztoq verify --checks` runs it from the bundle: in its worker thread
 * (`dist/sql-worker.js`). What the worker finds, logs and fails with reaches the report, the log
 * (with the run's id) and the exit code as when the check runs in the calling thread.
 */

const available = await postgresAvailable();
const PASSWORD = "s3cret-pw";

const ORDERS = `CREATE TABLE orders (id integer PRIMARY KEY, total numeric(10,2), note text);
  INSERT INTO orders SELECT g, g * 1.25, 'note ' || g FROM generate_series(1, 5000) g`;

describe.skipIf(!available && !postgresRequired)("ztoq verify --checks with sql checks", () => {
  const scratch = new Scratch();
  let source: TestDatabase;
  let copy: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    [source, copy] = await Promise.all([scratch.postgres(ORDERS), scratch.postgres(ORDERS)]);
    const sqlite = await scratch.sqliteRows(
      "CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL, note TEXT)",
      "INSERT INTO orders VALUES (?, ?, ?)",
      Array.from({ length: 5000 }, (_, i) => [i + 1, (i + 1) * 1.25, `note ${i + 1}`]),
      "DELETE FROM orders WHERE id IN (10, 4000)",
      "UPDATE orders SET note = 'edited' WHERE id = 77",
      "INSERT INTO orders VALUES (5001, 1, 'new')",
    );
    dir = sqlite.dir;
  });
  afterAll(() => scratch.cleanup());

  async function verify(checks: unknown[]) {
    const file = join(dir, "checks.yml");
    const reportPath = join(dir, "report.json");
    await writeFile(file, YAML.stringify({ checks }));
    const result = await runCli(["verify", "--checks", file, "--report", reportPath], {});
    const report = result.code === ExitCode.ok || result.code === ExitCode.failed ? await readReport(reportPath) : undefined;
    return { ...result, report };
  }

  it("passes a faithful copy and counts every difference of a changed one, each check in its worker", async () => {
    const run = await verify([
      { name: "copy", kind: "sql", source: source.url, target: copy.url, table: "orders", key: "id" },
      {
        name: "copy-by-ranges",
        kind: "sql",
        source: source.url,
        target: copy.url,
        table: "orders",
        key: "id",
        method: "checksum",
      },
      { name: "to-sqlite", kind: "sql", source: source.url, target: "sqlite:data.db", table: "orders", key: "id" },
    ]);
    expect(run.code, run.stderr).toBe(ExitCode.failed);
    const checks = run.report?.checks ?? [];
    expect(checks.map((c) => [c.name, c.verdict])).toEqual([
      ["copy", "passed"],
      ["copy-by-ranges", "passed"],
      ["to-sqlite", "failed"],
    ]);
    const [copyCheck, , sqliteCheck] = checks;
    expect(copyCheck).toMatchObject({ matched: 5000, source: { count: 5000 }, target: { count: 5000 }, method: "merge" });
    expect(sqliteCheck).toMatchObject({
      matched: 4997,
      missingInTarget: 2,
      extraInTarget: 1,
      changed: 1,
      duplicated: 0,
      source: { count: 5000 },
      target: { count: 4999 },
      fieldMismatches: { note: 1 },
    });
    if (sqliteCheck?.kind !== "sql") throw new Error("the third check is the sql one");
    expect(sqliteCheck.samples).toEqual([
      { key: "id=10", problem: "missing", differences: [] },
      { key: "id=77", problem: "changed", differences: [{ path: "note", source: "note 77", target: "edited" }] },
      { key: "id=4000", problem: "missing", differences: [] },
      { key: "id=5001", problem: "extra", differences: [] },
    ]);
  });

  it("logs the worker's records with the run's id and the check's name", async () => {
    const run = await verify([{ name: "copy", kind: "sql", source: source.url, target: copy.url, table: "orders", key: "id" }]);
    expect(run.code, run.stderr).toBe(ExitCode.ok);
    const records = run.stderr
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const compared = records.find((r) => r.msg === "sql check: compared");
    expect(compared).toMatchObject({ runId: run.report?.run.id, check: "copy", source: 5000, target: 5000, problems: 0 });
  });

  it("hands the worker's findings back as findings", async () => {
    const worker = pathToFileURL(join(import.meta.dirname, "..", "..", "..", "dist", "sql-worker.js"));
    const settings = sqlCheckSettingsSchema.parse({ source: source.url, target: "sqlite:data.db", table: "orders", key: "id" });
    const outcome = await runSqlCheckInWorker(worker, settings, context(dir));
    expect(outcome.findings).toBeInstanceOf(Findings);
    expect(outcome.findings.problems).toBe(4);
    expect([...outcome.findings.changedPaths]).toEqual([["note", 1]]);
  });

  it("stops with exit 3 when its worker thread cannot start, in one line", async () => {
    const settings = sqlCheckSettingsSchema.parse({ source: source.url, target: copy.url, table: "orders", key: "id" });
    const missing = pathToFileURL(join(dir, "no-such-worker.js"));
    const error = await runSqlCheckInWorker(missing, settings, context(dir)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ZtoqError);
    expect((error as ZtoqError).exitCode).toBe(ExitCode.incomplete);
    expect((error as ZtoqError).message).toMatch(/^sql check could not finish: Cannot find module .*no-such-worker\.js/);
  });

  it("stops with exit 2 on a table that is not there, one line naming it", async () => {
    const run = await verify([
      { name: "copy", kind: "sql", source: source.url, target: copy.url, table: "order_lines", key: "id" },
    ]);
    expect(run.code).toBe(ExitCode.badInput);
    expect(messageLines(run.stderr)).toEqual([expect.stringMatching(/the source .* has no table "order_lines"/)]);
  });

  it("stops with exit 3 when a database cannot be reached, its password never shown", async () => {
    const port = await closedPort();
    const run = await verify([
      {
        name: "copy",
        kind: "sql",
        source: `postgres://app:${PASSWORD}@127.0.0.1:${port}/shop`,
        target: copy.url,
        table: "orders",
        key: "id",
      },
    ]);
    expect(run.code).toBe(ExitCode.incomplete);
    expect(messageLines(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`cannot reach the source postgres://127.0.0.1:${port}/shop`)),
    ]);
    expect(run.stderr + run.stdout).not.toContain(PASSWORD);
  });
});

async function readReport(path: string): Promise<VerificationReport> {
  return verificationReportSchema.parse(JSON.parse(await readFile(path, "utf8")));
}
