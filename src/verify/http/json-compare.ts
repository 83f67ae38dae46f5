/**
 * Field-by-field comparison of two JSON documents in the paths of `paths.ts`. Unlike the shared
 * `diff`, a field present on one side only is a difference even when the other side's value is null
 * (an API client sees the two differently): the missing side's value is `undefined`, which the report
 * leaves out. Arrays named in `arrayKeys` pair their elements by a key field, so a reordering is no
 * difference and one inserted element is one difference instead of a cascade through every index after it.
 */
import type { Difference } from "../../report/verification-report.js";
import { compilePattern, fieldPath, indexPath, type PathMatcher, ROOT } from "./paths.js";

export interface JsonRules {
  ignore: readonly PathMatcher[];
  arrayKeys: readonly { matches: PathMatcher; field: string }[];
}

export function compileJsonRules(ignore: readonly string[], arrayKeys: Readonly<Record<string, string>>): JsonRules {
  return {
    ignore: ignore.map(compilePattern),
    arrayKeys: Object.entries(arrayKeys).map(([pattern, field]) => ({ matches: compilePattern(pattern), field })),
  };
}

export const NO_RULES: JsonRules = { ignore: [], arrayKeys: [] };

/** The differences between two parsed JSON values; none when they are equal under the rules. */
export function compareJson(source: unknown, target: unknown, rules: JsonRules = NO_RULES, path = ROOT): Difference[] {
  // Equal documents are equal under any rules, and most responses are equal: skip the walk.
  if (sameJson(source, target)) return [];
  const out: Difference[] = [];
  walk(source, target, path, rules, out);
  return out;
}

function walk(source: unknown, target: unknown, path: string, rules: JsonRules, out: Difference[]): void {
  if (rules.ignore.some((matches) => matches(path))) return;
  if (Array.isArray(source) && Array.isArray(target)) {
    const key = rules.arrayKeys.find((k) => k.matches(path));
    if (key) keyedArrays(source, target, key.field, path, rules, out);
    else positionalArrays(source, target, path, rules, out);
    return;
  }
  if (isRecord(source) && isRecord(target)) {
    for (const key of Object.keys(source)) {
      walk(source[key], Object.hasOwn(target, key) ? target[key] : undefined, fieldPath(path, key), rules, out);
    }
    for (const key of Object.keys(target)) {
      if (!Object.hasOwn(source, key)) walk(undefined, target[key], fieldPath(path, key), rules, out);
    }
    return;
  }
  if (!sameJson(source, target)) out.push({ path, source, target });
}

function positionalArrays(source: unknown[], target: unknown[], path: string, rules: JsonRules, out: Difference[]): void {
  for (let i = 0; i < Math.max(source.length, target.length); i++) {
    walk(i < source.length ? source[i] : undefined, i < target.length ? target[i] : undefined, indexPath(path, i), rules, out);
  }
}

/**
 * Elements pair by their key's value; the nth element with a key on one side pairs with the nth with
 * the same key on the other, so repeated keys and elements without the key (paired in order) still
 * compare. A paired or removed element is named by its source index, an inserted one by its target index.
 */
function keyedArrays(
  source: unknown[],
  target: unknown[],
  field: string,
  path: string,
  rules: JsonRules,
  out: Difference[],
): void {
  const sourceKeys = occurrenceKeys(source, field);
  const targetKeys = occurrenceKeys(target, field);
  const targetIndex = new Map(targetKeys.map((key, index) => [key, index]));
  const paired = new Set<string>();
  sourceKeys.forEach((key, i) => {
    const j = targetIndex.get(key);
    if (j === undefined) {
      walk(source[i], undefined, indexPath(path, i), rules, out);
      return;
    }
    paired.add(key);
    walk(source[i], target[j], indexPath(path, i), rules, out);
  });
  targetKeys.forEach((key, j) => {
    if (!paired.has(key)) walk(undefined, target[j], indexPath(path, j), rules, out);
  });
}

function occurrenceKeys(elements: unknown[], field: string): string[] {
  const seen = new Map<string, number>();
  return elements.map((element) => {
    const value = isRecord(element) && Object.hasOwn(element, field) ? JSON.stringify(element[field]) : "(no key)";
    const n = seen.get(value) ?? 0;
    seen.set(value, n + 1);
    return `${value}#${n}`;
  });
}

/** Equality of two JSON values whatever the order of their objects' fields. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
