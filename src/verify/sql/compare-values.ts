/**
 * When two values of a column are equal: by the types of the two sides (a NUMERIC and a REAL by value,
 * a timestamptz and ISO text in UTC, a boolean and 0/1, json and text whatever their key order) and by
 * the column's `normalize` settings. NULL equals NULL and nothing else, unless `nullEquals` names a
 * value that stands for it.
 */
import { canonicalBoolean, canonicalJson } from "./canonical.js";
import type { ValueType } from "./column-types.js";
import { isNumeric } from "./column-types.js";
import { canonicalDecimal, roundDecimal } from "./decimal.js";
import { sameInstant, type TimestampPrecision } from "./timestamp.js";

export interface ColumnNormalize {
  decimals?: number | undefined;
  tolerance?: number | undefined;
  timestamp?: TimestampPrecision | undefined;
  nullEquals?: string | undefined;
  trim?: true | undefined;
  caseInsensitive?: true | undefined;
  json?: true | undefined;
}

export type CompareAs = "number" | "boolean" | "timestamp" | "json" | "bytes" | "text";

export interface ValueRule {
  as: CompareAs;
  /** Either side is a float: equal numbers may be spelled with other digits. */
  float: boolean;
  normalize: ColumnNormalize;
}

/** The rule for a column whose source and target have these types. */
export function valueRule(source: ValueType, target: ValueType, normalize: ColumnNormalize = {}): ValueRule {
  const float = source === "float" || target === "float";
  const either = (type: ValueType) => source === type || target === type;
  let as: CompareAs = "text";
  if (normalize.json || either("json")) as = "json";
  else if (normalize.timestamp !== undefined || either("timestamp")) as = "timestamp";
  else if (normalize.decimals !== undefined || normalize.tolerance !== undefined) as = "number";
  else if (either("boolean")) as = "boolean";
  else if (isNumeric(source) || isNumeric(target)) as = "number";
  else if (source === "bytes" && target === "bytes") as = "bytes";
  return { as, float, normalize };
}

/** The equality of two values (as read, NULL as null) under a rule. */
export function valueEquality(rule: ValueRule): (a: string | null, b: string | null) => boolean {
  const { trim, nullEquals, caseInsensitive } = rule.normalize;
  const prepare = (value: string | null): string | null => {
    if (value === null) return null;
    const text = trim ? value.trim() : value;
    return nullEquals !== undefined && text === nullEquals ? null : text;
  };
  const typed = typedEquality(rule);
  const asText = caseInsensitive ? (a: string, b: string) => a.toLowerCase() === b.toLowerCase() : () => false;
  return (rawA, rawB) => {
    const a = prepare(rawA);
    const b = prepare(rawB);
    if (a === null || b === null) return a === b;
    if (a === b) return true;
    const result = typed(a, b);
    return result ?? asText(a, b);
  };
}

/** Equality by the column's type; undefined when a value does not read as that type (then compared as text). */
function typedEquality(rule: ValueRule): (a: string, b: string) => boolean | undefined {
  const { decimals, tolerance, timestamp } = rule.normalize;
  switch (rule.as) {
    case "number":
      return (a, b) => {
        let x = canonicalDecimal(a);
        let y = canonicalDecimal(b);
        if (x === undefined || y === undefined) return undefined;
        if (decimals !== undefined) {
          x = roundDecimal(x, decimals);
          y = roundDecimal(y, decimals);
        }
        if (x === y) return true;
        const [nx, ny] = [Number(x), Number(y)];
        if (tolerance !== undefined) return withinTolerance(nx, ny, tolerance);
        return rule.float && nx === ny;
      };
    case "timestamp": {
      const precision = timestamp ?? "us";
      return (a, b) => sameInstant(a, b, precision);
    }
    case "boolean":
      return (a, b) => {
        const x = canonicalBoolean(a);
        const y = canonicalBoolean(b);
        return x === undefined || y === undefined ? undefined : x === y;
      };
    case "json":
      return (a, b) => {
        const x = canonicalJson(a);
        const y = canonicalJson(b);
        return x === undefined || y === undefined ? undefined : x === y;
      };
    case "bytes":
      // PostgreSQL and SQLite blobs are both read as lowercase hex: equal bytes read alike.
      return () => false;
    case "text":
      return () => undefined;
  }
}

function withinTolerance(x: number, y: number, tolerance: number): boolean {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  // The slack keeps 1.1 − 1.0 within 0.1, which binary floats put a hair above it.
  const slack = tolerance * 1e-9 + 4 * Number.EPSILON * Math.max(Math.abs(x), Math.abs(y));
  return Math.abs(x - y) <= tolerance + slack;
}

/** What a rule does, for the report's `normalization`; undefined when values must read exactly alike. */
export function describeRule(rule: ValueRule): string | undefined {
  const { decimals, tolerance, timestamp, nullEquals, trim, caseInsensitive } = rule.normalize;
  const parts: string[] = [];
  switch (rule.as) {
    case "number":
      parts.push(rule.float ? "numbers by value (a float and a decimal alike)" : "numbers by value (12.50 = 12.5)");
      if (decimals !== undefined) parts.push(`rounded half away from zero to ${decimals} decimals`);
      if (tolerance !== undefined) parts.push(`equal within ${tolerance}`);
      break;
    case "timestamp":
      parts.push(
        `timestamps in UTC to the ${{ s: "second", ms: "millisecond", us: "microsecond" }[timestamp ?? "us"]} (text without an offset is UTC; finer digits cut)`,
      );
      break;
    case "boolean":
      parts.push("booleans: t/true/1/yes = true, f/false/0/no = false");
      break;
    case "json":
      parts.push("JSON compared parsed, object key order ignored");
      break;
    default:
      break;
  }
  if (trim) parts.push("surrounding whitespace trimmed");
  if (caseInsensitive) parts.push("case ignored");
  if (nullEquals !== undefined) parts.push(`${JSON.stringify(nullEquals)} equals NULL`);
  return parts.length === 0 ? undefined : parts.join("; ");
}
