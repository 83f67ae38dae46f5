/**
 * Which columns pair with which, and how each pair compares: from the settings (key, columns, ignore,
 * normalize) and the columns each side turned out to have. Every name in the settings must be a column
 * of its side; a name that is not stops the check as bad input, naming it and the side.
 */
import { BadInputError } from "../../errors.js";
import { canonicalBoolean } from "./canonical.js";
import type { ValueType } from "./column-types.js";
import { keyOrderOf } from "./column-types.js";
import { type ColumnNormalize, describeRule, type ValueRule, valueEquality, valueRule } from "./compare-values.js";
import type { KeyOrder } from "./key-order.js";
import { canonicalTimestamp } from "./timestamp.js";

export interface ColumnInfo {
  name: string;
  type: ValueType;
}

export interface SideColumns {
  /** `postgres://host:5432/db table orders`: how messages name the side. */
  description: string;
  columns: readonly ColumnInfo[];
}

interface Pair {
  source: ColumnInfo;
  target: ColumnInfo;
}

export interface KeyColumn extends Pair {
  order: KeyOrder;
  /** Makes two spellings of one key alike (timestamps, booleans); undefined when keys are compared as read. */
  canonical: ((value: string) => string) | undefined;
}

export interface ValueColumn extends Pair {
  rule: ValueRule;
  equal: (a: string | null, b: string | null) => boolean;
}

export interface ComparisonPlan {
  keys: KeyColumn[];
  values: ValueColumn[];
  normalization: Record<string, string>;
}

export interface PlanSettings {
  key: string | string[];
  columns?: Record<string, string> | undefined;
  ignore?: string[] | undefined;
  normalize?: Record<string, ColumnNormalize> | undefined;
}

export function planComparison(settings: PlanSettings, source: SideColumns, target: SideColumns): ComparisonPlan {
  const keyNames = typeof settings.key === "string" ? [settings.key] : settings.key;
  const keys = keyNames.map((name): KeyColumn => {
    const s = column(source, name, "key column");
    const t = column(target, settings.columns?.[s.name] ?? name, "key column");
    return { source: s, target: t, order: keyOrderOf(s.type, t.type), canonical: keyCanonical(s.type, t.type) };
  });
  if (new Set(keys.map((k) => k.source.name)).size < keys.length) throw new BadInputError("sql check: key names a column twice");
  const isKey = (pair: Pair) => keys.some((k) => k.source.name === pair.source.name || k.target.name === pair.target.name);

  // Renamed columns pair by the settings; every other column pairs with the target's of the same name.
  const renames = new Map(
    Object.entries(settings.columns ?? {}).map(([s, t]) => [column(source, s, "column").name, column(target, t, "column")]),
  );
  const renamedTo = new Set([...renames.values()].map((t) => t.name));
  let pairs: Pair[] = source.columns.flatMap((s) => {
    const renamed = renames.get(s.name);
    if (renamed !== undefined) return [{ source: s, target: renamed }];
    const t = find(target.columns, s.name);
    return t && !renamedTo.has(t.name) ? [{ source: s, target: t }] : [];
  });
  pairs = pairs.filter((pair) => !isKey(pair));

  const ignored = new Set<string>();
  for (const name of settings.ignore ?? []) {
    if (keys.some((k) => sameName(k.source.name, name) || sameName(k.target.name, name))) {
      throw new BadInputError(
        `sql check: ignore names the key column ${JSON.stringify(name)}; the key identifies rows and cannot be ignored`,
      );
    }
    const matches = pairs.filter((p) => p.source.name === name || p.target.name === name);
    if (matches.length === 0 && !find(source.columns, name) && !find(target.columns, name)) {
      throw new BadInputError(
        `sql check: ignore names ${JSON.stringify(name)}, which is a column of neither side (${listColumns(source)})`,
      );
    }
    for (const match of matches.length > 0
      ? matches
      : pairs.filter((p) => sameName(p.source.name, name) || sameName(p.target.name, name))) {
      ignored.add(match.source.name);
    }
  }
  pairs = pairs.filter((pair) => !ignored.has(pair.source.name));

  const normalizeFor = new Map<string, ColumnNormalize>();
  for (const [name, normalize] of Object.entries(settings.normalize ?? {})) {
    const pair =
      pairs.find((p) => p.source.name === name || p.target.name === name) ??
      pairs.find((p) => sameName(p.source.name, name) || sameName(p.target.name, name));
    if (pair === undefined) {
      if (keys.some((k) => sameName(k.source.name, name) || sameName(k.target.name, name))) {
        throw new BadInputError(`sql check: normalize names the key column ${JSON.stringify(name)}; keys are compared as read`);
      }
      if (find(source.columns, name) || find(target.columns, name)) {
        throw new BadInputError(
          `sql check: normalize names ${JSON.stringify(name)}, which is not compared (ignored, or on one side only)`,
        );
      }
      throw new BadInputError(
        `sql check: normalize names ${JSON.stringify(name)}, which is a column of neither side (${listColumns(source)})`,
      );
    }
    normalizeFor.set(pair.source.name, normalize);
  }

  const values = pairs.map((pair): ValueColumn => {
    const rule = valueRule(pair.source.type, pair.target.type, normalizeFor.get(pair.source.name));
    return { ...pair, rule, equal: valueEquality(rule) };
  });
  return { keys, values, normalization: describePlan(keys, values, [...ignored], source, target) };
}

function keyCanonical(source: ValueType, target: ValueType): ((value: string) => string) | undefined {
  if (source === "timestamp" || target === "timestamp") return (v) => canonicalTimestamp(v, "us") ?? v;
  if (source === "boolean" || target === "boolean") return (v) => canonicalBoolean(v) ?? v;
  return undefined;
}

function column(side: SideColumns, name: string, what: string): ColumnInfo {
  const found = find(side.columns, name);
  if (!found)
    throw new BadInputError(
      `sql check: ${what} ${JSON.stringify(name)} is not a column of ${side.description} (${listColumns(side)})`,
    );
  return found;
}

/** By exact name, else by the one name that differs only in case (SQLite and unquoted PostgreSQL names). */
function find(columns: readonly ColumnInfo[], name: string): ColumnInfo | undefined {
  const exact = columns.find((c) => c.name === name);
  if (exact) return exact;
  const folded = columns.filter((c) => sameName(c.name, name));
  return folded.length === 1 ? folded[0] : undefined;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function listColumns(side: SideColumns): string {
  const names = side.columns.map((c) => c.name);
  const shown = names.slice(0, 12).join(", ");
  return `columns: ${shown}${names.length > 12 ? `, … ${names.length - 12} more` : ""}`;
}

function describePlan(
  keys: readonly KeyColumn[],
  values: readonly ValueColumn[],
  ignored: readonly string[],
  source: SideColumns,
  target: SideColumns,
): Record<string, string> {
  const out: Record<string, string> = {};
  const orders = { integer: "by value", number: "by value", text: "by UTF-8 bytes" };
  out["(key)"] =
    `${keys.map((k) => `${k.source.name} ${orders[k.order]}`).join(", ")}; NULL first; ordered by ZTOQ, not by either database`;
  out["(NULL)"] = "NULL equals NULL and differs from every value";
  for (const value of values) {
    const described = describeRule(value.rule);
    if (described !== undefined) out[value.source.name] = described;
  }
  const renamed = [...keys, ...values].filter((p) => p.source.name !== p.target.name);
  if (renamed.length > 0) out["(renamed)"] = renamed.map((p) => `${p.source.name} → ${p.target.name}`).join(", ");
  if (ignored.length > 0) out["(ignored)"] = ignored.join(", ");
  const used = (side: "source" | "target") => new Set([...keys, ...values].map((p) => p[side].name));
  const left = (side: SideColumns, name: "source" | "target") =>
    side.columns.filter((c) => !used(name).has(c.name) && !ignored.includes(c.name)).map((c) => c.name);
  const onlySource = left(source, "source");
  const onlyTarget = left(target, "target");
  if (onlySource.length + onlyTarget.length > 0) {
    out["(not compared)"] = [
      onlySource.length > 0 ? `source only: ${onlySource.join(", ")}` : "",
      onlyTarget.length > 0 ? `target only: ${onlyTarget.join(", ")}` : "",
    ]
      .filter(Boolean)
      .join("; ");
  }
  if (values.length > 0 && values.every((v) => describeRule(v.rule) === undefined)) out["(values)"] = "compared exactly as read";
  return out;
}
