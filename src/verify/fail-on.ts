import { BadInputError } from "../errors.js";

/** The problems a verification counts, each a metric a threshold can bound. */
export const METRICS = ["missing", "extra", "changed", "duplicated", "misplaced"] as const;
export type Metric = (typeof METRICS)[number];

/** The default: any problem at all fails the verification. */
export const DEFAULT_FAIL_ON = "missing>0,extra>0,changed>0,duplicated>0,misplaced>0";

/** The largest bound: counts are whole numbers JavaScript holds exactly, and so is every bound the report states. */
export const MAX_THRESHOLD = Number.MAX_SAFE_INTEGER;

/**
 * What the source holds that qTest did not receive (the reports' not-carried section): a metric a
 * threshold bounds only when named (`notCarried>N`), since what a migration leaves out by design
 * (attachments, fields set to ignore) is the user's to gate on, not a default failure.
 */
export const NOT_CARRIED = "notCarried" as const;
export type GateMetric = Metric | typeof NOT_CARRIED;

/** A metric fails when its total exceeds `max`; `notCarried` only when bounded. */
export type Thresholds = Record<Metric, number> & { notCarried?: number };

/** The totals a check is judged on: its problems, and (when it reports one) its not-carried total. */
export type GateTotals = Record<Metric, number> & { notCarried?: number };

/** The names `parseFailOn` takes, lower-cased as typed names are compared, to their canonical form. */
const GATE_METRICS: readonly GateMetric[] = [...METRICS, NOT_CARRIED];
const NAMES = new Map(GATE_METRICS.map((m) => [m.toLowerCase(), m]));

/**
 * Parses `metric>N[,metric>N…]` (N a whole number from 0 to `MAX_THRESHOLD`). Metrics not named keep the default bound
 * (`>0`), so relaxing one metric never silently stops the others from failing the verification; `notCarried`
 * not named stays unbounded.
 */
export function parseFailOn(spec: string | undefined, what = "--fail-on"): Thresholds {
  const thresholds = Object.fromEntries(METRICS.map((m) => [m, 0])) as Thresholds;
  if (spec === undefined) return thresholds;
  const allowed = `allowed: ${METRICS.map((m) => `${m}>N`).join(", ")}, ${NOT_CARRIED}>N (unbounded unless named) (N a whole number from 0 to ${MAX_THRESHOLD}), comma-separated, e.g. ${DEFAULT_FAIL_ON}`;
  const parts = spec
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length === 0) throw new BadInputError(`${what} is empty; ${allowed}`);
  const seen = new Set<string>();
  for (const part of parts) {
    const match = /^([A-Za-z]+)\s*>\s*(\d+)$/.exec(part);
    const metric = NAMES.get(match?.[1]?.toLowerCase() ?? "");
    if (!match || metric === undefined) {
      throw new BadInputError(`${what}: '${part}' is not a threshold; ${allowed}`);
    }
    if (seen.has(metric)) throw new BadInputError(`${what}: '${metric}' is bounded twice; ${allowed}`);
    seen.add(metric);
    const bound = Number(match[2]);
    if (bound > MAX_THRESHOLD) throw new BadInputError(`${what}: '${part}' is beyond the largest bound; ${allowed}`);
    thresholds[metric] = bound;
  }
  return thresholds;
}

/** The canonical text of a set of thresholds, for the report: `notCarried` only when bounded. */
export function formatFailOn(thresholds: Thresholds): string {
  const notCarried = thresholds.notCarried === undefined ? [] : [`${NOT_CARRIED}>${thresholds.notCarried}`];
  return [...METRICS.map((m) => `${m}>${thresholds[m]}`), ...notCarried].join(",");
}

/**
 * A check's verdict under its thresholds: which problem metrics exceed their bound (`failed`, what the
 * entity types are judged by), whether the not-carried total does, and each threshold's row — the
 * `notCarried` row only when it is bounded; a check that reports no not-carried section counts 0.
 */
export function judge(
  totals: GateTotals,
  thresholds: Thresholds,
): {
  verdict: "passed" | "failed";
  failed: ReadonlySet<Metric>;
  notCarriedFailed: boolean;
  rows: { metric: GateMetric; max: number; actual: number; verdict: "passed" | "failed" }[];
} {
  const failed = new Set(METRICS.filter((m) => totals[m] > thresholds[m]));
  const rows: { metric: GateMetric; max: number; actual: number; verdict: "passed" | "failed" }[] = METRICS.map((metric) => ({
    metric,
    max: thresholds[metric],
    actual: totals[metric],
    verdict: failed.has(metric) ? "failed" : "passed",
  }));
  let notCarriedFailed = false;
  if (thresholds.notCarried !== undefined) {
    const actual = totals.notCarried ?? 0;
    notCarriedFailed = actual > thresholds.notCarried;
    rows.push({ metric: NOT_CARRIED, max: thresholds.notCarried, actual, verdict: notCarriedFailed ? "failed" : "passed" });
  }
  return { verdict: failed.size > 0 || notCarriedFailed ? "failed" : "passed", failed, notCarriedFailed, rows };
}
