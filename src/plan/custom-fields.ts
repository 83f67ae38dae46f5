import type { CustomFieldTarget } from "./resolution.js";

/** Why a custom field value could not be converted; preflight reports these before any write. */
export class UnmappedValue extends Error {}

/**
 * Converts one Zephyr custom field value to the string qTest stores for a field of the target type.
 * Zephyr values come as numbers, `yyyy-MM-dd` dates, HTML text, booleans, arrays (multi-select) or
 * account ids (user pickers). Returns null when there is nothing to write.
 */
export function convertCustomField(value: unknown, target: CustomFieldTarget, users: ReadonlyMap<string, string>): string | null {
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
      return mapChoice(String(value), target);
    case "user": {
      const user = users.get(String(value));
      if (!user) throw new UnmappedValue(`user '${String(value)}' is not mapped`);
      return user;
    }
  }
}

function mapChoice(value: string, target: CustomFieldTarget): string {
  const mapped = target.values.get(value);
  if (mapped === undefined) throw new UnmappedValue(`'${value}' has no allowed value`);
  return mapped;
}
