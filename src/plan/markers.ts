import type { TestExecution } from "../zephyr/schemas.js";

/**
 * The marker values every created object carries in the marker field: what makes a migration
 * idempotent, and what verification pairs source and target by.
 */

/** Executions outside any cycle share one run per test case, in a suite of their own with this marker. */
export const AD_HOC = "ad-hoc";

/**
 * A test run stands for one test case in one suite (a Zephyr "cycle item"); every execution of the
 * case in that cycle becomes a log on it. Its marker is `<cycle key>/<test case key>`.
 */
export function runKey(cycleKey: string | null, testCaseKey: string): string {
  return `${cycleKey ?? AD_HOC}/${testCaseKey}`;
}

/** The test case key a run marker (`runKey`) names. */
export function testCaseKeyOfRun(key: string): string {
  return key.slice(key.lastIndexOf("/") + 1);
}

/** The cycle key (or `AD_HOC`) a run marker (`runKey`) names. */
export function cycleKeyOfRun(key: string): string {
  return key.slice(0, key.lastIndexOf("/"));
}

/** The marker of a log: the execution key, or its id where Zephyr gave it no key. */
export function executionMarker(execution: TestExecution): string {
  return execution.key ?? `execution-${execution.id}`;
}

/** The execution's test case reference has no key field; the key sits in its `self` URL. */
export function testCaseKeyOf(execution: TestExecution): string | undefined {
  return /\/testcases\/([^/?]+)/.exec(execution.testCase.self ?? "")?.[1];
}
