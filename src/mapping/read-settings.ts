import type { QTestClient } from "../qtest/client.js";
import type { ZephyrClient } from "../zephyr/client.js";
import type { SourceNames, TargetSettings } from "./resolve.js";

/** What the qTest project holds that a mapping resolves against: fields per object type, execution statuses, users. */
export async function readTargetSettings(qtest: QTestClient): Promise<TargetSettings> {
  const [caseFields, suiteFields, runFields, executionStatuses, users] = await Promise.all([
    qtest.fields("test-cases"),
    qtest.fields("test-suites"),
    qtest.fields("test-runs"),
    qtest.executionStatuses(),
    qtest.users(),
  ]);
  return {
    fields: { "test-cases": caseFields, "test-suites": suiteFields, "test-runs": runFields },
    executionStatuses,
    users,
  };
}

/** The Zephyr names of the statuses, priorities and environments, which the source's entities carry by id. */
export async function readSourceNames(zephyr: ZephyrClient): Promise<SourceNames> {
  const [caseStatuses, cycleStatuses, executionStatuses, priorities, environments] = await Promise.all([
    zephyr.statuses("TEST_CASE"),
    zephyr.statuses("TEST_CYCLE"),
    zephyr.statuses("TEST_EXECUTION"),
    zephyr.priorities(),
    zephyr.environments(),
  ]);
  return {
    choices: { testCaseStatus: caseStatuses, testCycleStatus: cycleStatuses, priority: priorities, environment: environments },
    executionStatuses,
  };
}
