import type { TestLogInput, TestRunInput } from "../qtest/schemas.js";
import type { TestExecution, TestExecutionStep } from "../zephyr/schemas.js";
import { managedProperties, TEST_LOG_FIELDS, TEST_RUN_FIELDS } from "./managed-fields.js";
import { adHocSuiteMarker, runKey, testCaseKeyOf } from "./markers.js";
import type { Resolution } from "./resolution.js";

/** The run an execution belongs to, or why it has none: the one rule migrate follows and verify expects. */
export type ExecutionPlace =
  | { kind: "run"; testCaseKey: string; suiteKey: string; runKey: string }
  | { kind: "skip"; reason: string };

/**
 * An execution belongs to the run of its test case in its cycle's suite (or the ad-hoc suite of its
 * project) when both were migrated; `suiteKeyOf` names the suite of a cycle id, undefined when that
 * cycle was not migrated. Whether it also gets a log is `planTestLog`'s to say.
 */
export function placeExecution(
  execution: TestExecution,
  projectKey: string,
  migrated: { testCase: (key: string) => boolean; suiteKeyOf: (cycleId: number) => string | undefined },
): ExecutionPlace {
  const testCaseKey = testCaseKeyOf(execution);
  if (testCaseKey === undefined || !migrated.testCase(testCaseKey)) {
    return { kind: "skip", reason: `its test case ${testCaseKey ?? "(unknown)"} was not migrated` };
  }
  const suiteKey = execution.testCycle ? migrated.suiteKeyOf(execution.testCycle.id) : adHocSuiteMarker(projectKey);
  if (suiteKey === undefined) return { kind: "skip", reason: `its test cycle ${execution.testCycle?.id} was not migrated` };
  return { kind: "run", testCaseKey, suiteKey, runKey: runKey(execution.testCycle ? suiteKey : null, testCaseKey) };
}

export function planTestRun(
  key: string,
  testCase: { id: number; name: string; versionId: number },
  resolution: Resolution,
): TestRunInput {
  return {
    name: testCase.name,
    test_case: { id: testCase.id },
    test_case_version_id: testCase.versionId,
    properties: managedProperties(TEST_RUN_FIELDS, { runKey: key }, resolution),
  };
}

/** Why an execution that belongs to a run has no log. */
export const NEVER_EXECUTED = "never executed (no end date)";

/**
 * An execution becomes a test log. Zephyr records when it ended and how long it took; qTest wants a
 * start and an end. An execution never run has no end date, and so no log (null).
 */
export function planTestLog(
  execution: TestExecution,
  steps: readonly TestExecutionStep[],
  target: { versionId: number; stepIds: readonly number[] },
  resolution: Resolution,
): TestLogInput | null {
  if (!execution.actualEndDate) return null;
  const end = Date.parse(execution.actualEndDate);
  const start = end - (execution.executionTime ?? 0);
  const status = resolution.executionStatus.get(execution.testExecutionStatus.id);
  if (status === undefined) throw new Error(`execution status ${execution.testExecutionStatus.id} was not resolved`);
  return {
    status: { id: status },
    exe_start_date: new Date(start).toISOString(),
    exe_end_date: new Date(end).toISOString(),
    note: execution.comment ?? "",
    test_case_version_id: target.versionId,
    properties: managedProperties(TEST_LOG_FIELDS, execution, resolution),
    test_step_logs: steps.flatMap((step, i) => {
      const stepStatus = step.inline.status ? resolution.executionStatus.get(step.inline.status.id) : undefined;
      const stepId = target.stepIds[i];
      if (stepStatus === undefined || stepId === undefined) return [];
      return [{ test_step_id: stepId, status: { id: stepStatus }, actual_result: step.inline.actualResult ?? "", order: i + 1 }];
    }),
  };
}

/**
 * A log planned with step positions in place of step ids, as logs are compared and hashed: with every
 * step result of the execution, or (`upTo`) only those the first `upTo` steps can take — a log made
 * against the case's current version holds no more step logs than the version has steps, while one
 * made against an earlier version keeps every step it was executed with.
 */
export function planPositionalLog(
  execution: TestExecution,
  steps: readonly TestExecutionStep[],
  resolution: Resolution,
  upTo?: number,
): TestLogInput | null {
  const count = upTo === undefined ? steps.length : Math.min(upTo, steps.length);
  return planTestLog(execution, steps, { versionId: 0, stepIds: Array.from({ length: count }, (_, i) => i) }, resolution);
}
