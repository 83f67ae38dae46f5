import type {
  Field,
  FieldInput,
  Module,
  ModuleInput,
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
import type { JiraIssue } from "../../zephyr/snapshot.js";
import { Attachments } from "./attachments.js";
import { QTestApiError } from "./errors.js";
import { FieldSettings } from "./field-settings.js";
import { IdSequence } from "./ids.js";
import { Modules } from "./modules.js";
import { type LinkedArtifactContainer, ObjectLinks } from "./object-links.js";
import { type AttachmentRecord, createRecords } from "./records.js";
import { type ReleaseInput, Releases } from "./releases.js";
import { type RequirementInput, Requirements } from "./requirements.js";
import { type Searchable, searchable } from "./searchable.js";
import { apiUrl, iso, type Site } from "./site.js";
import { defaultUsers, executionStatuses } from "./system-fields.js";
import { TestCases } from "./test-cases.js";
import { TestCycles } from "./test-cycles.js";
import { TestLogs } from "./test-logs.js";
import { TestRuns } from "./test-runs.js";
import { TestSteps } from "./test-steps.js";
import { TestSuites } from "./test-suites.js";
import { ContainerTree } from "./tree.js";

/**
 * One qTest Manager site with one project, in memory. It validates writes the way qTest does
 * (required fields, unknown field ids, values outside a field's allowed values) and renders every
 * object in qTest's own read shapes. This class is what `app.ts` routes to; the work is done by
 * the container tree and one module per kind of object.
 */
export class QTestStore {
  readonly projectId: number;
  readonly projectName: string;
  readonly users = defaultUsers;
  readonly #site: Site;
  readonly #modules: Modules;
  readonly #testCases: TestCases;
  readonly #testSteps: TestSteps;
  readonly #testCycles: TestCycles;
  readonly #testSuites: TestSuites;
  readonly #testRuns: TestRuns;
  readonly #testLogs: TestLogs;
  readonly #attachments: Attachments;
  readonly #links: ObjectLinks;
  readonly #requirements: Requirements;
  readonly #releases: Releases;

  /**
   * `jiraIssues` (with `jiraUrl`, the Jira site's URL) are what qTest's own Jira integration imported
   * before any migration: one requirement each, for those with `qtest !== false`.
   */
  constructor(options: {
    origin: string;
    projectId: number;
    projectName?: string;
    clock?: () => number;
    jiraIssues?: readonly JiraIssue[];
    jiraUrl?: string;
  }) {
    this.projectId = options.projectId;
    this.projectName = options.projectName ?? "ZTOQ Target";
    const clock = options.clock ?? Date.now;
    const ids = new IdSequence();
    this.#site = {
      origin: options.origin,
      projectId: options.projectId,
      users: this.users,
      clock,
      ids,
      tree: new ContainerTree(),
      fields: new FieldSettings(ids, { users: this.users, projectId: options.projectId }),
      records: createRecords(ids, clock),
    };
    this.#modules = new Modules(this.#site);
    this.#testCases = new TestCases(this.#site, this.#modules);
    this.#testSteps = new TestSteps(this.#testCases);
    this.#testSuites = new TestSuites(this.#site);
    this.#testCycles = new TestCycles(this.#site, this.#testSuites);
    this.#testRuns = new TestRuns(this.#site, this.#testCases);
    this.#testLogs = new TestLogs(this.#site, this.#testRuns);
    this.#attachments = new Attachments(this.#site);
    this.#links = new ObjectLinks(this.#site);
    this.#requirements = new Requirements(this.#site);
    this.#releases = new Releases(this.#site, this.#links);
    this.#requirements.importFromJira(options.jiraIssues ?? [], options.jiraUrl ?? "https://example.atlassian.net");
  }

  // ---- project, users, fields --------------------------------------------------------------

  checkProject(projectId: string): void {
    if (projectId !== String(this.projectId)) {
      throw new QTestApiError(404, `Project ${projectId} does not exist or you do not have permission to access it.`);
    }
  }

  project() {
    const now = iso(this.#site.clock());
    return {
      links: [{ rel: "self", href: apiUrl(this.#site) }],
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
    return this.#site.fields.list(objectType, includeInactive);
  }

  field(objectType: string, fieldId: number): Field {
    return this.#site.fields.get(objectType, fieldId);
  }

  /**
   * Whether the signed-in user may change the project's field settings (qTest's project-admin right).
   * Tests turn it off to rehearse a 403 on field and allowed-value creation.
   */
  manageFields = true;

  createField(objectType: string, input: FieldInput): Field {
    this.#checkManageFields();
    return this.#site.fields.create(objectType, input);
  }

  createAllowedValues(objectType: string, fieldId: number, input: readonly { label: string }[]): Field {
    this.#checkManageFields();
    return this.#site.fields.addAllowedValues(objectType, fieldId, input);
  }

  #checkManageFields(): void {
    if (!this.manageFields) throw new QTestApiError(403, "User does not have permission to create Project Field");
  }

  executionStatuses() {
    return executionStatuses;
  }

  // ---- modules -----------------------------------------------------------------------------

  modules(parentId: number | undefined, expand: boolean, search?: string): Module[] {
    return this.#modules.list(parentId, expand, search);
  }

  module(id: number, expand: boolean): Module {
    return this.#modules.get(id, expand);
  }

  createModule(input: ModuleInput, parentId: number | undefined): Module {
    return this.#modules.create(input, parentId);
  }

  updateModule(id: number, input: Partial<ModuleInput>, parentId: number | undefined): Module {
    return this.#modules.update(id, input, parentId);
  }

  deleteModule(id: number, force: boolean): void {
    this.#modules.delete(id, force);
  }

  // ---- test cases and their steps ----------------------------------------------------------

  testCases(parentId: number | undefined, options: { expandSteps: boolean; modifiedAfter?: number }): TestCase[] {
    return this.#testCases.list(parentId, options);
  }

  testCase(idOrPid: string, expandSteps: boolean): TestCase {
    return this.#testCases.render(this.#testCases.get(idOrPid), expandSteps);
  }

  createTestCase(input: TestCaseInput): TestCase {
    return this.#testCases.create(input);
  }

  updateTestCase(id: number, input: Partial<TestCaseInput>): TestCase {
    return this.#testCases.update(id, input);
  }

  deleteTestCase(id: number): void {
    this.#testCases.delete(id);
  }

  testSteps(testCaseId: string): TestStep[] {
    return this.#testSteps.list(testCaseId);
  }

  testStep(testCaseId: string, stepId: number): TestStep {
    return this.#testSteps.get(testCaseId, stepId);
  }

  addTestStep(testCaseId: string, input: TestStepInput): TestStep {
    return this.#testSteps.add(testCaseId, input);
  }

  updateTestStep(testCaseId: string, stepId: number, input: TestStepInput): TestStep {
    return this.#testSteps.update(testCaseId, stepId, input);
  }

  deleteTestStep(testCaseId: string, stepId: number): void {
    this.#testSteps.delete(testCaseId, stepId);
  }

  // ---- test cycles and suites --------------------------------------------------------------

  testCycles(parentId: number | undefined, parentType: string | undefined, expand: boolean): TestCycle[] {
    return this.#testCycles.list(parentId, parentType, expand);
  }

  testCycle(id: number, expand: boolean): TestCycle {
    return this.#testCycles.get(id, expand);
  }

  createTestCycle(input: TestCycleInput, parentId: number | undefined, parentType: string | undefined): TestCycle {
    return this.#testCycles.create(input, parentId, parentType);
  }

  updateTestCycle(id: number, input: Partial<TestCycleInput>, parentId?: number, parentType?: string): TestCycle {
    return this.#testCycles.update(id, input, parentId, parentType);
  }

  deleteTestCycle(id: number, force: boolean): void {
    this.#testCycles.delete(id, force);
  }

  testSuites(parentId: number | undefined, parentType: string | undefined): TestSuite[] {
    return this.#testSuites.list(parentId, parentType);
  }

  testSuite(id: number): TestSuite {
    return this.#testSuites.get(id);
  }

  createTestSuite(input: TestSuiteInput, parentId: number | undefined, parentType: string | undefined): TestSuite {
    return this.#testSuites.create(input, parentId, parentType);
  }

  updateTestSuite(id: number, input: Partial<TestSuiteInput>, parentId?: number, parentType?: string): TestSuite {
    return this.#testSuites.update(id, input, parentId, parentType);
  }

  deleteTestSuite(id: number): void {
    this.#testSuites.delete(id);
  }

  // ---- test runs and logs ------------------------------------------------------------------

  testRuns(parentId: number | undefined, parentType: string | undefined, expand: boolean): TestRun[] {
    return this.#testRuns.list(parentId, parentType, expand);
  }

  testRun(id: number): TestRun {
    return this.#testRuns.get(id);
  }

  createTestRun(input: TestRunInput, parentId: number | undefined, parentType: string | undefined): TestRun {
    return this.#testRuns.create(input, parentId, parentType);
  }

  updateTestRun(id: number, input: Partial<TestRunInput>, parentId?: number, parentType?: string): TestRun {
    return this.#testRuns.update(id, input, parentId, parentType);
  }

  deleteTestRun(id: number): void {
    this.#testRuns.delete(id);
  }

  testLogs(runId: number): TestLog[] {
    return this.#testLogs.list(runId);
  }

  testLog(runId: number, logId: number): TestLog {
    return this.#testLogs.get(runId, logId);
  }

  lastTestLog(runId: number): TestLog {
    return this.#testLogs.last(runId);
  }

  createTestLog(runId: number, input: TestLogInput): TestLog {
    return this.#testLogs.create(runId, input);
  }

  updateTestLog(runId: number, logId: number, input: TestLogInput): TestLog {
    return this.#testLogs.update(runId, logId, input);
  }

  // ---- requirements, releases and their links ----------------------------------------------

  /** Every requirement, or those directly under a module (a requirement module or a test design one). */
  requirements(parentId: number | undefined, withExternal = false) {
    return this.#requirements.list(parentId).map((r) => this.#requirements.render(r, withExternal));
  }

  requirement(id: number) {
    return this.#requirements.render(this.#requirements.get(id), true);
  }

  createRequirement(input: RequirementInput, parentId: number | undefined) {
    return this.#requirements.render(this.#requirements.create(input, parentId), true);
  }

  updateRequirement(id: number, input: Partial<RequirementInput>, parentId?: number) {
    return this.#requirements.render(this.#requirements.update(id, input, parentId), true);
  }

  /** Its links go with it. */
  deleteRequirement(id: number): void {
    this.#requirements.delete(id);
  }

  /** Not an API listing: the Requirements tab's modules ("Jira" holds the imported requirements). */
  requirementModules(): { id: number; name: string }[] {
    return this.#requirements.modules();
  }

  releases() {
    return this.#releases.list().map((r) => this.#releases.render(r));
  }

  release(id: number) {
    return this.#releases.render(this.#releases.get(id));
  }

  createRelease(input: ReleaseInput) {
    return this.#releases.render(this.#releases.create(input));
  }

  updateRelease(id: number, input: Partial<ReleaseInput>) {
    return this.#releases.render(this.#releases.update(id, input));
  }

  /** Its links go with it. */
  deleteRelease(id: number): void {
    this.#releases.delete(id);
  }

  /** `POST /{objectType}/{objectId}/link?type=` (at most 100 ids; unknown ones ignored). */
  link(objectType: string, objectId: number, targetType: string, ids: readonly number[]): LinkedArtifactContainer[] {
    return this.#links.link(objectType, objectId, targetType, ids);
  }

  /** `DELETE /{objectType}/{objectId}/link?type=`. */
  unlink(objectType: string, objectId: number, targetType: string, ids: readonly number[]): void {
    this.#links.unlink(objectType, objectId, targetType, ids);
  }

  /** `GET /linked-artifacts?type=&ids=`. */
  linkedArtifacts(type: string, ids: readonly number[]): LinkedArtifactContainer[] {
    return this.#links.linkedArtifacts(type, ids);
  }

  // ---- attachments and search --------------------------------------------------------------

  addAttachment(objectType: string, objectId: number, name: string, contentType: string, bytes: Uint8Array) {
    return this.#attachments.add(objectType, objectId, name, contentType, bytes);
  }

  attachments(objectType: string, objectId: number) {
    return this.#attachments.list(objectType, objectId);
  }

  attachment(objectType: string, objectId: number, attachmentId: number): AttachmentRecord {
    return this.#attachments.get(objectType, objectId, attachmentId);
  }

  /** The objects of one type with their searchable values, for `POST /search`. */
  searchable(objectType: string): Searchable[] {
    const entities = {
      testCases: this.#testCases,
      testRuns: this.#testRuns,
      testSuites: this.#testSuites,
      testCycles: this.#testCycles,
      testLogs: this.#testLogs,
      requirements: this.#requirements,
      releases: this.#releases,
    };
    return searchable(this.#site, entities, objectType);
  }

  /** Counts per collection, for tests that assert nothing was written. */
  counts() {
    const { records } = this.#site;
    return {
      modules: records.modules.size,
      testCases: records.testCases.size,
      testCycles: records.testCycles.size,
      testSuites: records.testSuites.size,
      testRuns: records.testRuns.size,
      testLogs: records.testLogs.size,
      attachments: records.attachments.size,
    };
  }

  /** Counts of what traceability writes, apart from `counts()`, whose shape tests compare whole. */
  traceCounts() {
    const { records } = this.#site;
    return { requirements: records.requirements.size, releases: records.releases.size, links: this.#links.size };
  }
}
