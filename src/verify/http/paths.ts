/**
 * The one path style of the http check, used in findings, `ignore`, `arrayKeys` and noise alike:
 * `$` is the JSON body, `.name` a field (`["odd name"]` when the name is not an identifier), `[2]` an
 * array element by its index (from 0). In patterns `[]` (or `[*]`) stands for any index, and a
 * leading `$.` may be left out: `items[].updatedAt` is `$.items[].updatedAt`. Responses' other parts
 * are `status`, `header.<name>` and `body` (a body compared as text), outside the `$` tree so a body
 * field named `status` can never be mistaken for the status.
 */

export const ROOT = "$";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The path of field `key` of the object at `path`. */
export function fieldPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** The path of element `index` of the array at `path`. */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** A pattern in its written form, made canonical: `$.` prefixed, `[*]` read as `[]`, spaces trimmed. */
export function canonicalPattern(pattern: string): string {
  const text = pattern.trim().replaceAll("[*]", "[]");
  if (text === ROOT || text.startsWith("$.") || text.startsWith("$[")) return text;
  return text.startsWith("[") ? `${ROOT}${text}` : `${ROOT}.${text}`;
}

/** A compiled pattern: does a concrete path (with real indexes) match it exactly? */
export type PathMatcher = (path: string) => boolean;

export function compilePattern(pattern: string): PathMatcher {
  const canonical = canonicalPattern(pattern);
  const source = canonical
    .split("[]")
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("\\[\\d+\\]");
  const regex = new RegExp(`^${source}$`);
  return (path) => regex.test(path);
}

/** Whether `path` is `ancestor` itself or lies beneath it. */
export function isWithin(path: string, ancestor: string): boolean {
  if (!path.startsWith(ancestor)) return false;
  if (path.length === ancestor.length) return true;
  const next = path[ancestor.length];
  return next === "." || next === "[";
}
