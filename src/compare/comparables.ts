/**
 * The comparable forms of what verification compares: a test case, a suite, a log, each built twice —
 * from the body the migration's own transforms plan for a source entity (expected), and from the
 * object read back from qTest (target) — normalized by the same rules, so equal content compares equal.
 */
import type {
  ExecutionStatus,
  TestCase as QTestCase,
  TestCaseInput,
  TestLog,
  TestLogInput,
  TestRun,
  TestRunInput,
  TestSuite,
  TestSuiteInput,
} from "../qtest/schemas.js";
import type { FieldCatalog, Properties } from "./field-catalog.js";
import { plainText, richText, timestamp } from "./normalize.js";

export interface StepComparable {
  description: string;
  expected: string;
  /** The called test case's marker (`#id` when the target calls an object without one), or null. */
  calledTestCase: string | null;
  parameters: string[];
}

export interface TestCaseComparable {
  name: string;
  description: string;
  precondition: string;
  properties: Properties;
  testSteps: StepComparable[];
}

/** The expected form of a planned test case; `calledKey` names the case a planned call step calls. */
export function expectedTestCase(
  input: TestCaseInput,
  catalog: FieldCatalog,
  fieldIds: readonly number[],
  calledKey: (id: number) => string | undefined,
): TestCaseComparable {
  return {
    name: plainText(input.name),
    description: richText(input.description),
    precondition: richText(input.precondition),
    properties: catalog.expected(input.properties, fieldIds, { defaults: true }),
    testSteps: (input.test_steps ?? []).map((s) => ({
      description: richText(s.description),
      expected: richText(s.expected),
      calledTestCase: s.called_test_case_id == null ? null : (calledKey(s.called_test_case_id) ?? `#${s.called_test_case_id}`),
      parameters: [...(s.parameter_values ?? [])],
    })),
  };
}

/** The target form of a test case read from qTest; `callRef` names the case a step calls, by its qTest id. */
export function targetTestCase(
  testCase: QTestCase,
  catalog: FieldCatalog,
  fieldIds: readonly number[],
  callRef: (id: number) => string,
): TestCaseComparable {
  return {
    name: plainText(testCase.name),
    description: richText(testCase.description),
    precondition: richText(testCase.precondition),
    properties: catalog.actual(testCase.properties, fieldIds),
    testSteps: [...(testCase.test_steps ?? [])]
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
      .map((s) => ({
        description: richText(s.description),
        expected: richText(s.expected),
        calledTestCase: s.called_test_case_id == null ? null : callRef(s.called_test_case_id),
        parameters: [...(s.parameter_values ?? [])],
      })),
  };
}

// ---- test suites -------------------------------------------------------------------------------

export interface SuiteComparable {
  name: string;
  properties: Properties;
}

export function expectedSuite(input: TestSuiteInput, catalog: FieldCatalog, fieldIds: readonly number[]): SuiteComparable {
  return { name: plainText(input.name), properties: catalog.expected(input.properties, fieldIds, { defaults: true }) };
}

export function targetSuite(suite: TestSuite, catalog: FieldCatalog, fieldIds: readonly number[]): SuiteComparable {
  return { name: plainText(suite.name), properties: catalog.actual(suite.properties, fieldIds) };
}

// ---- test runs ---------------------------------------------------------------------------------

/** A run's content (its place is compared apart, by marker): the name, which is its test case's. */
export interface RunComparable {
  name: string;
}

export function expectedRun(input: TestRunInput): RunComparable {
  return { name: plainText(input.name) };
}

export function targetRun(run: TestRun): RunComparable {
  return { name: plainText(run.name) };
}

// ---- test logs ---------------------------------------------------------------------------------

export interface StepLogComparable {
  /** `testSteps[i]` of the run's test case, or `#id` for a step id not in it. */
  step: string;
  status: string;
  actualResult: string;
}

export interface LogComparable {
  status: string;
  executionStart: string;
  executionEnd: string;
  note: string;
  properties: Properties;
  testStepLogs: StepLogComparable[];
}

export type StatusNames = ReadonlyMap<number, string>;

/** How a step log names its step, the same way on both sides: `testSteps[i]` (a position in the test case). */
export type StepLogRef = (stepLog: { test_step_id?: number | null; order?: number | null }) => string;

/** Planned step logs: planned with step positions in place of step ids (see `expectedLog`). */
export const byPosition: StepLogRef = (s) => (s.test_step_id == null ? "" : `testSteps[${s.test_step_id}]`);

/** Target step logs of a log on the current version of its test case: by their step's place among `stepIds`. */
export function byStepId(stepIds: readonly number[] | undefined): StepLogRef {
  return (s) => {
    if (s.test_step_id == null) return "";
    const position = stepIds?.indexOf(s.test_step_id) ?? -1;
    return position >= 0 ? `testSteps[${position}]` : `#${s.test_step_id}`;
  };
}

/**
 * Step logs of a log made against an earlier version of its test case, on either side: by their order.
 * The migration writes the step log of the n-th source step with order n, so the order names the step
 * whatever ids that version's steps had and the current version's have (ZTOQ's qTest client reads the
 * current version's steps only). For the digest, made when the target is read, before the source's step
 * positions are known; `byOrderAt` shows the same as a position.
 */
export const byOrder: StepLogRef = (s) => (s.test_step_id == null ? "" : `order ${s.order ?? "?"}`);

/** `byOrder`, shown as the position the migration wrote that order for (`positions`: the case's inline steps). */
export function byOrderAt(positions: readonly number[]): StepLogRef {
  return (s) => {
    if (s.test_step_id == null) return "";
    const position = s.order == null ? undefined : positions[s.order - 1];
    return position === undefined ? `order ${s.order ?? "?"}` : `testSteps[${position}]`;
  };
}

/** Whether a log was made against another version of its test case than the current one. */
export function loggedOnEarlierVersion(
  log: { test_case_version_id?: number | null },
  currentVersionId: number | null | undefined,
): boolean {
  return log.test_case_version_id != null && currentVersionId != null && log.test_case_version_id !== currentVersionId;
}

export function statusNames(statuses: readonly ExecutionStatus[]): StatusNames {
  return new Map(statuses.map((s) => [s.id, s.name]));
}

const statusOf = (names: StatusNames, id: number) => names.get(id) ?? `#${id}`;

/**
 * The expected form of a planned log. The plan was made with step positions in place of step ids
 * (`planTestLog(…, { stepIds: inlineStepPositions })`), so its `test_step_id`s are positions
 * (`byPosition`), and each step log's order is its source step's, from 1 (`byOrder`).
 */
export function expectedLog(
  input: TestLogInput,
  catalog: FieldCatalog,
  fieldIds: readonly number[],
  statuses: StatusNames,
  stepRef: StepLogRef = byPosition,
): LogComparable {
  return {
    status: statusOf(statuses, input.status.id),
    executionStart: timestamp(input.exe_start_date),
    executionEnd: timestamp(input.exe_end_date),
    note: richText(input.note),
    properties: catalog.expected(input.properties ?? [], fieldIds, { defaults: false }),
    testStepLogs: (input.test_step_logs ?? []).map((s) => ({
      step: stepRef(s),
      status: statusOf(statuses, s.status.id),
      actualResult: richText(s.actual_result),
    })),
  };
}

/**
 * The target form of a log; `steps` names a step log's step: a `StepLogRef` (`byStepId`, or `byOrder` for
 * a log made against an earlier version of its case), or the step ids of the case in order (`byStepId`).
 */
export function targetLog(
  log: TestLog,
  catalog: FieldCatalog,
  fieldIds: readonly number[],
  statuses: StatusNames,
  steps: StepLogRef | readonly number[] | undefined,
): LogComparable {
  const stepRef = typeof steps === "function" ? steps : byStepId(steps);
  return {
    status: statusOf(statuses, log.status.id),
    executionStart: timestamp(log.exe_start_date),
    executionEnd: timestamp(log.exe_end_date),
    note: richText(log.note),
    properties: catalog.actual(log.properties, fieldIds),
    testStepLogs: [...(log.test_step_logs ?? [])]
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
      .map((s) => ({
        step: stepRef(s),
        status: s.status ? statusOf(statuses, s.status.id) : "",
        actualResult: richText(s.actual_result),
      })),
  };
}
