/**
 * Tricentis qTest Manager API v3 client: the reads and writes a migration and its verification
 * need. Every response is parsed with the schemas in ./schemas.ts (plus the user schema below,
 * which schemas.ts lacks); every request goes through the shared request layer, signed in by
 * ./auth.ts. Creates follow ./create.ts: never re-posted blindly after an ambiguous failure.
 * It stays whole: one short method per qTest endpoint ZTOQ calls, the one place to look up how it
 * calls qTest; the paging, signing in, create policy and object links it uses live in their own modules.
 */
import type { Logger } from "pino";
import { z } from "zod";
import type { ResolvedConfig } from "../config/load.js";
import { BadInputError } from "../errors.js";
import { RETRY_BACKOFF } from "../http/backoff.js";
import { ApiError } from "../http/errors.js";
import { configuredPacing, type PacingOptions, pacedHttpOptions } from "../http/pacing.js";
import { HttpClient, type QueryValue } from "../http/request.js";
import { type HttpStats, newHttpStats } from "../http/stats.js";
import { type QTestAuth, QTestSession } from "./auth.js";
import { type CreatePolicy, createOnce, lastBy } from "./create.js";
import type { LinkedArtifacts } from "./linked-object-type.js";
import { type LinkedArtifactsType, type LinkSource, type LinkTargetType, link, linkedArtifacts, unlink } from "./object-links.js";
import { allItems, barePages, envelopedPages } from "./paging.js";
import { ProjectApi } from "./project-api.js";
import {
  type ExecutionStatus,
  executionStatusSchema,
  type Field,
  type FieldInput,
  fieldSchema,
  type Module,
  type ModuleInput,
  moduleSchema,
  type Project,
  type parentTypeSchema,
  projectSchema,
  type Release,
  type ReleaseInput,
  type Requirement,
  type RequirementInput,
  releaseSchema,
  requirementSchema,
  type TestCase,
  type TestCaseInput,
  type TestCycle,
  type TestCycleInput,
  type TestLog,
  type TestLogInput,
  type TestRun,
  type TestRunInput,
  type TestSuite,
  type TestSuiteInput,
  testCaseSchema,
  testCycleSchema,
  testLogSchema,
  testRunSchema,
  testSuiteSchema,
} from "./schemas.js";
import {
  markerQuery,
  notEmptyQuery,
  type PartialSearchResult,
  type SearchableType,
  type SearchResult,
  searchPages,
} from "./search.js";

export type { ClassifiedLinkedArtifact, LinkedArtifacts, LinkedObjectType } from "./linked-object-type.js";
export type { LinkedArtifactsType, LinkSource, LinkSourceType, LinkTargetType } from "./object-links.js";
export {
  markerQuery,
  type PartialSearchResult,
  type SearchableType,
  type SearchObjectType,
  type SearchResult,
} from "./search.js";

/**
 * A project member (`GET /projects/{pid}/users`). Not in schemas.ts; the Swagger's `UserResource`
 * names these fields, and only `id` is needed to address a user.
 */
const userSchema = z.looseObject({
  id: z.int(),
  username: z.string(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  status: z.int().nullish(),
});
export type User = z.infer<typeof userSchema>;

/** `retries` also bounds the re-posts of a create that was not found after an ambiguous failure. */
export interface QTestClientOptions extends PacingOptions {
  /** The site, e.g. `https://example.qtestnet.com` (the API lives under `/api/v3`). */
  baseUrl: string;
  auth: QTestAuth;
  projectId: number;
}

export type ParentType = z.infer<typeof parentTypeSchema>;
/** A container in the test execution tree; `root` takes id 0. */
export interface Parent {
  id: number;
  type: ParentType;
}

/** The field that carries the Zephyr key of a created object, and the value this object carries. */
export interface Marker {
  fieldName: string;
  value: string;
}

export type QTestStats = HttpStats & {
  /** Creates that failed ambiguously and were found already applied (so not posted again). */
  reconciled: number;
  /** Password logins, the first one included. */
  logins: number;
};

export type FieldObjectType =
  | "test-cases"
  | "test-steps"
  | "test-suites"
  | "test-runs"
  | "requirements"
  | "releases"
  | "builds"
  | "defects";

/** `GET /test-cases` pages (qTest documents no maximum, so a moderate size). */
const TEST_CASE_PAGE = 100;
/** `GET /test-cycles` pages. */
const CYCLE_PAGE = 100;

export class QTestClient {
  /** The client a run uses: connection and pacing from the resolved configuration. */
  static fromConfig(config: ResolvedConfig, logger: Logger): QTestClient {
    return new QTestClient({
      baseUrl: config.qtest.url,
      auth: config.qtest.auth,
      projectId: config.qtest.projectId,
      ...configuredPacing(config.qtest, config.migration, logger),
    });
  }

  readonly projectId: number;
  readonly #stats: QTestStats = { ...newHttpStats(), reconciled: 0, logins: 0 };
  readonly #baseUrl: string;
  readonly #api: ProjectApi;
  readonly #creates: CreatePolicy;

  constructor(options: QTestClientOptions) {
    this.projectId = options.projectId;
    const http = new HttpClient({ ...pacedHttpOptions(options.baseUrl, options), stats: this.#stats });
    this.#baseUrl = http.baseUrl;
    this.#api = new ProjectApi(new QTestSession(http, options.auth, this.#stats), options.projectId);
    this.#creates = {
      retries: options.retries,
      retryBaseMs: options.retryBaseMs ?? RETRY_BACKOFF.baseMs,
      logger: options.logger,
      stats: this.#stats,
    };
  }

  /** A copy of the request counters so far, with creates reconciled and logins. */
  stats(): QTestStats {
    return { ...this.#stats };
  }

  // ---- project, settings, users ----------------------------------------------------------------

  /** The project, which also proves the URL and the credentials. */
  async project(): Promise<Project> {
    try {
      return await this.#api.get("", projectSchema);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        throw new BadInputError(`qTest project ${this.projectId} not found at ${this.#baseUrl}`);
      }
      if (error instanceof ApiError && error.status === 403) {
        throw new BadInputError(`qTest denied access to project ${this.projectId} (HTTP 403) at ${this.#baseUrl}`);
      }
      throw error;
    }
  }

  fields(objectType: FieldObjectType, options: { includeInactive?: boolean } = {}): Promise<Field[]> {
    return this.#api.get(`/settings/${objectType}/fields`, z.array(fieldSchema), { includeInactive: options.includeInactive });
  }

  /**
   * Creates a field; after an ambiguous failure, a field with the same label is taken as this one. So
   * is one a concurrent job (another shard) created first, which makes this create answer 400.
   */
  async createField(objectType: FieldObjectType, input: FieldInput): Promise<Field> {
    try {
      return await createOnce(
        this.#creates,
        `field '${input.label}'`,
        () => this.#api.post(`/settings/${objectType}/fields`, fieldSchema, { json: input }),
        async () => lastBy(await this.fields(objectType, { includeInactive: true }), (f) => sameLabel(f.label, input.label)),
      );
    } catch (error) {
      if (!(error instanceof ApiError && error.kind === "badRequest")) throw error;
      const created = lastBy(await this.fields(objectType), (f) => sameLabel(f.label, input.label));
      if (created) return created;
      throw error;
    }
  }

  /**
   * Adds allowed values to a choice field (`createProjectFieldAllowedValues`, at most 100 per request).
   * Not repeated blindly: after an ambiguous failure the field is read, and labels it holds by then
   * are not sent again.
   */
  async createAllowedValues(objectType: FieldObjectType, fieldId: number, labels: readonly string[]): Promise<void> {
    for (let start = 0; start < labels.length; start += 100) {
      const batch = labels.slice(start, start + 100);
      await createOnce(
        this.#creates,
        `allowed values of field ${fieldId}`,
        () =>
          this.#api.post(`/settings/${objectType}/fields/${fieldId}/allowed-values`, z.unknown(), {
            json: batch.map((label) => ({ label })),
          }),
        async () => {
          const field = (await this.fields(objectType, { includeInactive: true })).find((f) => f.id === fieldId);
          const held = new Set((field?.allowed_values ?? []).map((v) => v.label.toLowerCase()));
          return batch.every((label) => held.has(label.toLowerCase())) ? true : undefined;
        },
      );
    }
  }

  executionStatuses(): Promise<ExecutionStatus[]> {
    return this.#api.get("/test-runs/execution-statuses", z.array(executionStatusSchema));
  }

  users(): Promise<User[]> {
    return this.#api.get("/users", z.array(userSchema));
  }

  // ---- modules -------------------------------------------------------------------------------------

  /** The modules directly under `parentId` (the top-level modules without it). */
  modules(parentId?: number): Promise<Module[]> {
    return this.#api.get("/modules", z.array(moduleSchema), { parentId });
  }

  /** The top-level modules with all their descendants nested in `children`. */
  moduleTree(): Promise<Module[]> {
    return this.#api.get("/modules", z.array(moduleSchema), { expand: "descendants" });
  }

  /** Creates a module; after an ambiguous failure, a sibling with the same name is taken as this one. */
  createModule(input: ModuleInput, parentId?: number): Promise<Module> {
    return createOnce(
      this.#creates,
      `module '${input.name}'`,
      () => this.#api.post("/modules", moduleSchema, { json: input, searchParams: { parentId } }),
      async () => lastBy(await this.modules(parentId), (m) => m.name === input.name),
    );
  }

  /** Renames a module in place (`updateModule`). */
  renameModule(id: number, name: string): Promise<Module> {
    return this.#api.put(`/modules/${id}`, moduleSchema, { name });
  }

  /**
   * Moves a module under another (`updateModule` with `parentId`: qTest then ignores the body, so a
   * move and a rename are two requests).
   */
  moveModule(id: number, parentId: number): Promise<Module> {
    return this.#api.put(`/modules/${id}`, moduleSchema, {}, { parentId });
  }

  // ---- test cases ----------------------------------------------------------------------------------

  /** The test cases of a module, a page at a time (properties included). */
  testCases(moduleId: number, options: { withSteps?: boolean } = {}): AsyncGenerator<TestCase[]> {
    const query = { parentId: moduleId, expandProps: true, expandSteps: options.withSteps ?? false };
    return barePages(this.#api, "/test-cases", testCaseSchema, query, "size", TEST_CASE_PAGE);
  }

  testCase(id: number, options: { withSteps?: boolean } = {}): Promise<TestCase> {
    return this.#api.get(`/test-cases/${id}`, testCaseSchema, { expand: options.withSteps ? "teststep" : undefined });
  }

  /** `input.properties` must carry the marker; `marker` names it for the search after an ambiguous failure. */
  createTestCase(input: TestCaseInput, marker: Marker): Promise<TestCase> {
    return createOnce(
      this.#creates,
      `test case ${marker.value}`,
      () => this.#api.post("/test-cases", testCaseSchema, { json: input }),
      async () => (await this.findByMarker("test-cases", marker.fieldName, marker.value))[0],
    );
  }

  updateTestCase(id: number, input: Partial<TestCaseInput>): Promise<TestCase> {
    return this.#api.put(`/test-cases/${id}`, testCaseSchema, input);
  }

  /** Deletes a test case (and its runs). One that is already gone counts as deleted. */
  deleteTestCase(id: number): Promise<void> {
    return this.#api.delete(`/test-cases/${id}`);
  }

  /**
   * Deletes an empty module (`deleteModule` without `force`: qTest refuses, 400, a module that still
   * holds modules or test cases, so nothing it holds goes unseen). One already gone counts as deleted.
   */
  deleteModule(id: number): Promise<void> {
    return this.#api.delete(`/modules/${id}`);
  }

  // ---- test cycles and suites ----------------------------------------------------------------------

  /** The test cycles directly under `parent`. */
  testCycles(parent: Parent): Promise<TestCycle[]> {
    return allItems(barePages(this.#api, "/test-cycles", testCycleSchema, parentQuery(parent), "pageSize", CYCLE_PAGE));
  }

  /** The top-level test cycles with their descendants nested in `test-cycles` / `test-suites`. */
  testCycleTree(): Promise<TestCycle[]> {
    const query = { parentId: 0, parentType: "root", expand: "descendants" };
    return allItems(barePages(this.#api, "/test-cycles", testCycleSchema, query, "pageSize", CYCLE_PAGE));
  }

  /** Renames a test cycle in place (`updateCycle`). */
  renameTestCycle(id: number, name: string): Promise<TestCycle> {
    return this.#api.put(`/test-cycles/${id}`, testCycleSchema, { name });
  }

  /** Moves a test cycle (`updateCycle` with `parentId` and `parentType`; qTest then ignores the body). */
  moveTestCycle(id: number, parent: Parent): Promise<TestCycle> {
    return this.#api.put(`/test-cycles/${id}`, testCycleSchema, {}, parentQuery(parent));
  }

  /** Creates a test cycle; after an ambiguous failure, a sibling with the same name is taken as this one. */
  createTestCycle(input: TestCycleInput, parent: Parent): Promise<TestCycle> {
    return createOnce(
      this.#creates,
      `test cycle '${input.name}'`,
      () => this.#api.post("/test-cycles", testCycleSchema, { json: input, searchParams: parentQuery(parent) }),
      async () => lastBy(await this.testCycles(parent), (c) => c.name === input.name),
    );
  }

  testSuites(parent: Parent): Promise<TestSuite[]> {
    return this.#api.get("/test-suites", z.array(testSuiteSchema), parentQuery(parent));
  }

  /** `input.properties` must carry the marker; `marker` names it for the search after an ambiguous failure. */
  createTestSuite(input: TestSuiteInput, parent: Parent, marker: Marker): Promise<TestSuite> {
    return createOnce(
      this.#creates,
      `test suite ${marker.value}`,
      () => this.#api.post("/test-suites", testSuiteSchema, { json: input, searchParams: parentQuery(parent) }),
      async () => (await this.findByMarker("test-suites", marker.fieldName, marker.value))[0],
    );
  }

  updateTestSuite(id: number, input: Partial<TestSuiteInput>): Promise<TestSuite> {
    return this.#api.put(`/test-suites/${id}`, testSuiteSchema, input);
  }

  /** Moves a test suite (`updateTestSuite` with `parentId` and `parentType`; qTest then ignores the body). */
  moveTestSuite(id: number, parent: Parent): Promise<TestSuite> {
    return this.#api.put(`/test-suites/${id}`, testSuiteSchema, {}, parentQuery(parent));
  }

  /**
   * Deletes an empty test cycle (`deleteCycle` without `force`: qTest refuses, 400, a cycle that still
   * holds cycles, suites or runs). One already gone counts as deleted.
   */
  deleteTestCycle(id: number): Promise<void> {
    return this.#api.delete(`/test-cycles/${id}`);
  }

  /** Deletes a test suite and its runs (`deleteTestSuiteById`). One that is already gone counts as deleted. */
  deleteTestSuite(id: number): Promise<void> {
    return this.#api.delete(`/test-suites/${id}`);
  }

  // ---- test runs and logs --------------------------------------------------------------------------

  /** The test runs under `parent` (all levels below it with `descendants`), a page at a time. */
  testRuns(parent: Parent, options: { descendants?: boolean } = {}): AsyncIterable<TestRun[]> {
    const query = { ...parentQuery(parent), expand: options.descendants ? "descendants" : undefined };
    return envelopedPages(this.#api, "/test-runs", testRunSchema, query, "GET");
  }

  /** `input.properties` must carry the marker; `marker` names it for the search after an ambiguous failure. */
  createTestRun(input: TestRunInput, parent: Parent, marker: Marker): Promise<TestRun> {
    return createOnce(
      this.#creates,
      `test run ${marker.value}`,
      () => this.#api.post("/test-runs", testRunSchema, { json: input, searchParams: parentQuery(parent) }),
      async () => (await this.findByMarker("test-runs", marker.fieldName, marker.value))[0],
    );
  }

  /** Deletes a test run and its logs (`deleteTestRunById`). One that is already gone counts as deleted. */
  deleteTestRun(id: number): Promise<void> {
    return this.#api.delete(`/test-runs/${id}`);
  }

  testLogs(runId: number): AsyncIterable<TestLog[]> {
    return envelopedPages(this.#api, `/test-runs/${runId}/test-logs`, testLogSchema, {}, "GET");
  }

  testLog(runId: number, logId: number): Promise<TestLog> {
    return this.#api.get(`/test-runs/${runId}/test-logs/${logId}`, testLogSchema);
  }

  /** `input.properties` must carry the marker; `marker` names it for the search after an ambiguous failure. */
  createTestLog(runId: number, input: TestLogInput, marker: Marker): Promise<TestLog> {
    return createOnce(
      this.#creates,
      `test log ${marker.value}`,
      () => this.#api.post(`/test-runs/${runId}/test-logs`, testLogSchema, { json: input }),
      async () => {
        const found = await this.findByMarker("test-logs", marker.fieldName, marker.value);
        return found.find((log) => log.test_run_id == null || log.test_run_id === runId);
      },
    );
  }

  /** Moves a test run to another suite (`updateTestRunById` with `parentId` and `parentType`; qTest then ignores the body). */
  moveTestRun(id: number, parent: Parent): Promise<TestRun> {
    return this.#api.put(`/test-runs/${id}`, testRunSchema, {}, parentQuery(parent));
  }

  /** Renames a test run (`updateTestRunById`); its test case version and place stay. */
  updateTestRun(id: number, input: Pick<TestRunInput, "name">): Promise<TestRun> {
    return this.#api.put(`/test-runs/${id}`, testRunSchema, input);
  }

  /**
   * Modifies a manual test log (`modifyTestLog`, qTest 9.1.5+): `status`, `exe_start_date` and
   * `exe_end_date` are required; `properties` lists only the fields to change (the others, the
   * marker among them, keep their values); a step log is addressed by its `order`, which must be
   * one of the log's. The test case version cannot change. A PUT, so retried like any idempotent request.
   */
  updateTestLog(runId: number, logId: number, input: TestLogInput): Promise<TestLog> {
    return this.#api.put(`/test-runs/${runId}/test-logs/${logId}`, testLogSchema, input);
  }

  // ---- requirements, releases and links ------------------------------------------------------------

  /** Every requirement (`POST /search`, all pages), with `external_properties` where qTest's Jira integration set them. */
  requirements(): Promise<Requirement[]> {
    return allItems(this.search("requirements", notEmptyQuery("Name")));
  }

  /** `input.properties` must carry the marker; after an ambiguous failure the newest requirement with it under the module is taken. */
  createRequirement(input: RequirementInput, parentModuleId: number, marker: Marker): Promise<Requirement> {
    return createOnce(
      this.#creates,
      `requirement ${marker.value}`,
      () => this.#api.post("/requirements", requirementSchema, { json: input, searchParams: { parentId: parentModuleId } }),
      async () => {
        const found = await this.findByMarker("requirements", marker.fieldName, marker.value);
        return lastBy(found, (r) => r.parent_id == null || r.parent_id === parentModuleId);
      },
    );
  }

  updateRequirement(id: number, input: Partial<RequirementInput>): Promise<Requirement> {
    return this.#api.put(`/requirements/${id}`, requirementSchema, input);
  }

  /** Deletes a requirement and its links. One already gone counts as deleted. */
  deleteRequirement(id: number): Promise<void> {
    return this.#api.delete(`/requirements/${id}`);
  }

  /** Every release, closed ones included (`GET /releases` is not paged). */
  releases(): Promise<Release[]> {
    return this.#api.get("/releases", z.array(releaseSchema), { includeClosed: true });
  }

  /** `input.properties` must carry the marker; `marker` names it for the search after an ambiguous failure. */
  createRelease(input: ReleaseInput, marker: Marker): Promise<Release> {
    return createOnce(
      this.#creates,
      `release ${marker.value}`,
      () => this.#api.post("/releases", releaseSchema, { json: input }),
      async () => lastBy(await this.findByMarker("releases", marker.fieldName, marker.value), () => true),
    );
  }

  updateRelease(id: number, input: Partial<ReleaseInput>): Promise<Release> {
    return this.#api.put(`/releases/${id}`, releaseSchema, input);
  }

  /** Deletes a release and its links. One already gone counts as deleted. */
  deleteRelease(id: number): Promise<void> {
    return this.#api.delete(`/releases/${id}`);
  }

  /** Links `ids` (of `targetType`) to `source`, at most 100 ids per request; already linked ones stay as they are. */
  link(source: LinkSource, targetType: LinkTargetType, ids: readonly number[]): Promise<void> {
    return link(this.#api, source, targetType, ids);
  }

  /** Removes the links from `source` to `ids`, at most 100 ids per request. */
  unlink(source: LinkSource, targetType: LinkTargetType, ids: readonly number[]): Promise<void> {
    return unlink(this.#api, source, targetType, ids);
  }

  /** What is linked to each of `ids` (objects of `type`), each linked object typed; 100 ids per request. */
  linkedArtifacts(type: LinkedArtifactsType, ids: readonly number[]): Promise<LinkedArtifacts[]> {
    return linkedArtifacts(this.#api, type, ids);
  }

  // ---- search --------------------------------------------------------------------------------------

  /**
   * `POST /search`, a page at a time. With `fields` (other than `*`) the hits carry only those
   * fields and the id, so they are not parsed as whole objects.
   */
  search<K extends SearchableType>(objectType: K, query: string): AsyncIterable<SearchResult<K>[]>;
  search<K extends SearchableType>(
    objectType: K,
    query: string,
    options: { fields: string[] },
  ): AsyncIterable<PartialSearchResult[]>;
  search<K extends SearchableType>(
    objectType: K,
    query: string,
    options: { fields?: string[] } = {},
  ): AsyncIterable<SearchResult<K>[] | PartialSearchResult[]> {
    return searchPages(this.#api, objectType, query, options.fields);
  }

  /** Every object of `objectType` whose `markerFieldName` equals `value` exactly. */
  findByMarker<K extends SearchableType>(objectType: K, markerFieldName: string, value: string): Promise<SearchResult<K>[]> {
    return allItems(this.search(objectType, markerQuery(markerFieldName, value)));
  }
}

function parentQuery(parent: Parent): Record<string, QueryValue> {
  return { parentId: parent.type === "root" ? 0 : parent.id, parentType: parent.type };
}

function sameLabel(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
