import type { CustomFieldTarget } from "./resolution.js";

/**
 * Why a custom field value could not be converted. Preflight converts every value in use with this same
 * function (src/mapping/resolve.ts) and lists the failures before any write, so a run meets one only
 * when Zephyr gained the value after preflight read it: bad input for the caller to report as such
 * (exit 2, naming the entity), never a stop to resume.
 */
export class UnmappedValue extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnmappedValue";
  }
}

/**
 * Converts one Zephyr custom field value to the string qTest stores for a field of the target type.
 * Zephyr values come as numbers, `yyyy-MM-dd` dates, HTML text, booleans, arrays (multi-select) or
 * account ids (user pickers). Returns null when there is nothing to write.
 */
export function convertCustomField(
  value: unknown,
  target: CustomFieldTarget,
  users: ReadonlyMap<string, string>,
  unmappedUsers: "fail" | "keep",
): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (Array.isArray(value) && value.length === 0) return null;
  switch (target.type) {
    case "text":
    case "richtext":
    case "url":
      return Array.isArray(value) ? value.map(String).join(", ") : String(value);
    case "number": {
      const n = typeof value === "number" ? value : Number(value);
      if (!Number.isFinite(n)) throw new UnmappedValue(`'${String(value)}' is not a number`);
      return String(n);
    }
    case "date":
    case "datetime": {
      const text = String(value);
      const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
      if (Number.isNaN(ms)) throw new UnmappedValue(`'${text}' is not a date`);
      return new Date(ms).toISOString();
    }
    case "checkbox":
    case "multiselect": {
      const items = Array.isArray(value) ? value : [value];
      return `[${items.map((item) => mapChoice(String(item), target)).join(",")}]`;
    }
    case "select":
      return mapChoice(String(single(value)), target);
    case "user": {
      const user = users.get(String(single(value)));
      if (user) return user;
      // Kept: the field stays empty, the account goes to the 'Zephyr Unmapped Users' field.
      if (unmappedUsers === "keep") return null;
      throw new UnmappedValue(`user '${String(value)}' is not mapped`);
    }
  }
}

/** The one value a single-value field takes: a list of one is that value, a longer list is refused. */
function single(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  if (value.length === 1) return value[0];
  throw new UnmappedValue(`${JSON.stringify(value)} is several values for a field that holds one`);
}

function mapChoice(value: string, target: CustomFieldTarget): string {
  const mapped = target.values.get(value);
  if (mapped === undefined) throw new UnmappedValue(`'${value}' has no allowed value`);
  return mapped;
}
