import { NORMALIZATION_RULES } from "../../compare/normalize.js";
import type { ResolvedConfig } from "../../config/load.js";
import { ENTITY_MAPPINGS } from "../../entity-types.js";
import type { EntityCheck, ProblemTotals, ZephyrQTestCheck } from "../../report/verification-report.js";
import { formatFailOn, judge, METRICS, type Thresholds } from "../fail-on.js";
import { type ComparisonTally, SAMPLE_CAP } from "../tally.js";

/** The report's entry for one zephyr-qtest check: its entity types' tallies, judged by its thresholds. */
export function zephyrQTestReport(input: {
  name: string;
  config: ResolvedConfig;
  thresholds: Thresholds;
  tallies: readonly ComparisonTally[];
}): ZephyrQTestCheck {
  const { config, thresholds, tallies } = input;
  const totals: ProblemTotals = { matched: 0, missing: 0, extra: 0, changed: 0, duplicated: 0, misplaced: 0 };
  for (const t of tallies) {
    totals.matched += t.matched;
    for (const m of METRICS) totals[m] += t.counted(m);
  }
  const { verdict, failed, rows } = judge(totals, thresholds);
  const failOn = formatFailOn(thresholds);
  const entities: EntityCheck[] = tallies.map((t) => ({
    type: t.type,
    label: ENTITY_MAPPINGS[t.type],
    source: { count: t.sourceCount, excluded: t.excluded },
    target: { count: t.targetCount },
    matched: t.matched,
    missingInTarget: t.missing,
    extraInTarget: t.extra,
    duplicated: t.duplicated,
    changed: t.changed,
    misplaced: t.misplaced,
    counted: {
      missing: t.counted("missing"),
      extra: t.counted("extra"),
      changed: t.counted("changed"),
      duplicated: t.counted("duplicated"),
      misplaced: t.counted("misplaced"),
    },
    fieldMismatches: Object.fromEntries([...t.fieldMismatches].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    samples: t.samples,
    truncated: t.truncated,
    threshold: failOn,
    verdict: [...failed].some((m) => t.counted(m) > 0) ? "failed" : "passed",
  }));
  return {
    name: input.name,
    kind: "zephyr-qtest",
    verdict,
    failOn,
    source: { url: config.zephyr.url, projectKey: config.zephyr.projectKey },
    target: {
      url: config.qtest.url,
      projectId: config.qtest.projectId,
      rootModule: config.mapping.rootModule ?? config.zephyr.projectKey,
      cycleRoot: config.mapping.cycleRoot?.name ?? config.zephyr.projectKey,
      markerField: config.mapping.markerField,
    },
    normalization: {
      ...NORMALIZATION_RULES,
      samples: `At most ${SAMPLE_CAP} samples per entity type; all problems are counted.`,
    },
    thresholds: rows,
    totals,
    entities,
  };
}
