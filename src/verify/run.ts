import { NORMALIZATION_RULES } from "../compare/normalize.js";
import { configHash, type ResolvedConfig } from "../config/load.js";
import { ENTITY_MAPPINGS } from "../entity-types.js";
import { ExitCode, ZtoqError } from "../errors.js";
import { ApiError, UnexpectedResponseError } from "../http/errors.js";
import type { Logger } from "../log/logger.js";
import { newRunId } from "../log/run-id.js";
import { Progress } from "../progress/progress.js";
import { QTestClient } from "../qtest/client.js";
import {
  type EntityCheck,
  type ProblemTotals,
  VERIFICATION_REPORT_VERSION,
  type VerificationReport,
  verificationReportSchema,
  writeVerificationReport,
  type ZephyrQTestCheck,
} from "../report/verification-report.js";
import { ZephyrClient } from "../zephyr/client.js";
import { formatFailOn, METRICS, type Metric, parseFailOn, type Thresholds } from "./fail-on.js";
import { type ComparisonTally, SAMPLE_CAP } from "./tally.js";
import { type CheckResult, zephyrQTestCheck } from "./zephyr-qtest/check.js";

declare const ZTOQ_VERSION: string;

export interface VerifyOptions {
  config: ResolvedConfig;
  /** Thresholds such as `missing>0,changed>5` (see `parseFailOn`); default: any problem fails. */
  failOn?: string | undefined;
  /** Where the JSON report goes; its Markdown twin is written beside it. */
  reportPath: string;
  log: Logger;
  progress?: Progress;
}

export interface VerifyResult {
  report: VerificationReport;
  exitCode: ExitCode;
}

/**
 * Compares the Zephyr source with the qTest target, both read live through their APIs (never from
 * the state store), and writes the verification report. Exit code 1 when a threshold is exceeded;
 * bad input throws a `BadInputError` (2), a target or source that stays unreachable a `ZtoqError` (3).
 */
export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const { config } = options;
  const thresholds = parseFailOn(options.failOn);
  const runId = newRunId();
  const log = options.log.child({ runId, command: "verify" });
  const startedAt = new Date();
  const progress = options.progress ?? new Progress();
  const zephyr = ZephyrClient.fromConfig(config, log);
  const qtest = QTestClient.fromConfig(config, log);

  let result: CheckResult;
  try {
    log.info({ failOn: formatFailOn(thresholds) }, "verification started");
    result = await zephyrQTestCheck({ config, zephyr, qtest, log, progress });
  } catch (error) {
    progress.close();
    if (error instanceof ZtoqError) throw error;
    if (error instanceof ApiError || error instanceof UnexpectedResponseError) {
      throw new ZtoqError(`Verification could not finish: ${error.message} (safe to re-run)`, ExitCode.incomplete);
    }
    throw error;
  }
  progress.close();

  const report = buildReport({
    config,
    runId,
    startedAt,
    thresholds,
    tallies: result.tallies,
    read: result.read,
    requests: { zephyr: zephyr.stats(), qtest: qtest.stats() },
  });
  await writeVerificationReport(options.reportPath, report);
  log.info({ status: report.status, totals: report.totals, report: options.reportPath }, "verification finished");
  return { report, exitCode: report.status === "passed" ? ExitCode.ok : ExitCode.failed };
}

function buildReport(input: {
  config: ResolvedConfig;
  runId: string;
  startedAt: Date;
  thresholds: Thresholds;
  tallies: readonly ComparisonTally[];
  read: { source: number; target: number; reread: number };
  requests: VerificationReport["cost"]["requests"];
}): VerificationReport {
  const { config, thresholds, tallies } = input;
  const totals: ProblemTotals = { matched: 0, missing: 0, extra: 0, changed: 0, duplicated: 0, misplaced: 0 };
  for (const t of tallies) {
    totals.matched += t.matched;
    for (const m of METRICS) totals[m] += t.counted(m);
  }
  const failed = new Set<Metric>(METRICS.filter((m) => totals[m] > thresholds[m]));
  const verdict = failed.size > 0 ? "failed" : "passed";
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
  const check: ZephyrQTestCheck = {
    kind: "zephyr-qtest",
    verdict,
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
    thresholds: METRICS.map((metric) => ({
      metric,
      max: thresholds[metric],
      actual: totals[metric],
      verdict: failed.has(metric) ? "failed" : "passed",
    })),
    totals,
    entities,
  };
  const finishedAt = new Date();
  const durationMs = finishedAt.getTime() - input.startedAt.getTime();
  return verificationReportSchema.parse({
    schemaVersion: VERIFICATION_REPORT_VERSION,
    kind: "ztoq-verification",
    status: verdict,
    run: {
      id: input.runId,
      tool: { name: "ztoq", version: typeof ZTOQ_VERSION === "string" ? ZTOQ_VERSION : "dev" },
      startedAt: input.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs,
      configHash: configHash(config),
    },
    failOn,
    totals,
    checks: [check],
    cost: {
      requests: input.requests,
      entitiesRead: input.read,
      durationMs,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    },
  } satisfies VerificationReport);
}
