import type { TestLog, TestLogInput } from "../../qtest/schemas.js";
import { QTestApiError } from "./errors.js";
import { checkExecutionStatus, statusName } from "./execution-statuses.js";
import type { LogRecord, StepLogRecord, TestCaseRecord } from "./records.js";
import { apiUrl, iso, type Site } from "./site.js";
import type { TestRuns } from "./test-runs.js";

type StepLogInput = NonNullable<TestLogInput["test_step_logs"]>[number];

/** Test logs: the executions of a run, each with a log per step; the latest one sets the run's status. */
export class TestLogs {
  readonly #site: Site;
  readonly #runs: TestRuns;

  constructor(site: Site, runs: TestRuns) {
    this.#site = site;
    this.#runs = runs;
    site.tree.onRemove("test-log", (id) => site.records.testLogs.delete(id));
  }

  list(runId: number): TestLog[] {
    const { records, tree } = this.#site;
    records.testRuns.get(runId);
    return tree.children("test-log", { type: "test-run", id: runId }).map((id) => this.render(records.testLogs.get(id)));
  }

  get(runId: number, logId: number): TestLog {
    const log = this.#site.records.testLogs.find(logId);
    if (!log || this.#runOf(log) !== runId) {
      throw new QTestApiError(404, `Test log ${logId} does not exist in test run ${runId}.`);
    }
    return this.render(log);
  }

  last(runId: number): TestLog {
    const log = this.#runs.latestLog(this.#site.records.testRuns.get(runId).id);
    if (!log) throw new QTestApiError(404, `Test run ${runId} has no test log.`);
    return this.render(log);
  }

  create(runId: number, input: TestLogInput): TestLog {
    const { records, tree, fields } = this.#site;
    const run = records.testRuns.get(runId);
    const testCase = records.testCases.find(run.testCaseId);
    const statusId = checkStatusAndDates(input);
    const stepLogs = (input.test_step_logs ?? []).map((s, i) => this.#stepLog(s, i, testCase));
    const record = records.testLogs.add(() => ({
      statusId,
      exeStart: input.exe_start_date,
      exeEnd: input.exe_end_date,
      note: input.note ?? "",
      testCaseVersionId: input.test_case_version_id ?? run.testCaseVersionId,
      // The Swagger lists no field settings for logs; their properties share the test-run fields.
      props: fields.merge("test-runs", input.properties ?? [], new Map(), { partial: true }),
      stepLogs,
    }));
    tree.place("test-log", record.id, { type: "test-run", id: run.id });
    run.modified = record.created;
    return this.render(record);
  }

  /**
   * `modifyTestLog`, validated as a create is (status, dates, properties against the test-run
   * fields, step logs). `properties` name only the fields that change, so the marker and the others
   * keep their values. A step log is addressed by its `order`, which must be one of the log's (qTest
   * refuses another order); its status, actual result and date change, its description and expected
   * result do not. The test case version cannot change. The run's status follows its latest log, as
   * after a create.
   */
  update(runId: number, logId: number, input: TestLogInput): TestLog {
    const { records, fields } = this.#site;
    const run = records.testRuns.get(runId);
    const log = records.testLogs.find(logId);
    if (!log || this.#runOf(log) !== runId) {
      throw new QTestApiError(404, `Test log ${logId} does not exist in test run ${runId}.`);
    }
    if (input.test_case_version_id !== undefined && input.test_case_version_id !== log.testCaseVersionId) {
      throw new QTestApiError(400, `The test case version of test log ${logId} cannot be modified.`);
    }
    const statusId = checkStatusAndDates(input);
    const testCase = records.testCases.find(run.testCaseId);
    const stepLogs = log.stepLogs.map((s) => ({ ...s }));
    for (const [i, s] of (input.test_step_logs ?? []).entries()) {
      if (s.order == null) throw new QTestApiError(400, `test_step_logs[${i}].order is required.`);
      const target = stepLogs.find((t) => t.order === s.order);
      if (!target) {
        throw new QTestApiError(
          400,
          `test_step_logs[${i}].order ${s.order} is not the order of a step log of test log ${logId}.`,
        );
      }
      const stepStatus = this.#checkStepLog(s, i, testCase);
      if (s.test_step_id != null && s.test_step_id !== target.testStepId) {
        throw new QTestApiError(
          400,
          `test_step_logs[${i}].test_step_id ${s.test_step_id} is not the step logged at order ${s.order}.`,
        );
      }
      target.statusId = stepStatus;
      if (s.actual_result !== undefined) target.actualResult = s.actual_result;
      if (s.exe_date !== undefined) target.exeDate = s.exe_date;
    }
    const props = fields.merge("test-runs", input.properties ?? [], log.props, { partial: true });
    // Everything checked: apply it at once, so a refused update changes nothing.
    log.statusId = statusId;
    log.exeStart = input.exe_start_date;
    log.exeEnd = input.exe_end_date;
    if (input.note !== undefined) log.note = input.note;
    log.props = props;
    log.stepLogs = stepLogs;
    records.testLogs.touch(log);
    run.modified = log.modified;
    return this.render(log);
  }

  /** A step log names a step of the run's test case, unless it logs a step of a called test case; returns its status. */
  #checkStepLog(s: StepLogInput, i: number, testCase: TestCaseRecord | undefined): number {
    if (s.test_step_id != null && s.called_test_case_id == null && !testCase?.steps.some((t) => t.id === s.test_step_id)) {
      throw new QTestApiError(400, `test_step_logs[${i}].test_step_id ${s.test_step_id} is not a step of the test case.`);
    }
    return checkExecutionStatus(s.status.id, `test_step_logs[${i}].status`);
  }

  #stepLog(s: StepLogInput, i: number, testCase: TestCaseRecord | undefined): StepLogRecord {
    const statusId = this.#checkStepLog(s, i, testCase);
    const step = testCase?.steps.find((t) => t.id === s.test_step_id);
    return {
      id: this.#site.ids.next(),
      testStepId: s.test_step_id ?? null,
      statusId,
      actualResult: s.actual_result ?? "",
      order: s.order ?? i + 1,
      description: s.description ?? step?.description ?? "",
      expectedResult: s.expected_result ?? step?.expected ?? "",
      exeDate: s.exe_date ?? null,
      ...(s.called_test_case_id != null && { calledTestCaseId: s.called_test_case_id }),
      ...(s.parent_test_step_id != null && { parentTestStepId: s.parent_test_step_id }),
    };
  }

  render(l: LogRecord): TestLog {
    const runId = this.#runOf(l);
    return {
      links: [
        { rel: "self", href: apiUrl(this.#site, `test-runs/${runId}/test-logs/${l.id}`) },
        { rel: "test-run", href: apiUrl(this.#site, `test-runs/${runId}`) },
      ],
      id: l.id,
      test_case_version_id: l.testCaseVersionId,
      exe_start_date: l.exeStart,
      exe_end_date: l.exeEnd,
      note: l.note,
      status: { id: l.statusId, name: statusName(l.statusId) },
      properties: this.#site.fields.render("test-runs", l.props).filter((p) => l.props.has(p.field_id)),
      test_step_logs: l.stepLogs.map((s) => ({
        test_step_log_id: s.id,
        test_step_id: s.testStepId ?? undefined,
        test_log_id: l.id,
        status: { id: s.statusId, name: statusName(s.statusId) },
        actual_result: s.actualResult,
        order: s.order,
        description: s.description,
        expected_result: s.expectedResult,
        ...(s.exeDate && { exe_date: s.exeDate }),
        ...(s.calledTestCaseId !== undefined && { called_test_case_id: s.calledTestCaseId }),
        ...(s.parentTestStepId !== undefined && { parent_test_step_id: s.parentTestStepId }),
      })),
      attachments: [],
      created_date: iso(l.created),
      last_modified_date: iso(l.modified),
      test_run_id: runId,
    } as TestLog;
  }

  #runOf(log: LogRecord): number {
    return this.#site.tree.parent("test-log", log.id).id;
  }
}

/** The log's status is an execution status and its dates are dates, the end not before the start; returns the status. */
function checkStatusAndDates(input: TestLogInput): number {
  const statusId = checkExecutionStatus(input.status.id, "status");
  const start = Date.parse(input.exe_start_date);
  const end = Date.parse(input.exe_end_date);
  if (Number.isNaN(start)) throw new QTestApiError(400, `exe_start_date '${input.exe_start_date}' is not a date.`);
  if (Number.isNaN(end)) throw new QTestApiError(400, `exe_end_date '${input.exe_end_date}' is not a date.`);
  if (end < start) throw new QTestApiError(400, "exe_end_date must not be before exe_start_date.");
  return statusId;
}
