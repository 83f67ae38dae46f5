import { expectedTestCase, type StepComparable, type TestCaseComparable, targetTestCase } from "../../compare/comparables.js";
import { forEachConcurrent } from "../../concurrency/pool.js";
import { absentOn404 } from "../../http/absent.js";
import { contentHash } from "../../plan/content-hash.js";
import { type CalleeContents, readCallees, rememberedReads } from "../../plan/inline-calls.js";
import { notCarriedOfTestCaseContent } from "../../plan/not-carried.js";
import { planTestCase, type TestCaseContent } from "../../plan/test-case.js";
import type { Difference } from "../../report/verification-report.js";
import type { TestCase } from "../../zephyr/schemas.js";
import { align } from "../align.js";
import { diff } from "../diff.js";
import type { ComparisonTally } from "../tally.js";
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
  const readCallee =
    context.config.migration.callToTest === "inline" ? rememberedReads((key) => absentOn404(zephyr.testSteps(key))) : undefined;
  for await (const page of zephyr.testCases()) {
    await forEachConcurrent(page, context.config.migration.concurrency, async (testCase) => {
      comparison.read.source++;
      await compareTestCase(comparison, testCase, readCallee);
      progress.tick("testCase");
    });
  }
  progress.finish("testCase");
  countLeftovers(comparison);
}

async function compareTestCase(
  comparison: Comparison,
  testCase: TestCase,
  readCallee: ((key: string) => Promise<TestCaseContent | undefined>) | undefined,
): Promise<void> {
  const { context, target } = comparison;
  const content = await context.zephyr.testSteps(testCase.key);
  comparison.notCarried.addAll(notCarriedOfTestCaseContent(testCase, content, comparison.notCarriedRules));
  // `callToTest: inline`: the callees' steps, as the migration read them.
  const callees: CalleeContents | undefined = readCallee && (await readCallees(testCase.key, content, readCallee));
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
    ...(callees && { callees }),
  });
  const positions = plan.inlineStepPositions;
  comparison.inlinePositions.set(testCase.key, positions.every((p, i) => p === i) ? positions.length : positions);
  comparison.caseNames.set(testCase.key, plan.input.name);
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
  // The steps of a case that is missing, extra or duplicated are shown, and counted through the case.
  const throughCase = { countedElsewhere: true };
  const [primary, ...surplus] = cases.take(key);
  if (!primary) {
    t.problem("missing", key, []);
    s.problem("missing", key, [], n, [], throughCase);
    return;
  }
  reportSurplus(t, key, primary.id, surplus);
  s.add(
    "duplicated",
    surplus.reduce((sum, r) => sum + r.stepIds.length, 0),
    throughCase,
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
    s.problem("missing", key, [primary.id], n, [], throughCase);
    return;
  }
  const actual = targetTestCase(
    fresh,
    target.catalogs.testCase,
    target.fieldIds.testCase,
    (id) => cases.markerOf(id) ?? `#${id}`,
  );
  const own = diff({ ...expected, testSteps: [] }, { ...actual, testSteps: [] });
  const steps = compareSteps(s, key, primary.id, expected.testSteps, actual.testSteps);
  // A case changed only in its steps is shown as changed, and counted through its steps.
  t.paired(key, [primary.id], { misplaced: placeDiffs, changed: [...own, ...steps] }, { countedElsewhere: own.length === 0 });
}

/**
 * The steps of a paired case, paired by identity (`align`): each expected step is equal, changed,
 * or missing; each target step left over is extra. Counted on `s`; returns the differences for the
 * case's sample, named by the expected step's index (an extra step by its index in the target).
 */
function compareSteps(
  s: ComparisonTally,
  key: string,
  caseId: number,
  expected: readonly StepComparable[],
  actual: readonly StepComparable[],
): Difference[] {
  const differences: Difference[] = [];
  const missing: number[] = [];
  const extra: number[] = [];
  for (const pair of align(expected, actual, (step) => JSON.stringify(step))) {
    if (pair.kind === "missing") {
      missing.push(pair.expected);
      differences.push({ path: `testSteps[${pair.expected}]`, source: expected[pair.expected], target: null });
    } else if (pair.kind === "extra") {
      extra.push(pair.target);
      differences.push({ path: `testSteps[${pair.target}]`, source: null, target: actual[pair.target] });
    } else {
      const stepDiffs = pair.kind === "equal" ? [] : diff(expected[pair.expected], actual[pair.target]);
      s.paired(`${key} testSteps[${pair.expected}]`, [caseId], { changed: stepDiffs });
      differences.push(...stepDiffs.map((d) => ({ ...d, path: `testSteps[${pair.expected}].${d.path}` })));
    }
  }
  for (const [from, to] of runsOf(missing)) s.problem("missing", `${key} ${stepRange(from, to)}`, [caseId], to - from);
  for (const [from, to] of runsOf(extra)) s.problem("extra", `${key} ${stepRange(from, to)} (in qTest)`, [caseId], to - from);
  return differences;
}

/** Ascending indexes as runs `[from, to)` of consecutive ones. */
function runsOf(indexes: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const i of [...indexes].sort((a, b) => a - b)) {
    const last = runs.at(-1);
    if (last && last[1] === i) last[1] = i + 1;
    else runs.push([i, i + 1]);
  }
  return runs;
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
    testStep.problem("extra", key, [record.id], record.stepIds.length, [], { countedElsewhere: true });
  }
}

/** `testSteps[4]`, or `testSteps[4…9]` for steps 4 to 9. */
function stepRange(from: number, to: number): string {
  return to - from === 1 ? `testSteps[${from}]` : `testSteps[${from}…${to - 1}]`;
}
