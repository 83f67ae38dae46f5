import { expectedLog, targetLog } from "../../compare/comparables.js";
import { contentHash } from "../../plan/content-hash.js";
import { comparedFields } from "../../plan/managed-fields.js";
import { executionMarker, runKey, testCaseKeyOf } from "../../plan/markers.js";
import { NEVER_EXECUTED, placeExecution, planTestLog, planTestRun } from "../../plan/test-execution.js";
import { type TestRunData, testCaseDataSchema, testLogDataSchema } from "../../state/entity-data.js";
import type { EntityRecord } from "../../state/store.js";
import type { TestExecution } from "../../zephyr/schemas.js";
import { forgetLegacyRecord, removeSurplus } from "../adoption.js";
import type { RunContext } from "../context.js";
import { claim, shardedForEach, syncShared } from "../shard-work.js";
import { syncEntity } from "../sync-entity.js";
import type { SuiteTargets } from "./test-suites.js";

/** The qTest id of a cycle item's run. */
type RunTarget = { runId: number };

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
  const runs = new Map<string, Promise<RunTarget | undefined>>();
  await shardedForEach(context, {
    type: "testLog",
    pages: () => zephyr.testExecutions(context.updatedAfter ? { updatedAfter: context.updatedAfter } : {}),
    // All executions of one cycle item go to one shard, which so makes its run.
    partitionKey: (execution) =>
      runKey(execution.testCycle ? String(execution.testCycle.id) : null, testCaseKeyOf(execution) ?? ""),
    claimKey: (execution) => executionMarker(execution, context.resolution.projectKey),
    work: async (execution, log) => {
      const caseKey = testCaseKeyOf(execution);
      const testCase = caseKey === undefined ? undefined : await state.get("testCase", caseKey);
      await migrateExecution(context, execution, { suites, adHocSuite, runs, log, testCase });
      context.progress.tick("testLog");
      // Runs stay findable through the state store; the map need not grow forever.
      if (runs.size > 10_000) runs.clear();
    },
  });
  context.progress.finish("testLog");
}

async function migrateExecution(
  context: RunContext,
  execution: TestExecution,
  known: {
    suites: SuiteTargets;
    adHocSuite: () => Promise<{ key: string; suiteId: number } | undefined>;
    runs: Map<string, Promise<RunTarget | undefined>>;
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
  const { testCase } = known;
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
  const existing = known.log === undefined ? await context.state.get("testLog", marker) : known.log;
  const caseData = testCaseDataSchema.parse(testCase.data);
  const key = place.runKey;
  let run = known.runs.get(key);
  if (!run) {
    run = ensureRun(context, key, suite.suiteId, { id: testCase.targetId, name: caseData.name, versionId: caseData.versionId });
    known.runs.set(key, run);
  }
  const target = await run;
  if (!target) {
    await skip(`its test run ${key} could not be created`);
    return;
  }
  const steps = await zephyr.testExecutionSteps(String(execution.id));
  // The log names the case version its step logs point into: the case's current one, whose step ids these are.
  const input = planTestLog(execution, steps, { versionId: caseData.versionId, stepIds: caseData.stepIds }, resolution);
  if (!input) {
    await skip(NEVER_EXECUTED);
    return;
  }
  // A log follows its execution (status, comment, dates, environment, step results), not its test
  // case: hashed with step positions in place of step ids, so a new version of the case alone does
  // not rewrite logs made against the version they were run on.
  const positional = planTestLog(execution, steps, { versionId: 0, stepIds: caseData.stepIds.map((_, i) => i) }, resolution);
  const sourceHash = contentHash(positional);
  const logMarker = { fieldName: resolution.markerField, value: marker };
  // Waiting for the run may have outlasted this shard's lease on the log: renewed, or left to its holder.
  if (!(await claim(context, "testLog", marker)).granted) return;
  const recorded = existing?.status === "done" ? testLogDataSchema.safeParse(existing.data) : undefined;
  // The run a log is on: as recorded, as found when adopted, or the one it is created on.
  let logRunId = recorded?.success ? recorded.data.runId : target.runId;
  await syncEntity(context, {
    type: "testLog",
    key: marker,
    hash: sourceHash,
    // Logs recorded before logs followed their executions were hashed with their step ids.
    legacyHash: contentHash(input),
    record: existing,
    update: async (id: number) => {
      // A log stays on the case version it was made against, and its step logs on the steps they
      // were logged for: qTest addresses them by order and moves neither.
      const stepLogs = input.test_step_logs?.map(({ test_step_id: _, ...stepLog }) => stepLog);
      await qtest.updateTestLog(logRunId, id, { ...input, test_case_version_id: undefined, test_step_logs: stepLogs });
      return { targetId: id, data: { runId: logRunId } };
    },
    create: async () => ({
      targetId: (await qtest.createTestLog(target.runId, input, logMarker)).id,
      data: { runId: target.runId },
    }),
    find: async () => {
      const [found] = await qtest.findByMarker("test-logs", logMarker.fieldName, logMarker.value);
      return found ? { targetId: found.id, data: { runId: target.runId } } : undefined;
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
      await forgetLegacyRecord(context, "testLog", marker);
      const { primary } = found;
      logRunId = primary.test_run_id ?? target.runId;
      const catalogs = await context.markers.catalogs();
      const fields = comparedFields(resolution).testLog;
      const current =
        !found.legacy &&
        positional !== null &&
        contentHash(expectedLog(positional, catalogs.testRun, fields, catalogs.statuses)) ===
          contentHash(targetLog(primary, catalogs.testRun, fields, catalogs.statuses, caseData.stepIds));
      return { written: { targetId: primary.id, data: { runId: logRunId } }, current };
    },
  });
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
  const describe = (run: { id: number; test_case_version_id?: number | null }) => ({
    targetId: run.id,
    data: { versionId: run.test_case_version_id ?? testCase.versionId } satisfies TestRunData,
  });
  const result = await syncShared(context, {
    type: "testRun",
    key,
    // What a run follows: its test case's name, the case and the suite — not the case's version,
    // which a run keeps from when it was made.
    hash: contentHash({ name: input.name, testCase: input.test_case, parent }),
    legacyHash: contentHash({ input, parent }),
    update: async (id) => describe(await qtest.updateTestRun(id, { name: input.name })),
    create: async () => describe(await qtest.createTestRun(input, parent, marker)),
    find: async () => {
      const [found] = await qtest.findByMarker("test-runs", marker.fieldName, marker.value);
      return found ? describe(found) : undefined;
    },
    adopt: async () => {
      const found = await context.markers.find("test-runs", key);
      if (!found) return undefined;
      await removeSurplus(context, "testRun", key, found, (id) => qtest.deleteTestRun(id));
      return { written: describe(found.primary), current: found.primary.name === input.name };
    },
  });
  return result && { runId: result.targetId };
}
