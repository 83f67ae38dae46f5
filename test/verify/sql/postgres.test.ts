import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../../support/postgres.js";
import { check, postgresAvailable, postgresRequired, Scratch, samples, summary } from "./support.js";

/** PostgreSQL ↔ PostgreSQL: every kind of finding, counted exactly and named by key (and column). */

const available = await postgresAvailable();

const ORDERS = `CREATE TABLE orders (id integer PRIMARY KEY, customer text, total numeric(10,2), created_at timestamptz, note text);
  INSERT INTO orders SELECT g, 'customer ' || (g % 7), g * 1.25, timestamptz '2024-01-01 00:00:00+00' + g * interval '90 minutes',
    CASE WHEN g % 4 = 0 THEN NULL ELSE 'note ' || g END FROM generate_series(1, 200) g`;

describe.skipIf(!available && !postgresRequired)("sql check, PostgreSQL ↔ PostgreSQL", () => {
  const scratch = new Scratch();
  let source: TestDatabase;
  let copy: TestDatabase;
  let changed: TestDatabase;

  beforeAll(async () => {
    [source, copy, changed] = await Promise.all([
      scratch.postgres(ORDERS),
      scratch.postgres(ORDERS),
      // The target has no primary key, so a row can be there twice.
      scratch.postgres(
        ORDERS,
        "ALTER TABLE orders DROP CONSTRAINT orders_pkey",
        "DELETE FROM orders WHERE id IN (17, 42)",
        "INSERT INTO orders VALUES (201, 'new', 1, now(), NULL), (202, 'new', 2, now(), 'x'), (203, 'new', 3, now(), '')",
        "UPDATE orders SET total = total + 0.01 WHERE id = 5",
        "UPDATE orders SET customer = 'someone else', note = NULL WHERE id = 9",
        "INSERT INTO orders SELECT * FROM orders WHERE id = 60",
      ),
    ]);
  });
  afterAll(() => scratch.cleanup());

  it("finds nothing in a faithful copy", async () => {
    const outcome = await check({ source: source.url, target: copy.url, table: "orders", key: "id" });
    expect(summary(outcome)).toEqual({ matched: 200, missing: 0, extra: 0, changed: 0, duplicated: 0, source: 200, target: 200 });
    expect(outcome).toMatchObject({ method: "merge", exhaustive: true, unit: "rows" });
    expect(outcome.source.description).toBe(`${new URL(source.url).protocol}//127.0.0.1:5432/${source.name} table orders`);
  });

  it("counts missing, extra, changed and duplicated rows exactly, each named by key and column", async () => {
    const outcome = await check({ source: source.url, target: changed.url, table: "orders", key: "id" });
    expect(summary(outcome)).toEqual({ matched: 196, missing: 2, extra: 3, changed: 2, duplicated: 1, source: 200, target: 202 });
    expect(samples(outcome).map((s) => `${s.problem} ${s.key}`)).toEqual([
      "changed id=5",
      "changed id=9",
      "missing id=17",
      "missing id=42",
      "duplicated id=60",
      "extra id=201",
      "extra id=202",
      "extra id=203",
    ]);
    expect(samples(outcome, "changed").map((s) => s.differences)).toEqual([
      [{ path: "total", source: "6.25", target: "6.26" }],
      [
        { path: "customer", source: "customer 2", target: "someone else" },
        { path: "note", source: "note 9", target: null },
      ],
    ]);
    expect(Object.fromEntries(outcome.findings.changedPaths)).toEqual({ total: 1, customer: 1, note: 1 });
  });

  it("reads only the rows `where` selects, on both sides", async () => {
    const outcome = await check({
      source: source.url,
      target: changed.url,
      table: "orders",
      key: "id",
      where: "id BETWEEN 10 AND 100",
    });
    expect(summary(outcome)).toEqual({ matched: 89, missing: 2, extra: 0, changed: 0, duplicated: 1, source: 91, target: 90 });
    expect(outcome.normalization["(where)"]).toBe("both sides read WHERE id BETWEEN 10 AND 100");
  });

  it("leaves ignored columns out", async () => {
    const outcome = await check({
      source: source.url,
      target: changed.url,
      table: "orders",
      key: "id",
      ignore: ["note", "total"],
    });
    expect(samples(outcome, "changed").map((s) => s.differences.map((d) => d.path))).toEqual([["customer"]]);
    expect(outcome.normalization["(ignored)"]).toBe("note, total");
  });

  it("compares queries, ordered by key whatever order they give", async () => {
    const outcome = await check({
      source: source.url,
      target: changed.url,
      sourceQuery: "SELECT id, total FROM orders ORDER BY id DESC",
      targetQuery: "SELECT id, total FROM orders WHERE id <= 200",
      key: "id",
    });
    expect(summary(outcome)).toMatchObject({ matched: 197, missing: 2, extra: 0, changed: 1, duplicated: 1 });
    expect(outcome.source.description).toMatch(/ query "SELECT id, total FROM orders ORDER BY id DESC"$/);
  });

  it("pairs renamed tables and columns, schema-qualified", async () => {
    const people = Array.from({ length: 50 }, (_, i) => `(${i + 1}, 'name ${i + 1}', 'p${i + 1}@example.com')`).join(", ");
    const [old, renamed] = await Promise.all([
      scratch.postgres(
        "CREATE TABLE customers (id int PRIMARY KEY, name text, email text)",
        `INSERT INTO customers VALUES ${people}`,
      ),
      scratch.postgres(
        "CREATE SCHEMA crm",
        "CREATE TABLE crm.clients (client_id int PRIMARY KEY, full_name text, email text, created timestamptz DEFAULT now())",
        `INSERT INTO crm.clients (client_id, full_name, email) VALUES ${people}`,
        "UPDATE crm.clients SET full_name = 'renamed' WHERE client_id = 7",
      ),
    ]);
    const outcome = await check({
      source: old.url,
      target: renamed.url,
      sourceTable: "customers",
      targetTable: "crm.clients",
      key: "id",
      columns: { id: "client_id", name: "full_name", email: "email" },
    });
    expect(summary(outcome)).toEqual({ matched: 49, missing: 0, extra: 0, changed: 1, duplicated: 0, source: 50, target: 50 });
    expect(samples(outcome)).toEqual([
      { key: "id=7", problem: "changed", differences: [{ path: "name", source: "name 7", target: "renamed" }] },
    ]);
    expect(outcome.target.description).toMatch(/ table crm\.clients$/);
    expect(outcome.normalization["(renamed)"]).toBe("id → client_id, name → full_name");
    expect(outcome.normalization["(not compared)"]).toBe("target only: created");
  });

  it("merges compound text keys in byte order, whatever the columns' collation", async () => {
    const table = `CREATE TABLE items (tenant text COLLATE "en-x-icu", sku text COLLATE "en-x-icu", qty int, PRIMARY KEY (tenant, sku))`;
    const rows = ["a-b", "a_b", "aB", "ab", "Å", "ａ", "b", "😀"].flatMap((tenant, i) =>
      ["x-1", "X1", "x_1"].map((sku, j) => `('${tenant}', '${sku}', ${i * 10 + j})`),
    );
    const [a, b] = await Promise.all([
      scratch.postgres(table, `INSERT INTO items VALUES ${rows.join(", ")}`),
      scratch.postgres(
        table,
        `INSERT INTO items VALUES ${rows.join(", ")}`,
        "UPDATE items SET qty = -1 WHERE tenant = 'ａ' AND sku = 'X1'",
        "DELETE FROM items WHERE tenant = 'a_b' AND sku = 'x_1'",
        "INSERT INTO items VALUES ('Å', 'new', 0)",
      ),
    ]);
    const outcome = await check({ source: a.url, target: b.url, table: "items", key: ["tenant", "sku"] });
    expect(summary(outcome)).toEqual({ matched: 22, missing: 1, extra: 1, changed: 1, duplicated: 0, source: 24, target: 24 });
    expect(samples(outcome).map((s) => `${s.problem} ${s.key}`)).toEqual([
      "missing tenant=a_b, sku=x_1",
      "extra tenant=Å, sku=new",
      "changed tenant=ａ, sku=X1",
    ]);
    expect(outcome.normalization["(key)"]).toMatch(/tenant by UTF-8 bytes, sku by UTF-8 bytes/);
  });
});
