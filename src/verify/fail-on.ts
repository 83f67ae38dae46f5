import { BadInputError } from "../errors.js";

/** The problems a verification counts, each a metric a threshold can bound. */
export const METRICS = ["missing", "extra", "changed", "duplicated", "misplaced"] as const;
export type Metric = (typeof METRICS)[number];

/** The default: any problem at all fails the verification. */
export const DEFAULT_FAIL_ON = "missing>0,extra>0,changed>0,duplicated>0,misplaced>0";

/** The largest bound: counts are whole numbers JavaScript holds exactly, and so is every bound the report states. */
export const MAX_THRESHOLD = Number.MAX_SAFE_INTEGER;

/** A metric fails when its total exceeds `max`. */
export type Thresholds = Record<Metric, number>;

/**
 * Parses `metric>N[,metric>N…]` (N a whole number from 0 to `MAX_THRESHOLD`). Metrics not named keep the default bound
 * (`>0`), so relaxing one metric never silently stops the others from failing the verification.
 */
export function parseFailOn(spec: string | undefined, what = "--fail-on"): Thresholds {
  const thresholds = Object.fromEntries(METRICS.map((m) => [m, 0])) as Thresholds;
  if (spec === undefined) return thresholds;
  const allowed = `allowed: ${METRICS.map((m) => `${m}>N`).join(", ")} (N a whole number from 0 to ${MAX_THRESHOLD}), comma-separated, e.g. ${DEFAULT_FAIL_ON}`;
  const parts = spec
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length === 0) throw new BadInputError(`${what} is empty; ${allowed}`);
  const seen = new Set<string>();
  for (const part of parts) {
    const match = /^([A-Za-z]+)\s*>\s*(\d+)$/.exec(part);
    const metric = match?.[1]?.toLowerCase();
    if (!match || metric === undefined || !(METRICS as readonly string[]).includes(metric)) {
      throw new BadInputError(`${what}: '${part}' is not a threshold; ${allowed}`);
    }
    if (seen.has(metric)) throw new BadInputError(`${what}: '${metric}' is bounded twice; ${allowed}`);
    seen.add(metric);
    const bound = Number(match[2]);
    if (bound > MAX_THRESHOLD) throw new BadInputError(`${what}: '${part}' is beyond the largest bound; ${allowed}`);
    thresholds[metric as Metric] = bound;
  }
  return thresholds;
}

/** The canonical text of a set of thresholds, for the report. */
export function formatFailOn(thresholds: Thresholds): string {
  return METRICS.map((m) => `${m}>${thresholds[m]}`).join(",");
}

/** A check's verdict under its thresholds: which metrics exceed their bound, and each threshold's row. */
export function judge(
  totals: Record<Metric, number>,
  thresholds: Thresholds,
): {
  verdict: "passed" | "failed";
  failed: ReadonlySet<Metric>;
  rows: { metric: Metric; max: number; actual: number; verdict: "passed" | "failed" }[];
} {
  const failed = new Set(METRICS.filter((m) => totals[m] > thresholds[m]));
  return {
    verdict: failed.size > 0 ? "failed" : "passed",
    failed,
    rows: METRICS.map((metric) => ({
      metric,
      max: thresholds[metric],
      actual: totals[metric],
      verdict: failed.has(metric) ? "failed" : "passed",
    })),
  };
}
