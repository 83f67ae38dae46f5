import { existsSync } from "node:fs";
import { stoppingIntake, stopSignal, untilStopped } from "../concurrency/stop.js";
import { configHash, type ResolvedConfig } from "../config/load.js";
import type { RecordedType } from "../entity-types.js";
import { ExitCode, InterruptedError, ZtoqError } from "../errors.js";
import { ApiError, UnexpectedResponseError } from "../http/errors.js";
import type { Logger } from "../log/logger.js";
import { newRunId } from "../log/run-id.js";
import { Progress } from "../progress/progress.js";
import { QTestClient } from "../qtest/client.js";
import { prepareReportFile } from "../report/report-file.js";
import { projectOf } from "../state/hold.js";
import { createStateStore } from "../state/open-store.js";
import { type StateStore, StateStoreError } from "../state/store.js";
import { holdUnlessDryRun } from "../state/take-hold.js";
import { type ApplyOutcome, applyPlan } from "./apply.js";
import { ownershipRule } from "./ownership.js";
import { countOf, planRollback, type RollbackPlan } from "./plan.js";
import { readProject } from "./read.js";
import {
  ROLLBACK_ORDER,
  ROLLBACK_REPORT_VERSION,
  type RollbackObject,
  type RollbackReport,
  rollbackReportSchema,
  writeRollbackReport,
} from "./report.js";

declare const ZTOQ_VERSION: string;

export interface RollbackOptions {
  config: ResolvedConfig;
  /** List what would go; delete nothing, forget nothing. */
  dryRun: boolean;
  /**
   * Asked once the plan is made and before anything is deleted (a terminal without `--yes`), with a
   * one-line summary of it; false cancels the rollback.
   */
  confirm?: ((summary: string) => Promise<boolean>) | undefined;
  /** Where the JSON report goes; its Markdown twin is written beside it. */
  reportPath: string;
  log: Logger;
  progress?: Progress;
}

export interface RollbackResult {
  report: RollbackReport;
  exitCode: ExitCode;
}

/**
 * Removes from the qTest project what ZTOQ created there: reads the project and the state
 * (`read.ts`), decides (`plan.ts`, pure), deletes children before parents (`apply.ts`) and forgets
 * what it deleted in the state, so a later migration rebuilds it. Idempotent: a re-run after an
 * interruption reads the project afresh and deletes what is left, nothing twice and nothing else.
 * Exit codes: 0 done (or dry run, or cancelled), 1 some deletions refused, 2 bad input, 3 stopped early.
 */
export async function rollback(options: RollbackOptions): Promise<RollbackResult> {
  const { config } = options;
  const runId = newRunId();
  const log = options.log.child({ runId, command: "rollback" });
  const startedAt = new Date();
  const progress = options.progress ?? new Progress();
  const qtest = QTestClient.fromConfig(config, log);
  // Before anything is deleted: the report of a rollback is the record of what it removed.
  prepareReportFile(options.reportPath, "rollback-report.json");
  const state = await openExistingState(config.state, log);
  await (state &&
    holdUnlessDryRun(state, {
      runId,
      command: "rollback",
      dryRun: options.dryRun,
      project: projectOf(config),
      recordProject: false,
      waitSeconds: config.migration.waitSeconds,
      log,
    }).catch(async (error: unknown) => {
      await state.close();
      throw error;
    }));

  let plan: RollbackPlan | undefined;
  let outcome: ApplyOutcome | undefined;
  let status: RollbackReport["status"];
  let error: string | null = null;
  try {
    // Reading and asking delete nothing: a stop (Ctrl-C, SIGTERM) gives them up at once.
    await untilStopped(stopSignal, qtest.project());
    progress.phase("Reading the qTest project and the state");
    plan = planRollback(await untilStopped(stopSignal, readProject({ qtest, config, state, log })));
    log.info(
      { steps: plan.steps.map((s) => ({ type: s.type, objects: s.objects.length })), kept: plan.kept.length },
      "rollback planned",
    );
    const summary = summarize(plan, config);
    if (options.dryRun) status = "dry-run";
    else if (options.confirm && !(await untilStopped(stopSignal, options.confirm(summary)))) status = "cancelled";
    else {
      // A stop ends the intake of deletions: those in flight finish and are forgotten in the state.
      const planned = plan;
      outcome = await stoppingIntake(stopSignal, () =>
        applyPlan(planned, { qtest, state, concurrency: config.migration.concurrency, log, progress }),
      );
      error = outcome.error;
      status = error ? "incomplete" : outcome.refused.length + outcome.blocked.length > 0 ? "failed" : "succeeded";
    }
  } catch (caught) {
    progress.close();
    await state?.close();
    if (caught instanceof InterruptedError) {
      throw new InterruptedError(
        caught.signal,
        `rollback interrupted by ${caught.signal} before deleting anything: nothing deleted; run the same command again`,
      );
    }
    if (caught instanceof ZtoqError) throw caught;
    if (caught instanceof StateStoreError) {
      throw new ZtoqError(`State store ${state?.location}: ${caught.message} (safe to re-run)`, ExitCode.incomplete);
    }
    if (caught instanceof ApiError || caught instanceof UnexpectedResponseError) {
      throw new ZtoqError(
        `Rollback could not read the qTest project: ${caught.message} (nothing deleted; safe to re-run)`,
        ExitCode.incomplete,
      );
    }
    throw caught;
  }
  progress.close();
  await state?.close();

  const report = buildReport({ options, runId, startedAt, status, error, plan, outcome, state, qtest });
  await writeRollbackReport(options.reportPath, report);
  log.info({ status, totals: report.totals, report: options.reportPath }, "rollback finished");
  if (outcome?.interrupted) throw interruptedMidway(outcome.interrupted.signal, outcome, plan, options.reportPath);
  const exitCode = status === "incomplete" ? ExitCode.incomplete : status === "failed" ? ExitCode.failed : ExitCode.ok;
  return { report, exitCode };
}

/**
 * The state store, opened, when there is one. A SQLite file that does not exist is not created: there
 * is nothing in it to forget, and a dry run writes nothing anywhere.
 */
async function openExistingState(location: string, log: Logger): Promise<StateStore | undefined> {
  const isPostgres = /^postgres(ql)?:\/\//i.test(location);
  const path = location.startsWith("sqlite:") ? location.slice("sqlite:".length) : location;
  if (!isPostgres && !existsSync(path)) {
    log.warn(
      { state: location },
      "no state store: cases, suites, runs and logs are ZTOQ's by their markers alone, and no module or test cycle is",
    );
    return undefined;
  }
  let state: StateStore;
  try {
    state = createStateStore(location);
    await state.open();
  } catch (error) {
    if (error instanceof StateStoreError) {
      throw new ZtoqError(
        `State store ${location.replace(/\/\/[^@/]*@/, "//")}: ${error.message}`,
        error.reason === "unreachable" ? ExitCode.incomplete : ExitCode.badInput,
      );
    }
    throw error;
  }
  return state;
}

/** What an interrupted rollback did, and that running it again finishes it. */
function interruptedMidway(
  signal: InterruptedError["signal"],
  outcome: ApplyOutcome,
  plan: RollbackPlan | undefined,
  reportPath: string,
): InterruptedError {
  const planned = (plan?.steps ?? []).reduce((sum, step) => sum + step.objects.reduce((n, o) => n + 1 + o.with.length, 0), 0);
  return new InterruptedError(
    signal,
    `rollback interrupted by ${signal}: the deletions in flight were finished; ${outcome.removed.length} of ${planned} objects ` +
      `deleted from qTest and forgotten in the state (report ${reportPath}); re-run the same command to delete the rest`,
  );
}

/** One line for the confirmation question: what would go, and what stays. */
function summarize(plan: RollbackPlan, config: ResolvedConfig): string {
  const doomed = plan.steps.flatMap((step) => step.objects.flatMap((o) => [o.type, ...o.with.map((w) => w.type)]));
  const what = doomed.length === 0 ? "nothing" : countOf(ROLLBACK_ORDER.flatMap((t) => doomed.filter((d) => d === t)));
  const kept = plan.kept.length === 0 ? "" : `; ${plan.kept.length} kept (see the report)`;
  return `Delete ${what} from qTest project ${config.qtest.projectId} (${config.qtest.url})${kept}?`;
}

function buildReport(input: {
  options: RollbackOptions;
  runId: string;
  startedAt: Date;
  status: RollbackReport["status"];
  error: string | null;
  plan: RollbackPlan | undefined;
  outcome: ApplyOutcome | undefined;
  state: StateStore | undefined;
  qtest: QTestClient;
}): RollbackReport {
  const { options, plan, outcome } = input;
  const { config } = options;
  const finishedAt = new Date();
  const objects: RollbackObject[] = [];
  const item = (o: { type: RecordedType; id: number; name: string; marker: string | null }) => ({
    type: o.type,
    id: o.id,
    name: o.name,
    marker: o.marker,
  });
  if (outcome) {
    for (const o of outcome.removed) objects.push({ ...item(o), outcome: "removed", reason: null });
    for (const { object, reason } of outcome.refused) objects.push({ ...item(object), outcome: "refused", reason });
    for (const { object, reason } of outcome.blocked) objects.push({ ...item(object), outcome: "blocked", reason });
  } else if (plan && input.status !== "incomplete") {
    for (const step of plan.steps) {
      for (const o of step.objects) {
        objects.push({ ...item(o), outcome: "removed", reason: null });
        for (const w of o.with) objects.push({ ...item(w), outcome: "removed", reason: `with test run ${o.id}` });
      }
    }
  }
  for (const k of plan?.kept ?? []) objects.push({ ...item(k), outcome: "kept", reason: k.reason });
  const count = (type: RecordedType | undefined, outcomeName: RollbackObject["outcome"]) =>
    objects.filter((o) => o.outcome === outcomeName && (type === undefined || o.type === type)).length;
  const counts = (type?: RecordedType) => ({
    removed: count(type, "removed"),
    kept: count(type, "kept"),
    refused: count(type, "refused"),
    blocked: count(type, "blocked"),
  });
  return rollbackReportSchema.parse({
    schemaVersion: ROLLBACK_REPORT_VERSION,
    kind: "ztoq-rollback",
    status: input.status,
    run: {
      id: input.runId,
      dryRun: options.dryRun,
      tool: { name: "ztoq", version: typeof ZTOQ_VERSION === "string" ? ZTOQ_VERSION : "dev" },
      startedAt: input.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - input.startedAt.getTime(),
      configHash: configHash(config),
    },
    target: {
      url: config.qtest.url,
      projectId: config.qtest.projectId,
      zephyrProject: config.zephyr.projectKey,
      rootModule: config.mapping.rootModule ?? config.zephyr.projectKey,
      rootTestCycle: config.mapping.cycleRoot?.name ?? config.zephyr.projectKey,
      markerField: config.mapping.markerField,
    },
    state: { location: input.state?.location ?? null, forgotten: outcome?.forgotten ?? 0 },
    ownership: ownershipRule({
      projectKey: config.zephyr.projectKey,
      markerField: config.mapping.markerField,
      stateStore: input.state !== undefined,
    }),
    entities: ROLLBACK_ORDER.map((type) => ({ type, ...counts(type) })),
    totals: counts(),
    objects,
    requests: { qtest: input.qtest.stats() },
    error: input.error,
  });
}
