import type { TestExecution, TestExecutionInput, TestExecutionStep, TestExecutionUpdate } from "../../zephyr/schemas.js";
import type { Snapshot } from "../../zephyr/snapshot.js";
import type { Context } from "./context.js";
import { index, maxKeyNumber, nextId, replace, Sequence } from "./entity-lists.js";
import { found, ZephyrApiError } from "./errors.js";
import type { TestCases } from "./test-cases.js";
import type { TestCycles } from "./test-cycles.js";

export interface ExecutionFilter {
  testCycle?: string;
  testCase?: string;
  actualEndDateAfter?: number;
  actualEndDateBefore?: number;
  onlyLastExecutions?: boolean;
  updatedAfter?: number;
}

type StepResult = { statusName?: string | null; actualEndDate?: string | null; actualResult?: string | null };

/** Test executions, addressed by id or key, each with a step per inline step of its test case. */
export class TestExecutions {
  readonly #context: Context;
  readonly #testCases: TestCases;
  readonly #cycles: TestCycles;
  readonly #list: TestExecution[];
  readonly #index = new Map<string, TestExecution>();
  readonly #steps = new Map<number, TestExecutionStep[]>();
  readonly #stepIds: Sequence;
  readonly #keys: Sequence;

  constructor(snapshot: Snapshot, context: Context, related: { testCases: TestCases; cycles: TestCycles; stepIds: Sequence }) {
    this.#context = context;
    this.#testCases = related.testCases;
    this.#cycles = related.cycles;
    this.#stepIds = related.stepIds;
    this.#list = [...snapshot.testExecutions].sort((a, b) => a.id - b.id);
    for (const execution of this.#list) index(this.#index, execution);
    for (const [id, steps] of Object.entries(snapshot.testExecutionSteps)) this.#steps.set(Number(id), steps);
    this.#keys = new Sequence(maxKeyNumber(this.#list, "E"));
  }

  list(filter: ExecutionFilter = {}): TestExecution[] {
    const cycleId = filter.testCycle === undefined ? undefined : this.#cycles.get(filter.testCycle).id;
    const caseKey = filter.testCase === undefined ? undefined : this.#testCases.get(filter.testCase).key;
    const matches = this.#list.filter((e) => {
      if (cycleId !== undefined && e.testCycle?.id !== cycleId) return false;
      if (caseKey !== undefined && this.testCaseKey(e) !== caseKey) return false;
      const end = e.actualEndDate ? Date.parse(e.actualEndDate) : undefined;
      if (filter.actualEndDateAfter !== undefined && !(end !== undefined && end > filter.actualEndDateAfter)) return false;
      if (filter.actualEndDateBefore !== undefined && !(end !== undefined && end < filter.actualEndDateBefore)) return false;
      if (filter.updatedAfter !== undefined && !this.#context.updated.isAfter("testexecution", e.id, filter.updatedAfter)) {
        return false;
      }
      return true;
    });
    if (!filter.onlyLastExecutions) return matches;
    // "The last execution of each test cycle item, and all ad-hoc test executions."
    const last = new Map<string, TestExecution>();
    const itemOf = (e: TestExecution) => `${e.testCycle?.id}|${this.testCaseKey(e)}`;
    for (const e of matches) if (e.testCycle) last.set(itemOf(e), e);
    return matches.filter((e) => !e.testCycle || last.get(itemOf(e)) === e);
  }

  get(idOrKey: string): TestExecution {
    return found(this.#index.get(idOrKey), `Test execution '${idOrKey}'`);
  }

  steps(idOrKey: string): TestExecutionStep[] {
    return this.#steps.get(this.get(idOrKey).id) ?? [];
  }

  /** The execution's test case reference has no key field; the key sits in its `self` URL. */
  testCaseKey(execution: TestExecution): string | undefined {
    const byId = this.#testCases.byId(execution.testCase.id);
    if (byId) return byId.key;
    return /\/testcases\/([^/]+)/.exec(execution.testCase.self ?? "")?.[1];
  }

  create(input: TestExecutionInput): { id: number; self: string } {
    const { reference, refs, customFields, updated } = this.#context;
    reference.checkProjectKey(input.projectKey);
    const testCase = this.#testCases.get(input.testCaseKey);
    const cycle = this.#cycles.get(input.testCycleKey);
    const status = reference.statusByName(input.statusName, "TEST_EXECUTION");
    const environment = input.environmentName ? reference.environmentByName(input.environmentName) : undefined;
    const fields = customFields.check("testexecution", input.customFields);
    const steps = this.#stepsFor(testCase.key, input.testScriptResults ?? []);
    const id = nextId(this.#list);
    const key = `${reference.project.key}-E${this.#keys.next()}`;
    const execution: TestExecution = {
      id,
      key,
      project: refs.project(),
      testCase: { id: testCase.id, self: refs.url(`testcases/${testCase.key}/versions/1`) },
      environment: environment ? refs.to("environments", environment) : null,
      jiraProjectVersion: null,
      testExecutionStatus: refs.to("statuses", status),
      actualEndDate: input.actualEndDate ?? null,
      estimatedTime: testCase.estimatedTime ?? null,
      executionTime: input.executionTime ?? null,
      executedById: input.executedById ?? null,
      assignedToId: input.assignedToId ?? null,
      comment: input.comment ?? null,
      automated: false,
      testCycle: { id: cycle.id, self: refs.url(`testcycles/${cycle.id}`) },
      customFields: fields,
      links: { self: refs.url(`testexecutions/${id}/links`), issues: [] },
    };
    this.#list.push(execution);
    index(this.#index, execution);
    this.#steps.set(id, steps);
    updated.touch("testexecution", id);
    return { id, self: refs.url(`testexecutions/${id}`) };
  }

  /** Unlike the other PUTs, this one ignores what is null or missing (2026 spec). */
  update(idOrKey: string, input: TestExecutionUpdate): void {
    const { reference, refs, updated } = this.#context;
    const current = this.get(idOrKey);
    const next: TestExecution = { ...current };
    if (input.statusName != null) {
      next.testExecutionStatus = refs.to("statuses", reference.statusByName(input.statusName, "TEST_EXECUTION"));
    }
    if (input.environmentName != null) {
      next.environment = refs.to("environments", reference.environmentByName(input.environmentName));
    }
    if (input.actualEndDate != null) next.actualEndDate = input.actualEndDate;
    if (input.executionTime != null) next.executionTime = input.executionTime;
    if (input.executedById != null) next.executedById = input.executedById;
    if (input.assignedToId != null) next.assignedToId = input.assignedToId;
    if (input.comment != null) next.comment = input.comment;
    replace(this.#list, this.#index, next);
    updated.touch("testexecution", current.id);
  }

  /** Positional, as the API: one entry per execution step, in order. */
  updateSteps(idOrKey: string, steps: { actualResult?: string | null; statusName?: string | null }[]): void {
    const { reference, refs, updated } = this.#context;
    const execution = this.get(idOrKey);
    const current = this.#steps.get(execution.id) ?? [];
    if (steps.length !== current.length) {
      throw new ZephyrApiError(422, "Sent steps are not matching test execution steps");
    }
    this.#steps.set(
      execution.id,
      current.map((step, i) => {
        const change = steps[i] ?? {};
        return {
          ...step,
          inline: {
            ...step.inline,
            actualResult: change.actualResult ?? step.inline.actualResult,
            status: change.statusName
              ? refs.to("statuses", reference.statusByName(change.statusName, "TEST_EXECUTION"))
              : step.inline.status,
          },
        };
      }),
    );
    updated.touch("testexecution", execution.id);
  }

  /** A new execution's steps: one per inline step of the test case, with the results sent for them. */
  #stepsFor(testCaseKey: string, results: StepResult[]): TestExecutionStep[] {
    const { reference, refs } = this.#context;
    const notExecuted = reference.defaultStatus("TEST_EXECUTION");
    return this.#testCases.inlineSteps(testCaseKey).map((step, i) => {
      const result = results[i];
      const status = result?.statusName ? reference.statusByName(result.statusName, "TEST_EXECUTION") : notExecuted;
      return {
        id: this.#stepIds.next(),
        inline: {
          description: step.description ?? null,
          testData: step.testData ?? null,
          expectedResult: step.expectedResult ?? null,
          actualResult: result?.actualResult ?? null,
          testDataRowNumber: null,
          reflectRef: null,
          status: refs.to("statuses", status),
        },
      };
    });
  }
}
