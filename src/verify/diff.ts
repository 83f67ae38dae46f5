import type { Difference } from "../report/verification-report.js";

/** Longest string kept in a sample value. */
const VALUE_CAP = 300;

/**
 * Field-level differences between two comparable values (strings, numbers, null, arrays, plain
 * objects), as `{path, source, target}`. Arrays are compared position by position, objects key by key.
 */
export function diff(source: unknown, target: unknown, path = ""): Difference[] {
  if (Array.isArray(source) && Array.isArray(target)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(source.length, target.length); i++) {
      const at = `${path}[${i}]`;
      if (i >= source.length) out.push({ path: at, source: null, target: target[i] });
      else if (i >= target.length) out.push({ path: at, source: source[i], target: null });
      else out.push(...diff(source[i], target[i], at));
    }
    return out;
  }
  if (isRecord(source) && isRecord(target)) {
    const keys = [...new Set([...Object.keys(source), ...Object.keys(target)])].sort();
    return keys.flatMap((key) => diff(source[key] ?? null, target[key] ?? null, path === "" ? key : `${path}.${key}`));
  }
  if (sameValue(source, target)) return [];
  return [{ path, source: source ?? null, target: target ?? null }];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A plain object, compared key by key (a Date, a Buffer is a value: rows read from a database hold them). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value)
  );
}

/** `testSteps[3].expected` → `testSteps[].expected`: one counter per field, whatever the position. */
export function fieldOf(path: string): string {
  return path.replace(/\[\d+\]/g, "[]");
}

/** Long strings in a sample value are cut, so a report stays readable whatever the data. */
export function clip(value: unknown): unknown {
  if (typeof value === "string") return value.length > VALUE_CAP ? `${value.slice(0, VALUE_CAP)}…` : value;
  if (Array.isArray(value)) return value.map(clip);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clip(v)]));
  return value;
}
