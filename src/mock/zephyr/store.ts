import { toZephyrDateTime } from "../../zephyr/datetime.js";
import type {
  Environment,
  Folder,
  FolderInput,
  FolderType,
  Priority,
  Project,
  Status,
  StatusType,
  TestCase,
  TestCaseInput,
  TestCaseUpdate,
  TestCycle,
  TestCycleInput,
  TestCycleUpdate,
  TestExecution,
  TestExecutionInput,
  TestExecutionStep,
  TestExecutionUpdate,
  TestScript,
  TestScriptInput,
  TestStep,
  TestStepsInput,
} from "../../zephyr/schemas.js";
import type { Snapshot } from "../../zephyr/snapshot.js";

/** An error the mock answers with `{errorCode, message}`, as Zephyr does. */
export class ZephyrApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Kind = "testcase" | "testcycle" | "testexecution";

/**
 * One Zephyr Scale project in memory. Holds the snapshot's objects as they were given, so a loaded
 * dataset is served back unchanged, and applies the API's writes with the API's rules.
 */
export class ZephyrStore {
  readonly project: Project;
  readonly #baseUrl: string;
  readonly #clock: () => number;
  readonly #folders: Folder[];
  readonly #statuses: Status[];
  /** The API never says which type a status is except through the `statusType` filter. */
  readonly #statusTypes: Map<number, Set<StatusType>>;
  readonly #priorities: Priority[];
  readonly #environments: Environment[];
  readonly #testCases: TestCase[];
  readonly #testCaseByKey = new Map<string, TestCase>();
  readonly #testCaseById = new Map<number, TestCase>();
  readonly #steps = new Map<string, TestStep[]>();
  readonly #scripts = new Map<string, TestScript>();
  readonly #cycles: TestCycle[];
  readonly #executions: TestExecution[];
  readonly #executionSteps = new Map<number, TestExecutionStep[]>();
  /** Cycles and executions by id and by key: the API addresses them either way. */
  readonly #cycleIndex = new Map<string, TestCycle>();
  readonly #executionIndex = new Map<string, TestExecution>();
  /** Zephyr exposes no updated timestamp; the mock keeps one so `updatedAfter` can work. */
  readonly #updatedAt = new Map<string, number>();
  readonly #customFieldNames: Record<Kind, Set<string>>;
  /** Last id or key number handed out per sequence, so creates never rescan the project. */
  readonly #last: Record<"stepId" | "scriptId" | "executionStepId" | "T" | "R" | "E", number>;

  constructor(snapshot: Snapshot, options: { baseUrl: string; clock?: () => number }) {
    this.#baseUrl = options.baseUrl;
    this.#clock = options.clock ?? Date.now;
    this.project = snapshot.project;
    const byId = <T extends { id: number }>(a: T, b: T) => a.id - b.id;
    this.#folders = [...snapshot.folders].sort(byId);
    this.#statuses = [...snapshot.statuses].sort(byId);
    this.#priorities = [...snapshot.priorities].sort(byId);
    this.#environments = [...snapshot.environments].sort(byId);
    this.#testCases = [...snapshot.testCases].sort(byId);
    this.#cycles = [...snapshot.testCycles].sort(byId);
    this.#executions = [...snapshot.testExecutions].sort(byId);
    for (const testCase of this.#testCases) {
      this.#testCaseByKey.set(testCase.key, testCase);
      this.#testCaseById.set(testCase.id, testCase);
    }
    for (const cycle of this.#cycles) index(this.#cycleIndex, cycle);
    for (const execution of this.#executions) index(this.#executionIndex, execution);
    for (const [key, steps] of Object.entries(snapshot.testSteps)) this.#steps.set(key, steps);
    for (const [key, script] of Object.entries(snapshot.testScripts)) this.#scripts.set(key, script);
    for (const [id, steps] of Object.entries(snapshot.testExecutionSteps)) this.#executionSteps.set(Number(id), steps);
    const now = this.#clock();
    for (const t of this.#testCases) this.#updatedAt.set(`testcase:${t.id}`, now);
    for (const c of this.#cycles) this.#updatedAt.set(`testcycle:${c.id}`, now);
    for (const e of this.#executions) this.#updatedAt.set(`testexecution:${e.id}`, now);
    this.#statusTypes = this.#inferStatusTypes(snapshot);
    this.#last = {
      stepId: maxId([...this.#steps.values()].flat()),
      scriptId: maxId([...this.#scripts.values()]),
      executionStepId: maxId([...this.#executionSteps.values()].flat()),
      T: maxKeyNumber(this.#testCases, "T"),
      R: maxKeyNumber(this.#cycles, "R"),
      E: maxKeyNumber(this.#executions, "E"),
    };
    this.#customFieldNames = {
      testcase: fieldNames(this.#testCases),
      testcycle: fieldNames(this.#cycles),
      testexecution: fieldNames(this.#executions),
    };
  }

  // ---- reads -------------------------------------------------------------------------------

  getProject(idOrKey: string): Project {
    if (idOrKey === this.project.key || idOrKey === String(this.project.id)) return this.project;
    throw new ZephyrApiError(404, `Project '${idOrKey}' does not exist or you do not have access to it.`);
  }

  /** Filters by project key as the list endpoints do; an unknown key is a client error. */
  checkProjectKey(projectKey: string | undefined): void {
    if (projectKey !== undefined && projectKey !== this.project.key) {
      throw new ZephyrApiError(400, `Project with key '${projectKey}' was not found.`);
    }
  }

  folders(folderType?: FolderType): Folder[] {
    return folderType ? this.#folders.filter((f) => f.folderType === folderType) : this.#folders;
  }

  folder(id: number): Folder {
    return found(
      this.#folders.find((f) => f.id === id),
      `Folder ${id}`,
    );
  }

  statuses(statusType?: StatusType): Status[] {
    if (!statusType) return this.#statuses;
    return this.#statuses.filter((s) => this.#statusTypes.get(s.id)?.has(statusType) ?? true);
  }

  status(id: number): Status {
    return found(
      this.#statuses.find((s) => s.id === id),
      `Status ${id}`,
    );
  }

  priorities(): Priority[] {
    return this.#priorities;
  }

  priority(id: number): Priority {
    return found(
      this.#priorities.find((p) => p.id === id),
      `Priority ${id}`,
    );
  }

  environments(): Environment[] {
    return this.#environments;
  }

  environment(id: number): Environment {
    return found(
      this.#environments.find((e) => e.id === id),
      `Environment ${id}`,
    );
  }

  testCases(filter: { folderId?: number; updatedAfter?: number } = {}): TestCase[] {
    const { folderId, updatedAfter } = filter;
    if (folderId === undefined && updatedAfter === undefined) return this.#testCases;
    return this.#testCases.filter(
      (t) =>
        (folderId === undefined || t.folder?.id === folderId) &&
        (updatedAfter === undefined || this.#isUpdatedAfter("testcase", t.id, updatedAfter)),
    );
  }

  testCase(key: string): TestCase {
    return found(this.#testCaseByKey.get(key), `Test case '${key}'`);
  }

  testSteps(key: string): TestStep[] {
    this.testCase(key);
    const script = this.#scripts.get(key);
    if (script) {
      throw new ZephyrApiError(422, `Test case '${key}' has a ${script.type} test script, not test steps.`);
    }
    return this.#steps.get(key) ?? [];
  }

  testScript(key: string): TestScript {
    this.testCase(key);
    return found(this.#scripts.get(key), `Test script of test case '${key}'`);
  }

  testCycles(filter: { folderId?: number; jiraProjectVersionId?: number; updatedAfter?: number } = {}): TestCycle[] {
    const { folderId, jiraProjectVersionId, updatedAfter } = filter;
    if (folderId === undefined && jiraProjectVersionId === undefined && updatedAfter === undefined) return this.#cycles;
    return this.#cycles.filter(
      (c) =>
        (folderId === undefined || c.folder?.id === folderId) &&
        (jiraProjectVersionId === undefined || c.jiraProjectVersion?.id === jiraProjectVersionId) &&
        (updatedAfter === undefined || this.#isUpdatedAfter("testcycle", c.id, updatedAfter)),
    );
  }

  testCycle(idOrKey: string): TestCycle {
    const cycle = this.#cycleIndex.get(idOrKey);
    return found(cycle, `Test cycle '${idOrKey}'`);
  }

  testExecutions(
    filter: {
      testCycle?: string;
      testCase?: string;
      actualEndDateAfter?: number;
      actualEndDateBefore?: number;
      onlyLastExecutions?: boolean;
      updatedAfter?: number;
    } = {},
  ): TestExecution[] {
    const cycleId = filter.testCycle === undefined ? undefined : this.testCycle(filter.testCycle).id;
    const caseKey = filter.testCase === undefined ? undefined : this.testCase(filter.testCase).key;
    const matches = this.#executions.filter((e) => {
      if (cycleId !== undefined && e.testCycle?.id !== cycleId) return false;
      if (caseKey !== undefined && this.executionTestCaseKey(e) !== caseKey) return false;
      const end = e.actualEndDate ? Date.parse(e.actualEndDate) : undefined;
      if (filter.actualEndDateAfter !== undefined && !(end !== undefined && end > filter.actualEndDateAfter)) return false;
      if (filter.actualEndDateBefore !== undefined && !(end !== undefined && end < filter.actualEndDateBefore)) return false;
      if (filter.updatedAfter !== undefined && !this.#isUpdatedAfter("testexecution", e.id, filter.updatedAfter)) return false;
      return true;
    });
    if (!filter.onlyLastExecutions) return matches;
    // "The last execution of each test cycle item, and all ad-hoc test executions."
    const last = new Map<string, TestExecution>();
    const itemOf = (e: TestExecution) => `${e.testCycle?.id}|${this.executionTestCaseKey(e)}`;
    for (const e of matches) if (e.testCycle) last.set(itemOf(e), e);
    return matches.filter((e) => !e.testCycle || last.get(itemOf(e)) === e);
  }

  testExecution(idOrKey: string): TestExecution {
    const execution = this.#executionIndex.get(idOrKey);
    return found(execution, `Test execution '${idOrKey}'`);
  }

  testExecutionSteps(idOrKey: string): TestExecutionStep[] {
    return this.#executionSteps.get(this.testExecution(idOrKey).id) ?? [];
  }

  /** The execution's test case reference has no key field; the key sits in its `self` URL. */
  executionTestCaseKey(execution: TestExecution): string | undefined {
    const byId = this.#testCaseById.get(execution.testCase.id);
    if (byId) return byId.key;
    return /\/testcases\/([^/]+)/.exec(execution.testCase.self ?? "")?.[1];
  }

  // ---- writes ------------------------------------------------------------------------------

  createFolder(input: FolderInput): { id: number; self: string } {
    this.checkProjectKey(input.projectKey);
    if (/[/\\]/.test(input.name)) throw new ZephyrApiError(400, "Folder name must not contain '/' or '\\'.");
    if (input.parentId != null) {
      const parent = this.folder(input.parentId);
      if (parent.folderType !== input.folderType) {
        throw new ZephyrApiError(400, `Parent folder ${parent.id} is not a ${input.folderType} folder.`);
      }
    }
    const siblings = this.#folders.filter((f) => (f.parentId ?? null) === (input.parentId ?? null));
    if (siblings.some((f) => f.name === input.name && f.folderType === input.folderType)) {
      throw new ZephyrApiError(400, `A folder named '${input.name}' already exists at that level.`);
    }
    const id = nextId(this.#folders);
    this.#folders.push({
      id,
      parentId: input.parentId ?? null,
      name: input.name,
      index: siblings.length,
      folderType: input.folderType,
      project: this.#projectRef(),
    });
    return { id, self: `${this.#baseUrl}/folders/${id}` };
  }

  createTestCase(input: TestCaseInput): { id: number; self: string; key: string } {
    this.checkProjectKey(input.projectKey);
    // Every check before the key is taken: a rejected create leaves no gap in the keys.
    const priority = this.#priorityByName(input.priorityName);
    const status = this.#statusByName(input.statusName, "TEST_CASE");
    const folder = input.folderId == null ? null : this.#folderOfType(input.folderId, "TEST_CASE");
    const customFields = this.#customFields("testcase", input.customFields);
    const id = nextId(this.#testCases);
    const key = `${this.project.key}-T${++this.#last.T}`;
    const testCase: TestCase = {
      id,
      key,
      name: input.name,
      project: this.#projectRef(),
      createdOn: toZephyrDateTime(this.#clock()),
      objective: input.objective ?? null,
      precondition: input.precondition ?? null,
      estimatedTime: input.estimatedTime ?? null,
      labels: input.labels ?? [],
      component: input.componentId == null ? null : { id: input.componentId, self: `${this.#baseUrl}/components` },
      priority: this.#ref("priorities", priority),
      status: this.#ref("statuses", status),
      folder: folder && this.#ref("folders", folder),
      owner: input.ownerId ? { accountId: input.ownerId, self: `${this.#baseUrl}/user?accountId=${input.ownerId}` } : null,
      testScript: { self: `${this.#baseUrl}/testcases/${key}/testscript` },
      customFields,
      links: { self: `${this.#baseUrl}/testcases/${key}/links`, issues: [], webLinks: [] },
    };
    this.#testCases.push(testCase);
    this.#testCaseByKey.set(key, testCase);
    this.#testCaseById.set(id, testCase);
    this.#touch("testcase", id);
    return { id, self: `${this.#baseUrl}/testcases/${key}`, key };
  }

  /** PUT replaces the whole object: what the body leaves out is cleared, as the API documents. */
  updateTestCase(key: string, input: TestCaseUpdate): void {
    const current = this.testCase(key);
    if (input.key !== undefined && input.key !== key) throw new ZephyrApiError(400, "The key of a test case cannot change.");
    this.priority(input.priority.id);
    this.#statusOfType(input.status.id, "TEST_CASE");
    if (input.folder) this.#folderOfType(input.folder.id, "TEST_CASE");
    const updated: TestCase = {
      id: current.id,
      key: current.key,
      name: input.name,
      project: current.project,
      createdOn: current.createdOn,
      objective: input.objective ?? null,
      precondition: input.precondition ?? null,
      estimatedTime: input.estimatedTime ?? null,
      labels: input.labels ?? [],
      component: input.component ?? null,
      priority: this.#ref("priorities", this.priority(input.priority.id)),
      status: this.#ref("statuses", this.status(input.status.id)),
      folder: input.folder ? this.#ref("folders", this.folder(input.folder.id)) : null,
      owner: input.owner ?? null,
      testScript: current.testScript,
      customFields: this.#customFields("testcase", input.customFields, { requireAll: true }),
      links: current.links,
    };
    this.#replace(this.#testCases, undefined, updated);
    this.#testCaseByKey.set(key, updated);
    this.#testCaseById.set(updated.id, updated);
    this.#touch("testcase", updated.id);
  }

  /** Steps arrive in at most 100 per request; posting steps removes a script, as the API does. */
  addTestSteps(key: string, input: TestStepsInput): { id: number; self: string } {
    const testCase = this.testCase(key);
    for (const item of input.items) {
      if (item.testCase) this.testCase(item.testCase.testCaseKey);
    }
    const existing = input.mode === "APPEND" && !this.#scripts.has(key) ? (this.#steps.get(key) ?? []) : [];
    const added: TestStep[] = input.items.map((item) =>
      item.inline
        ? {
            id: ++this.#last.stepId,
            inline: {
              description: item.inline.description ?? null,
              testData: item.inline.testData ?? null,
              expectedResult: item.inline.expectedResult ?? null,
              customFields: item.inline.customFields ?? {},
              reflectRef: null,
            },
          }
        : {
            id: ++this.#last.stepId,
            testCase: {
              self: `${this.#baseUrl}/testcases/${item.testCase?.testCaseKey}`,
              testCaseKey: item.testCase?.testCaseKey ?? "",
              parameters: item.testCase?.parameters ?? [],
            },
          },
    );
    this.#scripts.delete(key);
    this.#steps.set(key, [...existing, ...added]);
    this.#touch("testcase", testCase.id);
    return { id: testCase.id, self: `${this.#baseUrl}/testcases/${key}/teststeps` };
  }

  setTestScript(key: string, input: TestScriptInput): { id: number; self: string } {
    const testCase = this.testCase(key);
    const id = ++this.#last.scriptId;
    this.#scripts.set(key, { id, type: input.type, text: input.text });
    this.#steps.delete(key);
    this.#touch("testcase", testCase.id);
    return { id, self: `${this.#baseUrl}/testcases/${key}/testscript` };
  }

  createTestCycle(input: TestCycleInput): { id: number; self: string; key: string } {
    this.checkProjectKey(input.projectKey);
    const status = this.#statusByName(input.statusName, "TEST_CYCLE");
    const folder = input.folderId == null ? null : this.#folderOfType(input.folderId, "TEST_CYCLE");
    const customFields = this.#customFields("testcycle", input.customFields);
    const id = nextId(this.#cycles);
    const key = `${this.project.key}-R${++this.#last.R}`;
    this.#cycles.push({
      id,
      key,
      name: input.name,
      project: this.#projectRef(),
      jiraProjectVersion:
        input.jiraProjectVersion == null ? null : { id: input.jiraProjectVersion, self: `${this.#baseUrl}/version` },
      status: this.#ref("statuses", status),
      folder: folder && this.#ref("folders", folder),
      description: input.description ?? null,
      plannedStartDate: input.plannedStartDate ?? null,
      plannedEndDate: input.plannedEndDate ?? null,
      owner: input.ownerId ? { accountId: input.ownerId, self: `${this.#baseUrl}/user?accountId=${input.ownerId}` } : null,
      customFields,
      links: { self: `${this.#baseUrl}/testcycles/${key}/links`, issues: [], webLinks: [], testPlans: [] },
    });
    index(this.#cycleIndex, this.#cycles.at(-1) as TestCycle);
    this.#touch("testcycle", id);
    return { id, self: `${this.#baseUrl}/testcycles/${id}`, key };
  }

  updateTestCycle(idOrKey: string, input: TestCycleUpdate): void {
    const current = this.testCycle(idOrKey);
    this.#statusOfType(input.status.id, "TEST_CYCLE");
    if (input.folder) this.#folderOfType(input.folder.id, "TEST_CYCLE");
    this.#replace(this.#cycles, this.#cycleIndex, {
      id: current.id,
      key: current.key,
      name: input.name,
      project: current.project,
      jiraProjectVersion: input.jiraProjectVersion ?? null,
      status: this.#ref("statuses", this.status(input.status.id)),
      folder: input.folder ? this.#ref("folders", this.folder(input.folder.id)) : null,
      description: input.description ?? null,
      // The 2026 spec: missing planned dates are left as they were, unlike every other field.
      plannedStartDate: input.plannedStartDate ?? current.plannedStartDate ?? null,
      plannedEndDate: input.plannedEndDate ?? current.plannedEndDate ?? null,
      owner: input.owner ?? null,
      customFields: this.#customFields("testcycle", input.customFields, { requireAll: true }),
      links: current.links,
    });
    this.#touch("testcycle", current.id);
  }

  createTestExecution(input: TestExecutionInput): { id: number; self: string } {
    this.checkProjectKey(input.projectKey);
    const testCase = this.testCase(input.testCaseKey);
    const cycle = this.testCycle(input.testCycleKey);
    const status = this.#statusByName(input.statusName, "TEST_EXECUTION");
    const environment = input.environmentName ? this.#environmentByName(input.environmentName) : undefined;
    const customFields = this.#customFields("testexecution", input.customFields);
    const steps = this.#executionStepsFor(testCase.key, input.testScriptResults ?? []);
    const id = nextId(this.#executions);
    const key = `${this.project.key}-E${++this.#last.E}`;
    this.#executions.push({
      id,
      key,
      project: this.#projectRef(),
      testCase: { id: testCase.id, self: `${this.#baseUrl}/testcases/${testCase.key}/versions/1` },
      environment: environment ? this.#ref("environments", environment) : null,
      jiraProjectVersion: null,
      testExecutionStatus: this.#ref("statuses", status),
      actualEndDate: input.actualEndDate ?? null,
      estimatedTime: testCase.estimatedTime ?? null,
      executionTime: input.executionTime ?? null,
      executedById: input.executedById ?? null,
      assignedToId: input.assignedToId ?? null,
      comment: input.comment ?? null,
      automated: false,
      testCycle: { id: cycle.id, self: `${this.#baseUrl}/testcycles/${cycle.id}` },
      customFields,
      links: { self: `${this.#baseUrl}/testexecutions/${id}/links`, issues: [] },
    });
    index(this.#executionIndex, this.#executions.at(-1) as TestExecution);
    this.#executionSteps.set(id, steps);
    this.#touch("testexecution", id);
    return { id, self: `${this.#baseUrl}/testexecutions/${id}` };
  }

  /** Unlike the other PUTs, this one ignores what is null or missing (2026 spec). */
  updateTestExecution(idOrKey: string, input: TestExecutionUpdate): void {
    const current = this.testExecution(idOrKey);
    const updated: TestExecution = { ...current };
    if (input.statusName != null) {
      updated.testExecutionStatus = this.#ref("statuses", this.#statusByName(input.statusName, "TEST_EXECUTION"));
    }
    if (input.environmentName != null) {
      updated.environment = this.#ref("environments", this.#environmentByName(input.environmentName));
    }
    if (input.actualEndDate != null) updated.actualEndDate = input.actualEndDate;
    if (input.executionTime != null) updated.executionTime = input.executionTime;
    if (input.executedById != null) updated.executedById = input.executedById;
    if (input.assignedToId != null) updated.assignedToId = input.assignedToId;
    if (input.comment != null) updated.comment = input.comment;
    this.#replace(this.#executions, this.#executionIndex, updated);
    this.#touch("testexecution", current.id);
  }

  /** Positional, as the API: one entry per execution step, in order. */
  updateTestExecutionSteps(idOrKey: string, steps: { actualResult?: string | null; statusName?: string | null }[]): void {
    const execution = this.testExecution(idOrKey);
    const current = this.#executionSteps.get(execution.id) ?? [];
    if (steps.length !== current.length) {
      throw new ZephyrApiError(422, "Sent steps are not matching test execution steps");
    }
    this.#executionSteps.set(
      execution.id,
      current.map((step, i) => {
        const change = steps[i] ?? {};
        return {
          ...step,
          inline: {
            ...step.inline,
            actualResult: change.actualResult ?? step.inline.actualResult,
            status: change.statusName
              ? this.#ref("statuses", this.#statusByName(change.statusName, "TEST_EXECUTION"))
              : step.inline.status,
          },
        };
      }),
    );
    this.#touch("testexecution", execution.id);
  }

  /**
   * Not an API operation (Zephyr Scale Cloud has no delete): lets a test make a test case
   * disappear from the source between two migration runs.
   */
  removeTestCase(key: string): void {
    const testCase = this.testCase(key);
    this.#testCases.splice(this.#testCases.indexOf(testCase), 1);
    this.#testCaseByKey.delete(key);
    this.#testCaseById.delete(testCase.id);
    this.#steps.delete(key);
    this.#scripts.delete(key);
  }

  // ---- helpers -----------------------------------------------------------------------------

  #isUpdatedAfter(kind: Kind, id: number, after: number): boolean {
    return (this.#updatedAt.get(`${kind}:${id}`) ?? 0) > after;
  }

  #touch(kind: Kind, id: number): void {
    this.#updatedAt.set(`${kind}:${id}`, this.#clock());
  }

  #projectRef() {
    return { id: this.project.id, self: `${this.#baseUrl}/projects/${this.project.id}` };
  }

  #ref(collection: string, entity: { id: number }) {
    return { id: entity.id, self: `${this.#baseUrl}/${collection}/${entity.id}` };
  }

  #priorityByName(name: string | undefined): Priority {
    if (name === undefined) return found(this.#priorities.find((p) => p.default) ?? this.#priorities[0], "Default priority");
    const priority = this.#priorities.find((p) => p.name === name);
    if (!priority) throw new ZephyrApiError(400, `Priority '${name}' was not found for project ${this.project.key}.`);
    return priority;
  }

  #defaultStatus(type: StatusType): Status {
    const candidates = this.statuses(type).filter((s) => !s.archived);
    return found(candidates.find((s) => s.default) ?? candidates[0], `Default ${type} status`);
  }

  #statusByName(name: string | undefined, type: StatusType): Status {
    if (name === undefined) return this.#defaultStatus(type);
    const status = this.statuses(type).find((s) => s.name === name);
    if (!status) throw new ZephyrApiError(400, `Status '${name}' was not found for ${type} in project ${this.project.key}.`);
    if (status.archived) throw new ZephyrApiError(400, `Status '${name}' is archived and cannot be assigned.`);
    return status;
  }

  #statusOfType(id: number, type: StatusType): Status {
    const status = this.status(id);
    if (!(this.#statusTypes.get(id)?.has(type) ?? true)) {
      throw new ZephyrApiError(400, `Status ${id} is not a ${type} status.`);
    }
    return status;
  }

  #environmentByName(name: string): Environment {
    const environment = this.#environments.find((e) => e.name === name);
    if (!environment) throw new ZephyrApiError(400, `Environment '${name}' was not found for project ${this.project.key}.`);
    return environment;
  }

  #folderOfType(id: number, type: FolderType): Folder {
    const folder = this.#folders.find((f) => f.id === id);
    if (!folder) throw new ZephyrApiError(400, `Folder ${id} was not found.`);
    if (folder.folderType !== type) throw new ZephyrApiError(400, `Folder ${id} is not a ${type} folder.`);
    return folder;
  }

  #customFields(
    kind: Kind,
    values: Record<string, unknown> | undefined,
    options: { requireAll?: boolean } = {},
  ): Record<string, unknown> {
    const known = this.#customFieldNames[kind];
    for (const name of Object.keys(values ?? {})) {
      if (!known.has(name)) {
        throw new ZephyrApiError(400, `A custom field name in the body does not exist for the project: '${name}'.`);
      }
    }
    if (options.requireAll) {
      const missing = [...known].filter((name) => !(name in (values ?? {})));
      if (missing.length > 0) {
        throw new ZephyrApiError(400, `Every custom field must be present on update; missing: ${missing.join(", ")}.`);
      }
    }
    return { ...values };
  }

  #executionStepsFor(
    testCaseKey: string,
    results: { statusName?: string | null; actualEndDate?: string | null; actualResult?: string | null }[],
  ): TestExecutionStep[] {
    const notExecuted = this.#defaultStatus("TEST_EXECUTION");
    const inline = (this.#steps.get(testCaseKey) ?? []).flatMap((s) => (s.inline ? [s.inline] : []));
    return inline.map((step, i) => {
      const result = results[i];
      const status = result?.statusName ? this.#statusByName(result.statusName, "TEST_EXECUTION") : notExecuted;
      return {
        id: ++this.#last.stepId,
        inline: {
          description: step.description ?? null,
          testData: step.testData ?? null,
          expectedResult: step.expectedResult ?? null,
          actualResult: result?.actualResult ?? null,
          testDataRowNumber: null,
          reflectRef: null,
          status: this.#ref("statuses", status),
        },
      };
    });
  }

  #inferStatusTypes(snapshot: Snapshot): Map<number, Set<StatusType>> {
    const types = new Map<number, Set<StatusType>>();
    const mark = (id: number | undefined, type: StatusType) => {
      if (id === undefined) return;
      const set = types.get(id) ?? new Set<StatusType>();
      set.add(type);
      types.set(id, set);
    };
    for (const [id, type] of Object.entries(snapshot.statusTypes ?? {})) mark(Number(id), type);
    for (const t of snapshot.testCases) mark(t.status.id, "TEST_CASE");
    for (const c of snapshot.testCycles) mark(c.status?.id, "TEST_CYCLE");
    for (const e of snapshot.testExecutions) mark(e.testExecutionStatus.id, "TEST_EXECUTION");
    for (const steps of Object.values(snapshot.testExecutionSteps)) {
      for (const s of steps) mark(s.inline.status?.id, "TEST_EXECUTION");
    }
    return types;
  }

  #replace<T extends { id: number; key?: string | null }>(list: T[], lookup: Map<string, T> | undefined, updated: T): void {
    list[list.findIndex((item) => item.id === updated.id)] = updated;
    if (lookup) index(lookup, updated);
  }
}

function index<T extends { id: number; key?: string | null }>(lookup: Map<string, T>, entity: T): void {
  lookup.set(String(entity.id), entity);
  if (entity.key) lookup.set(entity.key, entity);
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new ZephyrApiError(404, `${what} does not exist or you do not have access to it.`);
  return value;
}

function fieldNames(entities: readonly { customFields?: Record<string, unknown> | null }[]): Set<string> {
  const names = new Set<string>();
  for (const entity of entities) for (const name of Object.keys(entity.customFields ?? {})) names.add(name);
  return names;
}

function nextId(list: readonly { id: number }[]): number {
  return (list.at(-1)?.id ?? 0) + 1;
}

function maxKeyNumber(list: readonly { key?: string | null }[], letter: string): number {
  const pattern = new RegExp(`-${letter}(\\d+)$`);
  let max = 0;
  for (const item of list) max = Math.max(max, Number(pattern.exec(item.key ?? "")?.[1] ?? 0));
  return max;
}

function maxId(items: readonly { id?: number | null }[]): number {
  let max = 0;
  for (const item of items) max = Math.max(max, item.id ?? 0);
  return max;
}
