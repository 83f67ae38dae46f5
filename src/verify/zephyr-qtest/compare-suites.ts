import { expectedSuite, type SuiteComparable, targetSuite } from "../../compare/comparables.js";
import { contentHash } from "../../plan/content-hash.js";
import { adHocSuiteMarker } from "../../plan/markers.js";
import { notCarriedOfTestCycle } from "../../plan/not-carried.js";
import { planAdHocSuite, planTestSuite } from "../../plan/test-suite.js";
import type { Difference } from "../../report/verification-report.js";
import { diff } from "../diff.js";
import { type Comparison, DELETED_WHILE_VERIFYING, reportSurplus } from "./comparison.js";
import { showPath } from "./target-set.js";

/** Test cycles → suites, each in the test cycle its folder became. */
export async function compareSuites(comparison: Comparison): Promise<void> {
  const { context, target } = comparison;
  for await (const page of context.zephyr.testCycles()) {
    for (const cycle of page) {
      comparison.read.source++;
      comparison.cycleKeys.set(cycle.id, cycle.key);
      comparison.notCarried.addAll(notCarriedOfTestCycle(cycle, comparison.notCarriedRules));
      const expected = expectedSuite(
        planTestSuite(cycle, context.resolution),
        target.catalogs.testSuite,
        target.fieldIds.testSuite,
      );
      const parent = (cycle.folder && comparison.cycleOfFolder.get(cycle.folder.id)) || target.rootCycleKey;
      await pairSuite(comparison, cycle.key, expected, parent);
      context.progress.tick("testSuite");
    }
  }
}

/** The ad-hoc suite, expected when some execution ran outside any cycle (known once executions are compared). */
export async function compareAdHocSuite(comparison: Comparison): Promise<void> {
  if (!comparison.adHocNeeded) return;
  const { target, context } = comparison;
  const expected = expectedSuite(planAdHocSuite(context.resolution), target.catalogs.testSuite, target.fieldIds.testSuite);
  await pairSuite(comparison, adHocSuiteMarker(context.resolution.projectKey), expected, target.rootCycleKey);
}

async function pairSuite(comparison: Comparison, key: string, expected: SuiteComparable, parentKey: string): Promise<void> {
  const { target, context } = comparison;
  const t = comparison.tallies.testSuite;
  t.sourceCount++;
  const [primary, ...surplus] = target.suites.takeOwn(key);
  if (!primary) {
    t.problem("missing", key, []);
    return;
  }
  reportSurplus(t, key, primary.id, surplus);
  const actualParent = primary.parent.type === "test-cycle" ? target.cycles.get(primary.parent.id) : undefined;
  const placeDiffs: Difference[] =
    actualParent === parentKey
      ? []
      : [
          {
            path: "testCycle",
            source: showPath(parentKey),
            target: actualParent ? showPath(actualParent) : `${primary.parent.type} #${primary.parent.id}`,
          },
        ];
  let differences: Difference[] = [];
  if (contentHash(expected) !== primary.digest) {
    comparison.read.reread++;
    const fresh = (await context.qtest.testSuites(primary.parent)).find((x) => x.id === primary.id);
    differences = fresh
      ? diff(expected, targetSuite(fresh, target.catalogs.testSuite, target.fieldIds.testSuite))
      : [DELETED_WHILE_VERIFYING];
  }
  t.paired(key, [primary.id], { misplaced: placeDiffs, changed: differences });
}
