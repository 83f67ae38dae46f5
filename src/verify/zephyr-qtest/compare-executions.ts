import {
  byOrder,
  byOrderAt,
  byPosition,
  byStepId,
  expectedLog,
  expectedRun,
  loggedOnEarlierVersion,
  targetLog,
  targetRun,
} from "../../compare/comparables.js";
import { forEachConcurrent } from "../../concurrency/pool.js";
import { contentHash } from "../../plan/content-hash.js";
import { executionMarker, legacyMarkerOf } from "../../plan/markers.js";
import { notCarriedOfTestExecution } from "../../plan/not-carried.js";
import { placeExecution, planPositionalLog, planTestLog, planTestRun } from "../../plan/test-execution.js";
import type { Difference } from "../../report/verification-report.js";
import type { TestExecution } from "../../zephyr/schemas.js";
import { diff } from "../diff.js";
import { type Comparison, DELETED_WHILE_VERIFYING, reportSurplus } from "./comparison.js";
import type { TestRunRecord } from "./target-index.js";

/** Executions → test runs (one per cycle item) and test logs (one per execution that ran). */
export async function compareExecutions(comparison: Comparison): Promise<void> {
  const { context } = comparison;
  context.progress.expect("testLog", context.sourceCounts.testExecutions);
  for await (const page of context.zephyr.testExecutions()) {
    await forEachConcurrent(page, context.config.migration.concurrency, async (execution) => {
      comparison.read.source++;
      await compareExecution(comparison, execution);
      context.progress.tick("testLog");
    });
  }
  context.progress.finish("testLog");
}

async function compareExecution(comparison: Comparison, execution: TestExecution): Promise<void> {
  const { context, target } = comparison;
  const t = comparison.tallies.testLog;
  comparison.notCarried.addAll(notCarriedOfTestExecution(execution, comparison.notCarriedRules));
  // The migration skips an execution whose test case or cycle it did not migrate.
  const place = placeExecution(execution, context.resolution.projectKey, {
    testCase: (key) => comparison.sourceKeys.has(key),
    suiteKeyOf: (cycleId) => comparison.cycleKeys.get(cycleId),
  });
  if (place.kind === "skip") {
    t.excluded++;
    return;
  }
  const { testCaseKey, suiteKey, runKey } = place;
  if (!execution.testCycle) comparison.adHocNeeded = true;
  if (!comparison.expectedRuns.has(runKey)) {
    comparison.expectedRuns.add(runKey);
    await pairRun(comparison, runKey, testCaseKey, suiteKey);
  }
  // Never executed: no end date, so no log.
  if (!execution.actualEndDate) {
    t.excluded++;
    return;
  }
  const marker = executionMarker(execution, context.resolution.projectKey);
  const steps = await context.zephyr.testExecutionSteps(String(execution.id));
  const positions = comparison.inlinePositions.get(testCaseKey) ?? 0;
  const stepIds = typeof positions === "number" ? Array.from({ length: positions }, (_, i) => i) : positions;
  // Planned with step positions in place of step ids: a target step log is compared by its step's position.
  const input = planTestLog(execution, steps, { versionId: 0, stepIds }, context.resolution);
  t.sourceCount++;
  if (!input) return;
  const { testRun: catalog, statuses } = target.catalogs;
  const [primary, ...surplus] = target.logs.takeOwn(marker);
  if (!primary) {
    t.problem("missing", marker, []);
    return;
  }
  // A log made against an earlier version of its case was digested with its step logs by order, and
  // keeps every step it was executed with, however many steps the case has now (as migrate compares it).
  const planned = primary.byOrder ? (planPositionalLog(execution, steps, context.resolution) ?? input) : input;
  const expected = expectedLog(planned, catalog, target.fieldIds.testLog, statuses, primary.byOrder ? byOrder : byPosition);
  reportSurplus(t, marker, primary.id, surplus);
  const run = target.runs.get(primary.runId);
  const placeDiffs: Difference[] = [];
  if (run?.marker !== runKey) placeDiffs.push({ path: "testRun", source: runKey, target: run?.marker ?? `#${primary.runId}` });
  else placeDiffs.push(...runPlace(comparison, run, testCaseKey, suiteKey));
  let differences: Difference[] = [];
  if (contentHash(expected) !== primary.digest) {
    comparison.read.reread++;
    const fresh = await findLog(comparison, primary.runId, primary.id);
    if (fresh) {
      // Compared field by field, step logs named by position on both sides (by order, shown as a position,
      // for a log made against an earlier version of its case).
      const testCase = run ? target.cases.get(run.caseId) : undefined;
      const stepRef = loggedOnEarlierVersion(fresh, testCase?.versionId) ? byOrderAt(stepIds) : byStepId(testCase?.stepIds);
      const shown = primary.byOrder ? expectedLog(planned, catalog, target.fieldIds.testLog, statuses, byPosition) : expected;
      differences = diff(shown, targetLog(fresh, catalog, target.fieldIds.testLog, statuses, stepRef));
    } else {
      differences = [DELETED_WHILE_VERIFYING];
    }
  }
  t.paired(marker, [primary.id], { misplaced: placeDiffs, changed: differences });
}

/** A run is in its place (`runPlace`) and named as its test case is planned to be named. */
async function pairRun(comparison: Comparison, key: string, caseKey: string, suiteKey: string): Promise<void> {
  const { context, target } = comparison;
  const t = comparison.tallies.testRun;
  t.sourceCount++;
  const [primary, ...surplus] = target.runs.take(key);
  if (!primary) {
    t.problem("missing", key, []);
    return;
  }
  reportSurplus(t, key, primary.id, surplus);
  const caseName = comparison.caseNames.get(caseKey) ?? "";
  const expected = expectedRun(planTestRun(key, { id: 0, name: caseName, versionId: 0 }, context.resolution));
  let differences: Difference[] = [];
  if (contentHash(expected) !== primary.digest) {
    comparison.read.reread++;
    const fresh = await findRun(comparison, primary);
    differences = fresh ? diff(expected, targetRun(fresh)) : [DELETED_WHILE_VERIFYING];
  }
  t.paired(key, [primary.id], { misplaced: runPlace(comparison, primary, caseKey, suiteKey), changed: differences });
}

/** A run belongs in the suite of its cycle and stands for its test case, both by marker. */
function runPlace(comparison: Comparison, run: TestRunRecord, caseKey: string, suiteKey: string): Difference[] {
  const { suites, cases } = comparison.target;
  const out: Difference[] = [];
  const suiteMarker = run.parentType === "test-suite" ? suites.markerOf(run.parentId) : undefined;
  // The ad-hoc suite may still carry the marker an earlier ZTOQ gave it; the set holds only this project's area.
  if (suiteMarker !== suiteKey && (suiteMarker === undefined || suiteMarker !== legacyMarkerOf(suiteKey))) {
    out.push({ path: "testSuite", source: suiteKey, target: suiteMarker ?? `${run.parentType} #${run.parentId}` });
  }
  const caseMarker = cases.markerOf(run.caseId);
  if (caseMarker !== caseKey) out.push({ path: "testCase", source: caseKey, target: caseMarker ?? `#${run.caseId}` });
  return out;
}

async function findRun(comparison: Comparison, run: TestRunRecord) {
  for await (const page of comparison.context.qtest.testRuns({ id: run.parentId, type: run.parentType })) {
    const found = page.find((r) => r.id === run.id);
    if (found) return found;
  }
  return undefined;
}

async function findLog(comparison: Comparison, runId: number, logId: number) {
  for await (const page of comparison.context.qtest.testLogs(runId)) {
    const found = page.find((l) => l.id === logId);
    if (found) return found;
  }
  return undefined;
}
