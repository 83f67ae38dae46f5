/**
 * Tricentis qTest Manager API v3 client: the reads and writes a migration and its verification
 * need. Every response is parsed with the schemas in ./schemas.ts (plus the user schema below,
 * which schemas.ts lacks); every request goes through the shared request layer.
 *
 * Creates (POST) are never retried blindly. After an ambiguous failure (5xx, timeout, dropped
 * connection: the object may exist) the client first looks for it — by its marker field for test
 * cases, suites, runs and logs, by (parent, name) for modules and test cycles, which carry no
 * custom fields — returns it when found (counted as `reconciled`), and only otherwise posts again,
 * at most `retries` times. A 429 was not applied and is retried by the request layer; a 400 is not
 * retried at all.
 */
import type { Logger } from "pino";
import { z } from "zod";
import type { ResolvedConfig } from "../config/load.js";
import { BadInputError } from "../errors.js";
import { backoffDelay, sleep } from "../http/backoff.js";
import { ApiError, isAmbiguous, parseResponse } from "../http/errors.js";
import { type PacingOptions, pacedHttpOptions } from "../http/pacing.js";
import type { RateGate } from "../http/rate-gate.js";
import { HttpClient, type HttpResponse, type QueryValue, type RequestOptions } from "../http/request.js";
import { type HttpStats, newHttpStats } from "../http/stats.js";
import {
  type Attachment,
  attachmentSchema,
  type ExecutionStatus,
  executionStatusSchema,
  type Field,
  type FieldInput,
  fieldSchema,
  type Module,
  type ModuleInput,
  moduleSchema,
  oauthTokenSchema,
  type Project,
  pagedSchema,
  projectSchema,
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

/**
 * A project member (`GET /projects/{pid}/users`). Not in schemas.ts; the Swagger's `UserResource`
 * names these fields, and only `id` is needed to address a user.
 */
export const userSchema = z.looseObject({
  id: z.int(),
  username: z.string(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  status: z.int().nullish(),
});
export type User = z.infer<typeof userSchema>;

export type QTestAuth = { kind: "token"; token: string } | { kind: "password"; username: string; password: string };

/** `retries` also bounds the re-posts of a create that was not found after an ambiguous failure. */
export interface QTestClientOptions extends PacingOptions {
  /** The site, e.g. `https://example.qtestnet.com` (the API lives under `/api/v3`). */
  baseUrl: string;
  auth: QTestAuth;
  projectId: number;
}

export type ParentType = "root" | "release" | "test-cycle" | "test-suite";
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

/** Object types that `search` reads, with the shape each comes back in. */
const searchSchemas = {
  "test-cases": testCaseSchema,
  "test-suites": testSuiteSchema,
  "test-runs": testRunSchema,
  "test-logs": testLogSchema,
  "test-cycles": testCycleSchema,
} as const;
export type SearchObjectType = keyof typeof searchSchemas;
export type SearchResult<K extends SearchObjectType> = z.infer<(typeof searchSchemas)[K]>;
/** A search hit when only some `fields` were asked for. */
export type PartialSearchResult = { id: number } & Record<string, unknown>;
const partialSearchResultSchema = z.looseObject({ id: z.int() });

export type FieldObjectType =
  | "test-cases"
  | "test-steps"
  | "test-suites"
  | "test-runs"
  | "requirements"
  | "releases"
  | "builds"
  | "defects";

export type AttachmentObjectType =
  | "test-cases"
  | "test-logs"
  | "test-steps"
  | "test-step-logs"
  | "requirements"
  | "releases"
  | "builds"
  | "defects";

/** Largest page the paged endpoints serve. */
const PAGED_SIZE = 999;
/** `GET /test-cases` pages (bare arrays; qTest documents no maximum, so a moderate size). */
const TEST_CASE_PAGE = 100;
/** `GET /test-cycles` pages. */
const CYCLE_PAGE = 100;
/** Basic credentials of the token endpoint: a client name and an empty password (api-digest B.1). */
const OAUTH_CLIENT = `Basic ${Buffer.from("ztoq:").toString("base64")}`;

interface Session {
  header: string;
}

export class QTestClient {
  /** The client a run uses: connection and pacing from the resolved configuration. */
  static fromConfig(config: ResolvedConfig, logger: Logger): QTestClient {
    return new QTestClient({
      baseUrl: config.qtest.url,
      auth: config.qtest.auth,
      projectId: config.qtest.projectId,
      rateLimit: config.qtest.rateLimit,
      timeoutMs: config.qtest.timeoutSeconds * 1000,
      retries: config.migration.retries,
      concurrency: config.migration.concurrency,
      logger,
    });
  }

  readonly projectId: number;
  readonly #stats: QTestStats = { ...newHttpStats(), reconciled: 0, logins: 0 };
  readonly #http: HttpClient;
  readonly #baseUrl: string;
  readonly #auth: QTestAuth;
  readonly #retries: number;
  readonly #retryBaseMs: number;
  readonly #logger: Logger | undefined;
  #session: Session | undefined;
  #loggingIn: Promise<Session> | undefined;

  constructor(options: QTestClientOptions) {
    this.projectId = options.projectId;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#auth = options.auth;
    this.#retries = options.retries;
    this.#retryBaseMs = options.retryBaseMs ?? 500;
    this.#logger = options.logger;
    if (options.auth.kind === "token") this.#session = { header: `bearer ${options.auth.token}` };
    this.#http = new HttpClient({
      ...pacedHttpOptions(this.#baseUrl, options),
      headers: { "user-agent": "ztoq" },
      stats: this.#stats,
    });
  }

  get gate(): RateGate {
    return this.#http.gate;
  }

  /** A copy of the request counters so far, with creates reconciled and logins. */
  stats(): QTestStats {
    return { ...this.#stats };
  }

  // ---- project, settings, users ----------------------------------------------------------------

  /** The project, which also proves the URL and the credentials. */
  async project(): Promise<Project> {
    try {
      return await this.#get("", projectSchema);
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
    return this.#get(`/settings/${objectType}/fields`, z.array(fieldSchema), { includeInactive: options.includeInactive });
  }

  /**
   * Creates a field; after an ambiguous failure, a field with the same label is taken as this one. So
   * is one a concurrent job (another shard) created first, which makes this create answer 400.
   */
  async createField(objectType: FieldObjectType, input: FieldInput): Promise<Field> {
    try {
      return await this.#create(
        `field '${input.label}'`,
        () => this.#post(`/settings/${objectType}/fields`, fieldSchema, { json: input }),
        async () => lastBy(await this.fields(objectType, { includeInactive: true }), (f) => sameLabel(f.label, input.label)),
      );
    } catch (error) {
      if (!(error instanceof ApiError && error.kind === "badRequest")) throw error;
      const created = lastBy(await this.fields(objectType), (f) => sameLabel(f.label, input.label));
      if (created) return created;
      throw error;
    }
  }

  executionStatuses(): Promise<ExecutionStatus[]> {
    return this.#get("/test-runs/execution-statuses", z.array(executionStatusSchema));
  }

  users(): Promise<User[]> {
    return this.#get("/users", z.array(userSchema));
  }

  // ---- modules -------------------------------------------------------------------------------------

  /** The modules directly under `parentId` (the top-level modules without it). */
  modules(parentId?: number): Promise<Module[]> {
    return this.#get("/modules", z.array(moduleSchema), { parentId });
  }

  /** The top-level modules with all their descendants nested in `children`. */
  moduleTree(): Promise<Module[]> {
    return this.#get("/modules", z.array(moduleSchema), { expand: "descendants" });
  }

  /** Creates a module; after an ambiguous failure, a sibling with the same name is taken as this one. */
  createModule(input: ModuleInput, parentId?: number): Promise<Module> {
    return this.#create(
      `module '${input.name}'`,
      () => this.#post("/modules", moduleSchema, { json: input, searchParams: { parentId } }),
      async () => lastBy(await this.modules(parentId), (m) => m.name === input.name),
    );
  }

  /** Deletes a module (with its contents when `force`). One that is already gone counts as deleted. */
  deleteModule(id: number, options: { force?: boolean } = {}): Promise<void> {
    return this.#delete(`/modules/${id}`, { force: options.force });
  }

  // ---- test cases ----------------------------------------------------------------------------------

  /** The test cases of a module, a page at a time (properties included). */
  async *testCases(moduleId: number, options: { withSteps?: boolean } = {}): AsyncGenerator<TestCase[]> {
    for (let page = 1; ; page++) {
      const items = await this.#get("/test-cases", z.array(testCaseSchema), {
        parentId: moduleId,
        page,
        size: TEST_CASE_PAGE,
        expandProps: true,
        expandSteps: options.withSteps ?? false,
      });
      if (items.length > 0) yield items;
      if (items.length < TEST_CASE_PAGE) return;
    }
  }

  testCase(id: number, options: { withSteps?: boolean } = {}): Promise<TestCase> {
    return this.#get(`/test-cases/${id}`, testCaseSchema, { expand: options.withSteps ? "teststep" : undefined });
  }

  /** `input.properties` must carry the marker; `marker` names it for the search after an ambiguous failure. */
  createTestCase(input: TestCaseInput, marker: Marker): Promise<TestCase> {
    return this.#create(
      `test case ${marker.value}`,
      () => this.#post("/test-cases", testCaseSchema, { json: input }),
      async () => (await this.findByMarker("test-cases", marker.fieldName, marker.value))[0],
    );
  }

  updateTestCase(id: number, input: Partial<TestCaseInput>): Promise<TestCase> {
    return this.#put(`/test-cases/${id}`, testCaseSchema, input);
  }

  /** Deletes a test case (and its runs). One that is already gone counts as deleted. */
  deleteTestCase(id: number): Promise<void> {
    return this.#delete(`/test-cases/${id}`);
  }

  // ---- test cycles and suites ----------------------------------------------------------------------

  /** The test cycles directly under `parent`. */
  async testCycles(parent: Parent): Promise<TestCycle[]> {
    return this.#allBarePages("/test-cycles", testCycleSchema, parentQuery(parent), "pageSize", CYCLE_PAGE);
  }

  /** The top-level test cycles with their descendants nested in `test-cycles` / `test-suites`. */
  testCycleTree(): Promise<TestCycle[]> {
    return this.#allBarePages(
      "/test-cycles",
      testCycleSchema,
      { parentId: 0, parentType: "root", expand: "descendants" },
      "pageSize",
      CYCLE_PAGE,
    );
  }

  /** Creates a test cycle; after an ambiguous failure, a sibling with the same name is taken as this one. */
  createTestCycle(input: TestCycleInput, parent: Parent): Promise<TestCycle> {
    return this.#create(
      `test cycle '${input.name}'`,
      () => this.#post("/test-cycles", testCycleSchema, { json: input, searchParams: parentQuery(parent) }),
      async () => lastBy(await this.testCycles(parent), (c) => c.name === input.name),
    );
  }

  testSuites(parent: Parent): Promise<TestSuite[]> {
    return this.#get("/test-suites", z.array(testSuiteSchema), parentQuery(parent));
  }

  /** `input.properties` must carry the marker; `marker` names it for the search after an ambiguous failure. */
  createTestSuite(input: TestSuiteInput, parent: Parent, marker: Marker): Promise<TestSuite> {
    return this.#create(
      `test suite ${marker.value}`,
      () => this.#post("/test-suites", testSuiteSchema, { json: input, searchParams: parentQuery(parent) }),
      async () => (await this.findByMarker("test-suites", marker.fieldName, marker.value))[0],
    );
  }

  updateTestSuite(id: number, input: Partial<TestSuiteInput>): Promise<TestSuite> {
    return this.#put(`/test-suites/${id}`, testSuiteSchema, input);
  }

  // ---- test runs and logs --------------------------------------------------------------------------

  /** The test runs under `parent` (all levels below it with `descendants`), a page at a time. */
  testRuns(parent: Parent, options: { descendants?: boolean } = {}): AsyncIterable<TestRun[]> {
    return this.#pages(
      "/test-runs",
      testRunSchema,
      { ...parentQuery(parent), expand: options.descendants ? "descendants" : undefined },
      "GET",
    );
  }

  /** `input.properties` must carry the marker; `marker` names it for the search after an ambiguous failure. */
  createTestRun(input: TestRunInput, parent: Parent, marker: Marker): Promise<TestRun> {
    return this.#create(
      `test run ${marker.value}`,
      () => this.#post("/test-runs", testRunSchema, { json: input, searchParams: parentQuery(parent) }),
      async () => (await this.findByMarker("test-runs", marker.fieldName, marker.value))[0],
    );
  }

  /** Deletes a test run (and its logs). One that is already gone counts as deleted. */
  deleteTestRun(id: number): Promise<void> {
    return this.#delete(`/test-runs/${id}`);
  }

  testLogs(runId: number): AsyncIterable<TestLog[]> {
    return this.#pages(`/test-runs/${runId}/test-logs`, testLogSchema, {}, "GET");
  }

  /** `input.properties` must carry the marker; `marker` names it for the search after an ambiguous failure. */
  createTestLog(runId: number, input: TestLogInput, marker: Marker): Promise<TestLog> {
    return this.#create(
      `test log ${marker.value}`,
      () => this.#post(`/test-runs/${runId}/test-logs`, testLogSchema, { json: input }),
      async () => {
        const found = await this.findByMarker("test-logs", marker.fieldName, marker.value);
        return found.find((log) => log.test_run_id == null || log.test_run_id === runId);
      },
    );
  }

  // ---- search --------------------------------------------------------------------------------------

  /**
   * `POST /search`, a page at a time. With `fields` (other than `*`) the hits carry only those
   * fields and the id, so they are not parsed as whole objects.
   */
  search<K extends SearchObjectType>(objectType: K, query: string): AsyncIterable<SearchResult<K>[]>;
  search<K extends SearchObjectType>(
    objectType: K,
    query: string,
    options: { fields: string[] },
  ): AsyncIterable<PartialSearchResult[]>;
  search<K extends SearchObjectType>(
    objectType: K,
    query: string,
    options: { fields?: string[] } = {},
  ): AsyncIterable<SearchResult<K>[] | PartialSearchResult[]> {
    const whole = options.fields === undefined || options.fields.includes("*");
    const schema = whole ? searchSchemas[objectType] : partialSearchResultSchema;
    return this.#pages("/search", schema as z.ZodType<SearchResult<K> | PartialSearchResult>, {}, "POST", {
      object_type: objectType,
      fields: options.fields ?? ["*"],
      query,
    }) as AsyncIterable<SearchResult<K>[] | PartialSearchResult[]>;
  }

  /** Every object of `objectType` whose `markerFieldName` equals `value` exactly. */
  async findByMarker<K extends SearchObjectType>(
    objectType: K,
    markerFieldName: string,
    value: string,
  ): Promise<SearchResult<K>[]> {
    const found: SearchResult<K>[] = [];
    for await (const page of this.search(objectType, markerQuery(markerFieldName, value))) found.push(...page);
    return found;
  }

  // ---- attachments ---------------------------------------------------------------------------------

  /** Uploads raw bytes; after an ambiguous failure, an attachment of the object with the same name is taken as this one. */
  uploadAttachment(
    objectType: AttachmentObjectType,
    objectId: number,
    file: { name: string; contentType: string; bytes: Uint8Array },
  ): Promise<Attachment> {
    const path = `/${objectType}/${objectId}`;
    return this.#create(
      `attachment '${file.name}'`,
      () =>
        this.#post(`${path}/blob-handles`, attachmentSchema, {
          body: file.bytes,
          headers: { "file-name": encodeURIComponent(file.name), "content-type": file.contentType },
        }),
      async () => lastBy(await this.#get(`${path}/attachments`, z.array(attachmentSchema)), (a) => a.name === file.name),
    );
  }

  // ---- plumbing ------------------------------------------------------------------------------------

  /**
   * A create that is never repeated blindly: after an ambiguous failure `find` looks for what the
   * failed POST may have made; found → returned, not found → posted again, at most `retries` times
   * (the last failure is still followed by a look, so an applied write is never reported as failed).
   */
  async #create<T>(what: string, post: () => Promise<T>, find: () => Promise<T | undefined>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await post();
      } catch (error) {
        if (!isAmbiguous(error)) throw error;
        const { kind, status } = error as ApiError;
        this.#logger?.debug({ what, kind, status, attempt }, "create failed ambiguously; looking for it before posting again");
        await sleep(backoffDelay(attempt, { baseMs: this.#retryBaseMs, maxMs: 30_000 }));
        const found = await find();
        if (found !== undefined) {
          this.#stats.reconciled++;
          return found;
        }
        // Not there: the failed POST was not applied, so posting again cannot duplicate it.
        if (attempt > this.#retries) throw error;
      }
    }
  }

  #projectPath(path: string): string {
    return `/api/v3/projects/${this.projectId}${path}`;
  }

  async #get<S extends z.ZodType>(path: string, schema: S, searchParams?: Record<string, QueryValue>): Promise<z.infer<S>> {
    const response = await this.#call("GET", this.#projectPath(path), { searchParams });
    return parseResponse(schema, response.json(), "GET", response.url);
  }

  async #post<S extends z.ZodType>(path: string, schema: S, options: RequestOptions): Promise<z.infer<S>> {
    const response = await this.#call("POST", this.#projectPath(path), options);
    return parseResponse(schema, response.json(), "POST", response.url);
  }

  async #put<S extends z.ZodType>(path: string, schema: S, json: unknown): Promise<z.infer<S>> {
    const response = await this.#call("PUT", this.#projectPath(path), { json });
    return parseResponse(schema, response.json(), "PUT", response.url);
  }

  /** DELETE is idempotent: a 404 (already gone, perhaps by an earlier attempt whose answer was lost) is success. */
  async #delete(path: string, searchParams?: Record<string, QueryValue>): Promise<void> {
    try {
      await this.#call("DELETE", this.#projectPath(path), { searchParams });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return;
      throw error;
    }
  }

  /** A bare-array list paged with `page` and a size parameter, read to the first short page. */
  async #allBarePages<S extends z.ZodType>(
    path: string,
    item: S,
    query: Record<string, QueryValue>,
    sizeParam: string,
    size: number,
  ): Promise<z.infer<S>[]> {
    const all: z.infer<S>[] = [];
    for (let page = 1; ; page++) {
      const items = await this.#get(path, z.array(item), { ...query, page, [sizeParam]: size });
      all.push(...items);
      if (items.length < size) return all;
    }
  }

  /** The pages of a `{page, page_size, total, items}` list (GET, or the POST of a search). */
  async *#pages<S extends z.ZodType>(
    path: string,
    item: S,
    query: Record<string, QueryValue>,
    method: "GET" | "POST",
    json?: unknown,
  ): AsyncGenerator<z.infer<S>[]> {
    const schema = pagedSchema(item);
    for (let page = 1; ; page++) {
      const searchParams = { ...query, page, pageSize: PAGED_SIZE };
      const response = await this.#call(method, this.#projectPath(path), { searchParams, json, idempotent: true });
      const body = parseResponse(schema, response.json(), method, response.url);
      const items = body.items as z.infer<S>[];
      if (items.length > 0) yield items;
      const pageSize = body.page_size > 0 ? body.page_size : PAGED_SIZE;
      if (items.length === 0 || items.length < pageSize || page * pageSize >= body.total) return;
    }
  }

  /**
   * One request with the session's Authorization header. On a 401 with username/password the
   * client logs in again — once, shared by every request that saw the same stale session — and
   * repeats the request once. A 401 that survives that, or any 401 with a token, is bad input.
   */
  async #call(method: string, path: string, options: RequestOptions): Promise<HttpResponse> {
    const session = await this.#currentSession();
    try {
      return await this.#http.request(method, path, withAuthorization(options, session.header));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
      if (this.#auth.kind === "token") throw new BadInputError(`qTest rejected the token (HTTP 401) at ${this.#baseUrl}`);
    }
    const renewed = await this.#currentSession(session);
    try {
      return await this.#http.request(method, path, withAuthorization(options, renewed.header));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        throw new BadInputError(`qTest rejected the session of '${this.#username()}' (HTTP 401) at ${this.#baseUrl}`);
      }
      throw error;
    }
  }

  /** The session to use; a new login when there is none yet or the caller saw `stale` rejected. */
  #currentSession(stale?: Session): Promise<Session> {
    if (this.#loggingIn) return this.#loggingIn;
    if (this.#session && this.#session !== stale) return Promise.resolve(this.#session);
    const login = this.#logIn().then((session) => {
      this.#session = session;
      return session;
    });
    this.#loggingIn = login;
    const clear = () => {
      if (this.#loggingIn === login) this.#loggingIn = undefined;
    };
    login.then(clear, clear);
    return login;
  }

  /**
   * `POST /oauth/token` with the password grant. Retried like a read: a second token is harmless.
   * A 400 or 401 means the credentials (or the client header) were refused.
   */
  async #logIn(): Promise<Session> {
    if (this.#auth.kind !== "password") throw new Error("a token session needs no login");
    this.#stats.logins++;
    const form = new URLSearchParams({ grant_type: "password", username: this.#auth.username, password: this.#auth.password });
    let response: HttpResponse;
    try {
      response = await this.#http.request("POST", "/oauth/token", {
        body: form.toString(),
        headers: { authorization: OAUTH_CLIENT, "content-type": "application/x-www-form-urlencoded" },
        idempotent: true,
      });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 400 || error.status === 401)) {
        throw new BadInputError(`qTest rejected the username/password at ${this.#baseUrl}`);
      }
      throw error;
    }
    const token = parseResponse(oauthTokenSchema, response.json(), "POST", response.url);
    return { header: `${token.token_type || "bearer"} ${token.access_token}` };
  }

  #username(): string {
    return this.#auth.kind === "password" ? this.#auth.username : "token";
  }
}

function withAuthorization(options: RequestOptions, header: string): RequestOptions {
  return { ...options, headers: { ...options.headers, authorization: header } };
}

function parentQuery(parent: Parent): Record<string, QueryValue> {
  return { parentId: parent.type === "root" ? 0 : parent.id, parentType: parent.type };
}

/** `'Field' = 'value'`, quotes and backslashes in both escaped with a backslash. */
export function markerQuery(fieldName: string, value: string): string {
  return `'${escapeQuoted(fieldName)}' = '${escapeQuoted(value)}'`;
}

function escapeQuoted(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/'/g, "\\'");
}

/** The match with the highest id (the newest), if any. */
function lastBy<T extends { id: number }>(items: readonly T[], match: (item: T) => boolean): T | undefined {
  let best: T | undefined;
  for (const item of items) if (match(item) && (best === undefined || item.id > best.id)) best = item;
  return best;
}

function sameLabel(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
