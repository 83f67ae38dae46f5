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
  TestPlan,
  TestScript,
  TestScriptInput,
  TestStep,
  TestStepsInput,
} from "../../zephyr/schemas.js";
import type { JiraIssue, Snapshot } from "../../zephyr/snapshot.js";
import { UpdatedAt } from "./changes.js";
import type { Context } from "./context.js";
import { CustomFields } from "./custom-fields.js";
import { maxId, Sequence } from "./entity-lists.js";
import { type LinkOwner, Links, type LinkType } from "./links.js";
import { ReferenceData } from "./reference-data.js";
import { Refs } from "./refs.js";
import { TestCases } from "./test-cases.js";
import { TestCycles } from "./test-cycles.js";
import { type ExecutionFilter, TestExecutions } from "./test-executions.js";
import { TestPlans } from "./test-plans.js";

/**
 * One Zephyr Scale project in memory. Holds the snapshot's objects as they were given, so a loaded
 * dataset is served back unchanged, and applies the API's writes with the API's rules. This class
 * is what `app.ts` routes to; the work is done by one module per kind of object.
 */
/** How long before the mock started a snapshot's objects were last changed. */
const SNAPSHOT_AGE_MS = 3_600_000;

export class ZephyrStore {
  readonly project: Project;
  readonly #reference: ReferenceData;
  readonly #testCases: TestCases;
  readonly #cycles: TestCycles;
  readonly #executions: TestExecutions;
  readonly #plans: TestPlans;
  readonly #links: Links;
  /** Not Zephyr's: the Jira issues of the snapshot, which the Jira and qTest mocks serve. */
  readonly jiraIssues: readonly JiraIssue[];

  constructor(snapshot: Snapshot, options: { baseUrl: string; clock?: () => number }) {
    const clock = options.clock ?? Date.now;
    const refs = new Refs(options.baseUrl, snapshot.project);
    this.project = snapshot.project;
    this.#reference = new ReferenceData(snapshot, refs);
    const context: Context = {
      clock,
      refs,
      reference: this.#reference,
      customFields: new CustomFields({
        testcase: snapshot.testCases,
        testcycle: snapshot.testCycles,
        testexecution: snapshot.testExecutions,
        testplan: snapshot.testPlans ?? [],
      }),
      updated: new UpdatedAt(clock),
    };
    // Test steps and the steps of new executions take their ids from one sequence.
    const stepIds = new Sequence(maxId(Object.values(snapshot.testSteps).flat()));
    this.#testCases = new TestCases(snapshot, context, stepIds);
    this.#cycles = new TestCycles(snapshot, context);
    this.#executions = new TestExecutions(snapshot, context, { testCases: this.#testCases, cycles: this.#cycles, stepIds });
    this.#plans = new TestPlans(snapshot, context);
    this.#links = new Links(snapshot, context, { testCases: this.#testCases, cycles: this.#cycles, plans: this.#plans });
    this.jiraIssues = snapshot.jiraIssues ?? [];
    // A snapshot's objects were last changed before it was taken: an hour before the mock starts, not as
    // it starts — else a migration begun in the mock's first second would read them all again in its
    // next incremental run (its watermark is one second early), hiding what an incremental run misses.
    const loaded = clock() - SNAPSHOT_AGE_MS;
    for (const t of this.#testCases.list()) context.updated.touch("testcase", t.id, loaded);
    for (const c of this.#cycles.list()) context.updated.touch("testcycle", c.id, loaded);
    for (const e of this.#executions.list()) context.updated.touch("testexecution", e.id, loaded);
    for (const p of this.#plans.list()) context.updated.touch("testplan", p.id, loaded);
  }

  // ---- project and reference data ----------------------------------------------------------

  getProject(idOrKey: string): Project {
    return this.#reference.getProject(idOrKey);
  }

  /** Filters by project key as the list endpoints do; an unknown key is a client error. */
  checkProjectKey(projectKey: string | undefined): void {
    this.#reference.checkProjectKey(projectKey);
  }

  folders(folderType?: FolderType): Folder[] {
    return this.#reference.folders(folderType);
  }

  folder(id: number): Folder {
    return this.#reference.folder(id);
  }

  createFolder(input: FolderInput): { id: number; self: string } {
    return this.#reference.createFolder(input);
  }

  /** Not an API operation: a folder renamed or moved in Zephyr's UI, between two migration runs. */
  changeFolder(id: number, change: { name?: string; parentId?: number | null }): void {
    this.#reference.changeFolder(id, change);
  }

  statuses(statusType?: StatusType): Status[] {
    return this.#reference.statuses(statusType);
  }

  status(id: number): Status {
    return this.#reference.status(id);
  }

  priorities(): Priority[] {
    return this.#reference.priorities();
  }

  priority(id: number): Priority {
    return this.#reference.priority(id);
  }

  environments(): Environment[] {
    return this.#reference.environments();
  }

  environment(id: number): Environment {
    return this.#reference.environment(id);
  }

  // ---- test cases --------------------------------------------------------------------------

  testCases(filter: { folderId?: number; updatedAfter?: number } = {}): TestCase[] {
    return this.#testCases.list(filter);
  }

  testCase(key: string): TestCase {
    return this.#testCases.get(key);
  }

  testSteps(key: string): TestStep[] {
    return this.#testCases.steps(key);
  }

  testScript(key: string): TestScript {
    return this.#testCases.script(key);
  }

  createTestCase(input: TestCaseInput): { id: number; self: string; key: string } {
    return this.#testCases.create(input);
  }

  updateTestCase(key: string, input: TestCaseUpdate): void {
    this.#testCases.update(key, input);
  }

  addTestSteps(key: string, input: TestStepsInput): { id: number; self: string } {
    return this.#testCases.addSteps(key, input);
  }

  setTestScript(key: string, input: TestScriptInput): { id: number; self: string } {
    return this.#testCases.setScript(key, input);
  }

  /**
   * Not an API operation (Zephyr Scale Cloud has no delete): lets a test make a test case
   * disappear from the source between two migration runs.
   */
  removeTestCase(key: string): void {
    this.#testCases.remove(key);
  }

  // ---- test cycles -------------------------------------------------------------------------

  testCycles(filter: { folderId?: number; jiraProjectVersionId?: number; updatedAfter?: number } = {}): TestCycle[] {
    return this.#cycles.list(filter);
  }

  testCycle(idOrKey: string): TestCycle {
    return this.#cycles.get(idOrKey);
  }

  createTestCycle(input: TestCycleInput): { id: number; self: string; key: string } {
    return this.#cycles.create(input);
  }

  updateTestCycle(idOrKey: string, input: TestCycleUpdate): void {
    this.#cycles.update(idOrKey, input);
  }

  // ---- test plans and links ---------------------------------------------------------------

  testPlans(filter: { updatedAfter?: number } = {}): TestPlan[] {
    return this.#plans.list(filter);
  }

  testPlan(idOrKey: string): TestPlan {
    return this.#plans.get(idOrKey);
  }

  /** A plan deleted by hand (not an API call), as `removeTestCase` is for cases. */
  removeTestPlan(idOrKey: string): void {
    this.#plans.remove(idOrKey);
  }

  /** `POST /testcases|testcycles|testplans/{k}/links/issues`; the API always makes COVERAGE links, a test may ask for another type. */
  addIssueLink(owner: LinkOwner, issueId: number, type?: LinkType): { id: number; self: string } {
    return this.#links.addIssueLink(owner, issueId, type);
  }

  /** `POST /testplans/{k}/links/testcycles`. */
  addTestPlanCycleLink(planIdOrKey: string, cycleIdOrKey: string): { id: number; self: string } {
    return this.#links.addTestCycleLink(planIdOrKey, cycleIdOrKey);
  }

  /** `DELETE /links/{linkId}`: an issue, web or plan–cycle link, from whatever holds it. */
  removeLink(linkId: number): void {
    this.#links.remove(linkId);
  }

  // ---- test executions ---------------------------------------------------------------------

  testExecutions(filter: ExecutionFilter = {}): TestExecution[] {
    return this.#executions.list(filter);
  }

  testExecution(idOrKey: string): TestExecution {
    return this.#executions.get(idOrKey);
  }

  testExecutionSteps(idOrKey: string): TestExecutionStep[] {
    return this.#executions.steps(idOrKey);
  }

  /** The execution's test case reference has no key field; the key sits in its `self` URL. */
  executionTestCaseKey(execution: TestExecution): string | undefined {
    return this.#executions.testCaseKey(execution);
  }

  createTestExecution(input: TestExecutionInput): { id: number; self: string } {
    return this.#executions.create(input);
  }

  updateTestExecution(idOrKey: string, input: TestExecutionUpdate): void {
    this.#executions.update(idOrKey, input);
  }

  updateTestExecutionSteps(idOrKey: string, steps: { actualResult?: string | null; statusName?: string | null }[]): void {
    this.#executions.updateSteps(idOrKey, steps);
  }
}
