/**
 * SQLite values as the text PostgreSQL would write for the same value where the two agree (integers,
 * text, bytes as `\x` hex), so that a row both engines hold alike reads as one line on both sides.
 */
import { escapeField } from "./copy-text.js";

export type SqliteValue = null | number | bigint | string | Uint8Array;

export function sqliteText(value: SqliteValue): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return String(value);
  return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
}

/** A row (an array of values) as a COPY text line. */
export function sqliteLine(row: readonly SqliteValue[]): string {
  let line = "";
  for (let i = 0; i < row.length; i++) {
    const value = row[i] as SqliteValue;
    const text = typeof value === "bigint" ? value.toString() : sqliteText(value);
    line += i === 0 ? escapeField(text) : `\t${escapeField(text)}`;
  }
  return line;
}
