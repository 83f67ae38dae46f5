/**
 * What a column holds, as far as comparing goes, whatever the engine calls it: a PostgreSQL type (by
 * OID, or by its category for types of extensions and domains) or a SQLite declared type (by SQLite's own
 * affinity rules, plus the names that say boolean, timestamp or JSON).
 */
import type { KeyOrder } from "./key-order.js";

export type ValueType = "integer" | "decimal" | "float" | "boolean" | "timestamp" | "json" | "bytes" | "text";

const POSTGRES_OIDS: Record<number, ValueType> = {
  16: "boolean",
  17: "bytes",
  20: "integer",
  21: "integer",
  23: "integer",
  26: "integer",
  114: "json",
  700: "float",
  701: "float",
  1082: "timestamp",
  1114: "timestamp",
  1184: "timestamp",
  1700: "decimal",
  3802: "json",
};

/** A PostgreSQL column's type; `category` is pg_type.typcategory, for OIDs this does not know. */
export function postgresValueType(oid: number, category?: string): ValueType {
  const known = POSTGRES_OIDS[oid];
  if (known !== undefined) return known;
  if (category === "N") return "decimal";
  if (category === "B") return "boolean";
  return "text";
}

/** A SQLite declared type (null for an expression). */
export function sqliteValueType(declared: string | null | undefined): ValueType {
  const type = (declared ?? "").toUpperCase();
  if (type === "") return "text";
  if (type.includes("BOOL")) return "boolean";
  if (type.includes("INT")) return "integer";
  if (type.includes("CHAR") || type.includes("CLOB") || type === "TEXT" || type.includes("UUID")) return "text";
  if (type.includes("JSON")) return "json";
  if (type.includes("BLOB")) return "bytes";
  if (type.includes("REAL") || type.includes("FLOA") || type.includes("DOUB")) return "float";
  if (type.includes("DATE") || type.includes("TIME")) return "timestamp";
  if (type.includes("NUM") || type.includes("DEC")) return "decimal";
  return "text";
}

const NUMERIC = new Set<ValueType>(["integer", "decimal", "float"]);

export function isNumeric(type: ValueType): boolean {
  return NUMERIC.has(type);
}

/** How a key column with these types on the two sides is ordered while merging. */
export function keyOrderOf(source: ValueType, target: ValueType): KeyOrder {
  if (source === "integer" && target === "integer") return "integer";
  if (isNumeric(source) && isNumeric(target)) return "number";
  return "text";
}
