import { type EntityRecord, entityRecordSchema, type MigrationRun, migrationRunSchema, validated } from "./store.js";

/** How values cross between the records and either SQL engine's rows. */

type Row = Readonly<Record<string, unknown>>;

export function entityOf(row: Row, location: string): EntityRecord {
  const input = {
    ...row,
    targetId: fromBigint(row.targetId),
    data: fromJson(row.data),
    updatedAt: fromTimestamp(row.updatedAt),
    leaseUntil: fromTimestamp(row.leaseUntil),
  };
  return validated(entityRecordSchema, input, location, "an entity row");
}

export function runOf(row: Row, location: string): MigrationRun {
  const input = {
    ...row,
    summary: fromJson(row.summary),
    startedAt: fromTimestamp(row.startedAt),
    finishedAt: fromTimestamp(row.finishedAt),
    heartbeatAt: fromTimestamp(row.heartbeatAt),
    pid: fromBigint(row.pid),
  };
  return validated(migrationRunSchema, input, location, "a run row");
}

/**
 * Timestamps come from the process clock, the same one the rest of ZTOQ uses; only PostgreSQL measures
 * leases by the server's (see its `Spelling`).
 */
export function now(): string {
  return new Date().toISOString();
}

export function toJson(value: Record<string, unknown> | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

/** Unparseable JSON is passed on as is, so the schema check reports it along with the rest of the row. */
export function fromJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** pg returns bigint as a string, so that nothing is rounded without asking. Ids fit a double. */
export function fromBigint(value: unknown): unknown {
  return typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
}

/** pg returns timestamptz as a Date; the records carry ISO 8601 strings, as SQLite stores them. */
export function fromTimestamp(value: unknown): unknown {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : value;
}
