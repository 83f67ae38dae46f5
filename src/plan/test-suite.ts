import type { TestSuiteInput } from "../qtest/schemas.js";
import type { TestCycle } from "../zephyr/schemas.js";
import { fieldIdOf, managedProperties, TEST_SUITE_FIELDS } from "./managed-fields.js";
import { adHocSuiteMarker } from "./markers.js";
import type { Resolution } from "./resolution.js";

/** A Zephyr test cycle becomes a qTest test suite (its folder became the test cycle holding it). */
export function planTestSuite(cycle: TestCycle, resolution: Resolution): TestSuiteInput {
  return { name: cycle.name, properties: managedProperties(TEST_SUITE_FIELDS, cycle, resolution) };
}

export const AD_HOC_SUITE_NAME = "Ad hoc executions";

/** The suite holding the runs of executions made outside any cycle; its marker is `<project key>-ad-hoc`. */
export function planAdHocSuite(resolution: Resolution): TestSuiteInput {
  const [marker] = TEST_SUITE_FIELDS;
  return {
    name: AD_HOC_SUITE_NAME,
    properties: marker
      ? [{ field_id: fieldIdOf(marker as never, resolution), field_value: adHocSuiteMarker(resolution.projectKey) }]
      : [],
  };
}
