import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckOutcome } from "../../../src/verify/checks/check-kind.js";
import type { TestDatabase } from "../../support/postgres.js";
import { check, postgresAvailable, postgresRequired, Scratch, samples, summary } from "./support.js";

/**
 * The checksum method finds what the merge finds: the same rows missing, extra, changed and
 * duplicated, named alike — reading only the key ranges whose counts or checksums differ.
 */

const available = await postgresAvailable();
const ROWS = 60_000;

const TABLE = `CREATE TABLE events (tenant text, id bigint, amount numeric(10,2), at timestamptz, payload jsonb);
  INSERT INTO events SELECT CASE WHEN g % 3 = 0 THEN 'a-b' WHEN g % 3 = 1 THEN 'aB' ELSE 'Å' END, g, g * 0.5,
    timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', jsonb_build_object('g', g) FROM generate_series(1, ${ROWS}) g;
  INSERT INTO events VALUES (NULL, 1, 0, NULL, NULL), (NULL, 2, 0, NULL, NULL)`;

const found = (outcome: CheckOutcome) => ({
  ...summary(outcome),
  samples: samples(outcome)
    .map((s) => `${s.problem} ${s.key} ${JSON.stringify(s.differences)}`)
    .sort(),
});

describe.skipIf(!available && !postgresRequired)("sql check, checksum method", () => {
  const scratch = new Scratch();
  let source: TestDatabase;
  let copy: TestDatabase;
  let changed: TestDatabase;

  beforeAll(async () => {
    [source, copy, changed] = await Promise.all([
      scratch.postgres(TABLE),
      scratch.postgres(TABLE),
      scratch.postgres(
        TABLE,
        "DELETE FROM events WHERE id IN (17, 30001)",
        "INSERT INTO events VALUES ('zz', 1, 1, now(), '{}')",
        "UPDATE events SET amount = amount + 1 WHERE id = 45000",
        `UPDATE events SET payload = '{"g": "other"}' WHERE id = 59999`,
        "UPDATE events SET amount = 1 WHERE tenant IS NULL AND id = 2",
        "INSERT INTO events SELECT * FROM events WHERE id = 12345",
      ),
    ]);
  });
  afterAll(() => scratch.cleanup());

  const settings = (target: TestDatabase) => ({ source: source.url, target: target.url, table: "events", key: ["tenant", "id"] });

  it("finds a faithful copy equal from the databases' checksums alone", async () => {
    const outcome = await check({ ...settings(copy), method: "checksum" });
    expect(summary(outcome)).toEqual({
      matched: ROWS + 2,
      missing: 0,
      extra: 0,
      changed: 0,
      duplicated: 0,
      source: ROWS + 2,
      target: ROWS + 2,
    });
    expect(outcome).toMatchObject({ method: "checksum", exhaustive: true });
    expect(outcome.normalization["(checksum)"]).toMatch(
      /\(1 range queries; .* 0 differing ranges compared row by row \(0 rows read\)/,
    );
  });

  it("finds the same differences as the merge, reading a fraction of the rows", async () => {
    const merged = await check(settings(changed));
    const outcome = await check({ ...settings(changed), method: "checksum" });
    expect(found(outcome)).toEqual(found(merged));
    expect(summary(outcome)).toEqual({
      matched: ROWS - 3,
      missing: 2,
      extra: 1,
      changed: 3,
      duplicated: 1,
      source: ROWS + 2,
      target: ROWS + 2,
    });
    expect(outcome.exhaustive).toBe(true);
    const rowsRead = Number(/\((\d+) rows read\)/.exec(outcome.normalization["(checksum)"] ?? "")?.[1]);
    expect(rowsRead).toBeGreaterThan(0);
    expect(rowsRead).toBeLessThan(ROWS / 2);
  });

  it("finds the same differences when the sides spell values differently (SQLite)", async () => {
    const rows = await changed.sql<{
      tenant: string | null;
      id: string;
      amount: string;
      at: string | null;
      payload: string | null;
    }>(
      `SELECT tenant, id::text, amount::text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at, payload::text FROM events`,
    );
    const sqlite = await scratch.sqliteRows(
      "CREATE TABLE events (tenant TEXT, id INTEGER, amount REAL, at TEXT, payload TEXT); CREATE INDEX events_key ON events (tenant, id)",
      "INSERT INTO events VALUES (?, ?, ?, ?, ?)",
      rows.map((r) => [r.tenant, BigInt(r.id), Number(r.amount), r.at, r.payload]),
    );
    const target = { source: source.url, target: sqlite.location, table: "events", key: ["tenant", "id"] };
    const merged = await check(target, sqlite.dir);
    const outcome = await check({ ...target, method: "checksum" }, sqlite.dir);
    expect(found(outcome)).toEqual(found(merged));
    expect(summary(outcome)).toMatchObject({ missing: 2, extra: 1, changed: 3, duplicated: 1 });
  });
});
