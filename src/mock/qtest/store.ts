import type {
  Field,
  FieldInput,
  Module,
  ModuleInput,
  Property,
  PropertyInput,
  TestCase,
  TestCaseInput,
  TestCycle,
  TestCycleInput,
  TestLog,
  TestLogInput,
  TestRun,
  TestRunInput,
  TestStep,
  TestStepInput,
  TestSuite,
  TestSuiteInput,
} from "../../qtest/schemas.js";
import { QTestApiError } from "./errors.js";
import { fieldFromSeed, mergeProperties, renderProperties } from "./field-values.js";
import {
  attributeTypeOf,
  defaultUsers,
  executionStatuses,
  OBJECT_TYPES,
  type ObjectType,
  systemFields,
} from "./system-fields.js";

export type ParentType = "root" | "release" | "test-cycle" | "test-suite";

interface Stamped {
  id: number;
  pid: string;
  created: number;
  modified: number;
}
interface ModuleRecord extends Stamped {
  name: string;
  description: string;
  parentId: number | null;
  order: number;
}
interface StepRecord {
  id: number;
  description: string;
  expected: string;
  order: number;
  calledTestCaseId?: number;
  parameterValues?: unknown;
}
interface TestCaseRecord extends Stamped {
  name: string;
  parentId: number;
  order: number;
  description: string;
  precondition: string;
  props: Map<number, string>;
  steps: StepRecord[];
  versionId: number;
  version: number;
}
interface CycleRecord extends Stamped {
  name: string;
  description: string;
  parentId: number;
  parentType: "root" | "release" | "test-cycle";
  order: number;
}
interface SuiteRecord extends Stamped {
  name: string;
  parentId: number;
  parentType: "root" | "release" | "test-cycle";
  order: number;
  props: Map<number, string>;
}
interface RunRecord extends Stamped {
  name: string;
  parentId: number;
  parentType: ParentType;
  order: number;
  testCaseId: number;
  testCaseVersionId: number;
  props: Map<number, string>;
}
interface StepLogRecord {
  id: number;
  testStepId: number | null;
  statusId: number;
  actualResult: string;
  order: number;
  description: string;
  expectedResult: string;
  exeDate: string | null;
  calledTestCaseId?: number;
  parentTestStepId?: number;
}
interface LogRecord {
  id: number;
  runId: number;
  statusId: number;
  exeStart: string;
  exeEnd: string;
  note: string;
  testCaseVersionId: number;
  props: Map<number, string>;
  stepLogs: StepLogRecord[];
  created: number;
  modified: number;
}
interface AttachmentRecord {
  id: number;
  name: string;
  contentType: string;
  bytes: Uint8Array;
  objectType: string;
  objectId: number;
  created: number;
}

const ATTACHABLE = ["releases", "builds", "requirements", "test-cases", "test-logs", "test-steps", "test-step-logs", "defects"];

/**
 * One qTest Manager site with one project, in memory. It validates writes the way qTest does
 * (required fields, unknown field ids, values outside a field's allowed values) and renders every
 * object in qTest's own read shapes.
 */
export class QTestStore {
  readonly projectId: number;
  readonly projectName: string;
  readonly #origin: string;
  readonly #clock: () => number;
  #nextId = 100_000;
  readonly #pidCounters = new Map<string, number>();
  readonly #fields = new Map<ObjectType, Field[]>();
  readonly #modules = new Map<number, ModuleRecord>();
  readonly #testCases = new Map<number, TestCaseRecord>();
  readonly #cycles = new Map<number, CycleRecord>();
  readonly #suites = new Map<number, SuiteRecord>();
  readonly #runs = new Map<number, RunRecord>();
  readonly #logs = new Map<number, LogRecord>();
  readonly #attachments = new Map<number, AttachmentRecord>();
  readonly users = defaultUsers;
  /** Children per parent (`kind:parentType:parentId`), so lists and orders never scan a whole project. */
  readonly #children = new Map<string, Set<number>>();
  readonly #logsByRun = new Map<number, number[]>();
  readonly #testCaseByPid = new Map<string, number>();
  /** Fields qTest computes itself (a run's Status); writing them is refused. */
  readonly #readOnlyFields = new Set<number>();

  constructor(options: { origin: string; projectId: number; projectName?: string; clock?: () => number }) {
    this.#origin = options.origin;
    this.projectId = options.projectId;
    this.projectName = options.projectName ?? "ZTOQ Target";
    this.#clock = options.clock ?? Date.now;
    for (const type of OBJECT_TYPES)
      this.#fields.set(
        type,
        systemFields[type].map((seed) => fieldFromSeed(seed, true)),
      );
    for (const seed of Object.values(systemFields).flat()) if (seed.readOnly) this.#readOnlyFields.add(seed.id);
  }

  // ---- project, users, fields --------------------------------------------------------------

  checkProject(projectId: string): void {
    if (projectId !== String(this.projectId)) {
      throw new QTestApiError(404, `Project ${projectId} does not exist or you do not have permission to access it.`);
    }
  }

  project() {
    const now = iso(this.#clock());
    return {
      links: [{ rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}` }],
      id: this.projectId,
      name: this.projectName,
      description: "Target project of a Zephyr Scale migration",
      status_id: 101,
      start_date: now,
      end_date: null,
      sample: false,
      admins: [this.users[0]?.username],
      automation: false,
      template_id: null,
      uuid: `00000000-0000-4000-8000-${String(this.projectId).padStart(12, "0")}`,
      date_format: "yyyy/MM/dd",
    };
  }

  fields(objectType: string, includeInactive = false): Field[] {
    const fields = this.#fields.get(this.#objectType(objectType)) ?? [];
    return includeInactive ? fields : fields.filter((f) => f.is_active !== false);
  }

  field(objectType: string, fieldId: number): Field {
    const field = this.fields(objectType, true).find((f) => f.id === fieldId);
    if (!field) throw new QTestApiError(404, `Field ${fieldId} does not exist for ${objectType}.`);
    return field;
  }

  createField(objectType: string, input: FieldInput): Field {
    const type = this.#objectType(objectType);
    if (type === "test-steps") throw new QTestApiError(400, "Custom fields cannot be created for test-steps.");
    const fields = this.#fields.get(type) ?? [];
    if (fields.some((f) => f.label.toLowerCase() === input.label.toLowerCase())) {
      throw new QTestApiError(400, `A field labelled '${input.label}' already exists for ${type}.`);
    }
    if (!Object.hasOwn(attributeTypeOf, input.data_type)) {
      throw new QTestApiError(400, `data_type ${input.data_type} is not a valid field type.`);
    }
    let nextValue = Math.max(1000, ...fields.flatMap((f) => (f.allowed_values ?? []).map((v) => v.value))) + 1;
    const field = fieldFromSeed(
      {
        id: this.#id(),
        label: input.label,
        data_type: input.data_type,
        original_name: input.label,
        search_key: input.label,
        required: input.required ?? false,
        allowed_values: (input.allowed_values ?? []).map((v) => ({
          value: v.value ?? nextValue++,
          label: v.label,
          is_default: v.is_default ?? false,
        })),
      },
      false,
    );
    fields.push(field);
    this.#fields.set(type, fields);
    return field;
  }

  executionStatuses() {
    return executionStatuses;
  }

  // ---- modules -----------------------------------------------------------------------------

  modules(parentId: number | undefined, expand: boolean, search?: string): Module[] {
    if (parentId !== undefined) this.#module(parentId);
    return this.#childRecords(this.#modules, "module", "module", parentId ?? null)
      .filter((m) => !search || m.name.toLowerCase().includes(search.toLowerCase()))
      .map((m) => this.#renderModule(m, expand));
  }

  module(id: number, expand: boolean): Module {
    return this.#renderModule(this.#module(id), expand);
  }

  createModule(input: ModuleInput, parentId: number | undefined): Module {
    const parent = parentId ?? input.parent_id ?? null;
    if (parent !== null) this.#module(parent);
    const now = this.#clock();
    const record: ModuleRecord = {
      id: this.#id(),
      pid: this.#pid("MD"),
      created: now,
      modified: now,
      name: input.name,
      description: input.description ?? "",
      parentId: parent,
      order: this.#childCount("module", "module", parent) + 1,
    };
    this.#modules.set(record.id, record);
    this.#link("module", "module", parent, record.id);
    return this.#renderModule(record, false);
  }

  updateModule(id: number, input: Partial<ModuleInput>, parentId: number | undefined): Module {
    const record = this.#module(id);
    if (parentId !== undefined) {
      if (this.#moduleAncestors(parentId).includes(id)) throw new QTestApiError(400, "A module cannot move into itself.");
      this.#unlink("module", "module", record.parentId, id);
      record.parentId = parentId;
      this.#link("module", "module", parentId, id);
    } else {
      if (input.name !== undefined) record.name = input.name;
      if (input.description !== undefined) record.description = input.description ?? "";
    }
    record.modified = this.#clock();
    return this.#renderModule(record, false);
  }

  deleteModule(id: number, force: boolean): void {
    this.#module(id);
    const doomed = this.#moduleSubtree(id);
    const cases = doomed.flatMap((m) => this.#childRecords(this.#testCases, "case", "module", m));
    if (!force && (doomed.length > 1 || cases.length > 0)) {
      throw new QTestApiError(400, `Module ${id} is not empty; delete with force=true to remove its contents.`);
    }
    for (const t of cases) this.deleteTestCase(t.id);
    for (const m of doomed) {
      this.#unlink("module", "module", this.#module(m).parentId, m);
      this.#modules.delete(m);
    }
  }

  // ---- test cases --------------------------------------------------------------------------

  testCases(parentId: number | undefined, options: { expandSteps: boolean; modifiedAfter?: number }): TestCase[] {
    if (parentId !== undefined) this.#module(parentId);
    const candidates =
      parentId === undefined ? [...this.#testCases.values()] : this.#childRecords(this.#testCases, "case", "module", parentId);
    return candidates
      .filter((t) => options.modifiedAfter === undefined || t.modified > options.modifiedAfter)
      .map((t) => this.#renderTestCase(t, options.expandSteps));
  }

  testCase(idOrPid: string, expandSteps: boolean): TestCase {
    return this.#renderTestCase(this.#testCaseByIdOrPid(idOrPid), expandSteps);
  }

  createTestCase(input: TestCaseInput): TestCase {
    if (input.parent_id != null) this.#module(input.parent_id);
    // Validate everything before anything is allocated, so a rejected create leaves no trace.
    const props = this.#properties("test-cases", input.properties ?? [], new Map());
    for (const step of input.test_steps ?? [])
      if (step.called_test_case_id != null) this.#testCaseByIdOrPid(String(step.called_test_case_id));
    const parentId = input.parent_id ?? this.#createdViaApiModule();
    const now = this.#clock();
    const record: TestCaseRecord = {
      id: this.#id(),
      pid: this.#pid("TC"),
      created: now,
      modified: now,
      name: input.name,
      parentId,
      order: this.#childCount("case", "module", parentId) + 1,
      description: input.description ?? "",
      precondition: input.precondition ?? "",
      props,
      steps: [],
      versionId: this.#id(),
      version: 1,
    };
    record.steps = (input.test_steps ?? []).map((s, i) => this.#step(s, i + 1));
    this.#testCases.set(record.id, record);
    this.#testCaseByPid.set(record.pid, record.id);
    this.#link("case", "module", parentId, record.id);
    return this.#renderTestCase(record, true);
  }

  /** An update makes a new version, as qTest does; `test_steps`, when sent, replace the steps. */
  updateTestCase(id: number, input: Partial<TestCaseInput>): TestCase {
    const record = this.#testCaseByIdOrPid(String(id));
    if (input.parent_id !== undefined && input.parent_id !== null) {
      this.#module(input.parent_id);
      this.#unlink("case", "module", record.parentId, record.id);
      record.parentId = input.parent_id;
      this.#link("case", "module", record.parentId, record.id);
    }
    if (input.name !== undefined) record.name = input.name;
    if (input.description !== undefined) record.description = input.description ?? "";
    if (input.precondition !== undefined) record.precondition = input.precondition ?? "";
    if (input.properties) record.props = this.#properties("test-cases", input.properties, record.props);
    if (input.test_steps) {
      const kept = new Set(record.steps.map((s) => s.id));
      record.steps = input.test_steps.map((s, i) => this.#step(s, i + 1, s.id && kept.has(s.id) ? s.id : undefined));
    }
    this.#newVersion(record);
    return this.#renderTestCase(record, true);
  }

  deleteTestCase(id: number): void {
    const record = this.#testCaseByIdOrPid(String(id));
    for (const run of [...this.#runs.values()]) if (run.testCaseId === record.id) this.deleteTestRun(run.id);
    this.#unlink("case", "module", record.parentId, record.id);
    this.#testCaseByPid.delete(record.pid);
    this.#testCases.delete(record.id);
  }

  testSteps(testCaseId: string): TestStep[] {
    return this.#testCaseByIdOrPid(testCaseId).steps.map((s) => this.#renderStep(s));
  }

  testStep(testCaseId: string, stepId: number): TestStep {
    return this.#renderStep(this.#stepOf(this.#testCaseByIdOrPid(testCaseId), stepId));
  }

  addTestStep(testCaseId: string, input: TestStepInput): TestStep {
    const record = this.#testCaseByIdOrPid(testCaseId);
    const step = this.#step(input, record.steps.length + 1);
    record.steps.push(step);
    this.#newVersion(record);
    return this.#renderStep(step);
  }

  updateTestStep(testCaseId: string, stepId: number, input: TestStepInput): TestStep {
    const record = this.#testCaseByIdOrPid(testCaseId);
    const index = record.steps.indexOf(this.#stepOf(record, stepId));
    const step = this.#step(input, record.steps[index]?.order ?? index + 1, stepId);
    record.steps[index] = step;
    this.#newVersion(record);
    return this.#renderStep(step);
  }

  deleteTestStep(testCaseId: string, stepId: number): void {
    const record = this.#testCaseByIdOrPid(testCaseId);
    record.steps = record.steps.filter((s) => s.id !== this.#stepOf(record, stepId).id);
    record.steps.forEach((s, i) => {
      s.order = i + 1;
    });
    this.#newVersion(record);
  }

  // ---- test cycles and suites --------------------------------------------------------------

  testCycles(parentId: number | undefined, parentType: string | undefined, expand: boolean): TestCycle[] {
    // The Swagger: parentId 0 means "directly under root".
    const type = this.#containerType(parentType ?? (parentId ? "test-cycle" : "root"));
    const parent = type === "root" ? 0 : (parentId ?? 0);
    if (type === "test-cycle") this.#cycle(parent);
    return this.#childRecords(this.#cycles, "cycle", type, parent).map((c) => this.#renderCycle(c, expand));
  }

  testCycle(id: number, expand: boolean): TestCycle {
    return this.#renderCycle(this.#cycle(id), expand);
  }

  createTestCycle(input: TestCycleInput, parentId: number | undefined, parentType: string | undefined): TestCycle {
    const { id: parent, type } = this.#container(parentId, parentType);
    const now = this.#clock();
    const record: CycleRecord = {
      id: this.#id(),
      pid: this.#pid("CL"),
      created: now,
      modified: now,
      name: input.name,
      description: input.description ?? "",
      parentId: parent,
      parentType: type,
      order: this.#childCount("cycle", type, parent) + 1,
    };
    this.#cycles.set(record.id, record);
    this.#link("cycle", type, parent, record.id);
    return this.#renderCycle(record, false);
  }

  updateTestCycle(id: number, input: Partial<TestCycleInput>, parentId?: number, parentType?: string): TestCycle {
    const record = this.#cycle(id);
    if (parentId !== undefined || parentType !== undefined) {
      const { id: parent, type } = this.#container(parentId, parentType);
      if (type === "test-cycle" && this.#cycleAncestors(parent).includes(id)) {
        throw new QTestApiError(400, "A test cycle cannot move into itself.");
      }
      this.#unlink("cycle", record.parentType, record.parentId, id);
      record.parentId = parent;
      record.parentType = type;
      this.#link("cycle", type, parent, id);
    } else {
      if (input.name !== undefined) record.name = input.name;
      if (input.description !== undefined) record.description = input.description ?? "";
    }
    record.modified = this.#clock();
    return this.#renderCycle(record, false);
  }

  deleteTestCycle(id: number, force: boolean): void {
    const record = this.#cycle(id);
    const childCycles = this.#childRecords(this.#cycles, "cycle", "test-cycle", id);
    const suites = this.#childRecords(this.#suites, "suite", "test-cycle", id);
    const runs = this.#childRecords(this.#runs, "run", "test-cycle", id);
    if (!force && childCycles.length + suites.length + runs.length > 0) {
      throw new QTestApiError(400, `Test cycle ${id} is not empty; delete with force=true to remove its contents.`);
    }
    for (const c of childCycles) this.deleteTestCycle(c.id, true);
    for (const s of suites) this.deleteTestSuite(s.id);
    for (const r of runs) this.deleteTestRun(r.id);
    this.#unlink("cycle", record.parentType, record.parentId, id);
    this.#cycles.delete(id);
  }

  testSuites(parentId: number | undefined, parentType: string | undefined): TestSuite[] {
    const type = this.#containerType(parentType ?? (parentId ? "test-cycle" : "root"));
    const parent = type === "root" ? 0 : (parentId ?? 0);
    if (type === "test-cycle") this.#cycle(parent);
    return this.#childRecords(this.#suites, "suite", type, parent).map((s) => this.#renderSuite(s));
  }

  testSuite(id: number): TestSuite {
    return this.#renderSuite(this.#suite(id));
  }

  createTestSuite(input: TestSuiteInput, parentId: number | undefined, parentType: string | undefined): TestSuite {
    const { id: parent, type } = this.#container(parentId, parentType);
    const props = this.#properties("test-suites", input.properties ?? [], new Map());
    const now = this.#clock();
    const record: SuiteRecord = {
      id: this.#id(),
      pid: this.#pid("TS"),
      created: now,
      modified: now,
      name: input.name,
      parentId: parent,
      parentType: type,
      order: this.#childCount("suite", type, parent) + 1,
      props,
    };
    this.#suites.set(record.id, record);
    this.#link("suite", type, parent, record.id);
    return this.#renderSuite(record);
  }

  updateTestSuite(id: number, input: Partial<TestSuiteInput>, parentId?: number, parentType?: string): TestSuite {
    const record = this.#suite(id);
    if (parentId !== undefined || parentType !== undefined) {
      const { id: parent, type } = this.#container(parentId, parentType);
      this.#unlink("suite", record.parentType, record.parentId, id);
      record.parentId = parent;
      record.parentType = type;
      this.#link("suite", type, parent, id);
    } else {
      if (input.name !== undefined) record.name = input.name;
      if (input.properties) record.props = this.#properties("test-suites", input.properties, record.props);
    }
    record.modified = this.#clock();
    return this.#renderSuite(record);
  }

  deleteTestSuite(id: number): void {
    const record = this.#suite(id);
    for (const r of this.#childRecords(this.#runs, "run", "test-suite", id)) this.deleteTestRun(r.id);
    this.#unlink("suite", record.parentType, record.parentId, id);
    this.#suites.delete(id);
  }

  // ---- test runs and logs ------------------------------------------------------------------

  testRuns(parentId: number | undefined, parentType: string | undefined, expand: boolean): TestRun[] {
    const type = (parentType ?? (parentId ? "test-suite" : "root")) as ParentType;
    if (!["root", "release", "test-cycle", "test-suite"].includes(type)) {
      throw new QTestApiError(400, `parentType '${parentType}' must be root, release, test-cycle or test-suite.`);
    }
    const parent = type === "root" ? 0 : (parentId ?? 0);
    if (type === "test-suite") this.#suite(parent);
    if (type === "test-cycle") this.#cycle(parent);
    if (!expand) return this.#childRecords(this.#runs, "run", type, parent).map((r) => this.#renderRun(r));
    const within = (run: RunRecord): boolean =>
      type === "root" || this.#runAncestors(run).some((a) => a.type === type && a.id === parent);
    return [...this.#runs.values()].filter(within).map((r) => this.#renderRun(r));
  }

  testRun(id: number): TestRun {
    return this.#renderRun(this.#run(id));
  }

  createTestRun(input: TestRunInput, parentId: number | undefined, parentType: string | undefined): TestRun {
    const type = (parentType ?? "root") as ParentType;
    const parent = type === "root" ? 0 : (parentId ?? 0);
    if (type === "test-suite") this.#suite(parent);
    else if (type === "test-cycle") this.#cycle(parent);
    else if (type !== "root") throw new QTestApiError(400, `parentType '${parentType}' cannot hold test runs.`);
    const testCase = this.#testCaseByIdOrPid(String(input.test_case.id));
    const versionId = input.test_case_version_id ?? testCase.versionId;
    if (versionId !== testCase.versionId) {
      throw new QTestApiError(400, `test_case_version_id ${versionId} is not a version of test case ${testCase.id}.`);
    }
    const props = this.#properties("test-runs", input.properties ?? [], new Map());
    const now = this.#clock();
    const record: RunRecord = {
      id: this.#id(),
      pid: this.#pid("TR"),
      created: now,
      modified: now,
      name: input.name ?? testCase.name,
      parentId: parent,
      parentType: type,
      order: this.#childCount("run", type, parent) + 1,
      testCaseId: testCase.id,
      testCaseVersionId: versionId,
      props,
    };
    this.#runs.set(record.id, record);
    this.#link("run", type, parent, record.id);
    return this.#renderRun(record);
  }

  updateTestRun(id: number, input: Partial<TestRunInput>, parentId?: number, parentType?: string): TestRun {
    const record = this.#run(id);
    if (parentId !== undefined || parentType !== undefined) {
      // qTest ignores the body when the run is moved.
      const type = (parentType ?? "test-suite") as ParentType;
      if (type === "test-suite") this.#suite(parentId ?? 0);
      else if (type === "test-cycle") this.#cycle(parentId ?? 0);
      this.#unlink("run", record.parentType, record.parentId, id);
      record.parentType = type;
      record.parentId = type === "root" ? 0 : (parentId ?? 0);
      this.#link("run", type, record.parentId, id);
    } else {
      if (input.name !== undefined) record.name = input.name;
      if (input.properties) record.props = this.#properties("test-runs", input.properties, record.props);
    }
    record.modified = this.#clock();
    return this.#renderRun(record);
  }

  deleteTestRun(id: number): void {
    const record = this.#run(id);
    for (const logId of this.#logsByRun.get(id) ?? []) this.#logs.delete(logId);
    this.#logsByRun.delete(id);
    this.#unlink("run", record.parentType, record.parentId, id);
    this.#runs.delete(id);
  }

  testLogs(runId: number): TestLog[] {
    this.#run(runId);
    return (this.#logsByRun.get(runId) ?? []).map((id) => this.#renderLog(this.#logs.get(id) as LogRecord));
  }

  testLog(runId: number, logId: number): TestLog {
    const log = this.#logs.get(logId);
    if (!log || log.runId !== runId) throw new QTestApiError(404, `Test log ${logId} does not exist in test run ${runId}.`);
    return this.#renderLog(log);
  }

  lastTestLog(runId: number): TestLog {
    const log = this.#latestLog(this.#run(runId).id);
    if (!log) throw new QTestApiError(404, `Test run ${runId} has no test log.`);
    return this.#renderLog(log);
  }

  createTestLog(runId: number, input: TestLogInput): TestLog {
    const run = this.#run(runId);
    const testCase = this.#testCases.get(run.testCaseId);
    const statusId = this.#executionStatus(input.status.id, "status");
    const start = Date.parse(input.exe_start_date);
    const end = Date.parse(input.exe_end_date);
    if (Number.isNaN(start)) throw new QTestApiError(400, `exe_start_date '${input.exe_start_date}' is not a date.`);
    if (Number.isNaN(end)) throw new QTestApiError(400, `exe_end_date '${input.exe_end_date}' is not a date.`);
    if (end < start) throw new QTestApiError(400, "exe_end_date must not be before exe_start_date.");
    const stepIds = new Set(testCase?.steps.map((s) => s.id));
    const stepLogs: StepLogRecord[] = (input.test_step_logs ?? []).map((s, i) => {
      if (s.test_step_id != null && !stepIds.has(s.test_step_id) && s.called_test_case_id == null) {
        throw new QTestApiError(400, `test_step_logs[${i}].test_step_id ${s.test_step_id} is not a step of the test case.`);
      }
      const step = testCase?.steps.find((t) => t.id === s.test_step_id);
      return {
        id: this.#id(),
        testStepId: s.test_step_id ?? null,
        statusId: this.#executionStatus(s.status.id, `test_step_logs[${i}].status`),
        actualResult: s.actual_result ?? "",
        order: s.order ?? i + 1,
        description: s.description ?? step?.description ?? "",
        expectedResult: s.expected_result ?? step?.expected ?? "",
        exeDate: s.exe_date ?? null,
        ...(s.called_test_case_id != null && { calledTestCaseId: s.called_test_case_id }),
        ...(s.parent_test_step_id != null && { parentTestStepId: s.parent_test_step_id }),
      };
    });
    const now = this.#clock();
    const record: LogRecord = {
      id: this.#id(),
      runId: run.id,
      statusId,
      exeStart: input.exe_start_date,
      exeEnd: input.exe_end_date,
      note: input.note ?? "",
      testCaseVersionId: input.test_case_version_id ?? run.testCaseVersionId,
      // The Swagger lists no field settings for logs; their properties share the test-run fields.
      props: this.#properties("test-runs", input.properties ?? [], new Map(), { partial: true }),
      stepLogs,
      created: now,
      modified: now,
    };
    this.#logs.set(record.id, record);
    this.#logsByRun.set(run.id, [...(this.#logsByRun.get(run.id) ?? []), record.id]);
    run.modified = now;
    return this.#renderLog(record);
  }

  // ---- attachments -------------------------------------------------------------------------

  addAttachment(objectType: string, objectId: number, name: string, contentType: string, bytes: Uint8Array) {
    this.#attachable(objectType, objectId);
    const record: AttachmentRecord = {
      id: this.#id(),
      name,
      contentType,
      bytes,
      objectType,
      objectId,
      created: this.#clock(),
    };
    this.#attachments.set(record.id, record);
    return this.#renderAttachment(record);
  }

  attachments(objectType: string, objectId: number) {
    this.#attachable(objectType, objectId);
    return [...this.#attachments.values()]
      .filter((a) => a.objectType === objectType && a.objectId === objectId)
      .map((a) => this.#renderAttachment(a));
  }

  attachment(objectType: string, objectId: number, attachmentId: number): AttachmentRecord {
    const record = this.#attachments.get(attachmentId);
    if (!record || record.objectType !== objectType || record.objectId !== objectId) {
      throw new QTestApiError(404, `Attachment ${attachmentId} does not exist on ${objectType} ${objectId}.`);
    }
    return record;
  }

  // ---- search ------------------------------------------------------------------------------

  /** The objects of one type with their searchable values, for `POST /search`. */
  searchable(objectType: string): { item: object; value: (criterion: string) => string | undefined }[] {
    const withProps = (
      item: { properties?: Property[] | null; id: number; name?: string | null },
      extra: Record<string, string>,
    ) => ({
      item,
      value: (criterion: string) => {
        const key = criterion.toLowerCase();
        if (key in extra) return extra[key];
        if (key === "id") return String(item.id);
        if (key === "name") return item.name ?? undefined;
        // The Swagger allows a field's name or its id as the criterion.
        const property = item.properties?.find((p) => p.field_name?.toLowerCase() === key || String(p.field_id) === key);
        return property ? String(property.field_value_name ?? property.field_value ?? "") : undefined;
      },
    });
    const stamps = (r: Stamped) => ({
      pid: r.pid,
      "created date": iso(r.created),
      "last modified date": iso(r.modified),
    });
    switch (objectType) {
      case "test-cases":
        return [...this.#testCases.values()].map((t) => withProps(this.#renderTestCase(t, false), stamps(t)));
      case "test-runs":
        return [...this.#runs.values()].map((r) => withProps(this.#renderRun(r), stamps(r)));
      case "test-suites":
        return [...this.#suites.values()].map((s) => withProps(this.#renderSuite(s), stamps(s)));
      case "test-cycles":
        return [...this.#cycles.values()].map((c) => withProps(this.#renderCycle(c, false), stamps(c)));
      case "test-logs":
        return [...this.#logs.values()].map((l) =>
          withProps(this.#renderLog(l), {
            "execution start date": l.exeStart,
            "execution end date": l.exeEnd,
            "last modified date": iso(l.modified),
            "test run id": String(l.runId),
          }),
        );
      case "requirements":
      case "releases":
      case "builds":
      case "defects":
        return [];
      default:
        throw new QTestApiError(400, `object_type '${objectType}' cannot be searched.`);
    }
  }

  /** Counts per collection, for tests that assert nothing was written. */
  counts() {
    return {
      modules: this.#modules.size,
      testCases: this.#testCases.size,
      testCycles: this.#cycles.size,
      testSuites: this.#suites.size,
      testRuns: this.#runs.size,
      testLogs: this.#logs.size,
      attachments: this.#attachments.size,
    };
  }

  // ---- rendering ---------------------------------------------------------------------------

  #renderModule(m: ModuleRecord, expand: boolean): Module {
    const children = expand ? this.#childRecords(this.#modules, "module", "module", m.id) : [];
    return {
      links: [{ rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}/modules/${m.id}` }],
      id: m.id,
      name: m.name,
      order: m.order,
      pid: m.pid,
      created_date: iso(m.created),
      last_modified_date: iso(m.modified),
      parent_id: m.parentId,
      description: m.description,
      shared: false,
      ...(expand && { children: children.map((c) => this.#renderModule(c, true)) }),
    };
  }

  #renderTestCase(t: TestCaseRecord, withSteps: boolean): TestCase {
    return {
      links: [{ rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}/test-cases/${t.id}` }],
      id: t.id,
      pid: t.pid,
      name: t.name,
      order: t.order,
      parent_id: t.parentId,
      description: t.description,
      precondition: t.precondition,
      properties: this.#renderProperties("test-cases", t.props),
      ...(withSteps && { test_steps: t.steps.map((s) => this.#renderStep(s)) }),
      test_case_version_id: t.versionId,
      version: `0.${t.version}`,
      created_date: iso(t.created),
      last_modified_date: iso(t.modified),
      web_url: `${this.#origin}/p/${this.projectId}/portal/project#tab=testdesign&object=1&id=${t.id}`,
      creator_id: this.users[0]?.id,
    };
  }

  #renderStep(s: StepRecord): TestStep {
    const called = s.calledTestCaseId === undefined ? undefined : this.#testCases.get(s.calledTestCaseId);
    return {
      links: [],
      id: s.id,
      description: s.description,
      expected: s.expected,
      order: s.order,
      attachments: [],
      ...(s.calledTestCaseId !== undefined && {
        called_test_case_id: s.calledTestCaseId,
        called_test_case_name: called?.name ?? "",
        root_called_test_case_id: s.calledTestCaseId,
      }),
      ...(s.parameterValues !== undefined && { parameter_values: s.parameterValues as TestStep["parameter_values"] }),
    };
  }

  #renderCycle(c: CycleRecord, expand: boolean): TestCycle {
    const base = {
      links: [{ rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}/test-cycles/${c.id}` }],
      id: c.id,
      name: c.name,
      order: c.order,
      pid: c.pid,
      created_date: iso(c.created),
      last_modified_date: iso(c.modified),
      web_url: `${this.#origin}/p/${this.projectId}/portal/project#tab=testexecution&object=2&id=${c.id}`,
      description: c.description,
      target_release_id: c.parentType === "release" ? c.parentId : null,
      target_build_id: null,
    };
    if (!expand) return base;
    return {
      ...base,
      "test-cycles": this.#childRecords(this.#cycles, "cycle", "test-cycle", c.id).map((x) => this.#renderCycle(x, true)),
      "test-suites": this.#childRecords(this.#suites, "suite", "test-cycle", c.id).map((s) => this.#renderSuite(s)),
    };
  }

  #renderSuite(s: SuiteRecord): TestSuite {
    return {
      links: [{ rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}/test-suites/${s.id}` }],
      id: s.id,
      pid: s.pid,
      name: s.name,
      parentId: s.parentId,
      parentType: s.parentType,
      order: s.order,
      created_date: iso(s.created),
      last_modified_date: iso(s.modified),
      properties: this.#renderProperties("test-suites", s.props),
      web_url: `${this.#origin}/p/${this.projectId}/portal/project#tab=testexecution&object=3&id=${s.id}`,
    };
  }

  #renderRun(r: RunRecord): TestRun {
    const testCase = this.#testCases.get(r.testCaseId);
    const latest = this.#latestLog(r.id);
    const props = new Map(r.props);
    // A run's Status is computed by qTest from its latest log.
    props.set(4001, String(latest?.statusId ?? 605));
    return {
      links: [{ rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}/test-runs/${r.id}` }],
      id: r.id,
      pid: r.pid,
      name: r.name,
      order: r.order,
      parentId: r.parentId,
      parentType: r.parentType,
      test_case: { id: r.testCaseId, pid: testCase?.pid, name: testCase?.name },
      testCaseId: r.testCaseId,
      test_case_version_id: r.testCaseVersionId,
      creator_id: this.users[0]?.id,
      properties: this.#renderProperties("test-runs", props),
      created_date: iso(r.created),
      last_modified_date: iso(r.modified),
      web_url: `${this.#origin}/p/${this.projectId}/portal/project#tab=testexecution&object=3&id=${r.id}`,
      ...(latest && {
        latest_test_log: {
          id: latest.id,
          status: this.#statusName(latest.statusId),
          exe_start_date: latest.exeStart,
          exe_end_date: latest.exeEnd,
        },
      }),
    };
  }

  #renderLog(l: LogRecord): TestLog {
    return {
      links: [
        { rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}/test-runs/${l.runId}/test-logs/${l.id}` },
        { rel: "test-run", href: `${this.#origin}/api/v3/projects/${this.projectId}/test-runs/${l.runId}` },
      ],
      id: l.id,
      test_case_version_id: l.testCaseVersionId,
      exe_start_date: l.exeStart,
      exe_end_date: l.exeEnd,
      note: l.note,
      status: { id: l.statusId, name: this.#statusName(l.statusId) },
      properties: this.#renderProperties("test-runs", l.props).filter((p) => l.props.has(p.field_id)),
      test_step_logs: l.stepLogs.map((s) => ({
        test_step_log_id: s.id,
        test_step_id: s.testStepId ?? undefined,
        test_log_id: l.id,
        status: { id: s.statusId, name: this.#statusName(s.statusId) },
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
      test_run_id: l.runId,
    } as TestLog;
  }

  #renderAttachment(a: AttachmentRecord) {
    return {
      links: [],
      id: a.id,
      name: a.name,
      content_type: a.contentType,
      web_url: `${this.#origin}/p/${this.projectId}/portal/attachment/${a.objectType}/attachmentId/${a.id}`,
      created_date: iso(a.created),
      author: { id: this.users[0]?.id, username: this.users[0]?.username },
      artifact_id: a.objectId,
    };
  }

  // ---- validation --------------------------------------------------------------------------

  #properties(
    objectType: ObjectType,
    input: readonly PropertyInput[],
    current: Map<number, string>,
    options: { partial?: boolean } = {},
  ): Map<number, string> {
    const context = { users: this.users, projectId: this.projectId, readOnly: this.#readOnlyFields };
    return mergeProperties(objectType, this.fields(objectType), input, current, context, options);
  }

  #renderProperties(objectType: ObjectType, props: Map<number, string>): Property[] {
    return renderProperties(this.fields(objectType), props, this.users);
  }

  #executionStatus(id: number, where: string): number {
    if (!executionStatuses.some((s) => s.id === id)) {
      const choices = executionStatuses.map((s) => `${s.id} (${s.name})`).join(", ");
      throw new QTestApiError(400, `${where}: ${id} is not an execution status; allowed: ${choices}.`);
    }
    return id;
  }

  #step(input: TestStepInput, order: number, id?: number): StepRecord {
    if (input.called_test_case_id != null) this.#testCaseByIdOrPid(String(input.called_test_case_id));
    return {
      id: id ?? this.#id(),
      description: input.description,
      expected: input.expected,
      order,
      ...(input.called_test_case_id != null && { calledTestCaseId: input.called_test_case_id }),
      ...(input.parameter_values != null && { parameterValues: input.parameter_values }),
    };
  }

  // ---- lookups -----------------------------------------------------------------------------

  #objectType(objectType: string): ObjectType {
    if (!(OBJECT_TYPES as readonly string[]).includes(objectType)) {
      throw new QTestApiError(400, `objectType '${objectType}' must be one of ${OBJECT_TYPES.join(", ")}.`);
    }
    return objectType as ObjectType;
  }

  #module(id: number): ModuleRecord {
    const record = this.#modules.get(id);
    if (!record) throw new QTestApiError(404, `Module ${id} does not exist.`);
    return record;
  }

  #moduleAncestors(id: number): number[] {
    const chain: number[] = [];
    for (let m = this.#modules.get(id); m; m = m.parentId === null ? undefined : this.#modules.get(m.parentId)) chain.push(m.id);
    return chain;
  }

  #moduleSubtree(id: number): number[] {
    const ids = [id];
    for (let i = 0; i < ids.length; i++) {
      for (const m of this.#childRecords(this.#modules, "module", "module", ids[i] as number)) ids.push(m.id);
    }
    return ids;
  }

  #createdViaApiModule(): number {
    const existing = [...this.#modules.values()].find((m) => m.parentId === null && m.name === "Created via API");
    return existing?.id ?? (this.createModule({ name: "Created via API" }, undefined).id as number);
  }

  #testCaseByIdOrPid(idOrPid: string): TestCaseRecord {
    const record = this.#testCases.get(Number(idOrPid)) ?? this.#testCases.get(this.#testCaseByPid.get(idOrPid) ?? -1);
    if (!record) throw new QTestApiError(404, `Test case ${idOrPid} does not exist.`);
    return record;
  }

  #stepOf(record: TestCaseRecord, stepId: number): StepRecord {
    const step = record.steps.find((s) => s.id === stepId);
    if (!step) throw new QTestApiError(404, `Test step ${stepId} does not exist in test case ${record.id}.`);
    return step;
  }

  #newVersion(record: TestCaseRecord): void {
    record.version++;
    record.versionId = this.#id();
    record.modified = this.#clock();
  }

  #cycle(id: number): CycleRecord {
    const record = this.#cycles.get(id);
    if (!record) throw new QTestApiError(404, `Test cycle ${id} does not exist.`);
    return record;
  }

  #cycleAncestors(id: number): number[] {
    const chain: number[] = [];
    for (let c = this.#cycles.get(id); c; c = c.parentType === "test-cycle" ? this.#cycles.get(c.parentId) : undefined) {
      chain.push(c.id);
    }
    return chain;
  }

  #suite(id: number): SuiteRecord {
    const record = this.#suites.get(id);
    if (!record) throw new QTestApiError(404, `Test suite ${id} does not exist.`);
    return record;
  }

  #run(id: number): RunRecord {
    const record = this.#runs.get(id);
    if (!record) throw new QTestApiError(404, `Test run ${id} does not exist.`);
    return record;
  }

  #runAncestors(run: RunRecord): { type: ParentType; id: number }[] {
    const chain: { type: ParentType; id: number }[] = [];
    let type: ParentType = run.parentType;
    let id = run.parentId;
    while (type !== "root") {
      chain.push({ type, id });
      const parent: { parentType: ParentType; parentId: number } | undefined =
        type === "test-suite" ? this.#suites.get(id) : type === "test-cycle" ? this.#cycles.get(id) : undefined;
      if (!parent) break;
      type = parent.parentType;
      id = parent.parentId;
    }
    return chain;
  }

  #latestLog(runId: number): LogRecord | undefined {
    const id = this.#logsByRun.get(runId)?.at(-1);
    return id === undefined ? undefined : this.#logs.get(id);
  }

  #containerType(parentType: string): "root" | "release" | "test-cycle" {
    if (parentType === "root" || parentType === "release" || parentType === "test-cycle") return parentType;
    throw new QTestApiError(400, `parentType '${parentType}' must be root, release or test-cycle.`);
  }

  #container(parentId: number | undefined, parentType: string | undefined) {
    const type = this.#containerType(parentType ?? (parentId ? "test-cycle" : "root"));
    if (type === "release") throw new QTestApiError(404, `Release ${parentId} does not exist.`);
    if (type === "test-cycle") this.#cycle(parentId ?? 0);
    return { id: type === "root" ? 0 : (parentId ?? 0), type };
  }

  #attachable(objectType: string, objectId: number): void {
    if (!ATTACHABLE.includes(objectType)) {
      throw new QTestApiError(400, `objectType '${objectType}' must be one of ${ATTACHABLE.join(", ")}.`);
    }
    const exists =
      objectType === "test-cases"
        ? this.#testCases.has(objectId)
        : objectType === "test-logs"
          ? this.#logs.has(objectId)
          : objectType === "test-steps"
            ? [...this.#testCases.values()].some((t) => t.steps.some((s) => s.id === objectId))
            : false;
    if (!exists) throw new QTestApiError(404, `${objectType} ${objectId} does not exist.`);
  }

  #statusName(id: number): string {
    return executionStatuses.find((s) => s.id === id)?.name ?? String(id);
  }

  #link(kind: string, parentType: string, parentId: number | null, id: number): void {
    const key = `${kind}:${parentType}:${parentId}`;
    const set = this.#children.get(key) ?? new Set<number>();
    set.add(id);
    this.#children.set(key, set);
  }

  #unlink(kind: string, parentType: string, parentId: number | null, id: number): void {
    this.#children.get(`${kind}:${parentType}:${parentId}`)?.delete(id);
  }

  #childCount(kind: string, parentType: string, parentId: number | null): number {
    return this.#children.get(`${kind}:${parentType}:${parentId}`)?.size ?? 0;
  }

  #childRecords<T>(records: Map<number, T>, kind: string, parentType: string, parentId: number | null): T[] {
    const ids = this.#children.get(`${kind}:${parentType}:${parentId}`) ?? [];
    return [...ids].map((id) => records.get(id) as T);
  }

  #id(): number {
    return ++this.#nextId;
  }

  #pid(prefix: string): string {
    const n = (this.#pidCounters.get(prefix) ?? 0) + 1;
    this.#pidCounters.set(prefix, n);
    return `${prefix}-${n}`;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
