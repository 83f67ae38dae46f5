/**
 * The SQL ZTOQ sends to either engine: the ordered SELECT of a side, key-range conditions and the
 * checksum of ranges. Key bounds are written as literals (PostgreSQL's COPY takes no parameters), each
 * quoted or checked to be a plain number first.
 */
import type { ValueType } from "./column-types.js";
import type { Key, KeyOrder } from "./key-order.js";
import type { Engine } from "./location.js";

export interface SideKey {
  name: string;
  type: ValueType;
  order: KeyOrder;
  /** PostgreSQL: the type takes a COLLATE clause. */
  collatable: boolean;
  /** The column may hold NULL (absent: it may). */
  nullable?: boolean | undefined;
}

/** What a side reads: the key columns first, then the compared ones, under `where`, within `range`. */
export interface ReadSpec {
  keys: readonly SideKey[];
  values: readonly string[];
  where?: string | undefined;
  range?: KeyRange | undefined;
}

/**
 * Rows whose key is ≥ `from` and < `to` (no key column NULL); with `nulls`, the rows with a NULL in the
 * key instead; with `notNull` alone, every row without one. No bounds at all: every row.
 */
export interface KeyRange {
  from?: Key | undefined;
  to?: Key | undefined;
  nulls?: boolean | undefined;
  notNull?: boolean | undefined;
}

/** The range is the whole table (rows with a NULL key included). */
export function isWholeRange(range: KeyRange | undefined): boolean {
  return range === undefined || (range.from === undefined && range.to === undefined && !range.nulls && !range.notNull);
}

export function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** The expression a key column is ordered by, so the engine's order is the one ZTOQ merges in. */
export function orderExpression(engine: Engine, key: SideKey): string {
  const column = quoteName(key.name);
  const numeric = key.type === "integer" || key.type === "decimal" || key.type === "float";
  if (key.order !== "text") return column;
  if (engine === "postgres") {
    if (key.collatable) return `${column} COLLATE "C"`;
    // Timestamps (in UTC), booleans and bytea order as their text does; uuid, enums and the rest by their text.
    if (!numeric && (key.type === "timestamp" || key.type === "boolean" || key.type === "bytes")) return column;
    return `(${column})::text COLLATE "C"`;
  }
  if (numeric) return `CAST(${column} AS TEXT)`;
  return `${column} COLLATE BINARY`;
}

/** A key value as a literal for the column's order: a plain number as it is, anything else quoted. */
export function keyLiteral(order: KeyOrder, value: string): string {
  if (order !== "text" && /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return value;
  return quoteText(value);
}

function tuple(parts: readonly string[]): string {
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(", ")})`;
}

/** `key >= from AND key < to` (or `key > after`), key columns not NULL; or the rows with a NULL key. */
export function rangeCondition(engine: Engine, keys: readonly SideKey[], range: KeyRange, after?: Key): string | undefined {
  const columns = keys.map((k) => quoteName(k.name));
  if (range.nulls) return `(${columns.map((c) => `${c} IS NULL`).join(" OR ")})`;
  const parts: string[] = [];
  const expressions = tuple(keys.map((k) => orderExpression(engine, k)));
  const literal = (key: Key) => tuple(keys.map((k, i) => keyLiteral(k.order, key[i] ?? "")));
  if (range.notNull || range.from || range.to || after) parts.push(...columns.map((c) => `${c} IS NOT NULL`));
  if (range.from) parts.push(`${expressions} >= ${literal(range.from)}`);
  if (after) parts.push(`${expressions} > ${literal(after)}`);
  if (range.to) parts.push(`${expressions} < ${literal(range.to)}`);
  return parts.length === 0 ? undefined : parts.join(" AND ");
}

/** The WHERE clause of a read: the user's condition and the range. */
export function whereClause(engine: Engine, spec: ReadSpec, after?: Key): string {
  const conditions = [
    spec.where === undefined ? undefined : `(${spec.where})`,
    rangeCondition(engine, spec.keys, spec.range ?? {}, after),
  ].filter((c): c is string => c !== undefined);
  return conditions.length === 0 ? "" : ` WHERE ${conditions.join(" AND ")}`;
}

/**
 * NULL first, as SQLite orders by default. PostgreSQL puts NULL last unless told, and told so it cannot
 * read a NOT NULL key's index in order (it sorts the whole table instead): it is told only when the key
 * can hold NULL.
 */
export function orderByClause(engine: Engine, keys: readonly SideKey[]): string {
  const nulls = (k: SideKey) => (engine === "sqlite" || k.nullable !== false ? " NULLS FIRST" : "");
  return ` ORDER BY ${keys.map((k) => `${orderExpression(engine, k)}${nulls(k)}`).join(", ")}`;
}

/** The SELECT of a side's rows in key order: key columns, then compared columns. */
export function selectRows(engine: Engine, from: string, spec: ReadSpec, options: { after?: Key; limit?: number } = {}): string {
  const columns = [...spec.keys.map((k) => k.name), ...spec.values].map(quoteName).join(", ");
  const limit = options.limit === undefined ? "" : ` LIMIT ${options.limit}`;
  return `SELECT ${columns} FROM ${from}${whereClause(engine, spec, options.after)}${orderByClause(engine, spec.keys)}${limit}`;
}

/** A column as text for the checksum, length-prefixed so that no two rows run together alike; NULL as `~`. */
function checksumField(engine: Engine, name: string): string {
  const text = engine === "postgres" ? `(${quoteName(name)})::text` : `CAST(${quoteName(name)} AS TEXT)`;
  const length = engine === "postgres" ? `length(${text})::text` : `length(${text})`;
  return `coalesce(${length} || ':' || ${text}, '~')`;
}

export function checksumRowText(engine: Engine, spec: ReadSpec): string {
  return [...spec.keys.map((k) => k.name), ...spec.values].map((c) => checksumField(engine, c)).join(" || '|' || ");
}

/**
 * The part of a range (0…bounds.length) a row falls in, as a CASE that halves the bounds at each step;
 * -1 for a NULL key when the range is the whole table.
 */
export function segmentExpression(engine: Engine, keys: readonly SideKey[], bounds: readonly Key[], wholeTable: boolean): string {
  const expressions = tuple(keys.map((k) => orderExpression(engine, k)));
  const literal = (key: Key) => tuple(keys.map((k, i) => keyLiteral(k.order, key[i] ?? "")));
  const split = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = (lo + hi + 1) >> 1;
    return `CASE WHEN ${expressions} < ${literal(bounds[mid - 1] as Key)} THEN ${split(lo, mid - 1)} ELSE ${split(mid, hi)} END`;
  };
  const body = split(0, bounds.length);
  if (!wholeTable) return body;
  const nulls = keys.map((k) => `${quoteName(k.name)} IS NULL`).join(" OR ");
  return `CASE WHEN ${nulls} THEN -1 ELSE ${body} END`;
}
