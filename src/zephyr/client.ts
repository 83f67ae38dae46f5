/**
 * Zephyr Scale Cloud REST API v2 client (read side: what a migration needs from the source).
 * Every response is parsed with the schemas in ./schemas.ts; every request goes through the shared
 * request layer (rate gate, timeouts, retries for idempotent requests).
 *
 * Lists of settings (folders, statuses, priorities, environments) come back whole, walked with the
 * offset model; test cases, cycles and executions stream as pages from the NextGen cursor
 * endpoints, which also take `updatedAfter` (docs/api-notes.md Z2, Z3).
 */
import type { Logger } from "pino";
import type { z } from "zod";
import type { ResolvedConfig } from "../config/load.js";
import { BadInputError } from "../errors.js";
import { ApiError, parseResponse, UnexpectedResponseError } from "../http/errors.js";
import { configuredPacing, type PacingOptions, pacedHttpOptions } from "../http/pacing.js";
import { HttpClient, type HttpResponse, type QueryValue } from "../http/request.js";
import type { HttpStats } from "../http/stats.js";
import { toZephyrDateTime } from "./datetime.js";
import {
  cursorPagedListSchema,
  type Environment,
  environmentSchema,
  type Folder,
  type FolderType,
  folderSchema,
  type Priority,
  type Project,
  pagedListSchema,
  prioritySchema,
  projectSchema,
  type Status,
  type StatusType,
  statusSchema,
  type TestCase,
  type TestCycle,
  type TestExecution,
  type TestExecutionStep,
  type TestPlan,
  type TestScript,
  type TestStep,
  testCaseSchema,
  testCycleSchema,
  testExecutionSchema,
  testExecutionStepSchema,
  testPlanSchema,
  testScriptSchema,
  testStepSchema,
} from "./schemas.js";

export interface ZephyrClientOptions extends PacingOptions {
  /** e.g. `https://api.zephyrscale.smartbear.com/v2`. */
  baseUrl: string;
  token: string;
  projectKey: string;
}

/** What `GET /testcases/{key}/teststeps` holds, or the script when the case has one instead. */
export type TestContent = { kind: "steps"; steps: TestStep[] } | { kind: "script"; script: TestScript };

export interface ChangedSince {
  /** Only entities updated after this instant (`Date`, epoch ms or an ISO string). */
  updatedAfter?: Date | number | string;
}

/** The executions of one test case (`testCase`, its key) and of one cycle (`testCycle`, its key). */
export interface ExecutionFilter {
  testCase?: string;
  testCycle?: string;
}

/** The most the API hands out per page (offset `maxResults`, cursor `limit`). */
const PAGE_SIZE = 1000;

export class ZephyrClient {
  /** The client a run uses: connection and pacing from the resolved configuration. */
  static fromConfig(config: ResolvedConfig, logger: Logger): ZephyrClient {
    return new ZephyrClient({
      baseUrl: config.zephyr.url,
      token: config.zephyr.token,
      projectKey: config.zephyr.projectKey,
      ...configuredPacing(config.zephyr, config.migration, logger),
    });
  }

  readonly projectKey: string;
  readonly #http: HttpClient;

  constructor(options: ZephyrClientOptions) {
    this.projectKey = options.projectKey;
    this.#http = new HttpClient({
      ...pacedHttpOptions(options.baseUrl, options),
      headers: { authorization: `Bearer ${options.token}` },
    });
  }

  /** A copy of the request counters so far. */
  stats(): HttpStats {
    return { ...this.#http.stats };
  }

  /** The project, which also proves the URL, the token and the key. */
  async project(): Promise<Project> {
    try {
      return await this.#get(`/projects/${encodeURIComponent(this.projectKey)}`, projectSchema);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        throw new BadInputError(`Zephyr project '${this.projectKey}' not found at ${this.#http.baseUrl}`);
      }
      // Zephyr answers 403 for an invalid key as well as for a path it does not route (docs/api-notes.md Z1).
      if (error instanceof ApiError && error.status === 403) throw this.#rejectedToken(403);
      throw error;
    }
  }

  folders(folderType: FolderType): Promise<Folder[]> {
    return this.#allOffsetPages("/folders", folderSchema, { projectKey: this.projectKey, folderType });
  }

  statuses(statusType?: StatusType): Promise<Status[]> {
    return this.#allOffsetPages("/statuses", statusSchema, { projectKey: this.projectKey, statusType });
  }

  priorities(): Promise<Priority[]> {
    return this.#allOffsetPages("/priorities", prioritySchema, { projectKey: this.projectKey });
  }

  environments(): Promise<Environment[]> {
    return this.#allOffsetPages("/environments", environmentSchema, { projectKey: this.projectKey });
  }

  testCases(options: ChangedSince = {}): AsyncIterable<TestCase[]> {
    return this.#cursorPages("/testcases/nextgen", testCaseSchema, options);
  }

  /** One test case by its key. */
  testCase(key: string): Promise<TestCase> {
    return this.#get(`/testcases/${encodeURIComponent(key)}`, testCaseSchema);
  }

  testCycles(options: ChangedSince = {}): AsyncIterable<TestCycle[]> {
    return this.#cursorPages("/testcycles/nextgen", testCycleSchema, options);
  }

  /** The project's test plans (`GET /testplans`, offset pages), their links to issues and cycles included. */
  testPlans(): Promise<TestPlan[]> {
    return this.#allOffsetPages("/testplans", testPlanSchema, { projectKey: this.projectKey });
  }

  /** Executions, optionally only those of one test case (`testCase`, a key) and one cycle (`testCycle`, a key). */
  testExecutions(options: ChangedSince & ExecutionFilter = {}): AsyncIterable<TestExecution[]> {
    return this.#cursorPages("/testexecutions/nextgen", testExecutionSchema, options);
  }

  /** All steps of a test case; a case with a plain or BDD script answers 422, so its script is read instead. */
  async testSteps(testCaseKey: string): Promise<TestContent> {
    const key = encodeURIComponent(testCaseKey);
    try {
      return { kind: "steps", steps: await this.#allOffsetPages(`/testcases/${key}/teststeps`, testStepSchema, {}) };
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 422)) throw error;
    }
    return { kind: "script", script: await this.#get(`/testcases/${key}/testscript`, testScriptSchema) };
  }

  testExecutionSteps(idOrKey: string): Promise<TestExecutionStep[]> {
    return this.#allOffsetPages(`/testexecutions/${encodeURIComponent(idOrKey)}/teststeps`, testExecutionStepSchema, {});
  }

  // ---- plumbing ------------------------------------------------------------------------------

  /** A GET parsed with `schema`. A 401 on any call is a rejected token: bad input, not a failure to retry. */
  async #get<S extends z.ZodType>(path: string, schema: S, searchParams?: Record<string, QueryValue>): Promise<z.infer<S>> {
    let response: HttpResponse;
    try {
      response = await this.#http.request("GET", path, { searchParams });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw this.#rejectedToken(401);
      throw error;
    }
    return parseResponse(schema, response.json(), "GET", response.url);
  }

  #rejectedToken(status: number): BadInputError {
    return new BadInputError(`Zephyr rejected the token (HTTP ${status}) at ${this.#http.baseUrl}`);
  }

  /**
   * Every page of an offset list. The next page starts after what this one held, so a server that
   * answers fewer than `maxResults` (its own cap) loses nothing. Stops on an empty page, `isLast`,
   * a null `next`, or when `total` is reached.
   */
  async #allOffsetPages<S extends z.ZodType>(path: string, item: S, query: Record<string, QueryValue>): Promise<z.infer<S>[]> {
    const schema = pagedListSchema(item);
    const all: z.infer<S>[] = [];
    let startAt = 0;
    for (;;) {
      const page = await this.#get(path, schema, { ...query, startAt, maxResults: PAGE_SIZE });
      const values = page.values as z.infer<S>[];
      all.push(...values);
      if (values.length === 0 || page.isLast === true || page.next === null) break;
      const next = page.startAt + values.length;
      if (page.total !== undefined && next >= page.total) break;
      // A server that ignores startAt would otherwise be read forever.
      if (next <= startAt)
        throw new UnexpectedResponseError("GET", this.#http.url(path, query), `startAt ${startAt} answered from ${page.startAt}`);
      startAt = next;
    }
    return all;
  }

  /** The pages of a NextGen list, following `nextStartAtId` until it is null. */
  async *#cursorPages<S extends z.ZodType>(
    path: string,
    item: S,
    options: ChangedSince & ExecutionFilter,
  ): AsyncGenerator<z.infer<S>[]> {
    const schema = cursorPagedListSchema(item);
    const { updatedAfter: since, ...filters } = options;
    const updatedAfter = formatUpdatedAfter(since);
    let startAtId: number | null = 0;
    while (startAtId !== null) {
      const page: { values: unknown[]; nextStartAtId: number | null } = await this.#get(path, schema, {
        ...filters,
        projectKey: this.projectKey,
        limit: PAGE_SIZE,
        startAtId,
        updatedAfter,
      });
      const values = page.values as z.infer<S>[];
      if (values.length > 0) yield values;
      // A cursor that does not move would loop forever; an empty page has nothing after it.
      if (values.length === 0 || page.nextStartAtId === startAtId) break;
      startAtId = page.nextStartAtId;
    }
  }
}

/** Zephyr's `yyyy-MM-dd'T'HH:mm:ss'Z'`; an ISO string is normalised the same way. */
function formatUpdatedAfter(value: Date | number | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  if (Number.isNaN(ms))
    throw new BadInputError(`updatedAfter '${String(value)}' is not a date-time such as 2024-01-31T23:59:59Z`);
  return toZephyrDateTime(ms);
}
