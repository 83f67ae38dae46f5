/**
 * A SQLite side: the file opened read-only, rows rendered as COPY text lines. Rows are read in pages by
 * key (keyset: each page starts after the last key of the one before) when the key is NOT NULL and an
 * index gives that order; otherwise (a query, a nullable key, no index) in one ordered statement whose
 * sort SQLite spills to disk as it needs, read a page at a time.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { BadInputError } from "../../errors.js";
import { sqliteValueType } from "./column-types.js";
import { batchOfLines } from "./copy-text.js";
import type { Key } from "./key-order.js";
import type { Location } from "./location.js";

import { describeSide, type LineSource, type RangeSum, type SideColumn, type SideRelation, type SqlSide } from "./side.js";
import { sqliteFailure } from "./side-errors.js";
import {
  checksumRowText,
  isWholeRange,
  orderByClause,
  quoteName,
  type ReadSpec,
  segmentExpression,
  selectRows,
  whereClause,
} from "./sql-text.js";
import { type SqliteValue, sqliteLine, sqliteText } from "./sqlite-values.js";

const PAGE_ROWS = 1_000;

export async function openSqlite(location: Location, relation: SideRelation, side: "source" | "target"): Promise<SqlSide> {
  const what = `the ${side} ${location.display}`;
  if (!existsSync(location.connect)) throw new BadInputError(`sql check: ${what}: no such file`);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(location.connect, { readOnly: true });
  } catch (error) {
    throw sqliteFailure(error, what, location);
  }
  try {
    const table = relation.table === undefined ? undefined : resolveTable(db, relation.table, what);
    const from = table === undefined ? `(${relation.query}) AS ztoq_query` : table.from;
    const description = describeSide(location, relation, table?.display ?? from);
    const fail = (error: unknown) => sqliteFailure(error, `the ${side} ${description}`, location);
    const columns = readColumns(db, from, table, description);
    registerChecksum(db);
    const prepare = (sql: string): StatementSync => {
      try {
        const statement = db.prepare(sql);
        statement.setReturnArrays(true);
        statement.setReadBigInts(true);
        return statement;
      } catch (error) {
        throw fail(error);
      }
    };
    const all = (sql: string) => {
      try {
        return prepare(sql).all() as unknown as SqliteValue[][];
      } catch (error) {
        throw fail(error);
      }
    };
    return {
      description,
      columns,
      checkWhere: async (where) => {
        prepare(`SELECT 1 FROM ${from} WHERE (${where}) LIMIT 0`);
      },
      read: (spec) => {
        const keyset = relation.table !== undefined && spec.keys.every((k) => !columns.find((c) => c.name === k.name)?.nullable);
        if (keyset && pagesUseIndex(prepare, from, spec)) return keysetPages(spec, from, prepare, fail);
        return scan(prepare(selectRows("sqlite", from, spec)), fail);
      },
      checksums: async (spec, bounds) => {
        const segment = segmentExpression("sqlite", spec.keys, bounds, isWholeRange(spec.range));
        const rows = all(
          `SELECT seg, count(*), ztoq_checksum(t) FROM (SELECT ${segment} AS seg, ` +
            `${checksumRowText("sqlite", spec)} AS t FROM ${from}${whereClause("sqlite", spec)}) GROUP BY seg`,
        );
        return rows.map((r): RangeSum => ({ segment: Number(r[0]), count: Number(r[1]), checksum: String(r[2]) }));
      },
      sampleKeys: async (spec, every) => {
        const names = spec.keys.map((k) => quoteName(k.name));
        const notNull = names.map((n) => `${n} IS NOT NULL`).join(" AND ");
        const where = whereClause("sqlite", spec);
        const rows = all(
          `SELECT ${names.join(", ")} FROM (SELECT ${names.join(", ")}, row_number() OVER (${orderByClause("sqlite", spec.keys).trim()}) AS ztoq_rn ` +
            `FROM ${from}${where === "" ? " WHERE " : `${where} AND `}${notNull}) WHERE ztoq_rn % ${every} = 0 ORDER BY ztoq_rn`,
        );
        return rows.map((r): Key => r.map(sqliteText));
      },
      close: async () => {
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw sqliteFailure(error, what, location);
  }
}

/**
 * Whether keyset pages can be read from an index: the first without sorting, the next ones by seeking
 * past the last key. (A row value with COLLATE, as a compound text key has, is scanned rather than
 * sought: then one ordered statement is the better read.)
 */
function pagesUseIndex(prepare: (sql: string) => StatementSync, from: string, spec: ReadSpec): boolean {
  const plan = (sql: string) =>
    (prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as unknown as unknown[][]).map((step) => String(step[3]));
  const first = plan(selectRows("sqlite", from, spec, { limit: PAGE_ROWS }));
  if (first.some((detail) => /TEMP B-TREE/i.test(detail))) return false;
  const after = spec.keys.map((k) => (k.order === "text" ? "" : "0"));
  const next = plan(selectRows("sqlite", from, spec, { after, limit: PAGE_ROWS }));
  return next.some((detail) => /^SEARCH/i.test(detail)) && !next.some((detail) => /TEMP B-TREE/i.test(detail));
}

function keysetPages(
  spec: ReadSpec,
  from: string,
  prepare: (sql: string) => StatementSync,
  fail: (e: unknown) => Error,
): LineSource {
  const keyCount = spec.keys.length;
  let after: Key | undefined;
  let done = false;
  return {
    next: async () => {
      if (done) return null;
      let rows: SqliteValue[][];
      try {
        rows = prepare(selectRows("sqlite", from, spec, { after, limit: PAGE_ROWS })).all() as unknown as SqliteValue[][];
      } catch (error) {
        throw fail(error);
      }
      if (rows.length < PAGE_ROWS) done = true;
      if (rows.length === 0) return null;
      after = (rows[rows.length - 1] as SqliteValue[]).slice(0, keyCount).map(sqliteText);
      return batchOfLines(rows.map(sqliteLine));
    },
  };
}

function scan(statement: StatementSync, fail: (e: unknown) => Error): LineSource {
  const rows = statement.iterate() as IterableIterator<SqliteValue[]>;
  let done = false;
  return {
    next: async () => {
      if (done) return null;
      const lines: string[] = [];
      try {
        while (lines.length < PAGE_ROWS) {
          const step = rows.next();
          if (step.done) {
            done = true;
            break;
          }
          lines.push(sqliteLine(step.value));
        }
      } catch (error) {
        throw fail(error);
      }
      return lines.length === 0 ? null : batchOfLines(lines);
    },
  };
}

/** `table` or `schema.table`; a schema SQLite does not have (public, from a PostgreSQL habit) is looked past. */
function resolveTable(
  db: DatabaseSync,
  table: string,
  what: string,
): { from: string; display: string; schema: string; name: string } {
  const dot = table.indexOf(".");
  const schemas = (db.prepare("PRAGMA database_list").all() as { name: string }[]).map((r) => r.name);
  const schema = dot > 0 && schemas.includes(table.slice(0, dot)) ? table.slice(0, dot) : "main";
  const name = dot > 0 ? table.slice(dot + 1) : table;
  const found = db
    .prepare(`SELECT name FROM ${quoteName(schema)}.sqlite_schema WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE`)
    .get(name.replace(/^"(.*)"$/, "$1")) as { name: string } | undefined;
  if (!found) throw new BadInputError(`sql check: ${what} has no table ${JSON.stringify(table)}`);
  const from = schema === "main" ? quoteName(found.name) : `${quoteName(schema)}.${quoteName(found.name)}`;
  return { from, display: schema === "main" ? found.name : `${schema}.${found.name}`, schema, name: found.name };
}

function readColumns(
  db: DatabaseSync,
  from: string,
  table: { schema: string; name: string } | undefined,
  description: string,
): SideColumn[] {
  const columns = db.prepare(`SELECT * FROM ${from} LIMIT 0`).columns();
  const notNull = new Set<string>();
  if (table !== undefined) {
    const info = db.prepare(`SELECT name, type, "notnull", pk FROM pragma_table_info(?, ?)`).all(table.name, table.schema) as {
      name: string;
      type: string;
      notnull: number | bigint;
      pk: number | bigint;
    }[];
    const keys = info.filter((c) => Number(c.pk) > 0);
    for (const c of info) {
      // INTEGER PRIMARY KEY is the rowid, never NULL; other primary keys of rowid tables may hold NULL.
      const rowid = keys.length === 1 && Number(c.pk) === 1 && c.type.toUpperCase() === "INTEGER";
      if (Number(c.notnull) === 1 || rowid) notNull.add(c.name);
    }
  }
  const seen = new Set<string>();
  return columns.map((c) => {
    if (seen.has(c.name)) throw new BadInputError(`sql check: ${description} has two columns named ${JSON.stringify(c.name)}`);
    seen.add(c.name);
    return { name: c.name, type: sqliteValueType(c.type), collatable: true, nullable: !notNull.has(c.name) };
  });
}

/** The checksum PostgreSQL computes with md5: the sums of the first two 32-bit words of each row's md5. */
function registerChecksum(db: DatabaseSync): void {
  // The accumulator SQLite carries must be a SQL value: it is a group's number, its sums live here.
  const groups = new Map<number, [bigint, bigint]>();
  let next = 0;
  db.aggregate("ztoq_checksum", {
    start: () => {
      groups.set(++next, [0n, 0n]);
      return next;
    },
    step: (group, text) => {
      const sums = groups.get(Number(group)) as [bigint, bigint];
      const digest = createHash("md5").update(String(text)).digest();
      sums[0] += BigInt(digest.readUInt32BE(0));
      sums[1] += BigInt(digest.readUInt32BE(4));
      return group;
    },
    result: (group) => {
      const [a, b] = groups.get(Number(group)) as [bigint, bigint];
      groups.delete(Number(group));
      return `${a}:${b}`;
    },
  });
}
