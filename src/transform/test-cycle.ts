import type { TestSuiteInput } from "../qtest/schemas.js";
import type { TestCycle } from "../zephyr/schemas.js";
import type { Resolution } from "./resolution.js";
import { compact } from "./test-case.js";
import { AD_HOC } from "./test-execution.js";

/** A Zephyr test cycle becomes a qTest test suite (its folder became the test cycle holding it). */
export function planTestSuite(cycle: TestCycle, resolution: Resolution): TestSuiteInput {
  const fields = resolution.fields.testSuite;
  return {
    name: cycle.name,
    properties: compact([
      [fields.marker, cycle.key],
      [fields.status, cycle.status ? resolution.testCycleStatus.get(cycle.status.id) : undefined],
      [fields.plannedStart, cycle.plannedStartDate ?? undefined],
      [fields.plannedEnd, cycle.plannedEndDate ?? undefined],
      [fields.assignedTo, cycle.owner?.accountId ? resolution.users.get(cycle.owner.accountId) : undefined],
    ]),
  };
}

/** The suite holding the runs of executions made outside any cycle; its marker is `ad-hoc`. */
export function planAdHocSuite(resolution: Resolution): TestSuiteInput {
  return { name: "Ad hoc executions", properties: compact([[resolution.fields.testSuite.marker, AD_HOC]]) };
}
