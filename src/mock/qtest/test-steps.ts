import type { TestStep, TestStepInput } from "../../qtest/schemas.js";
import { QTestApiError } from "./errors.js";
import type { StepRecord, TestCaseRecord } from "./records.js";
import type { TestCases } from "./test-cases.js";

/** One step at a time under `/test-cases/{id}/test-steps`; every change makes a new version of the test case. */
export class TestSteps {
  readonly #testCases: TestCases;

  constructor(testCases: TestCases) {
    this.#testCases = testCases;
  }

  list(testCaseId: string): TestStep[] {
    return this.#testCases.get(testCaseId).steps.map((s) => this.#testCases.renderStep(s));
  }

  get(testCaseId: string, stepId: number): TestStep {
    return this.#testCases.renderStep(stepOf(this.#testCases.get(testCaseId), stepId));
  }

  add(testCaseId: string, input: TestStepInput): TestStep {
    const record = this.#testCases.get(testCaseId);
    const step = this.#testCases.step(input, record.steps.length + 1);
    record.steps.push(step);
    this.#testCases.newVersion(record);
    return this.#testCases.renderStep(step);
  }

  update(testCaseId: string, stepId: number, input: TestStepInput): TestStep {
    const record = this.#testCases.get(testCaseId);
    const index = record.steps.indexOf(stepOf(record, stepId));
    const step = this.#testCases.step(input, record.steps[index]?.order ?? index + 1, stepId);
    record.steps[index] = step;
    this.#testCases.newVersion(record);
    return this.#testCases.renderStep(step);
  }

  delete(testCaseId: string, stepId: number): void {
    const record = this.#testCases.get(testCaseId);
    record.steps = record.steps.filter((s) => s.id !== stepOf(record, stepId).id);
    record.steps.forEach((s, i) => {
      s.order = i + 1;
    });
    this.#testCases.newVersion(record);
  }
}

function stepOf(record: TestCaseRecord, stepId: number): StepRecord {
  const step = record.steps.find((s) => s.id === stepId);
  if (!step) throw new QTestApiError(404, `Test step ${stepId} does not exist in test case ${record.id}.`);
  return step;
}
