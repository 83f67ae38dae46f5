/**
 * How values are made comparable before source and target are compared. Each rule is stated in
 * `NORMALIZATION_RULES`, which the verification report repeats, so a reader knows what "equal" means.
 */

export const NORMALIZATION_RULES = {
  richText:
    "Rich text (descriptions, preconditions, steps, notes, text fields): null is the empty string; &nbsp; is a space; " +
    "<br>, <br/> and <br /> are a line break; tag names are compared case-insensitively; a run of whitespace holding a " +
    "line break is one line break, any other run of whitespace is one space; leading and trailing whitespace is ignored.",
  plainText: "Names: leading and trailing whitespace is ignored and runs of whitespace are one space.",
  timestamps:
    "Date-times (execution start/end, date fields): compared as UTC instants at whole seconds, the coarser precision of the two APIs.",
  numbers: "Number fields: compared as numbers (2.50 equals 2.5).",
  choices:
    "Choice fields: compared by allowed-value id and shown by label; multi-value fields as sets. A choice field the mapping " +
    "leaves empty is expected to hold the field's default value, as qTest sets it.",
  references:
    "References are compared by marker, never by id: a call-to-test step by the called case's marker, a run by its test " +
    "case's and suite's markers, a log by its run's marker. Test step logs point at steps by position in the case; " +
    "a log made against an earlier version of its test case (whose steps qTest may since have given new ids) points " +
    "at them by its step logs' order, as the migration wrote it.",
  containers: "Containers by path of names: module path = folder path, parent test cycle path = cycle folder path.",
  steps:
    "Test steps are paired by identity, not position: a longest common subsequence of equal steps pairs the unchanged " +
    "ones, the steps left between two of those are paired in order (changed), and what is left over is missing or extra. " +
    "A step is named by its index among the expected steps; a step only the target has, by its index in the target.",
  runs: "A test run is named as its test case (the name the test case is planned with).",
  counting:
    "Each problem counts once toward the thresholds: a test case whose only differences are in its steps is shown as " +
    "changed and counted through its steps; the steps of a missing, extra or duplicated test case count through the case.",
} as const;

/** Rich text as the rule above states it. */
export function richText(value: string | null | undefined): string {
  if (value === null || value === undefined) return "";
  return value
    .replace(/&nbsp;|&#160;|\u00a0/gi, " ")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<(\/?)([A-Za-z][A-Za-z0-9]*)/g, (_, slash: string, name: string) => `<${slash}${name.toLowerCase()}`)
    .replace(/\r\n?/g, "\n")
    .replace(/\s+/g, (run) => (run.includes("\n") ? "\n" : " "))
    .trim();
}

export function plainText(value: string | null | undefined): string {
  return (value ?? "").replace(/\s+/g, " ").trim();
}

/** A date-time as `yyyy-MM-ddTHH:mm:ssZ` (UTC, whole seconds); text that is no date stays as it is. */
export function timestamp(value: string | null | undefined): string {
  if (value === null || value === undefined || value.trim() === "") return "";
  const text = value.trim();
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) return text;
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}

export function numberText(value: string | null | undefined): string {
  const text = (value ?? "").trim();
  if (text === "") return "";
  const n = Number(text);
  return Number.isFinite(n) ? String(n) : text;
}

/** `[1, 2]`, `1,2` or `2,1` → the sorted members. */
export function valueList(value: string | null | undefined): string[] {
  return (value ?? "")
    .replace(/^\s*\[|\]\s*$/g, "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "")
    .sort();
}
