import type { Difference } from "../../report/verification-report.js";
import type { Findings } from "../checks/findings.js";
import { diff } from "../diff.js";
import type { ValueType } from "../sql/column-types.js";
import { type ColumnNormalize, valueEquality, valueRule } from "../sql/compare-values.js";
import { readJson, readRows } from "./readers.js";

/**
 * What a script check is given: the same comparison the built-in kinds use, and readers for the
 * sources it compares. A finding goes through `compare`, `missing`, `extra`, `duplicated` or `fail`,
 * and lands in the report and the gate like any other check's (`docs/script-checks.md`).
 */
export interface ScriptCheckApi {
  /** The check's `options` from the checks file. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The checks file's directory, for the script's own relative paths. */
  readonly baseDir: string;
  /**
   * Compares what the source and the target hold for `key` — objects, rows, lists, values — field by
   * field with paths (`a.b[2].c`); equal is a match, else `changed` with the paths that differ.
   * `ignore`: paths never compared (array indexes as `[]`, e.g. `items[].updatedAt`).
   */
  compare(key: string, source: unknown, target: unknown, options?: CompareOptions): void;
  /** The source has `key`, the target does not. */
  missing(key: string): void;
  /** The target has `key`, the source does not. */
  extra(key: string): void;
  /** `key` occurs this often on each side (more than once is a duplicate). */
  duplicated(key: string, counts: { source: number; target: number }): void;
  /** A rule that does not hold for `key` (an invariant, a business rule): counted as changed, `rule` as the path. */
  fail(key: string, rule: string, values?: { expected?: unknown; actual?: unknown }): void;
  /** A match the script established itself (counted as matched). */
  pass(key?: string): void;
  /** Names what each side is, for the report (default: "script"). */
  describe(sides: { source?: string; target?: string }): void;
  /** The rows of a query, streamed as objects: `postgres://…` or `sqlite:PATH`, as the `sql` kind takes them. */
  rows(location: string, query: string): AsyncGenerator<Record<string, unknown>>;
  /** A request's JSON body (fetch); not 2xx, or not JSON, is an error naming the URL. */
  json(url: string, init?: RequestInit): Promise<unknown>;
}

export interface CompareOptions {
  /** Paths never compared (array indexes as `[]`); a path covers everything beneath it. */
  ignore?: readonly string[];
  /**
   * Per path (a row's column, `lines[].price`): the `sql` kind's rules — `decimals`, `tolerance`,
   * `timestamp`, `nullEquals`, `trim`, `caseInsensitive`, `json` — under which two values are equal.
   */
  normalize?: Readonly<Record<string, ColumnNormalize>>;
}

/** The API given to one script, recording into `findings`; `counts` and `descriptions` are what the report shows. */
export function scriptApi(
  findings: Findings,
  context: { options: Record<string, unknown>; baseDir: string },
): { api: ScriptCheckApi; counts: { source: number; target: number }; descriptions: { source: string; target: string } } {
  const counts = { source: 0, target: 0 };
  const descriptions = { source: "script", target: "script" };
  const api: ScriptCheckApi = {
    options: context.options,
    baseDir: context.baseDir,
    compare(key, source, target, options = {}) {
      counts.source++;
      counts.target++;
      const ignored = new Set(options.ignore ?? []);
      const differences = diff(source, target).filter(
        (d) => !isIgnored(d, ignored) && !equalUnder(options.normalize?.[d.path.replace(/\[\d+\]/g, "[]")], d),
      );
      findings.compared(key, differences);
    },
    missing(key) {
      counts.source++;
      findings.missingInTarget(key);
    },
    extra(key) {
      counts.target++;
      findings.extraInTarget(key);
    },
    duplicated(key, occurrences) {
      findings.duplicates(key, occurrences);
    },
    fail(key, rule, values = {}) {
      counts.source++;
      counts.target++;
      findings.compared(key, [{ path: rule, source: values.expected ?? null, target: values.actual ?? null }]);
    },
    pass() {
      counts.source++;
      counts.target++;
      findings.match();
    },
    describe(sides) {
      if (sides.source) descriptions.source = sides.source;
      if (sides.target) descriptions.target = sides.target;
    },
    rows: (location, query) => readRows(location, query, context.baseDir),
    json: readJson,
  };
  return { api, counts, descriptions };
}

/** `items[2].updatedAt` is ignored by `items[].updatedAt`, and by `items` (a whole subtree). */
function isIgnored(difference: Difference, ignored: ReadonlySet<string>): boolean {
  const general = difference.path.replace(/\[\d+\]/g, "[]");
  for (const path of ignored) {
    if (general === path || general.startsWith(`${path}.`) || general.startsWith(`${path}[`)) return true;
    if (difference.path === path || difference.path.startsWith(`${path}.`) || difference.path.startsWith(`${path}[`)) return true;
  }
  return false;
}

/** Whether a difference vanishes under the path's rules: the sql kind's equality, on the values as text. */
function equalUnder(rules: ColumnNormalize | undefined, difference: Difference): boolean {
  if (!rules) return false;
  const type = (value: unknown): ValueType =>
    typeof value === "number" ? "float" : typeof value === "boolean" ? "boolean" : value instanceof Date ? "timestamp" : "text";
  const text = (value: unknown): string | null =>
    value === null || value === undefined
      ? null
      : value instanceof Date
        ? value.toISOString()
        : typeof value === "object"
          ? JSON.stringify(value)
          : String(value);
  const rule = valueRule(type(difference.source), type(difference.target), rules);
  return valueEquality(rule)(text(difference.source), text(difference.target));
}
