import { createHash } from "node:crypto";

/**
 * A stable hash of what a target object is built from: the same source content always gives the
 * same hash whatever the key order, so an unchanged entity is recognised without reading the target.
 */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(stableJson(value)).digest("base64url").slice(0, 32);
}

function stableJson(value: unknown): string {
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
}
