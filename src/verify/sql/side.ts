/**
 * One side of a `sql` check, whatever its engine: the columns it has, its rows in key order as COPY text
 * lines, and per-range counts and checksums. `postgres-side.ts` and `sqlite-side.ts` are the two.
 */
import type { LineBatch } from "./copy-text.js";
import type { Key } from "./key-order.js";
import type { Location } from "./location.js";
import type { ColumnInfo } from "./plan.js";
import type { ReadSpec } from "./sql-text.js";

export interface SideColumn extends ColumnInfo {
  /** PostgreSQL: the type takes a COLLATE clause. */
  collatable: boolean;
  /** The column can hold NULL (as far as the engine says). */
  nullable: boolean;
}

/** Rows in batches of COPY text lines; null once there are no more. */
export interface LineSource {
  next(): Promise<LineBatch | null>;
  /** Says a batch is read to the end and nothing holds on to it: its memory may be reused. */
  release?(batch: LineBatch): void;
}

/** One range's row count and checksum, as a string both engines spell alike. */
export interface RangeSum {
  /** The part of the range (0…bounds.length; -1: rows with a NULL key). */
  segment: number;
  count: number;
  checksum: string;
}

export interface SqlSide {
  /** `postgres://host:5432/db table public.orders`: engine, host, database, what is read; no credentials. */
  readonly description: string;
  readonly columns: readonly SideColumn[];
  /** Validates `where` against the side (a bad condition is bad input, named before anything is read). */
  checkWhere(where: string): Promise<void>;
  /** The rows of `spec` in key order. */
  read(spec: ReadSpec): LineSource;
  /** Count and checksum of each part of `spec.range` split at `bounds` (each bound starts a part). */
  checksums(spec: ReadSpec, bounds: readonly Key[]): Promise<RangeSum[]>;
  /** Every `every`-th key of `spec.range` in key order: the bounds that split it into parts of that size. */
  sampleKeys(spec: ReadSpec, every: number): Promise<Key[]>;
  close(): Promise<void>;
}

/** A side's table or query, as its settings give it. */
export interface SideRelation {
  table?: string | undefined;
  query?: string | undefined;
}

/** `postgres://host:5432/db table public.orders`, or `… query "SELECT …"` cut to a line. */
export function describeSide(location: Location, relation: SideRelation, from: string): string {
  if (relation.table !== undefined) return `${location.display} table ${from}`;
  const line = (relation.query ?? "").replaceAll(/\s+/g, " ").trim();
  return `${location.display} query ${JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line)}`;
}

/** What each side reads: `table` for both, or each side's own table or query, never two at once. */
export function sideProblems(settings: {
  table?: string | undefined;
  sourceTable?: string | undefined;
  targetTable?: string | undefined;
  sourceQuery?: string | undefined;
  targetQuery?: string | undefined;
}): string[] {
  const problems: string[] = [];
  const own = ["sourceTable", "targetTable", "sourceQuery", "targetQuery"] as const;
  if (settings.table !== undefined) {
    const also = own.filter((field) => settings[field] !== undefined);
    if (also.length > 0) problems.push(`table names both sides' table; drop it or ${also.join(" and ")}`);
    return problems;
  }
  for (const side of ["source", "target"] as const) {
    const table = settings[`${side}Table`];
    const query = settings[`${side}Query`];
    if (table === undefined && query === undefined) problems.push(`the ${side} needs table, ${side}Table or ${side}Query`);
    if (table !== undefined && query !== undefined) problems.push(`${side}Table and ${side}Query both given; keep one`);
  }
  return problems;
}
