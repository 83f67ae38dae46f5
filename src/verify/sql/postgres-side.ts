/**
 * A PostgreSQL side: one connection, read-only, in a session that spells values one way (UTC, ISO
 * dates, shortest exact floats, hex bytea) so that two PostgreSQL sides render equal rows as equal lines.
 * Rows are read with `COPY (SELECT … ORDER BY key) TO STDOUT`, the cheapest way out of the server.
 */
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { BadInputError } from "../../errors.js";
import { postgresValueType } from "./column-types.js";
import type { Key } from "./key-order.js";
import type { Location } from "./location.js";
import { describeSide, type LineSource, type RangeSum, type SideColumn, type SideRelation, type SqlSide } from "./side.js";
import { postgresFailure } from "./side-errors.js";
import {
  checksumRowText,
  isWholeRange,
  orderByClause,
  quoteName,
  segmentExpression,
  selectRows,
  whereClause,
} from "./sql-text.js";
import { StreamLines } from "./stream-lines.js";

const SESSION = [
  "SET TimeZone TO 'UTC'",
  "SET DateStyle TO 'ISO, YMD'",
  "SET IntervalStyle TO 'postgres'",
  "SET extra_float_digits TO 1",
  "SET bytea_output TO 'hex'",
  "SET standard_conforming_strings TO on",
  "SET client_encoding TO 'UTF8'",
  // A check only reads; this makes sure a query in the settings cannot write either.
  "SET default_transaction_read_only TO on",
].join("; ");

const CONNECT_TIMEOUT_MS = 15_000;

export async function openPostgres(location: Location, relation: SideRelation, side: "source" | "target"): Promise<SqlSide> {
  const what = `the ${side} ${location.display}`;
  const client = new pg.Client({
    connectionString: location.connect,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: "ztoq verify",
    // Every value as the text PostgreSQL sends: the same spelling COPY writes.
    types: { getTypeParser: () => (value: string) => value },
  });
  let reading: StreamLines | undefined;
  client.on("error", (error) => reading?.fail(error));
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw postgresFailure(error, what, location);
  }
  const fail = (error: unknown) => postgresFailure(error, what, location);
  try {
    await client.query(SESSION);
    const from =
      relation.table !== undefined ? await resolveTable(client, relation.table, what) : `(${relation.query}) AS ztoq_query`;
    const description = describeSide(location, relation, from);
    const columns = await readColumns(client, from, description, relation.table !== undefined);
    const query = async (text: string) => {
      try {
        return (await client.query<string[]>({ text, rowMode: "array" })).rows;
      } catch (error) {
        throw postgresFailure(error, `the ${side} ${description}`, location);
      }
    };
    return {
      description,
      columns,
      checkWhere: async (where) => {
        await query(`SELECT 1 FROM ${from} WHERE (${where}) LIMIT 0`);
      },
      read: (spec): LineSource => {
        const stream = client.query(copyTo(`COPY (${selectRows("postgres", from, spec)}) TO STDOUT`));
        const lines = new StreamLines(stream);
        reading = lines;
        return {
          next: async () => {
            try {
              return await lines.next();
            } catch (error) {
              throw fail(error);
            }
          },
          release: (batch) => lines.release(batch),
        };
      },
      checksums: async (spec, bounds) => {
        const segment = segmentExpression("postgres", spec.keys, bounds, isWholeRange(spec.range));
        const hash = `md5(${checksumRowText("postgres", spec)})`;
        const rows = await query(
          `SELECT seg, count(*), sum(('x' || substr(h, 1, 8))::bit(32)::bigint), sum(('x' || substr(h, 9, 8))::bit(32)::bigint) ` +
            `FROM (SELECT ${segment} AS seg, ${hash} AS h FROM ${from}${whereClause("postgres", spec)}) s GROUP BY seg`,
        );
        return rows.map((r): RangeSum => ({ segment: Number(r[0]), count: Number(r[1]), checksum: `${r[2]}:${r[3]}` }));
      },
      sampleKeys: async (spec, every) => {
        const names = spec.keys.map((k) => quoteName(k.name));
        const notNull = names.map((n) => `${n} IS NOT NULL`).join(" AND ");
        const where = whereClause("postgres", spec);
        const rows = await query(
          `SELECT ${names.join(", ")} FROM (SELECT ${names.join(", ")}, row_number() OVER (${orderByClause("postgres", spec.keys).trim()}) AS ztoq_rn ` +
            `FROM ${from}${where === "" ? " WHERE " : `${where} AND `}${notNull}) s WHERE ztoq_rn % ${every} = 0 ORDER BY ztoq_rn`,
        );
        return rows.map((r): Key => r.map((v) => v ?? null));
      },
      close: async () => {
        await closeClient(client);
      },
    };
  } catch (error) {
    await closeClient(client);
    throw fail(error);
  }
}

/** The table as PostgreSQL names it (quoted where need be), or bad input naming it. */
async function resolveTable(client: pg.Client, table: string, what: string): Promise<string> {
  const { rows } = await client.query<{ name: string | null }>("SELECT to_regclass($1)::text AS name", [table]);
  const name = rows[0]?.name;
  if (name === null || name === undefined) throw new BadInputError(`sql check: ${what} has no table ${JSON.stringify(table)}`);
  return name;
}

async function readColumns(client: pg.Client, from: string, description: string, isTable: boolean): Promise<SideColumn[]> {
  const { fields } = await client.query(`SELECT * FROM ${from} LIMIT 0`);
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name))
      throw new BadInputError(`sql check: ${description} has two columns named ${JSON.stringify(field.name)}`);
    seen.add(field.name);
  }
  const oids = [...new Set(fields.map((f) => f.dataTypeID))];
  const { rows } = await client.query<{ oid: string; typcategory: string; collatable: string }>(
    "SELECT oid::int AS oid, typcategory, (typcollation <> 0) AS collatable FROM pg_type WHERE oid = ANY($1::oid[])",
    [oids],
  );
  const types = new Map(rows.map((r) => [Number(r.oid), r]));
  // A table's NOT NULL columns hold no NULL (a query's may, through an outer join: they are taken as nullable).
  const { rows: notNull } = await client.query<{ attrelid: string; attnum: string }>(
    "SELECT attrelid::int AS attrelid, attnum::int AS attnum FROM pg_attribute WHERE attnotnull AND (attrelid, attnum) IN " +
      "(SELECT * FROM unnest($1::oid[], $2::int2[]))",
    [fields.map((f) => f.tableID), fields.map((f) => f.columnID)],
  );
  const required = new Set(notNull.map((r) => `${r.attrelid}:${r.attnum}`));
  return fields.map((f) => {
    const type = types.get(f.dataTypeID);
    return {
      name: f.name,
      type: postgresValueType(f.dataTypeID, type?.typcategory),
      collatable: type?.collatable === "t" || type?.collatable === "true",
      nullable: !isTable || !required.has(`${f.tableID}:${f.columnID}`),
    };
  });
}

async function closeClient(client: pg.Client): Promise<void> {
  // A COPY cut short leaves the server sending; ending the connection stops it.
  const ended = client.end().catch(() => {});
  const timer = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
  await Promise.race([ended, timer]);
}
