import type { StandaloneCheck } from "../../report/verification-report.js";
import { formatFailOn, judge, type Thresholds } from "../fail-on.js";
import type { CheckOutcome } from "./check-kind.js";
import { FINDING_SAMPLE_CAP } from "./findings.js";

/** The report's entry for one check of a standalone kind, judged by its thresholds. */
export function standaloneReport(input: {
  name: string;
  kind: StandaloneCheck["kind"];
  thresholds: Thresholds;
  outcome: CheckOutcome;
  durationMs: number;
}): StandaloneCheck {
  const { outcome, thresholds } = input;
  const f = outcome.findings;
  const { verdict, rows } = judge(
    { missing: f.missing, extra: f.extra, changed: f.changed, duplicated: f.duplicated, misplaced: 0 },
    thresholds,
  );
  return {
    name: input.name,
    kind: input.kind,
    verdict,
    failOn: formatFailOn(thresholds),
    thresholds: rows,
    source: outcome.source,
    target: outcome.target,
    matched: f.matched,
    missingInTarget: f.missing,
    extraInTarget: f.extra,
    changed: f.changed,
    duplicated: f.duplicated,
    fieldMismatches: Object.fromEntries([...f.changedPaths].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    samples: f.samples,
    truncated: f.truncated,
    method: outcome.method,
    exhaustive: outcome.exhaustive,
    normalization: {
      ...outcome.normalization,
      samples: `At most ${FINDING_SAMPLE_CAP} samples; all problems are counted.`,
    },
    cost: {
      unit: outcome.unit,
      read: { source: outcome.source.count, target: outcome.target.count },
      durationMs: input.durationMs,
    },
  } as StandaloneCheck;
}
