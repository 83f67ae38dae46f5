import { byOrder, expectedLog, loggedOnEarlierVersion, targetLog } from "../../compare/comparables.js";
import { ApiError } from "../../http/errors.js";
import { contentHash } from "../../plan/content-hash.js";
import { comparedFields, markerFieldIds, withoutEmptyProperties } from "../../plan/managed-fields.js";
import {
  AD_HOC,
  cycleKeyOfRun,
  executionMarker,
  isProjectMarker,
  runKey,
  testCaseKeyOf,
  testCaseKeyOfRun,
} from "../../plan/markers.js";
import { notCarriedOfTestExecution } from "../../plan/not-carried.js";
import { NEVER_EXECUTED, placeExecution, planPositionalLog, planTestLog, planTestRun } from "../../plan/test-execution.js";
import type { TestLog, TestLogInput, TestRunInput } from "../../qtest/schemas.js";
import {
  type TestLogData,
  type TestRunData,
  testCaseDataSchema,
  testLogDataSchema,
  testRunDataSchema,
} from "../../state/entity-data.js";
import type { EntityRecord } from "../../state/store.js";
import type { TestExecution } from "../../zephyr/schemas.js";
import { forgetDeleted, forgetLegacyRecord, removeSurplus } from "../adoption.js";
import type { RunContext } from "../context.js";
import { claim, shardedForEach, syncShared } from "../shard-work.js";
import { syncEntity } from "../sync-entity.js";
import type { SuiteTargets } from "./test-suites.js";

/** The qTest id of a cycle item's run, and whether this run made it (again). */
type RunTarget = { runId: number; renewed: boolean };

/** What the executions of one run of the phase share: the suites, and the runs made so far. */
interface Known {
  suites: SuiteTargets;
  adHocSuite: () => Promise<{ key: string; suiteId: number } | undefined>;
  runs: Map<string, Promise<RunTarget | undefined>>;
  /** Incremental runs: the runs made again (qTest lost them), whose every execution is then read. */
  renewed: Set<string> | undefined;
  /** `--reconcile`: the runs holding two logs of one execution, rebuilt once the executions are through. */
  rebuild: Set<string> | undefined;
}

/**
 * Executions, streamed: each becomes a test log on the run of its test case in its cycle's suite.
 * Runs are made on first need; concurrent executions of one cycle item share one creation.
 */
export async function migrateExecutions(
  context: RunContext,
  suites: SuiteTargets,
  adHocSuite: () => Promise<{ key: string; suiteId: number } | undefined>,
): Promise<void> {
  const { zephyr, state } = context;
  const known: Known = {
    suites,
    adHocSuite,
    runs: new Map(),
    renewed: context.updatedAfter ? new Set() : undefined,
    rebuild: context.reconcile ? new Set() : undefined,
  };
  const migrate = async (execution: TestExecution, log: EntityRecord | null | undefined) => {
    const caseKey = testCaseKeyOf(execution);
    const testCase = caseKey === undefined ? undefined : await state.get("testCase", caseKey);
    await migrateExecution(context, execution, known, { log, testCase });
  };
  await shardedForEach(context, {
    type: "testLog",
    pages: () => zephyr.testExecutions(context.updatedAfter ? { updatedAfter: context.updatedAfter } : {}),
    // All executions of one cycle item go to one shard, which so makes its run.
    partitionKey: (execution) =>
      runKey(execution.testCycle ? String(execution.testCycle.id) : null, testCaseKeyOf(execution) ?? ""),
    claimKey: (execution) => executionMarker(execution, context.resolution.projectKey),
    work: async (execution, log) => {
      context.notCarried.addAll(notCarriedOfTestExecution(execution, context.notCarriedRules));
      await migrate(execution, log);
      context.progress.tick("testLog");
      // Runs stay findable through the state store; the map need not grow forever.
      if (known.runs.size > 10_000) known.runs.clear();
    },
  });
  const relog = async (key: string) => {
    const cycleKey = cycleKeyOfRun(key);
    const filter = { testCase: testCaseKeyOfRun(key), ...(cycleKey !== AD_HOC && { testCycle: cycleKey }) };
    for await (const page of zephyr.testExecutions(filter)) {
      for (const execution of page) if (runKeyOf(execution, known) === key) await migrate(execution, undefined);
    }
  };
  if (known.renewed) {
    await renameRuns(context, known);
    // A run made again lost its logs with the old one, and an incremental run met only the executions
    // that changed: the others of that run are read now, so none of its logs is missing.
    for (const key of known.renewed) await relog(key);
  }
  for (const key of known.rebuild ?? []) if (await deleteToRebuild(context, key, known)) await relog(key);
  context.progress.finish("testLog");
}

/**
 * A run holding two logs of one execution (two runs that overlapped both logged it): qTest deletes no
 * log alone, so the run is deleted, to be made again with one log per execution — only when every log
 * on it is this project's, so nothing ZTOQ did not make goes with it. Returns whether it was deleted.
 */
async function deleteToRebuild(context: RunContext, key: string, known: Known): Promise<boolean> {
  const { state, qtest, tally, log, resolution } = context;
  const runId = (await state.get("testRun", key))?.targetId;
  if (runId == null) return false;
  const markerField = markerFieldIds(resolution).testLog;
  const logs: TestLog[] = [];
  for await (const page of qtest.testLogs(runId)) logs.push(...page);
  const foreign = logs.filter((l) => {
    const marker = l.properties?.find((p) => p.field_id === markerField)?.field_value?.trim();
    return !marker || !isProjectMarker(marker, resolution.projectKey, true);
  });
  if (foreign.length > 0) {
    const reason = `holds two logs of one execution, kept: it also holds ${foreign.length} log(s) ZTOQ did not make for ${resolution.projectKey}`;
    tally.count("testRun", "skipped", key, reason);
    log.warn({ entity: "testRun", key, targetId: runId }, reason);
    return false;
  }
  await qtest.deleteTestRun(runId);
  context.targetPresence.lost("testRun", runId);
  await forgetDeleted(context, "testRun", runId);
  known.runs.delete(key);
  tally.count("testRun", "pruned", key, `#${runId} held two logs of one execution: deleted, made again with one log each`);
  log.info({ entity: "testRun", key, targetId: runId }, "run with duplicate logs deleted, to be made again (--reconcile)");
  return true;
}

/** The run an execution belongs to, when its cycle was migrated. */
function runKeyOf(execution: TestExecution, known: Known): string | undefined {
  const caseKey = testCaseKeyOf(execution);
  if (caseKey === undefined) return undefined;
  if (!execution.testCycle) return runKey(null, caseKey);
  const suite = known.suites.get(execution.testCycle.id);
  return suite && runKey(suite.key, caseKey);
}

/**
 * An incremental run reads only the executions that changed, so a run whose test case was renamed
 * (its executions untouched) is not met above: each recorded run is checked against its case's
 * recorded name — in the state, without a request — and renamed when they differ. A full run meets
 * every run through its executions.
 */
async function renameRuns(context: RunContext, known: Known): Promise<void> {
  const { state, resolution } = context;
  const suiteIds = new Map([...known.suites.values()].map((s) => [s.key, s.suiteId]));
  const check = async (page: EntityRecord[]) => {
    const cases = await state.getMany(
      "testCase",
      page.map((run) => testCaseKeyOfRun(run.key)),
    );
    for (const run of page) {
      const caseRecord = cases.get(testCaseKeyOfRun(run.key));
      const caseData = testCaseDataSchema.safeParse(caseRecord?.data);
      if (caseRecord?.status !== "done" || caseRecord.targetId === null || !caseData.success) continue;
      const cycleKey = cycleKeyOfRun(run.key);
      const suiteId = cycleKey === AD_HOC ? (await known.adHocSuite())?.suiteId : suiteIds.get(cycleKey);
      if (suiteId === undefined) continue;
      const testCase = { id: caseRecord.targetId, name: caseData.data.name, versionId: caseData.data.versionId };
      const expected = runHash(planTestRun(run.key, testCase, resolution), { id: suiteId, type: "test-suite" });
      if (run.hash === expected) continue;
      const target = await ensureRun(context, run.key, suiteId, testCase);
      if (target?.renewed) known.renewed?.add(run.key);
    }
  };
  let page: EntityRecord[] = [];
  for await (const run of state.list("testRun", { status: "done" })) {
    page.push(run);
    if (page.length >= 500) {
      await check(page);
      page = [];
    }
  }
  await check(page);
}

async function migrateExecution(
  context: RunContext,
  execution: TestExecution,
  known: Known,
  records: {
    /** The log's record: null when known absent, undefined when it must be read. */
    log: EntityRecord | null | undefined;
    testCase: EntityRecord | undefined;
  },
): Promise<void> {
  const { tally, zephyr, qtest, resolution } = context;
  const marker = executionMarker(execution, resolution.projectKey);
  // Recorded, so that other shards take it as finished; the next run looks at it again.
  const skip = async (reason: string) => {
    tally.count("testLog", "skipped", marker, reason);
    await context.state.recordSkipped("testLog", marker, reason, context.runId);
    await forgetLegacyRecord(context, "testLog", marker);
  };
  const { testCase } = records;
  const place = placeExecution(execution, resolution.projectKey, {
    testCase: () => testCase?.status === "done" && testCase.targetId !== null,
    suiteKeyOf: (cycleId) => known.suites.get(cycleId)?.key,
  });
  if (place.kind === "skip" || !testCase || testCase.targetId === null) {
    await skip(place.kind === "skip" ? place.reason : "its test case was not migrated");
    return;
  }
  const suite = execution.testCycle ? known.suites.get(execution.testCycle.id) : await known.adHocSuite();
  if (!suite) {
    await skip("its ad-hoc suite could not be created");
    return;
  }
  const existing = records.log === undefined ? await context.state.get("testLog", marker) : records.log;
  const caseData = testCaseDataSchema.parse(testCase.data);
  const key = place.runKey;
  const runCase = { id: testCase.targetId, name: caseData.name, versionId: caseData.versionId };
  let run = known.runs.get(key);
  if (!run) {
    run = ensureRun(context, key, suite.suiteId, runCase);
    known.runs.set(key, run);
  }
  const target = await run;
  if (!target) {
    await skip(`its test run ${key} could not be created`);
    return;
  }
  if (target.renewed) known.renewed?.add(key);
  const steps = await zephyr.testExecutionSteps(String(execution.id));
  // The log names the case version its step logs point into: the case's current one, whose step ids these are.
  const input = planTestLog(execution, steps, { versionId: caseData.versionId, stepIds: caseData.stepIds }, resolution);
  if (!input) {
    await skip(NEVER_EXECUTED);
    return;
  }
  // A log follows its execution (status, comment, dates, environment, step results), not its test
  // case: hashed with every step result by position, so a new version of the case alone (steps
  // rewritten, one removed) does not rewrite logs made against the version they were run on.
  const positional = planPositionalLog(execution, steps, resolution) as TestLogInput;
  // The step results the case's current steps can take: what a log made now holds (asked for only when compared).
  const current = () => planPositionalLog(execution, steps, resolution, caseData.stepIds.length) as TestLogInput;
  const logMarker = { fieldName: resolution.markerField, value: marker };
  // Waiting for the run may have outlasted this shard's lease on the log: renewed, or left to its holder.
  if (!(await claim(context, "testLog", marker)).granted) return;
  const recorded = existing?.status === "done" ? testLogDataSchema.safeParse(existing.data) : undefined;
  // Recorded on another run than its own: that run was made again (it, or its suite, was lost in
  // qTest) and took the log with it. Looked for by its marker, and made again when it is nowhere.
  const onLostRun = recorded?.success && recorded.data.runId !== target.runId;
  const logData = (runId: number, stepLogs: number): TestLogData => ({ runId, stepLogs });
  await syncEntity(context, {
    type: "testLog",
    key: marker,
    hash: contentHash(positional),
    legacyHashes: () => [
      // Before empty values were written, and before logs kept step results beyond the case's current steps.
      contentHash(withoutEmptyProperties(current())),
      // Before logs followed their executions: hashed with their step ids.
      contentHash(withoutEmptyProperties(input)),
    ],
    record: onLostRun ? null : existing,
    update: async ({ targetId, data }) => {
      const known = testLogDataSchema.safeParse(data);
      const runId = known.success ? known.data.runId : target.runId;
      const stepLogs =
        (known.success ? known.data.stepLogs : undefined) ?? (await qtest.testLog(runId, targetId)).test_step_logs?.length ?? 0;
      // A log stays on the case version it was made against, and its step logs on the steps they
      // were logged for: qTest addresses them by order, and moves, adds and removes none.
      const byOrder = positional.test_step_logs
        ?.filter((stepLog) => (stepLog.order ?? 0) <= stepLogs)
        .map(({ test_step_id: _, ...stepLog }) => stepLog);
      await qtest.updateTestLog(runId, targetId, { ...input, test_case_version_id: undefined, test_step_logs: byOrder });
      return { targetId, data: logData(runId, stepLogs) };
    },
    create: async () => {
      const createOn = async (runId: number) => ({
        targetId: (await qtest.createTestLog(runId, input, logMarker)).id,
        data: logData(runId, input.test_step_logs?.length ?? 0),
      });
      try {
        return await createOn(target.runId);
      } catch (error) {
        if (!(error instanceof ApiError && error.kind === "notFound")) throw error;
        // Its run was deleted in qTest since it was recorded: the run is made again, then the log on it.
        context.targetPresence.lost("testRun", target.runId);
        const again = await ensureRun(context, key, suite.suiteId, runCase);
        known.runs.set(key, Promise.resolve(again));
        if (!again || again.runId === target.runId) throw error;
        known.renewed?.add(key);
        return createOn(again.runId);
      }
    },
    find: async () => {
      const [found] = await qtest.findByMarker("test-logs", logMarker.fieldName, logMarker.value);
      return found
        ? { targetId: found.id, data: logData(found.test_run_id ?? target.runId, found.test_step_logs?.length ?? 0) }
        : undefined;
    },
    adopt: async () => {
      // A legacy `execution-<id>` log is this project's where it sits: on this execution's run.
      const found = await context.markers.findOwn(
        "test-logs",
        marker,
        resolution.projectKey,
        (l) => l.test_run_id === target.runId,
      );
      if (!found) return undefined;
      if (found.surplus.some((l) => l.test_run_id === found.primary.test_run_id)) known.rebuild?.add(key);
      await forgetLegacyRecord(context, "testLog", marker);
      const { primary } = found;
      const catalogs = await context.markers.catalogs();
      const fields = comparedFields(resolution).testLog;
      // The same rule as verification's: a log made against an earlier version of its case is compared
      // by order with every step result; one on the current version by step, with what its steps can take.
      const earlier = loggedOnEarlierVersion(primary, caseData.versionId);
      const expected = earlier
        ? expectedLog(positional, catalogs.testRun, fields, catalogs.statuses, byOrder)
        : expectedLog(current(), catalogs.testRun, fields, catalogs.statuses);
      const held = targetLog(primary, catalogs.testRun, fields, catalogs.statuses, earlier ? byOrder : caseData.stepIds);
      const written = {
        targetId: primary.id,
        data: logData(primary.test_run_id ?? target.runId, primary.test_step_logs?.length ?? 0),
      };
      // A legacy-marked log is rewritten once, to carry its project's marker.
      return { written, current: !found.legacy && contentHash(expected) === contentHash(held) };
    },
  });
}

/** What a run follows: its test case's name, the case and the suite — not the case's version, which a run keeps. */
function runHash(input: TestRunInput, parent: { id: number; type: "test-suite" }): string {
  return contentHash({ name: input.name, testCase: input.test_case, parent });
}

async function ensureRun(
  context: RunContext,
  key: string,
  suiteId: number,
  testCase: { id: number; name: string; versionId: number },
): Promise<RunTarget | undefined> {
  const { qtest, resolution } = context;
  const input = planTestRun(key, testCase, resolution);
  const parent = { id: suiteId, type: "test-suite" as const };
  const marker = { fieldName: resolution.markerField, value: key };
  const describe = (run: { id: number; test_case_version_id?: number | null; parentId?: number | null }) => ({
    targetId: run.id,
    data: {
      versionId: run.test_case_version_id ?? testCase.versionId,
      ...(run.parentId != null && { parentId: run.parentId }),
    } satisfies TestRunData,
  });
  const result = await syncShared(context, {
    type: "testRun",
    key,
    hash: runHash(input, parent),
    legacyHashes: () => [contentHash({ input, parent })],
    update: async ({ targetId, data }) => {
      // In another suite (its suite made again, or an earlier ZTOQ's shared ad-hoc suite): moved first,
      // since qTest ignores the body of a move. Where it is unknown (recorded before ZTOQ kept it): moved.
      if (testRunDataSchema.safeParse(data).data?.parentId !== suiteId) await qtest.moveTestRun(targetId, parent);
      return describe(await qtest.updateTestRun(targetId, { name: input.name }));
    },
    create: async () => describe(await qtest.createTestRun(input, parent, marker)),
    find: async () => {
      const [found] = await qtest.findByMarker("test-runs", marker.fieldName, marker.value);
      return found ? describe(found) : undefined;
    },
    adopt: async () => {
      const found = await context.markers.find("test-runs", key);
      if (!found) return undefined;
      await removeSurplus(context, "testRun", key, found, (id) => qtest.deleteTestRun(id));
      const { primary } = found;
      return { written: describe(primary), current: primary.name === input.name && primary.parentId === suiteId };
    },
  });
  return result && { runId: result.targetId, renewed: result.outcome === "created" };
}
