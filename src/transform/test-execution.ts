import type { TestLogInput, TestRunInput } from "../qtest/schemas.js";
import type { TestExecution, TestExecutionStep } from "../zephyr/schemas.js";
import type { Resolution } from "./resolution.js";
import { compact } from "./test-case.js";

/** Executions outside any cycle share one run per test case, in a suite of their own. */
export const AD_HOC = "ad-hoc";

/**
 * A test run stands for one test case in one suite (a Zephyr "cycle item"); every execution of the
 * case in that cycle becomes a log on it. Its marker is `<cycle key>/<test case key>`.
 */
export function runKey(cycleKey: string | null, testCaseKey: string): string {
  return `${cycleKey ?? AD_HOC}/${testCaseKey}`;
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
    properties: compact([[resolution.fields.testRun.marker, key]]),
  };
}

/** The marker of a log: the execution key, or its id where Zephyr gave it no key. */
export function executionMarker(execution: TestExecution): string {
  return execution.key ?? `execution-${execution.id}`;
}

/**
 * An execution becomes a test log. Zephyr records when it ended and how long it took; qTest wants a
 * start and an end. An execution never run has no end date, and so no log.
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
    properties: compact([
      [resolution.fields.testRun.marker, executionMarker(execution)],
      [
        resolution.fields.testRun.environment,
        execution.environment ? resolution.environment.get(execution.environment.id) : undefined,
      ],
    ]),
    test_step_logs: steps.flatMap((step, i) => {
      const stepStatus = step.inline.status ? resolution.executionStatus.get(step.inline.status.id) : undefined;
      const stepId = target.stepIds[i];
      if (stepStatus === undefined || stepId === undefined) return [];
      return [{ test_step_id: stepId, status: { id: stepStatus }, actual_result: step.inline.actualResult ?? "", order: i + 1 }];
    }),
  };
}
