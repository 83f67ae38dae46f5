import { join } from "node:path";
import { stoppingIntake, stopSignal, untilStopped } from "../concurrency/stop.js";
import { configHash, type ResolvedConfig } from "../config/load.js";
import { defaultReportDir } from "../config/schema.js";
import { ExitCode, InterruptedError, ZtoqError } from "../errors.js";
import { ApiError, UnexpectedResponseError } from "../http/errors.js";
import { formatPace } from "../http/pacing.js";
import type { Logger } from "../log/logger.js";
import { newRunId } from "../log/run-id.js";
import type { NotCarriedSection } from "../plan/not-carried.js";
import { Progress } from "../progress/progress.js";
import { QTestClient } from "../qtest/client.js";
import { prepareReportFile } from "../report/report-file.js";
import type { RequestStats } from "../report/request-stats.js";
import {
  type Check,
  type ReportTotals,
  VERIFICATION_REPORT_VERSION,
  type VerificationReport,
  verificationReportSchema,
  writeVerificationReport,
  type ZephyrQTestCheck,
} from "../report/verification-report.js";
import { ZephyrClient } from "../zephyr/client.js";
import type { CheckContext, CheckOutcome } from "./checks/check-kind.js";
import { type CheckEntry, loadChecksFile } from "./checks/checks-file.js";
import { standaloneReport } from "./checks/report-check.js";
import { formatFailOn, judge, parseFailOn, type Thresholds } from "./fail-on.js";
import { runHttpCheck } from "./http/run.js";
import { runScriptCheck } from "./script/run.js";
import { runSqlCheck } from "./sql/run.js";
import { type CheckResult, zephyrQTestCheck } from "./zephyr-qtest/check.js";
import { zephyrQTestReport } from "./zephyr-qtest/report-check.js";

declare const ZTOQ_VERSION: string;

export interface VerifyOptions {
  /**
   * The ZTOQ configuration, or how to load it when a check needs it: a checks file without a
   * zephyr-qtest check needs no Zephyr or qTest settings at all.
   */
  config: ResolvedConfig | (() => Promise<ResolvedConfig>);
  /** A checks file (`--checks FILE`); without one, the one check is the Zephyr → qTest migration. */
  checksFile?: string | undefined;
  /** Default thresholds such as `missing>0,changed>5` (see `parseFailOn`); default: any problem fails. */
  failOn?: string | undefined;
  /** Where the JSON report goes (its Markdown twin beside it); default `verification-report.json` in report.dir, or here. */
  reportPath?: string | undefined;
  log: Logger;
  progress?: Progress;
}

export interface VerifyResult {
  report: VerificationReport;
  reportPath: string;
  exitCode: ExitCode;
}

/** The one check `ztoq verify` runs without a checks file. */
const DEFAULT_CHECKS: CheckEntry[] = [{ name: "zephyr-qtest", kind: "zephyr-qtest" }];

/**
 * Runs every check — the Zephyr → qTest migration read live through both APIs, database tables,
 * service responses, script checks — and writes one report with one verdict. Exit code 1 when a
 * check exceeds its thresholds; bad input throws a `BadInputError` (2) before any check runs, a
 * side that stays unreachable a `ZtoqError` (3).
 */
export async function verify(options: VerifyOptions): Promise<VerifyResult> {
  const defaults = parseFailOn(options.failOn);
  const runId = newRunId();
  const log = options.log.child({ runId, command: "verify" });
  const startedAt = new Date();
  const progress = options.progress ?? new Progress();
  const file = options.checksFile ? await loadChecksFile(options.checksFile) : undefined;
  const entries = file?.checks ?? DEFAULT_CHECKS;
  // Every threshold is read before any check runs: a typo in the last one must not cost the first one's work.
  const thresholds = entries.map((entry) =>
    entry.failOn === undefined ? defaults : parseFailOn(entry.failOn, `check '${entry.name}' failOn`),
  );
  const config =
    entries.some((entry) => entry.kind === "zephyr-qtest") || typeof options.config !== "function"
      ? await resolveConfig(options.config)
      : undefined;

  const reportPath = options.reportPath ?? join(config?.report.dir ?? defaultReportDir, "verification-report.json");
  // A long comparison must not end in a report that cannot be written.
  prepareReportFile(reportPath, "verification-report.json");

  const checks: Check[] = [];
  let zephyrQTestCost: { requests: { zephyr: RequestStats; qtest: RequestStats }; read: ReadCounts } | undefined;
  log.info({ failOn: formatFailOn(defaults), checks: entries.map((e) => e.name) }, "verification started");
  // Verification only reads: on a stop (Ctrl-C) it gives up at once, with no verdict and no report.
  const runChecks = async () => {
    for (const [index, entry] of entries.entries()) {
      const checkLog = log.child({ check: entry.name });
      const started = Date.now();
      if (entry.kind === "zephyr-qtest") {
        if (!config) throw new Error("a zephyr-qtest check without a configuration");
        progress.setPace(() => formatPace({ Zephyr: config.zephyr.url, qTest: config.qtest.url }));
        const zephyr = ZephyrClient.fromConfig(config, checkLog);
        const qtest = QTestClient.fromConfig(config, checkLog);
        const result: CheckResult = await zephyrQTestCheck({
          config,
          zephyr,
          qtest,
          log: checkLog,
          progress,
        });
        const checkThresholds = thresholds[index] as Thresholds;
        checks.push(
          withNotCarried(
            zephyrQTestReport({ name: entry.name, config, thresholds: checkThresholds, tallies: result.tallies }),
            result.notCarried,
            checkThresholds,
          ),
        );
        zephyrQTestCost = addCost(zephyrQTestCost, { zephyr: zephyr.stats(), qtest: qtest.stats() }, result.read);
      } else {
        progress.phase(`Check '${entry.name}' (${entry.kind})`);
        const context: CheckContext = { name: entry.name, baseDir: file?.baseDir ?? process.cwd(), log: checkLog };
        const outcome = await runStandalone(entry, context);
        checks.push(
          standaloneReport({
            name: entry.name,
            kind: entry.kind,
            thresholds: thresholds[index] as Thresholds,
            outcome,
            durationMs: Date.now() - started,
          }),
        );
      }
      checkLog.info({ verdict: checks.at(-1)?.verdict }, "check finished");
    }
  };
  try {
    await untilStopped(stopSignal, stoppingIntake(stopSignal, runChecks));
  } catch (error) {
    progress.close();
    if (error instanceof InterruptedError) {
      throw new InterruptedError(error.signal, `verification interrupted by ${error.signal}: no verdict; run ztoq verify again`);
    }
    if (error instanceof ZtoqError) throw error;
    if (error instanceof ApiError || error instanceof UnexpectedResponseError) {
      throw new ZtoqError(`Verification could not finish: ${error.message} (safe to re-run)`, ExitCode.incomplete);
    }
    throw error;
  }
  progress.close();

  const report = buildReport({ runId, startedAt, defaults, checks, config, cost: zephyrQTestCost });
  await writeVerificationReport(reportPath, report);
  log.info({ status: report.status, totals: report.totals, report: reportPath }, "verification finished");
  return { report, reportPath, exitCode: report.status === "passed" ? ExitCode.ok : ExitCode.failed };
}

async function resolveConfig(config: VerifyOptions["config"]): Promise<ResolvedConfig> {
  return typeof config === "function" ? config() : config;
}

function runStandalone(entry: Exclude<CheckEntry, { kind: "zephyr-qtest" }>, context: CheckContext): Promise<CheckOutcome> {
  const { name: _name, kind: _kind, failOn: _failOn, ...settings } = entry;
  switch (entry.kind) {
    case "sql":
      return runSqlCheck(settings as Parameters<typeof runSqlCheck>[0], context);
    case "http":
      return runHttpCheck(settings as Parameters<typeof runHttpCheck>[0], context);
    case "script":
      return runScriptCheck(settings as Parameters<typeof runScriptCheck>[0], context);
  }
}

type ReadCounts = { source: number; target: number; reread: number };

function addCost(
  sum: { requests: { zephyr: RequestStats; qtest: RequestStats }; read: ReadCounts } | undefined,
  requests: { zephyr: RequestStats; qtest: RequestStats },
  read: ReadCounts,
): { requests: { zephyr: RequestStats; qtest: RequestStats }; read: ReadCounts } {
  if (!sum) return { requests, read };
  const add = (a: RequestStats, b: RequestStats) =>
    Object.fromEntries(Object.keys(a).map((k) => [k, (a[k] ?? 0) + (b[k] ?? 0)])) as RequestStats;
  return {
    requests: { zephyr: add(sum.requests.zephyr, requests.zephyr), qtest: add(sum.requests.qtest, requests.qtest) },
    read: { source: sum.read.source + read.source, target: sum.read.target + read.target, reread: sum.read.reread + read.reread },
  };
}

/**
 * A zephyr-qtest check with the not-carried section its run returned (`CheckResult.notCarried`),
 * judged again with that total: its verdict and threshold rows then bound `notCarried` when the
 * thresholds name it. Without a section the check stands as it was judged (a notCarried row counts 0).
 */
export function withNotCarried(
  check: ZephyrQTestCheck,
  section: NotCarriedSection | undefined,
  thresholds: Thresholds,
): ZephyrQTestCheck {
  if (!section) return check;
  const { verdict, rows } = judge({ ...check.totals, notCarried: section.total }, thresholds);
  return { ...check, verdict, thresholds: rows, notCarried: section };
}

/** Sums over the checks: a standalone check's items are its rows, responses or script items. */
function totalsOf(checks: readonly Check[]): ReportTotals {
  const totals: ReportTotals = { matched: 0, missing: 0, extra: 0, changed: 0, duplicated: 0, misplaced: 0, notCarried: 0 };
  for (const check of checks) {
    const t =
      check.kind === "zephyr-qtest"
        ? check.totals
        : {
            matched: check.matched,
            missing: check.missingInTarget,
            extra: check.extraInTarget,
            changed: check.changed,
            duplicated: check.duplicated,
            misplaced: 0,
          };
    for (const key of ["matched", "missing", "extra", "changed", "duplicated", "misplaced"] as const) totals[key] += t[key];
    if (check.kind === "zephyr-qtest") totals.notCarried += check.notCarried?.total ?? 0;
  }
  return totals;
}

function buildReport(input: {
  runId: string;
  startedAt: Date;
  defaults: Thresholds;
  checks: Check[];
  config: ResolvedConfig | undefined;
  cost: { requests: { zephyr: RequestStats; qtest: RequestStats }; read: ReadCounts } | undefined;
}): VerificationReport {
  const finishedAt = new Date();
  const durationMs = finishedAt.getTime() - input.startedAt.getTime();
  return verificationReportSchema.parse({
    schemaVersion: VERIFICATION_REPORT_VERSION,
    kind: "ztoq-verification",
    status: input.checks.every((check) => check.verdict === "passed") ? "passed" : "failed",
    run: {
      id: input.runId,
      tool: { name: "ztoq", version: typeof ZTOQ_VERSION === "string" ? ZTOQ_VERSION : "dev" },
      startedAt: input.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs,
      configHash: input.config ? configHash(input.config) : "",
    },
    failOn: formatFailOn(input.defaults),
    totals: totalsOf(input.checks),
    checks: input.checks,
    cost: {
      requests: input.cost?.requests ?? null,
      entitiesRead: input.cost?.read ?? null,
      durationMs,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    },
  } satisfies VerificationReport);
}
