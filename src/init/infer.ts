import type { CustomFieldType } from "../config/schema.js";

/**
 * The qTest field type a Zephyr custom field's values fit, read from the values alone: the Zephyr API
 * names no field types. Zephyr sends numbers, booleans, `yyyy-MM-dd` dates, HTML, lists (multi-selects)
 * and Atlassian account ids (user pickers) as they are, so each shape says its kind.
 */

/**
 * Atlassian account ids: 24 or more hex digits (`5b10a2844c20165700ede21g` — older ids end in any
 * letter), or `<site number>:<uuid>` (`557058:f58131cb-b67d-43c7-b30d-6b58d40bd077`).
 */
const ACCOUNT_ID = /^(?:[0-9a-f]{23,}[0-9a-z]|\d{1,10}:[0-9a-f][0-9a-f-]{15,})$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const HTML = /<\/?[a-z][a-z0-9]*(\s[^>]*)?\/?>/i;
const URL_TEXT = /^https?:\/\/\S+$/i;

/**
 * A text field with this few distinct values, each repeated, is a pick list: at most `MAX_OPTIONS`
 * options, each under `MAX_OPTION_LENGTH` characters, and on average each used at least twice (a
 * field where every value is new is free text, however few values there are yet).
 */
export const MAX_OPTIONS = 20;
export const MAX_OPTION_LENGTH = 60;

export function isAccountId(value: unknown): value is string {
  return typeof value === "string" && ACCOUNT_ID.test(value);
}

/** One value's kind; a list counts as a multi-select whatever it holds. */
function kindOf(value: unknown): CustomFieldType {
  if (Array.isArray(value)) return "multiselect";
  if (typeof value === "boolean") return "checkbox";
  if (typeof value === "number") return "number";
  const text = String(value);
  if (DATE.test(text) && !Number.isNaN(Date.parse(text))) return "date";
  if (DATETIME.test(text) && !Number.isNaN(Date.parse(text))) return "datetime";
  if (isAccountId(text)) return "user";
  if (URL_TEXT.test(text)) return "url";
  if (HTML.test(text)) return "richtext";
  return "text";
}

/**
 * The type for the values seen (each with how often it was seen). Mixed kinds widen: dates with
 * date-times are date-times, HTML with plain text is rich text, anything else mixed is text.
 */
export function inferFieldType(values: readonly { value: unknown; uses: number }[]): CustomFieldType {
  const kinds = new Set(values.map((v) => kindOf(v.value)));
  const [only] = kinds;
  if (only === undefined) return "text";
  if (kinds.size === 1) return only === "text" && looksLikeOptions(values) ? "select" : only;
  if ([...kinds].every((k) => k === "date" || k === "datetime")) return "datetime";
  if ([...kinds].every((k) => k === "text" || k === "richtext" || k === "url"))
    return kinds.has("richtext") ? "richtext" : "text";
  return "text";
}

function looksLikeOptions(values: readonly { value: unknown; uses: number }[]): boolean {
  const uses = values.reduce((sum, v) => sum + v.uses, 0);
  return (
    values.length <= MAX_OPTIONS &&
    uses >= 2 * values.length &&
    values.every((v) => String(v.value).length <= MAX_OPTION_LENGTH && !String(v.value).includes("\n"))
  );
}
