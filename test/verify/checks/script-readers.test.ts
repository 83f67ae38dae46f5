import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScriptCheck } from "../../../src/verify/script/run.js";
import { createTestDatabase, type TestDatabase } from "../../support/postgres.js";

/**
 * The readers a script check is given (docs/script-checks.md): `rows` from PostgreSQL and SQLite, `json`
 * from a service — the same rows compared through `compare` with the sql kind's normalizers.
 */
let dir: string;
let pg: TestDatabase;
let server: Server;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ztoq-script-readers-"));
  pg = await createTestDatabase();
  await pg.sql("CREATE TABLE invoices (id int PRIMARY KEY, total numeric(10,3), issued timestamptz)");
  await pg.sql(
    "INSERT INTO invoices SELECT g, g * 1.5, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 day' FROM generate_series(1, 2500) g",
  );
  const db = new DatabaseSync(join(dir, "new.db"));
  db.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL, issued TEXT)");
  const insert = db.prepare("INSERT INTO invoices VALUES (?, ?, ?)");
  for (let g = 1; g <= 2500; g++) {
    if (g === 7) continue; // missing in the target
    const total = g === 42 ? g * 1.5 + 1 : g * 1.5; // changed in the target
    insert.run(g, total, new Date(Date.UTC(2026, 0, 1) + g * 86_400_000).toISOString());
  }
  db.close();
  server = createServer((request, response) => {
    if (request.url === "/summary") response.end(JSON.stringify({ invoices: 2499 }));
    else {
      response.statusCode = 404;
      response.end("no");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await pg?.drop();
  await rm(dir, { recursive: true, force: true });
});

const CHECK = `
export default async function check(t) {
  const old = new Map();
  for await (const row of t.rows(t.options.old, "SELECT id, total, issued FROM invoices ORDER BY id")) old.set(Number(row.id), row);
  let read = 0;
  for await (const row of t.rows("sqlite:./new.db", "SELECT id, total, issued FROM invoices")) {
    read++;
    const before = old.get(Number(row.id));
    old.delete(Number(row.id));
    if (!before) t.extra("invoice=" + row.id);
    else t.compare("invoice=" + row.id, { total: Number(before.total), issued: before.issued }, { total: row.total, issued: row.issued },
      { normalize: { total: { decimals: 2 }, issued: { timestamp: "s" } } });
  }
  for (const id of old.keys()) t.missing("invoice=" + id);
  const summary = await t.json(t.options.service + "/summary");
  if (summary.invoices !== read) t.fail("summary", "invoices = rows", { expected: read, actual: summary.invoices });
  await t.json(t.options.service + "/absent");
}
`;

describe("the script readers", () => {
  it("stream rows from PostgreSQL and SQLite and read JSON; a reader's failure names the URL", async () => {
    await writeFile(join(dir, "check.mjs"), CHECK);
    const run = (module: string) =>
      runScriptCheck(
        { module, options: { old: pg.url, service: url } },
        { name: "invoices", baseDir: dir, log: pino({ level: "silent" }) },
      );
    // The last line asks for a path the service does not have: the check stops, naming it.
    await expect(run("./check.mjs")).rejects.toThrow(
      /check 'invoices': \.\/check\.mjs threw: json\(http:\/\/127\.0\.0\.1:\d+\/absent\): HTTP 404/,
    );
    // A second module: ES modules are cached by path for the life of the process.
    await writeFile(join(dir, "check-ok.mjs"), CHECK.replace('await t.json(t.options.service + "/absent");', ""));
    const outcome = await run("./check-ok.mjs");
    const f = outcome.findings;
    expect({ matched: f.matched, missing: f.missing, changed: f.changed, extra: f.extra }).toEqual({
      matched: 2498,
      missing: 1,
      changed: 1,
      extra: 0,
    });
    expect(f.samples.map((s) => [s.key, s.problem, s.differences.map((d) => d.path)])).toEqual([
      ["invoice=42", "changed", ["total"]],
      ["invoice=7", "missing", []],
    ]);
  });
});
