import { forEachConcurrent } from "../../concurrency/pool.js";
import { contentHash } from "../../plan/content-hash.js";
import { planTestCase } from "../../plan/test-case.js";
import type { Difference } from "../../report/verification-report.js";
import type { TestCase } from "../../zephyr/schemas.js";
import { diff } from "../diff.js";
import { expectedTestCase, type TestCaseComparable, targetTestCase } from "./comparables.js";
import { type Comparison, DELETED_WHILE_VERIFYING, reportSurplus } from "./comparison.js";
import { orMissing } from "./or-missing.js";
import { showPath } from "./target-set.js";

/**
 * Test cases and their steps: each source case planned as the migration plans it, paired with the
 * target case carrying its key, compared digest to digest, and field by field where they differ.
 */
export async function compareTestCases(comparison: Comparison): Promise<void> {
  const { context } = comparison;
  const { zephyr, progress } = context;
  // The keys first: a call step calls a case when that case is in the source (the migration waits for it).
  for await (const page of zephyr.testCases()) for (const t of page) comparison.sourceKeys.add(t.key);
  progress.expect("testCase", context.sourceCounts.testCases);
  for await (const page of zephyr.testCases()) {
    await forEachConcurrent(page, context.config.migration.concurrency, async (testCase) => {
      comparison.read.source++;
      await compareTestCase(comparison, testCase);
      progress.tick("testCase");
    });
  }
  progress.finish("testCase");
  countLeftovers(comparison);
}

async function compareTestCase(comparison: Comparison, testCase: TestCase): Promise<void> {
  const { context, target } = comparison;
  const content = await context.zephyr.testSteps(testCase.key);
  const called = new Map<number, string>();
  const plan = planTestCase(testCase, content, {
    resolution: context.resolution,
    moduleId: 0,
    // A stand-in id per call, turned back into the key below: calls are compared by marker.
    migratedCaseId: (key) => {
      if (!comparison.sourceKeys.has(key)) return undefined;
      const id = -(called.size + 1);
      called.set(id, key);
      return id;
    },
  });
  const positions = plan.inlineStepPositions;
  comparison.inlinePositions.set(testCase.key, positions.every((p, i) => p === i) ? positions.length : positions);
  const expected = expectedTestCase(plan.input, target.catalogs.testCase, target.fieldIds.testCase, (id) => called.get(id));
  const expectedModule = (testCase.folder && comparison.moduleOfFolder.get(testCase.folder.id)) || target.rootModuleKey;
  await pairTestCase(comparison, testCase.key, expected, expectedModule);
}

async function pairTestCase(
  comparison: Comparison,
  key: string,
  expected: TestCaseComparable,
  expectedModule: string,
): Promise<void> {
  const { target, context } = comparison;
  const { cases } = target;
  const t = comparison.tallies.testCase;
  const s = comparison.tallies.testStep;
  const n = expected.testSteps.length;
  t.sourceCount++;
  s.sourceCount += n;
  const [primary, ...surplus] = cases.take(key);
  if (!primary) {
    t.problem("missing", key, []);
    s.problem("missing", key, [], n);
    return;
  }
  reportSurplus(t, key, primary.id, surplus);
  s.add(
    "duplicated",
    surplus.reduce((sum, r) => sum + r.stepIds.length, 0),
  );
  const actualModule = target.modules.get(primary.moduleId);
  const placeDiffs: Difference[] =
    actualModule === expectedModule
      ? []
      : [{ path: "module", source: showPath(expectedModule), target: showPath(actualModule ?? "[]") }];
  // Fast path: equal digests. Calls compare by the one target id carrying the callee's marker.
  const digestForm = {
    ...expected,
    testSteps: expected.testSteps.map((step) => {
      if (step.calledTestCase === null) return step;
      const id = cases.uniqueId(step.calledTestCase);
      return { ...step, calledTestCase: id === undefined ? `?${step.calledTestCase}` : `#${id}` };
    }),
  };
  if (contentHash(digestForm) === primary.digest) {
    t.paired(key, [primary.id], { misplaced: placeDiffs });
    s.add("matched", n);
    return;
  }
  comparison.read.reread++;
  const fresh = await orMissing(() => context.qtest.testCase(primary.id, { withSteps: true }));
  if (!fresh) {
    t.problem("missing", key, [primary.id], 1, [DELETED_WHILE_VERIFYING]);
    s.problem("missing", key, [primary.id], n);
    return;
  }
  const actual = targetTestCase(
    fresh,
    target.catalogs.testCase,
    target.fieldIds.testCase,
    (id) => cases.markerOf(id) ?? `#${id}`,
  );
  const differences = diff(expected, actual);
  t.paired(key, [primary.id], { misplaced: placeDiffs, changed: differences });
  // The steps, position by position.
  const m = actual.testSteps.length;
  for (let i = 0; i < Math.min(n, m); i++) {
    const prefix = `testSteps[${i}]`;
    const stepDiffs = differences
      .filter((d) => d.path === prefix || d.path.startsWith(`${prefix}.`))
      .map((d) => ({ ...d, path: d.path.slice(prefix.length + 1) || "step" }));
    s.paired(`${key} ${prefix}`, [primary.id], { changed: stepDiffs });
  }
  if (n > m) s.problem("missing", `${key} ${stepRange(m, n)}`, [primary.id], n - m);
  if (m > n) s.problem("extra", `${key} ${stepRange(n, m)}`, [primary.id], m - n);
}

/** Target cases no source case paired with: extra, with their steps. */
function countLeftovers(comparison: Comparison): void {
  const { cases } = comparison.target;
  const { testCase, testStep } = comparison.tallies;
  testCase.targetCount = cases.size;
  for (const record of cases.values()) testStep.targetCount += record.stepIds.length;
  for (const record of cases.leftovers()) {
    const key = record.marker ?? `(no ${comparison.context.config.mapping.markerField}) #${record.id}`;
    testCase.problem("extra", key, [record.id]);
    testStep.problem("extra", key, [record.id], record.stepIds.length);
  }
}

/** `testSteps[4]`, or `testSteps[4…9]` for steps 4 to 9. */
function stepRange(from: number, to: number): string {
  return to - from === 1 ? `testSteps[${from}]` : `testSteps[${from}…${to - 1}]`;
}
