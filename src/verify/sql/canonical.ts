/** Canonical forms of JSON and boolean values, so that two spellings of one value compare equal. */

/** JSON with object keys sorted at every depth; undefined when the text is not JSON. */
export function canonicalJson(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort()
        .map((key) => [key, sortKeys(record[key])]),
    );
  }
  return value;
}

const TRUE = new Set(["t", "true", "1", "y", "yes", "on"]);
const FALSE = new Set(["f", "false", "0", "n", "no", "off"]);

/** `true` / `false` for PostgreSQL's t/f, SQLite's 1/0 and the usual words; undefined otherwise. */
export function canonicalBoolean(text: string): string | undefined {
  const word = text.trim().toLowerCase();
  if (TRUE.has(word)) return "true";
  if (FALSE.has(word)) return "false";
  return undefined;
}
