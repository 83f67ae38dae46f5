import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { stoppingIntake, stopSignal, throwIfStopped, untilStopped } from "../concurrency/stop.js";
import { configHash, type ResolvedConfig } from "../config/load.js";
import { recordedTypeSchema } from "../entity-types.js";
import { BadInputError, ExitCode, InterruptedError, ZtoqError } from "../errors.js";
import { ApiError, unreachableMessage } from "../http/errors.js";
import { formatPace } from "../http/pacing.js";
import { JiraClient } from "../jira/client.js";
import { checkJiraAccount } from "../jira/knowledge.js";
import type { Logger } from "../log/logger.js";
import { newRunId } from "../log/run-id.js";
import { type PreflightResult, preflight } from "../mapping/preflight.js";
import { NotCarriedTally, notCarriedContext } from "../plan/not-carried.js";
import { Progress } from "../progress/progress.js";
import { QTestClient } from "../qtest/client.js";
import { type MigrationReport, migrationReportMarkdown, migrationReportSchema } from "../report/migration-report.js";
import { markdownTwin, prepareReportFile } from "../report/report-file.js";
import { projectOf } from "../state/hold.js";
import { createStateStore } from "../state/open-store.js";
import { type StateStore, StateStoreError } from "../state/store.js";
import { holdUnlessDryRun } from "../state/take-hold.js";
import { ZephyrClient } from "../zephyr/client.js";
import { toZephyrDateTime } from "../zephyr/datetime.js";
import { SourcePrefetch } from "../zephyr/prefetch.js";
import { targetMarkers } from "./adoption.js";
import type { RunContext } from "./context.js";
import { migrateCycleTree, migrateModules } from "./phases/folder-trees.js";
import { migrateTestCases } from "./phases/test-cases.js";
import { migrateExecutions } from "./phases/test-executions.js";
import { adHocSuite, migrateTestSuites } from "./phases/test-suites.js";
import { migrateTraceability, type TraceabilityCounts } from "./phases/traceability.js";
import { shardOwner } from "./shard.js";
import { removeSurplusContainers } from "./surplus-containers.js";
import { OUTCOMES, type Outcome, OutcomeTally } from "./tally.js";
import { TargetPresence } from "./target-presence.js";

declare const ZTOQ_VERSION: string;
const WATERMARK = "zephyr.updatedAfter";
/** Source results a migration reads ahead of its phases, at most (see `SourcePrefetch`). */
const READ_AHEAD = 256;

export interface MigrateOptions {
  config: ResolvedConfig;
  mode: "full" | "incremental";
  dryRun: boolean;
  prune: boolean;
  /** Compare every migrated object with the target, not only those the state lacks, and repair it. */
  reconcile?: boolean;
  /** One job of a sharded migration (`--shard i/n`); needs a state store all shards share. */
  shard?: { index: number; count: number } | undefined;
  /** Where the JSON report goes; its Markdown twin is written beside it. */
  reportPath: string;
  log: Logger;
  progress?: Progress;
}

export interface MigrateResult {
  report: MigrationReport;
  exitCode: ExitCode;
}

/**
 * One migration run: preflight, then folders → modules, test cases, cycle folders → test cycles,
 * cycles → suites, executions → runs and logs. Resumable at any point by running it again.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const { config, log } = options;
  const runId = newRunId();
  const runLog = log.child({ runId });
  const startedAt = new Date();
  const progress = options.progress ?? new Progress();
  const tally = new OutcomeTally();
  const zephyr = ZephyrClient.fromConfig(config, runLog);
  const qtest = QTestClient.fromConfig(config, runLog);
  const jira = JiraClient.fromConfig(config, runLog);
  const notCarried = new NotCarriedTally();
  let traceability: TraceabilityCounts | undefined;
  if (options.shard && options.mode === "incremental") {
    throw new BadInputError("Incremental runs are not sharded: run --mode incremental as one job (they are small).");
  }
  const shard = options.shard && {
    ...options.shard,
    owner: shardOwner(options.shard, runId),
    leaseMs: config.migration.leaseSeconds * 1000,
    startedAt: startedAt.getTime(),
  };
  // Before the state is opened and before preflight writes anything: a report that cannot be written
  // must not be found out after the migration has written to qTest.
  prepareReportFile(options.reportPath, "migration-report.json");
  const state = createStateStore(config.state);
  if (shard && !state.shared) {
    throw new BadInputError(
      `Shard ${options.shard?.index}/${options.shard?.count} needs a state store every shard shares: set the state (--state, input state or ZTOQ_STATE) to a postgres:// URL, not ${state.location}.`,
    );
  }
  await openState(state);
  const hold = await holdUnlessDryRun(state, {
    runId,
    command: "migrate",
    dryRun: options.dryRun,
    shard: options.shard,
    project: projectOf(config),
    recordProject: true,
    waitSeconds: config.migration.waitSeconds,
    log: runLog,
    signal: stopSignal,
  }).catch(async (error: unknown) => {
    await state.close();
    throw error;
  });

  let preflightResult: PreflightResult | undefined;
  let updatedAfter: string | undefined;
  let error: string | null = null;
  let status: MigrationReport["status"] = "succeeded";
  let stoppedBy: ZtoqError | undefined;
  try {
    await state.startRun({ id: runId, mode: options.dryRun ? "dry-run" : options.mode });
    runLog.info({ mode: options.mode, dryRun: options.dryRun, state: state.location }, "migration started");
    progress.setPace(() => formatPace({ Zephyr: config.zephyr.url, qTest: config.qtest.url }));
    progress.phase("Preflight: resolving statuses, priorities, users and fields");
    // Preflight reads the whole source and creates only fields, which the next run finds by label: a stop
    // gives it up at once rather than after its last read (at a slow rateLimit, many minutes later).
    preflightResult = await untilStopped(
      stopSignal,
      preflight(config, zephyr, qtest, { dryRun: options.dryRun, log: runLog, estimate: options.dryRun }),
    );
    await checkJiraAccount(jira, runLog);
    if (options.dryRun) {
      status = "dry-run";
    } else {
      if (options.mode === "incremental") {
        updatedAfter = await state.getWatermark(WATERMARK);
        if (!updatedAfter) runLog.warn("no earlier complete run recorded: this incremental run reads everything");
        else if ((await state.counts()).testCase.done === 0) {
          // A watermark without a migrated case (after `ztoq rollback`): what is older than it is not in qTest.
          updatedAfter = undefined;
          runLog.warn("no migrated test case recorded: this incremental run reads everything");
        }
      }
      // Two requests: the containers qTest holds now. What the state recorded and qTest lost since (a
      // test cycle tree deleted by hand) is put back by this run, with everything under it: an
      // incremental run then reads everything, since what it would skip as unchanged is gone too.
      const targetPresence = await TargetPresence.read(qtest);
      const gone = await targetPresence.goneRecords(state);
      if (Object.keys(gone).length > 0) {
        runLog.warn({ gone }, "qTest no longer holds what the state recorded: this run puts it back");
        if (updatedAfter) {
          updatedAfter = undefined;
          runLog.warn("this incremental run reads everything, to put back what was under the lost containers");
        }
      }
      const { source } = preflightResult;
      // A full run reads every case's steps and every execution's steps: read a little ahead while
      // qTest is busy (folders, bulk reads), so the source's rate limit is not left idle. A few
      // hundred results at most wait in memory. Shards and incremental runs read a part only.
      const readAhead = !shard && !updatedAfter ? new SourcePrefetch(zephyr, READ_AHEAD) : undefined;
      progress.expect("testCase", updatedAfter ? 0 : source.testCases);
      progress.expect("testSuite", source.testCycles);
      progress.expect("testLog", updatedAfter ? 0 : source.testExecutions);
      const context: RunContext = {
        runId,
        startedAt: startedAt.getTime(),
        mode: options.mode,
        prune: options.prune,
        reconcile: options.reconcile ?? false,
        shard,
        updatedAfter,
        config,
        state,
        zephyr: readAhead ?? zephyr,
        qtest,
        resolution: preflightResult.resolution,
        targetPresence,
        markers: targetMarkers(
          qtest,
          preflightResult.resolution,
          { rootModule: config.mapping.rootModule ?? config.zephyr.projectKey, concurrency: config.migration.concurrency },
          runLog,
        ),
        tally,
        notCarried,
        notCarriedRules: notCarriedContext(config.mapping, preflightResult.resolution),
        progress,
        log: runLog,
      };
      throwIfStopped();
      await warmAdoption(context);
      readAhead?.start();
      try {
        // A stop (Ctrl-C) ends the phases' intake of new entities (stop.ts); between phases, nothing starts.
        // A hold another run took over (this one was judged dead) stops the intake as a stop does.
        await stoppingIntake(hold ? AbortSignal.any([stopSignal, hold.lost]) : stopSignal, async () => {
          // A root qTest refused (its failure counted, with qTest's reason) holds nothing: what would go
          // under it is not written at all, rather than land outside the migrated area.
          progress.phase("Modules from test case folders");
          const modules = await migrateModules(context);
          throwIfStopped();
          progress.phase("Test cases");
          if (modules.has(null)) await migrateTestCases(context, modules);
          throwIfStopped();
          progress.phase("Test cycles from cycle folders, suites from cycles");
          const cycles = await migrateCycleTree(context);
          throwIfStopped();
          if (cycles.has(null)) {
            const suites = await migrateTestSuites(context, cycles);
            throwIfStopped();
            progress.phase("Executions: test runs and test logs");
            await migrateExecutions(context, suites, adHocSuite(context, cycles));
            throwIfStopped();
            // Every shard at its end: links are added idempotently, releases and requirements claimed like
            // the rest, and the last shard to finish sees every run the others made.
            progress.phase("Traceability: coverage links, test plans → releases");
            // Every shard reads the same plans and links: one speaks for them in the not-carried list.
            const speaks = !shard || shard.index === 1;
            traceability = await migrateTraceability(context, {
              source: zephyr,
              jira,
              notCarried: (item) => (speaks ? notCarried.add(item) : undefined),
            });
          }
          await removeSurplusContainers(context);
        });
      } finally {
        readAhead?.stop();
      }
      if (tally.total("failed") > 0) status = "failed";
      else if (!shard) {
        // Whole seconds, one earlier: Zephyr compares `updatedAfter` strictly, at second precision.
        await state.setWatermark(WATERMARK, toZephyrDateTime(Math.floor(startedAt.getTime() / 1000) * 1000 - 1000));
      }
    }
  } catch (caught) {
    // Both end the run as incomplete with a report, then leave with their own one line and exit code.
    const unreachable = unreachableMessage(caught, [
      { name: "qTest", url: config.qtest.url, setting: "qtest.url" },
      { name: "Zephyr Scale", url: config.zephyr.url, setting: "zephyr.url" },
    ]);
    if (caught instanceof InterruptedError) {
      stoppedBy = new InterruptedError(
        caught.signal,
        preflightResult
          ? `interrupted by ${caught.signal}: the work in flight was finished and recorded; re-run the same command to resume`
          : `interrupted by ${caught.signal} during preflight, before any test asset was written; re-run the same command to resume`,
      );
    } else if (unreachable) stoppedBy = new ZtoqError(unreachable, ExitCode.incomplete);
    if (caught instanceof ZtoqError && !stoppedBy) {
      await state.finishRun(runId, { status: "failed", summary: { error: caught.message } }).catch(() => undefined);
      await state.close();
      progress.close();
      throw caught;
    }
    status = "incomplete";
    error = caught instanceof InterruptedError ? "interrupted" : (unreachable ?? describeStop(caught));
    runLog.error({ error }, "migration stopped before the end; re-run the same command to resume");
  } finally {
    progress.close();
  }

  const report = buildReport({
    options,
    runId,
    startedAt,
    status,
    error,
    preflight: preflightResult,
    updatedAfter,
    tally,
    notCarried,
    traceability,
    requests: { zephyr: zephyr.stats(), qtest: qtest.stats(), ...(jira && { jira: jira.stats() }) },
  });
  await state.finishRun(runId, { status: status === "dry-run" ? "succeeded" : status, summary: report.totals });
  await state.close();
  await writeReport(options.reportPath, report);
  runLog.info({ status, totals: report.totals, report: options.reportPath }, "migration finished");
  if (stoppedBy) throw stoppedBy;
  const exitCode = status === "incomplete" ? ExitCode.incomplete : status === "failed" ? ExitCode.failed : ExitCode.ok;
  return { report, exitCode };
}

/** The marker reads of every type the state knows nothing of start now, alongside the source's reads. */
async function warmAdoption(context: RunContext): Promise<void> {
  const counts = await context.state.counts();
  const types = (
    [
      ["test-cases", "testCase"],
      ["test-suites", "testSuite"],
      ["test-runs", "testRun"],
      ["test-logs", "testLog"],
    ] as const
  ).flatMap(([objectType, type]) => (counts[type].done === 0 ? [objectType] : []));
  if (types.length > 0) context.markers.warm(types);
}

async function openState(state: StateStore): Promise<void> {
  try {
    await state.open();
  } catch (error) {
    if (error instanceof StateStoreError) {
      throw new ZtoqError(
        `State store ${state.location}: ${error.message}`,
        error.reason === "unreachable" ? ExitCode.incomplete : ExitCode.badInput,
      );
    }
    throw error;
  }
}

function describeStop(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

function buildReport(input: {
  options: MigrateOptions;
  runId: string;
  startedAt: Date;
  status: MigrationReport["status"];
  error: string | null;
  preflight: PreflightResult | undefined;
  updatedAfter: string | undefined;
  tally: OutcomeTally;
  notCarried: NotCarriedTally;
  traceability: TraceabilityCounts | undefined;
  requests: MigrationReport["requests"];
}): MigrationReport {
  const { options, tally } = input;
  const finishedAt = new Date();
  const byType = tally.snapshot();
  // Every type, every run, zeros included: summaries compared between runs keep the same rows.
  const entities = recordedTypeSchema.options.map((type) => {
    const t = byType[type];
    const counts = t?.counts ?? (Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>);
    return { type, ...counts, durationMs: t?.durationMs ?? 0, reasons: t?.reasons ?? [] };
  });
  const totals = Object.fromEntries(OUTCOMES.map((o) => [o, tally.total(o)])) as Record<Outcome, number>;
  const { config } = options;
  return migrationReportSchema.parse({
    schemaVersion: 1,
    kind: "ztoq-migration",
    status: input.status,
    run: {
      id: input.runId,
      mode: options.mode,
      dryRun: options.dryRun,
      prune: options.prune,
      reconcile: options.reconcile ?? false,
      shard: options.shard ? `${options.shard.index}/${options.shard.count}` : null,
      tool: { name: "ztoq", version: typeof ZTOQ_VERSION === "string" ? ZTOQ_VERSION : "dev" },
      startedAt: input.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - input.startedAt.getTime(),
      configHash: configHash(config),
      updatedAfter: input.updatedAfter ?? null,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    },
    source: { url: config.zephyr.url, projectKey: config.zephyr.projectKey },
    target: { url: config.qtest.url, projectId: config.qtest.projectId },
    preflight: {
      fieldsCreated: [...(input.preflight?.fieldsCreated ?? []), ...(input.traceability?.fieldsCreated ?? [])],
      valuesCreated: input.preflight?.valuesCreated ?? [],
      usersKept: input.preflight?.usersKept ?? [],
      estimate: input.preflight?.estimate ?? null,
      sourceCounts: {
        testCases: input.preflight?.source.testCases ?? 0,
        testCycles: input.preflight?.source.testCycles ?? 0,
        testExecutions: input.preflight?.source.testExecutions ?? 0,
      },
    },
    entities,
    totals,
    links: input.traceability
      ? {
          linksAdded: input.traceability.linksAdded,
          linksRemoved: input.traceability.linksRemoved,
          writes: input.traceability.linkWrites,
        }
      : null,
    notCarried: options.dryRun ? null : input.notCarried.section(),
    requests: input.requests,
    error: input.error,
  });
}

async function writeReport(path: string, report: MigrationReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdownTwin(path), migrationReportMarkdown(report));
}
