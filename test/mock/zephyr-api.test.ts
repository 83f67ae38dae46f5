/**
 * The Zephyr Scale Cloud mock (src/mock/zephyr) against the official API: real HTTP on 127.0.0.1,
 * every response checked with the client's own zod schemas, and the behaviour the spec and
 * docs/api-notes.md (Z1–Z13) document: paging, caps, errors, auth, write semantics, `updatedAfter`, and a
 * loaded snapshot served back unchanged.
 *
 * Store access is used only to read nothing: every assertion is about what HTTP shows.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { type MockOptions, type RunningMocks, startMocks } from "../../src/mock/start.js";
import {
  createdResourceSchema,
  cursorPagedListSchema,
  environmentSchema,
  errorSchema,
  folderSchema,
  keyedCreatedResourceSchema,
  pagedListSchema,
  prioritySchema,
  projectSchema,
  statusSchema,
  type TestCase,
  type TestCycle,
  type TestExecution,
  testCaseLinksSchema,
  testCaseSchema,
  testCycleSchema,
  testExecutionSchema,
  testExecutionStepSchema,
  testScriptSchema,
  testStepSchema,
  unauthorizedSchema,
} from "../../src/zephyr/schemas.js";
import type { Snapshot } from "../../src/zephyr/snapshot.js";
import { type HttpClient, type HttpResult, httpClient, withQuery } from "../support/http.js";

// ---- helpers ------------------------------------------------------------------------------------

interface Ctx {
  mocks: RunningMocks;
  api: HttpClient;
  pk: string;
}

async function start(options: MockOptions): Promise<Ctx> {
  const mocks = await startMocks(options);
  return { mocks, api: httpClient(mocks.zephyr.url, mocks.zephyr.token), pk: mocks.zephyr.projectKey };
}

const cycleLinksSchema = testCycleSchema.shape.links.unwrap();
const executionLinksSchema = testExecutionSchema.shape.links.unwrap();
const ZEPHYR_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** `yyyy-MM-dd'T'HH:mm:ss'Z'`, the format the spec gives for date filters. */
function zephyrDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function show(body: unknown): string {
  return (JSON.stringify(body) ?? String(body)).slice(0, 400);
}

function parsed<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const result = schema.safeParse(body);
  expect(result.success, `${what} does not parse: ${result.error?.message ?? ""}\n${show(body)}`).toBe(true);
  return result.data as z.output<S>;
}

async function getJson(api: HttpClient, path: string): Promise<unknown> {
  const res = await api.get(path);
  expect(res.status, `GET ${path} → ${show(res.body)}`).toBe(200);
  return res.body;
}

async function getOne<S extends z.ZodType>(api: HttpClient, path: string, schema: S): Promise<z.output<S>> {
  return parsed(schema, await getJson(api, path), `GET ${path}`);
}

interface OffsetPage<T> {
  next?: string | null;
  startAt: number;
  maxResults: number;
  total?: number;
  isLast?: boolean;
  values: T[];
}

interface CursorPage<T> {
  next?: string | null;
  nextStartAtId: number | null;
  limit: number;
  values: T[];
}

async function getPage<S extends z.ZodType>(api: HttpClient, path: string, item: S): Promise<OffsetPage<z.output<S>>> {
  return parsed(pagedListSchema(item), await getJson(api, path), `GET ${path}`);
}

async function getCursorPage<S extends z.ZodType>(api: HttpClient, path: string, item: S): Promise<CursorPage<z.output<S>>> {
  return parsed(cursorPagedListSchema(item), await getJson(api, path), `GET ${path}`);
}

/**
 * Every item of an offset list, asking for the largest page and following `next` when the server
 * caps it lower (steps come 100 a page).
 */
async function all<S extends z.ZodType>(api: HttpClient, path: string, item: S): Promise<z.output<S>[]> {
  let page = await getPage(api, withQuery(path, { maxResults: 1000 }), item);
  expect(page.startAt).toBe(0);
  const values = [...page.values];
  while (!page.isLast) {
    page = await getPage(api, defined(page.next, "next"), item);
    values.push(...page.values);
  }
  expect(page.next).toBeNull();
  expect(page.total).toBe(values.length);
  return values;
}

/** Every item of a NextGen list in one page. */
async function allNextgen<S extends z.ZodType>(api: HttpClient, path: string, item: S): Promise<z.output<S>[]> {
  const page = await getCursorPage(api, withQuery(path, { limit: 1000 }), item);
  expect(page.limit).toBe(1000);
  expect(page.nextStartAtId).toBeNull();
  expect(page.next).toBeNull();
  return page.values;
}

function expectError(res: HttpResult, status: number, what: string) {
  expect(res.status, `${what} → ${show(res.body)}`).toBe(status);
  const error = parsed(errorSchema, res.body, what);
  expect(error.errorCode).toBe(status);
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}

function idsOf(values: readonly unknown[]): number[] {
  return values.map((value) => {
    const id = (value as { id?: unknown }).id;
    expect(typeof id, `id of ${show(value)}`).toBe("number");
    return id as number;
  });
}

function expectUnique(ids: readonly (number | string)[]): void {
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  expect(duplicates, "duplicate ids").toEqual([]);
}

function byNumber(a: number, b: number): number {
  return a - b;
}

function defined<T>(value: T | undefined | null, what: string): T {
  expect(value, what).toBeDefined();
  expect(value, what).not.toBeNull();
  return value as T;
}

function omit(object: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

function keyNumber(key: string | null | undefined, letter: string): number {
  return Number(new RegExp(`-${letter}(\\d+)$`).exec(key ?? "")?.[1] ?? 0);
}

/** The execution's test case key, which the API only gives inside `testCase.self`. */
function executionCaseKey(execution: TestExecution): string | undefined {
  return /\/testcases\/([^/]+)\//.exec(execution.testCase.self ?? "")?.[1];
}

/** Walks an offset list with startAt/maxResults, checking every page's envelope. */
async function walkByStartAt<S extends z.ZodType>(api: HttpClient, path: string, item: S, size: number) {
  const values: z.output<S>[] = [];
  let total: number | undefined;
  for (let startAt = 0; ; startAt += size) {
    const page = await getPage(api, withQuery(path, { startAt, maxResults: size }), item);
    expect(page.startAt).toBe(startAt);
    expect(page.maxResults).toBe(size);
    expect(page.total).toEqual(expect.any(Number));
    total ??= page.total as number;
    expect(page.total, "total is the same on every page").toBe(total);
    values.push(...page.values);
    const last = startAt + size >= total;
    expect(page.isLast, `isLast at startAt=${startAt} of ${total}`).toBe(last);
    if (last) {
      expect(page.next).toBeNull();
      expect(page.values).toHaveLength(Math.max(0, total - startAt));
      break;
    }
    expect(page.values).toHaveLength(size);
    expect(page.next).toEqual(expect.any(String));
    expect(startAt, "runaway paging").toBeLessThan(100_000);
  }
  expect(values).toHaveLength(total);
  return values;
}

/** Walks an offset list by following `next`, checking every page's envelope. */
async function walkByNext<S extends z.ZodType>(api: HttpClient, path: string, item: S, size: number) {
  const values: z.output<S>[] = [];
  let url: string | null | undefined = withQuery(path, { maxResults: size });
  let pages = 0;
  let total: number | undefined;
  while (url) {
    const page: OffsetPage<z.output<S>> = await getPage(api, url, item);
    expect(page.startAt).toBe(pages * size);
    expect(page.maxResults).toBe(size);
    total ??= page.total as number;
    expect(page.total).toBe(total);
    values.push(...page.values);
    pages++;
    if (page.next == null) {
      expect(page.next).toBeNull();
      expect(page.isLast).toBe(true);
    } else {
      expect(page.isLast).toBe(false);
      expect(new URL(page.next).origin, "next is an absolute URL on the same server").toBe(new URL(api.baseUrl).origin);
    }
    url = page.next;
    expect(pages, "runaway paging").toBeLessThan(10_000);
  }
  expect(pages).toBe(Math.max(1, Math.ceil((total ?? 0) / size)));
  expect(values).toHaveLength(total ?? -1);
  return values;
}

/** Walks a NextGen list by resending the query with startAtId=nextStartAtId. */
async function walkByStartAtId<S extends z.ZodType>(api: HttpClient, path: string, item: S, limit: number) {
  const values: z.output<S>[] = [];
  let startAtId: number | undefined;
  for (let pages = 1; ; pages++) {
    const page = await getCursorPage(api, withQuery(path, { limit, startAtId }), item);
    expect(page.limit).toBe(limit);
    const ids = idsOf(page.values);
    expect(ids, "ordered by id").toEqual([...ids].sort(byNumber));
    values.push(...page.values);
    if (page.nextStartAtId === null) {
      expect(page.next).toBeNull();
      expect(page.values.length).toBeLessThanOrEqual(limit);
      break;
    }
    expect(page.values).toHaveLength(limit);
    expect(page.nextStartAtId, "the cursor moves forward").toBeGreaterThan(ids.at(-1) ?? 0);
    expect(page.next).toEqual(expect.any(String));
    startAtId = page.nextStartAtId;
    expect(pages, "runaway paging").toBeLessThan(10_000);
  }
  return values;
}

/** Walks a NextGen list by following `next`. */
async function walkCursorByNext<S extends z.ZodType>(api: HttpClient, path: string, item: S, limit: number) {
  const values: z.output<S>[] = [];
  let url: string | null | undefined = withQuery(path, { limit });
  for (let pages = 1; url; pages++) {
    const page: CursorPage<z.output<S>> = await getCursorPage(api, url, item);
    expect(page.limit).toBe(limit);
    values.push(...page.values);
    if (page.next == null) {
      expect(page.next).toBeNull();
      expect(page.nextStartAtId).toBeNull();
    } else {
      expect(page.values).toHaveLength(limit);
      expect(page.nextStartAtId).toEqual(expect.any(Number));
      expect(new URL(page.next).searchParams.get("startAtId")).toBe(String(page.nextStartAtId));
    }
    url = page.next;
    expect(pages, "runaway paging").toBeLessThan(10_000);
  }
  return values;
}

interface FoundCases {
  plain: string;
  bdd: string;
  /** A case with more than 100 steps. */
  bigSteps: string;
}

/** Finds, through the API, a plain-script case, a BDD case and a case with more than 100 steps. */
async function findCases(ctx: Ctx): Promise<FoundCases> {
  const cases = await all(ctx.api, withQuery("/testcases", { projectKey: ctx.pk }), testCaseSchema);
  const found: Partial<FoundCases> = {};
  for (const testCase of cases) {
    if (found.plain && found.bdd && found.bigSteps) break;
    const script = await ctx.api.get(`/testcases/${testCase.key}/testscript`);
    if (script.status === 200) {
      const { type } = parsed(testScriptSchema, script.body, `script of ${testCase.key}`);
      found[type] ??= testCase.key;
      continue;
    }
    const steps = await getPage(ctx.api, `/testcases/${testCase.key}/teststeps?maxResults=1`, testStepSchema);
    if ((steps.total ?? 0) > 100) found.bigSteps ??= testCase.key;
  }
  return {
    plain: defined(found.plain, "a case with a plain script"),
    bdd: defined(found.bdd, "a case with a BDD script"),
    bigSteps: defined(found.bigSteps, "a case with more than 100 steps"),
  };
}

/** The first execution with at least `min` steps, found through the API. */
async function findExecutionWithSteps(ctx: Ctx, executions: readonly TestExecution[], min: number): Promise<TestExecution> {
  for (const execution of executions) {
    const steps = await getPage(ctx.api, `/testexecutions/${execution.id}/teststeps?maxResults=1`, testExecutionStepSchema);
    if ((steps.total ?? 0) >= min) return execution;
  }
  throw new Error(`no execution has ${min} steps`);
}

function inlineStep(text: string) {
  return { inline: { description: `${text} <b>do</b> ✓`, testData: `data for ${text}`, expectedResult: `${text} works` } };
}

// ---- 1. every read endpoint parses with the client's schemas --------------------------------------

describe("Zephyr mock: every read endpoint parses with src/zephyr/schemas.ts", () => {
  let ctx: Ctx;
  let cases: TestCase[];
  let cycles: TestCycle[];
  let executions: TestExecution[];
  let found: FoundCases;
  const q = (path: string, params: Record<string, string | number | boolean | undefined> = {}) =>
    withQuery(path, { projectKey: ctx.pk, ...params });

  beforeAll(async () => {
    ctx = await start({ generate: 300, seed: 11 });
    cases = await all(ctx.api, q("/testcases"), testCaseSchema);
    cycles = await all(ctx.api, q("/testcycles"), testCycleSchema);
    executions = await all(ctx.api, q("/testexecutions"), testExecutionSchema);
    found = await findCases(ctx);
  });
  afterAll(async () => {
    await ctx?.mocks.stop();
  });

  it("projects: list, by key and by id", async () => {
    const list = await getPage(ctx.api, "/projects", projectSchema);
    expect(list.values.map((p) => p.key)).toEqual([ctx.pk]);
    const project = defined(list.values[0], "the project");
    expect(await getOne(ctx.api, `/projects/${ctx.pk}`, projectSchema)).toEqual(project);
    expect(await getOne(ctx.api, `/projects/${project.id}`, projectSchema)).toEqual(project);
  });

  it("folders: all, by folderType, by id; a flat list whose parents exist", async () => {
    const folders = await all(ctx.api, q("/folders"), folderSchema);
    const caseFolders = await all(ctx.api, q("/folders", { folderType: "TEST_CASE" }), folderSchema);
    const cycleFolders = await all(ctx.api, q("/folders", { folderType: "TEST_CYCLE" }), folderSchema);
    const planFolders = await all(ctx.api, q("/folders", { folderType: "TEST_PLAN" }), folderSchema);
    expect(caseFolders.length).toBeGreaterThan(0);
    expect(cycleFolders.length).toBeGreaterThan(0);
    expect(caseFolders.every((f) => f.folderType === "TEST_CASE")).toBe(true);
    expect(cycleFolders.every((f) => f.folderType === "TEST_CYCLE")).toBe(true);
    expect(planFolders.every((f) => f.folderType === "TEST_PLAN")).toBe(true);
    expect(idsOf([...caseFolders, ...cycleFolders, ...planFolders]).sort(byNumber)).toEqual(idsOf(folders).sort(byNumber));
    const byId = new Map(folders.map((f) => [f.id, f]));
    expect(folders.some((f) => f.parentId === null)).toBe(true);
    for (const folder of folders.filter((f) => f.parentId !== null)) {
      expect(byId.get(folder.parentId as number)?.folderType, `parent of folder ${folder.id}`).toBe(folder.folderType);
    }
    const nested = defined(
      folders.find((f) => f.parentId !== null),
      "a nested folder",
    );
    for (const folder of [caseFolders[0], cycleFolders[0], nested]) {
      const one = defined(folder, "a folder");
      expect(await getOne(ctx.api, `/folders/${one.id}`, folderSchema)).toEqual(one);
    }
  });

  it("statuses: all, each statusType, by id", async () => {
    const statuses = await all(ctx.api, q("/statuses"), statusSchema);
    const byType = new Map<string, number[]>();
    for (const statusType of ["TEST_CASE", "TEST_PLAN", "TEST_CYCLE", "TEST_EXECUTION"]) {
      byType.set(statusType, idsOf(await all(ctx.api, q("/statuses", { statusType }), statusSchema)));
    }
    expect(byType.get("TEST_CASE")?.length).toBeGreaterThan(0);
    expect(byType.get("TEST_CYCLE")?.length).toBeGreaterThan(0);
    expect(byType.get("TEST_EXECUTION")?.length).toBeGreaterThan(0);
    // Each status belongs to one type, so the typed lists split the full list.
    expect([...byType.values()].flat().sort(byNumber)).toEqual(idsOf(statuses).sort(byNumber));
    for (const status of statuses) {
      expect(await getOne(ctx.api, `/statuses/${status.id}`, statusSchema)).toEqual(status);
    }
  });

  it("priorities and environments: list and by id", async () => {
    const priorities = await all(ctx.api, q("/priorities"), prioritySchema);
    expect(priorities.length).toBeGreaterThan(1);
    expect(priorities.filter((p) => p.default)).toHaveLength(1);
    for (const priority of priorities) {
      expect(await getOne(ctx.api, `/priorities/${priority.id}`, prioritySchema)).toEqual(priority);
    }
    const environments = await all(ctx.api, q("/environments"), environmentSchema);
    expect(environments.length).toBeGreaterThan(0);
    for (const environment of environments) {
      expect(await getOne(ctx.api, `/environments/${environment.id}`, environmentSchema)).toEqual(environment);
    }
  });

  it("testcases: offset list, folderId filter, nextgen, by key, /links", async () => {
    expect(cases.length).toBe(300);
    expectUnique(idsOf(cases));
    const counts = new Map<number, number>();
    for (const c of cases) if (c.folder) counts.set(c.folder.id, (counts.get(c.folder.id) ?? 0) + 1);
    const [folderId] = defined([...counts].sort((a, b) => b[1] - a[1])[0], "a folder with cases");
    const inFolder = await all(ctx.api, q("/testcases", { folderId }), testCaseSchema);
    expect(inFolder.map((c) => c.key)).toEqual(cases.filter((c) => c.folder?.id === folderId).map((c) => c.key));
    expect(inFolder.length).toBeGreaterThan(1);

    const nextgen = await allNextgen(ctx.api, q("/testcases/nextgen"), testCaseSchema);
    expect(nextgen).toEqual([...cases].sort((a, b) => a.id - b.id));

    for (const key of [cases[0]?.key, found.plain, found.bdd, found.bigSteps, cases.at(-1)?.key]) {
      const listed = defined(
        cases.find((c) => c.key === key),
        `case ${key}`,
      );
      expect(await getOne(ctx.api, `/testcases/${key}`, testCaseSchema)).toEqual(listed);
      const links = await getOne(ctx.api, `/testcases/${key}/links`, testCaseLinksSchema);
      expect(links).toEqual(listed.links);
    }
    expect(cases.some((c) => (c.links?.issues?.length ?? 0) > 0)).toBe(true);
  });

  it("testcases: /teststeps (paged, inline and call-to-test) and /testscript", async () => {
    const steps = await all(ctx.api, `/testcases/${found.bigSteps}/teststeps`, testStepSchema);
    expect(steps.length).toBeGreaterThan(100);
    expect(steps.some((s) => s.inline)).toBe(true);
    // Step pages hold at most 100, whatever is asked for.
    const capped = await getPage(ctx.api, `/testcases/${found.bigSteps}/teststeps?maxResults=1000`, testStepSchema);
    expect(capped).toMatchObject({ maxResults: 100, isLast: false });
    expect(capped.values).toHaveLength(100);
    // Call-to-test steps anywhere in the project parse too.
    let calls = 0;
    for (const testCase of cases.slice(0, 60)) {
      const res = await ctx.api.get(`/testcases/${testCase.key}/teststeps?maxResults=1000`);
      if (res.status !== 200) continue;
      const page = parsed(pagedListSchema(testStepSchema), res.body, `steps of ${testCase.key}`);
      for (const step of page.values) {
        if (step.testCase) {
          calls++;
          expect(step.testCase.testCaseKey).toMatch(/^[A-Z][A-Z_0-9]+-T\d+$/);
        }
      }
    }
    expect(calls, "call-to-test steps seen").toBeGreaterThan(0);

    const plain = await getOne(ctx.api, `/testcases/${found.plain}/testscript`, testScriptSchema);
    expect(plain.type).toBe("plain");
    expect(plain.text.length).toBeGreaterThan(0);
    const bdd = await getOne(ctx.api, `/testcases/${found.bdd}/testscript`, testScriptSchema);
    expect(bdd.type).toBe("bdd");
    expect(bdd.text.length).toBeGreaterThan(0);
  });

  it("testcycles: offset list, nextgen, by id and by key, /links", async () => {
    expect(cycles.length).toBeGreaterThan(1);
    expectUnique(idsOf(cycles));
    expect(await allNextgen(ctx.api, q("/testcycles/nextgen"), testCycleSchema)).toEqual([...cycles].sort((a, b) => a.id - b.id));
    for (const cycle of cycles) {
      expect(await getOne(ctx.api, `/testcycles/${cycle.key}`, testCycleSchema)).toEqual(cycle);
      expect(await getOne(ctx.api, `/testcycles/${cycle.id}`, testCycleSchema)).toEqual(cycle);
      expect(await getOne(ctx.api, `/testcycles/${cycle.key}/links`, cycleLinksSchema)).toEqual(cycle.links);
    }
  });

  it("testexecutions: offset list, nextgen, by id and key, /teststeps, /links", async () => {
    expect(executions.length).toBeGreaterThan(100);
    expectUnique(idsOf(executions));
    expect(await allNextgen(ctx.api, q("/testexecutions/nextgen"), testExecutionSchema)).toEqual(
      [...executions].sort((a, b) => a.id - b.id),
    );
    const withSteps = await findExecutionWithSteps(ctx, executions, 3);
    for (const execution of [executions[0], withSteps, executions.at(-1)]) {
      const one = defined(execution, "an execution");
      const key = defined(one.key, "execution key");
      expect(await getOne(ctx.api, `/testexecutions/${one.id}`, testExecutionSchema)).toEqual(one);
      expect(await getOne(ctx.api, `/testexecutions/${key}`, testExecutionSchema)).toEqual(one);
      expect(await getOne(ctx.api, `/testexecutions/${key}/links`, executionLinksSchema)).toEqual(one.links);
    }
    const steps = await all(ctx.api, `/testexecutions/${withSteps.id}/teststeps`, testExecutionStepSchema);
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps.every((s) => s.inline.status?.id !== undefined)).toBe(true);
  });

  it("testexecutions filters: testCycle, testCase (offset and nextgen)", async () => {
    const cycle = defined(cycles[1], "a cycle");
    const expectedInCycle = executions.filter((e) => e.testCycle?.id === cycle.id).map((e) => e.id);
    expect(expectedInCycle.length).toBeGreaterThan(0);
    expect(idsOf(await all(ctx.api, q("/testexecutions", { testCycle: cycle.key }), testExecutionSchema))).toEqual(
      expectedInCycle,
    );
    expect(idsOf(await allNextgen(ctx.api, q("/testexecutions/nextgen", { testCycle: cycle.key }), testExecutionSchema))).toEqual(
      [...expectedInCycle].sort(byNumber),
    );

    const perCase = new Map<number, number[]>();
    for (const e of executions) perCase.set(e.testCase.id, [...(perCase.get(e.testCase.id) ?? []), e.id]);
    const [caseId, expectedForCase] = defined(
      [...perCase].sort((a, b) => b[1].length - a[1].length)[0],
      "a case with executions",
    );
    expect(expectedForCase.length).toBeGreaterThan(1);
    const caseKey = defined(cases.find((c) => c.id === caseId)?.key, "its key");
    expect(idsOf(await all(ctx.api, q("/testexecutions", { testCase: caseKey }), testExecutionSchema))).toEqual(expectedForCase);
    expect(idsOf(await allNextgen(ctx.api, q("/testexecutions/nextgen", { testCase: caseKey }), testExecutionSchema))).toEqual(
      [...expectedForCase].sort(byNumber),
    );
  });

  it("testexecutions filters: actualEndDateAfter / actualEndDateBefore (strictly after / before)", async () => {
    const ends = [...new Set(executions.flatMap((e) => (e.actualEndDate ? [Date.parse(e.actualEndDate)] : [])))].sort(byNumber);
    expect(ends.length).toBeGreaterThan(10);
    // Pivots half-way between two distinct end dates, so inclusiveness cannot matter.
    const pivot = (i: number) => zephyrDateTime(Math.floor(((ends[i] as number) + (ends[i + 1] as number)) / 2000) * 1000);
    const low = pivot(Math.floor(ends.length / 3));
    const high = pivot(Math.floor((2 * ends.length) / 3));
    expect(low).toMatch(ZEPHYR_DATE_TIME);
    const end = (e: TestExecution) => (e.actualEndDate ? Date.parse(e.actualEndDate) : Number.NaN);
    const after = executions.filter((e) => end(e) > Date.parse(low)).map((e) => e.id);
    const before = executions.filter((e) => end(e) < Date.parse(high)).map((e) => e.id);
    const between = executions.filter((e) => end(e) > Date.parse(low) && end(e) < Date.parse(high)).map((e) => e.id);
    expect(after.length).toBeGreaterThan(0);
    expect(after.length).toBeLessThan(executions.length);
    expect(between.length).toBeGreaterThan(0);
    expect(idsOf(await all(ctx.api, q("/testexecutions", { actualEndDateAfter: low }), testExecutionSchema))).toEqual(after);
    expect(idsOf(await all(ctx.api, q("/testexecutions", { actualEndDateBefore: high }), testExecutionSchema))).toEqual(before);
    const window = { actualEndDateAfter: low, actualEndDateBefore: high };
    expect(idsOf(await all(ctx.api, q("/testexecutions", window), testExecutionSchema))).toEqual(between);
    expect(idsOf(await allNextgen(ctx.api, q("/testexecutions/nextgen", window), testExecutionSchema))).toEqual(
      [...between].sort(byNumber),
    );
  });

  it("testexecutions filter: onlyLastExecutions keeps the last run of each cycle item and every ad-hoc run", async () => {
    const lastOfItem = new Map<string, number>();
    for (const e of executions) {
      if (!e.testCycle) continue;
      const item = `${e.testCycle.id}|${e.testCase.id}`;
      lastOfItem.set(item, Math.max(lastOfItem.get(item) ?? 0, e.id));
    }
    const expected = executions
      .filter((e) => !e.testCycle || lastOfItem.get(`${e.testCycle.id}|${e.testCase.id}`) === e.id)
      .map((e) => e.id);
    expect(expected.length, "the project has re-runs to drop").toBeLessThan(executions.length);
    const only = await all(ctx.api, q("/testexecutions", { onlyLastExecutions: true }), testExecutionSchema);
    expect(idsOf(only)).toEqual(expected);
    const explicitFalse = await all(ctx.api, q("/testexecutions", { onlyLastExecutions: false }), testExecutionSchema);
    expect(idsOf(explicitFalse)).toEqual(idsOf(executions));
  });
});

// ---- 2. paging: every page of every list ---------------------------------------------------------

describe("Zephyr mock: walking every page returns each entity exactly once", () => {
  let ctx: Ctx;
  const refs = { folderId: 0, cycleKey: "", bigSteps: "", executionWithSteps: 0 };
  const q = (path: string, params: Record<string, string | number | undefined> = {}) =>
    withQuery(path, { projectKey: ctx.pk, ...params });

  beforeAll(async () => {
    ctx = await start({ generate: 300, seed: 11 });
    const cases = await all(ctx.api, q("/testcases"), testCaseSchema);
    const counts = new Map<number, number>();
    for (const c of cases) if (c.folder) counts.set(c.folder.id, (counts.get(c.folder.id) ?? 0) + 1);
    refs.folderId = defined([...counts].sort((a, b) => b[1] - a[1])[0], "a folder with cases")[0];
    const executions = await all(ctx.api, q("/testexecutions"), testExecutionSchema);
    const cycles = await all(ctx.api, q("/testcycles"), testCycleSchema);
    const busiest = [...cycles].sort(
      (a, b) =>
        executions.filter((e) => e.testCycle?.id === b.id).length - executions.filter((e) => e.testCycle?.id === a.id).length,
    )[0];
    refs.cycleKey = defined(busiest, "a cycle").key;
    refs.bigSteps = (await findCases(ctx)).bigSteps;
    refs.executionWithSteps = (await findExecutionWithSteps(ctx, executions, 15)).id;
  });
  afterAll(async () => {
    await ctx?.mocks.stop();
  });

  const offsetLists: { name: string; path: () => string; item: z.ZodType }[] = [
    { name: "/projects", path: () => "/projects", item: projectSchema },
    { name: "/folders", path: () => q("/folders"), item: folderSchema },
    { name: "/folders?folderType=TEST_CASE", path: () => q("/folders", { folderType: "TEST_CASE" }), item: folderSchema },
    { name: "/statuses", path: () => q("/statuses"), item: statusSchema },
    {
      name: "/statuses?statusType=TEST_EXECUTION",
      path: () => q("/statuses", { statusType: "TEST_EXECUTION" }),
      item: statusSchema,
    },
    { name: "/priorities", path: () => q("/priorities"), item: prioritySchema },
    { name: "/environments", path: () => q("/environments"), item: environmentSchema },
    { name: "/testcases", path: () => q("/testcases"), item: testCaseSchema },
    { name: "/testcases?folderId", path: () => q("/testcases", { folderId: refs.folderId }), item: testCaseSchema },
    { name: "/testcycles", path: () => q("/testcycles"), item: testCycleSchema },
    { name: "/testexecutions", path: () => q("/testexecutions"), item: testExecutionSchema },
    {
      name: "/testexecutions?testCycle",
      path: () => q("/testexecutions", { testCycle: refs.cycleKey }),
      item: testExecutionSchema,
    },
    { name: "/testcases/{>100 steps}/teststeps", path: () => `/testcases/${refs.bigSteps}/teststeps`, item: testStepSchema },
    {
      name: "/testexecutions/{id}/teststeps",
      path: () => `/testexecutions/${refs.executionWithSteps}/teststeps`,
      item: testExecutionStepSchema,
    },
  ];

  it.each(offsetLists)("$name: startAt walk and next walk both equal one big page", async ({ path, item }) => {
    const whole = await all(ctx.api, path(), item);
    expect(whole.length).toBeGreaterThan(0);
    expectUnique(idsOf(whole));
    const size = whole.length > 20 ? 7 : 2;
    const byStartAt = await walkByStartAt(ctx.api, path(), item, size);
    expect(byStartAt).toEqual(whole);
    const byNext = await walkByNext(ctx.api, path(), item, size);
    expect(byNext).toEqual(whole);
  });

  it("steps of a case with more than 100 steps, 100 per page: two pages, then isLast", async () => {
    const whole = await all(ctx.api, `/testcases/${refs.bigSteps}/teststeps`, testStepSchema);
    expect(whole.length).toBeGreaterThan(100);
    expect(whole.length).toBeLessThanOrEqual(200);
    const first = await getPage(ctx.api, `/testcases/${refs.bigSteps}/teststeps?maxResults=100`, testStepSchema);
    expect(first).toMatchObject({ startAt: 0, maxResults: 100, total: whole.length, isLast: false });
    expect(first.values).toEqual(whole.slice(0, 100));
    const second = await getPage(ctx.api, defined(first.next, "next"), testStepSchema);
    expect(second).toMatchObject({ startAt: 100, maxResults: 100, total: whole.length, isLast: true, next: null });
    expect(second.values).toEqual(whole.slice(100));
  });

  const cursorLists: { name: string; path: () => string; offset: () => string; item: z.ZodType }[] = [
    { name: "/testcases/nextgen", path: () => q("/testcases/nextgen"), offset: () => q("/testcases"), item: testCaseSchema },
    {
      name: "/testcases/nextgen?folderId",
      path: () => q("/testcases/nextgen", { folderId: refs.folderId }),
      offset: () => q("/testcases", { folderId: refs.folderId }),
      item: testCaseSchema,
    },
    { name: "/testcycles/nextgen", path: () => q("/testcycles/nextgen"), offset: () => q("/testcycles"), item: testCycleSchema },
    {
      name: "/testexecutions/nextgen",
      path: () => q("/testexecutions/nextgen"),
      offset: () => q("/testexecutions"),
      item: testExecutionSchema,
    },
    {
      name: "/testexecutions/nextgen?testCycle",
      path: () => q("/testexecutions/nextgen", { testCycle: refs.cycleKey }),
      offset: () => q("/testexecutions", { testCycle: refs.cycleKey }),
      item: testExecutionSchema,
    },
  ];

  it.each(cursorLists)("$name: startAtId walk and next walk both equal one big page", async ({ path, offset, item }) => {
    const whole = await allNextgen(ctx.api, path(), item);
    expectUnique(idsOf(whole));
    expect(idsOf(whole)).toEqual(idsOf(await all(ctx.api, offset(), item)).sort(byNumber));
    const limit = whole.length > 20 ? 13 : 3;
    expect(whole.length).toBeGreaterThan(limit);
    expect(await walkByStartAtId(ctx.api, path(), item, limit)).toEqual(whole);
    expect(await walkCursorByNext(ctx.api, path(), item, limit)).toEqual(whole);
  });
});

// ---- 3. limits and invalid paging parameters --------------------------------------------------------

describe("Zephyr mock: page-size caps, defaults and invalid paging parameters", () => {
  let ctx: Ctx;
  let total = 0;
  beforeAll(async () => {
    // More test cases than the 1000 cap, so that the cap visibly truncates.
    ctx = await start({ generate: 1100, seed: 5 });
    total = (await getPage(ctx.api, `/testcases?projectKey=${ctx.pk}&maxResults=1`, testCaseSchema)).total ?? 0;
  });
  afterAll(async () => {
    await ctx?.mocks.stop();
  });

  it("defaults: maxResults 10 from startAt 0; limit 10", async () => {
    expect(total).toBeGreaterThan(1000);
    const page = await getPage(ctx.api, `/testcases?projectKey=${ctx.pk}`, testCaseSchema);
    expect(page).toMatchObject({ startAt: 0, maxResults: 10, total, isLast: false });
    expect(page.values).toHaveLength(10);
    const cursor = await getCursorPage(ctx.api, `/testcases/nextgen?projectKey=${ctx.pk}`, testCaseSchema);
    expect(cursor.limit).toBe(10);
    expect(cursor.values).toHaveLength(10);
  });

  it("maxResults=5000 is capped at 1000, the used value is echoed, and next continues from 1000", async () => {
    const first = await getPage(ctx.api, `/testcases?projectKey=${ctx.pk}&maxResults=5000`, testCaseSchema);
    expect(first).toMatchObject({ startAt: 0, maxResults: 1000, total, isLast: false });
    expect(first.values).toHaveLength(1000);
    const next = new URL(defined(first.next, "next"));
    expect(next.searchParams.get("startAt")).toBe("1000");
    const second = await getPage(ctx.api, next.toString(), testCaseSchema);
    expect(second).toMatchObject({ startAt: 1000, maxResults: 1000, total, isLast: true, next: null });
    expect(second.values).toHaveLength(total - 1000);
    const ids = idsOf([...first.values, ...second.values]);
    expectUnique(ids);
    expect(ids).toHaveLength(total);
  });

  it("maxResults=1000 is accepted as it is; a startAt past the end is an empty last page", async () => {
    const page = await getPage(ctx.api, `/testcases?projectKey=${ctx.pk}&maxResults=1000`, testCaseSchema);
    expect(page.maxResults).toBe(1000);
    expect(page.values).toHaveLength(1000);
    const past = await getPage(ctx.api, `/testcases?projectKey=${ctx.pk}&maxResults=10&startAt=${total + 10}`, testCaseSchema);
    expect(past).toMatchObject({ startAt: total + 10, maxResults: 10, total, isLast: true, next: null, values: [] });
  });

  it("cursor limit=5000 is capped at 1000 and the cursor continues after the 1000th item", async () => {
    const first = await getCursorPage(ctx.api, `/testcases/nextgen?projectKey=${ctx.pk}&limit=5000`, testCaseSchema);
    expect(first.limit).toBe(1000);
    expect(first.values).toHaveLength(1000);
    const nextStartAtId = defined(first.nextStartAtId, "nextStartAtId");
    expect(nextStartAtId).toBeGreaterThan(defined(first.values.at(-1), "last").id);
    const second = await getCursorPage(
      ctx.api,
      `/testcases/nextgen?projectKey=${ctx.pk}&limit=5000&startAtId=${nextStartAtId}`,
      testCaseSchema,
    );
    expect(second.limit).toBe(1000);
    expect(second.nextStartAtId).toBeNull();
    expect(second.next).toBeNull();
    const ids = idsOf([...first.values, ...second.values]);
    expectUnique(ids);
    expect(ids).toHaveLength(total);
  });

  it.each([
    "/testcases?maxResults=abc",
    "/testcases?startAt=-1",
    "/testcases?maxResults=0",
    "/testexecutions?startAt=abc",
    "/folders?maxResults=abc",
    "/testcases/nextgen?limit=abc",
    "/testcases/nextgen?startAtId=-1",
    "/testexecutions/nextgen?limit=-3",
    "/folders?folderType=NOT_A_TYPE",
    "/testcases/nextgen?updatedAfter=yesterday",
    "/testexecutions?actualEndDateAfter=not-a-date",
  ])("%s → 400 {errorCode, message}", async (path) => {
    expectError(await ctx.api.get(path), 400, `GET ${path}`);
  });
});

// ---- 4 and 5. auth, unknown paths, missing objects, scripted cases ------------------------------------

describe("Zephyr mock: auth, unknown paths, missing objects, 422 on scripted cases", () => {
  let ctx: Ctx;
  let found: FoundCases;
  beforeAll(async () => {
    ctx = await start({ generate: 300, seed: 11 });
    found = await findCases(ctx);
  });
  afterAll(async () => {
    await ctx?.mocks.stop();
  });

  it.each(["/testcases?maxResults=1", "/projects", "/testcases/DEMO-T1"])(
    "no Authorization header → 401 {error}: %s",
    async (path) => {
      const res = await ctx.api.get(path, { token: null });
      expect(res.status).toBe(401);
      const body = parsed(unauthorizedSchema, res.body, "401 body");
      expect(body.error.length).toBeGreaterThan(0);
      expect(Object.keys(body)).toEqual(["error"]);
    },
  );

  it("a wrong bearer token → 401 {error}", async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const otherJwt = [part({ alg: "HS256", typ: "JWT" }), part({ iss: "someone-else" }), "c2lnbmF0dXJl"].join(".");
    for (const token of [otherJwt, `${ctx.mocks.zephyr.token}x`, "not-a-jwt"]) {
      const res = await ctx.api.get("/testcases?maxResults=1", { token });
      expect(res.status, `token ${token.slice(0, 20)}…`).toBe(401);
      expect(parsed(unauthorizedSchema, res.body, "401 body").error.length).toBeGreaterThan(0);
    }
  });

  it("the valid token works (control for the 401s)", async () => {
    const page = await getPage(ctx.api, "/testcases?maxResults=1", testCaseSchema);
    expect(page.values).toHaveLength(1);
  });

  it.each(["/testexecution", "/testcase/DEMO-T1", "/nope", "/testcases/DEMO-T1/nope"])(
    "an unknown path with a valid token → 403 (API Gateway): %s",
    async (path) => {
      const res = await ctx.api.get(path);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: expect.any(String) });
    },
  );

  it("a path outside /v2 → 403", async () => {
    const res = await ctx.api.get(`${new URL(ctx.api.baseUrl).origin}/v1/testcases`);
    expect(res.status).toBe(403);
  });

  it.each([
    "/testcases/DEMO-T99999",
    "/testcases/DEMO-T99999/teststeps",
    "/testcases/DEMO-T99999/testscript",
    "/testcases/DEMO-T99999/links",
    "/testcycles/DEMO-R9999",
    "/testcycles/999999",
    "/testexecutions/DEMO-E99999",
    "/testexecutions/99999999/teststeps",
    "/folders/99999999",
    "/statuses/99999999",
    "/priorities/99999999",
    "/environments/99999999",
    "/projects/NOPE",
  ])("a missing object → 404 {errorCode, message}: %s", async (path) => {
    expectError(await ctx.api.get(path), 404, `GET ${path}`);
  });

  it("GET /teststeps on a case with a plain script → 422", async () => {
    expectError(await ctx.api.get(`/testcases/${found.plain}/teststeps`), 422, "steps of a plain-script case");
  });

  it("GET /teststeps on a case with a BDD script → 422", async () => {
    expectError(await ctx.api.get(`/testcases/${found.bdd}/teststeps`), 422, "steps of a BDD case");
  });

  it("GET /teststeps on a case with steps → 200 (control for the 422s)", async () => {
    const page = await getPage(ctx.api, `/testcases/${found.bigSteps}/teststeps`, testStepSchema);
    expect(page.values).toHaveLength(10);
  });
});

// ---- 6. writes, read back through HTTP --------------------------------------------------------------

describe("Zephyr mock: writes through HTTP, read back through HTTP", () => {
  let ctx: Ctx;
  let found: FoundCases;
  const ref = {
    caseFolder: 0,
    cycleFolder: 0,
    defaultPriority: 0,
    high: 0,
    draft: 0,
    approved: 0,
    archivedCaseStatus: "",
    cycleInProgress: 0,
    pass: 0,
    fail: 0,
    environment: { id: 0, name: "" },
  };
  const q = (path: string, params: Record<string, string | number | undefined> = {}) =>
    withQuery(path, { projectKey: ctx.pk, ...params });
  const statusNamed = (statuses: { id: number; name: string }[], name: string) =>
    defined(statuses.find((s) => s.name === name)?.id, `status ${name}`);

  async function nextKey(letter: "T" | "R"): Promise<string> {
    const path = letter === "T" ? q("/testcases") : q("/testcycles");
    const keys = (await all(ctx.api, path, letter === "T" ? testCaseSchema : testCycleSchema)).map((x) => x.key);
    return `${ctx.pk}-${letter}${Math.max(...keys.map((k) => keyNumber(k, letter))) + 1}`;
  }

  async function createCase(body: Record<string, unknown> = {}) {
    const res = await ctx.api.post("/testcases", { projectKey: ctx.pk, name: "A new case", ...body });
    expect(res.status, show(res.body)).toBe(201);
    return parsed(keyedCreatedResourceSchema, res.body, "created case");
  }

  async function stepsOf(key: string) {
    return all(ctx.api, `/testcases/${key}/teststeps`, testStepSchema);
  }

  beforeAll(async () => {
    ctx = await start({ generate: 300, seed: 11 });
    found = await findCases(ctx);
    ref.caseFolder = defined((await all(ctx.api, q("/folders", { folderType: "TEST_CASE" }), folderSchema))[0], "case folder").id;
    ref.cycleFolder = defined(
      (await all(ctx.api, q("/folders", { folderType: "TEST_CYCLE" }), folderSchema))[0],
      "cycle folder",
    ).id;
    const priorities = await all(ctx.api, q("/priorities"), prioritySchema);
    ref.defaultPriority = defined(priorities.find((p) => p.default)?.id, "default priority");
    ref.high = statusNamed(priorities, "High");
    const caseStatuses = await all(ctx.api, q("/statuses", { statusType: "TEST_CASE" }), statusSchema);
    ref.draft = defined(caseStatuses.find((s) => s.default && !s.archived)?.id, "default case status");
    ref.approved = statusNamed(caseStatuses, "Approved");
    ref.archivedCaseStatus = defined(caseStatuses.find((s) => s.archived)?.name, "an archived case status");
    const cycleStatuses = await all(ctx.api, q("/statuses", { statusType: "TEST_CYCLE" }), statusSchema);
    ref.cycleInProgress = statusNamed(cycleStatuses, "In Progress");
    const executionStatuses = await all(ctx.api, q("/statuses", { statusType: "TEST_EXECUTION" }), statusSchema);
    ref.pass = statusNamed(executionStatuses, "Pass");
    ref.fail = statusNamed(executionStatuses, "Fail");
    const environment = defined((await all(ctx.api, q("/environments"), environmentSchema))[0], "environment");
    ref.environment = { id: environment.id, name: environment.name };
  });
  afterAll(async () => {
    await ctx?.mocks.stop();
  });

  // -- folders

  it("POST /folders: 201 {id, self}; root and child folders read back", async () => {
    const res = await ctx.api.post("/folders", {
      parentId: null,
      name: "Migrated – «Größe» ✓",
      projectKey: ctx.pk,
      folderType: "TEST_CASE",
    });
    expect(res.status, show(res.body)).toBe(201);
    const root = parsed(createdResourceSchema, res.body, "created folder");
    expect(root.self).toMatch(new RegExp(`/folders/${root.id}$`));
    expect(await getOne(ctx.api, root.self, folderSchema)).toMatchObject({
      id: root.id,
      parentId: null,
      name: "Migrated – «Größe» ✓",
      folderType: "TEST_CASE",
    });
    const childRes = await ctx.api.post("/folders", {
      parentId: root.id,
      name: "Child",
      projectKey: ctx.pk,
      folderType: "TEST_CASE",
    });
    expect(childRes.status).toBe(201);
    const child = parsed(createdResourceSchema, childRes.body, "created child");
    expect(await getOne(ctx.api, `/folders/${child.id}`, folderSchema)).toMatchObject({
      id: child.id,
      parentId: root.id,
      name: "Child",
      index: 0,
      folderType: "TEST_CASE",
    });
    const caseFolders = idsOf(await all(ctx.api, q("/folders", { folderType: "TEST_CASE" }), folderSchema));
    expect(caseFolders).toEqual(expect.arrayContaining([root.id, child.id]));
    const cycleFolders = idsOf(await all(ctx.api, q("/folders", { folderType: "TEST_CYCLE" }), folderSchema));
    expect(cycleFolders).not.toContain(root.id);
  });

  it.each(["a/b", "back\\slash"])("POST /folders with name %j → 400", async (name) => {
    const before = (await all(ctx.api, q("/folders"), folderSchema)).length;
    expectError(await ctx.api.post("/folders", { parentId: null, name, projectKey: ctx.pk, folderType: "TEST_CASE" }), 400, name);
    expect(await all(ctx.api, q("/folders"), folderSchema)).toHaveLength(before);
  });

  it("POST /folders under a parent of another folder type → 400", async () => {
    const before = (await all(ctx.api, q("/folders"), folderSchema)).length;
    const res = await ctx.api.post("/folders", {
      parentId: ref.cycleFolder,
      name: "Wrong parent",
      projectKey: ctx.pk,
      folderType: "TEST_CASE",
    });
    expectError(res, 400, "wrong parent type");
    expect(await all(ctx.api, q("/folders"), folderSchema)).toHaveLength(before);
  });

  // -- test cases

  it("POST /testcases: 201 {id, self, key} with the next -T key; names resolve to ids", async () => {
    const expectedKey = await nextKey("T");
    const before = (await all(ctx.api, q("/testcases"), testCaseSchema)).length;
    const body = {
      name: "Migrated: <b>HTML</b> & ünïcödé ✓ 🚀",
      objective: "<p>Objective<br>two lines</p>",
      precondition: "Logged in",
      estimatedTime: 90_000,
      priorityName: "High",
      statusName: "Approved",
      folderId: ref.caseFolder,
      ownerId: "5b10a2844c20165700ede2aa",
      labels: ["Regression", "Migrated"],
      customFields: { "Build Number": 42, Category: "Security", Implemented: true },
    };
    const created = await createCase(body);
    expect(created.key).toBe(expectedKey);
    expect(created.self).toEqual(expect.any(String));
    const testCase = await getOne(ctx.api, `/testcases/${created.key}`, testCaseSchema);
    expect(testCase).toMatchObject({
      id: created.id,
      key: expectedKey,
      name: body.name,
      objective: body.objective,
      precondition: body.precondition,
      estimatedTime: 90_000,
      labels: ["Regression", "Migrated"],
      priority: { id: ref.high },
      status: { id: ref.approved },
      folder: { id: ref.caseFolder },
      owner: { accountId: "5b10a2844c20165700ede2aa" },
      customFields: { "Build Number": 42, Category: "Security", Implemented: true },
    });
    expect(testCase.createdOn).toMatch(ZEPHYR_DATE_TIME);
    const after = await all(ctx.api, q("/testcases"), testCaseSchema);
    expect(after).toHaveLength(before + 1);
    expect(after.map((c) => c.key)).toContain(expectedKey);
  });

  it("POST /testcases without priorityName/statusName gets the defaults (Normal, Draft)", async () => {
    const created = await createCase({ name: "Defaults" });
    const testCase = await getOne(ctx.api, `/testcases/${created.key}`, testCaseSchema);
    expect(testCase.priority.id).toBe(ref.defaultPriority);
    expect(testCase.status.id).toBe(ref.draft);
  });

  it("POST /testcases rejects unknown names, wrong status types, unknown custom fields and a missing name (400)", async () => {
    const before = (await all(ctx.api, q("/testcases"), testCaseSchema)).length;
    const bad: [string, Record<string, unknown>][] = [
      ["unknown priorityName", { projectKey: ctx.pk, name: "x", priorityName: "Blocker-NOPE" }],
      ["unknown statusName", { projectKey: ctx.pk, name: "x", statusName: "Nope" }],
      ["an execution status", { projectKey: ctx.pk, name: "x", statusName: "Pass" }],
      ["an archived status", { projectKey: ctx.pk, name: "x", statusName: ref.archivedCaseStatus }],
      ["unknown custom field", { projectKey: ctx.pk, name: "x", customFields: { "No Such Field": 1 } }],
      ["a cycle folder", { projectKey: ctx.pk, name: "x", folderId: ref.cycleFolder }],
      ["missing name", { projectKey: ctx.pk }],
      ["blank name", { projectKey: ctx.pk, name: "   " }],
      ["missing projectKey", { name: "x" }],
    ];
    for (const [what, body] of bad) expectError(await ctx.api.post("/testcases", body), 400, what);
    expect(await all(ctx.api, q("/testcases"), testCaseSchema)).toHaveLength(before);
  });

  it("a rejected POST /testcases uses up no key: the next create still gets the next key", async () => {
    const expectedKey = await nextKey("T");
    expectError(
      await ctx.api.post("/testcases", { projectKey: ctx.pk, name: "x", priorityName: "Blocker-NOPE" }),
      400,
      "bad priority",
    );
    expectError(await ctx.api.post("/testcases", { projectKey: ctx.pk, name: "x", customFields: { Nope: 1 } }), 400, "bad field");
    const created = await createCase({ name: "After rejections" });
    expect(created.key).toBe(expectedKey);
  });

  it("PUT /testcases/{key} replaces the whole object: a field left out is cleared", async () => {
    const cases = await all(ctx.api, q("/testcases"), testCaseSchema);
    const target = defined(
      cases.find((c) => c.objective && c.precondition && (c.labels?.length ?? 0) > 0 && c.owner && c.folder),
      "a case with objective, precondition, labels, owner and folder",
    );
    const current = (await getJson(ctx.api, `/testcases/${target.key}`)) as Record<string, unknown>;
    const body = {
      ...omit(current, "objective", "labels"),
      name: "Renamed by PUT ✓",
      priority: { id: ref.high },
      status: { id: ref.approved },
    };
    const res = await ctx.api.put(`/testcases/${target.key}`, body);
    expect(res.status, show(res.body)).toBe(200);
    const updated = await getOne(ctx.api, `/testcases/${target.key}`, testCaseSchema);
    expect(updated.name).toBe("Renamed by PUT ✓");
    expect(updated.objective ?? null).toBeNull();
    expect(updated.labels ?? []).toEqual([]);
    expect(updated.priority.id).toBe(ref.high);
    expect(updated.status.id).toBe(ref.approved);
    expect(updated).toMatchObject({
      id: target.id,
      key: target.key,
      createdOn: target.createdOn,
      precondition: target.precondition,
      folder: { id: target.folder?.id },
      owner: { accountId: target.owner?.accountId },
      customFields: target.customFields,
    });
  });

  it("PUT /testcases/{key} without one of the project's custom fields → 400, and nothing changes", async () => {
    const key = defined((await all(ctx.api, q("/testcases"), testCaseSchema))[5]?.key, "a case");
    const current = (await getJson(ctx.api, `/testcases/${key}`)) as Record<string, unknown>;
    const fields = current.customFields as Record<string, unknown>;
    expect(Object.keys(fields)).toContain("Category");
    const body = { ...current, name: "Should not stick", customFields: omit(fields, "Category") };
    expectError(await ctx.api.put(`/testcases/${key}`, body), 400, "PUT without a custom field");
    expect(await getJson(ctx.api, `/testcases/${key}`)).toEqual(current);
  });

  it("PUT /testcases/{unknown key} → 404", async () => {
    const current = (await getJson(ctx.api, `/testcases/${found.plain}`)) as Record<string, unknown>;
    expectError(await ctx.api.put(`/testcases/${ctx.pk}-T99999`, { ...current, key: `${ctx.pk}-T99999` }), 404, "PUT unknown");
  });

  // -- steps and scripts

  it("POST /teststeps APPEND keeps order (inline and call-to-test); OVERWRITE replaces", async () => {
    const callee = await createCase({ name: "Callee" });
    const owner = await createCase({ name: "Steps owner" });
    const post = (body: unknown) => ctx.api.post(`/testcases/${owner.key}/teststeps`, body);

    const first = await post({ mode: "APPEND", items: [inlineStep("one"), inlineStep("two"), inlineStep("three")] });
    expect(first.status, show(first.body)).toBe(201);
    parsed(createdResourceSchema, first.body, "steps created");
    expect((await stepsOf(owner.key)).map((s) => s.inline?.description)).toEqual([
      "one <b>do</b> ✓",
      "two <b>do</b> ✓",
      "three <b>do</b> ✓",
    ]);

    const parameters = [
      { name: "username", type: "DEFAULT_VALUE", value: "admin" },
      { name: "locale", type: "MANUAL_INPUT", value: "ja-JP" },
    ];
    const second = await post({
      mode: "APPEND",
      items: [inlineStep("four"), { testCase: { testCaseKey: callee.key, parameters } }],
    });
    expect(second.status, show(second.body)).toBe(201);
    const five = await stepsOf(owner.key);
    expect(five.map((s) => s.inline?.description ?? s.testCase?.testCaseKey)).toEqual([
      "one <b>do</b> ✓",
      "two <b>do</b> ✓",
      "three <b>do</b> ✓",
      "four <b>do</b> ✓",
      callee.key,
    ]);
    expect(five[0]?.inline).toMatchObject({ testData: "data for one", expectedResult: "one works" });
    expect(five[4]?.testCase?.parameters).toEqual(parameters);
    expect(five[4]?.inline ?? null).toBeNull();

    const third = await post({ mode: "OVERWRITE", items: [inlineStep("five"), inlineStep("six")] });
    expect(third.status, show(third.body)).toBe(201);
    expect((await stepsOf(owner.key)).map((s) => s.inline?.description)).toEqual(["five <b>do</b> ✓", "six <b>do</b> ✓"]);
  });

  it("POST /teststeps: 100 items are accepted, 101 → 400 and nothing changes", async () => {
    const owner = await createCase({ name: "Many steps" });
    const items = (n: number) => Array.from({ length: n }, (_, i) => inlineStep(`s${i + 1}`));
    const ok = await ctx.api.post(`/testcases/${owner.key}/teststeps`, { mode: "APPEND", items: items(100) });
    expect(ok.status, show(ok.body)).toBe(201);
    expect(await stepsOf(owner.key)).toHaveLength(100);
    expectError(await ctx.api.post(`/testcases/${owner.key}/teststeps`, { mode: "APPEND", items: items(101) }), 400, "101 steps");
    expectError(
      await ctx.api.post(`/testcases/${owner.key}/teststeps`, { mode: "OVERWRITE", items: items(101) }),
      400,
      "101 steps",
    );
    const steps = await stepsOf(owner.key);
    expect(steps).toHaveLength(100);
    expect(steps.at(-1)?.inline?.description).toBe("s100 <b>do</b> ✓");
  });

  it("POST /teststeps: a step with both or neither of inline/testCase → 400", async () => {
    const owner = await createCase({ name: "Bad steps" });
    const both = { inline: { description: "x" }, testCase: { testCaseKey: found.plain } };
    expectError(await ctx.api.post(`/testcases/${owner.key}/teststeps`, { mode: "APPEND", items: [both] }), 400, "both");
    expectError(await ctx.api.post(`/testcases/${owner.key}/teststeps`, { mode: "APPEND", items: [{}] }), 400, "neither");
    expect(await stepsOf(owner.key)).toEqual([]);
  });

  it("POST /teststeps on a case with a plain script removes the script", async () => {
    expect((await getOne(ctx.api, `/testcases/${found.plain}/testscript`, testScriptSchema)).type).toBe("plain");
    const res = await ctx.api.post(`/testcases/${found.plain}/teststeps`, {
      mode: "APPEND",
      items: [inlineStep("replaces script")],
    });
    expect(res.status, show(res.body)).toBe(201);
    expect((await stepsOf(found.plain)).map((s) => s.inline?.description)).toEqual(["replaces script <b>do</b> ✓"]);
    expectError(await ctx.api.get(`/testcases/${found.plain}/testscript`), 404, "script after steps");
  });

  it("POST /testscript removes the steps: /teststeps then answers 422", async () => {
    const owner = await createCase({ name: "Script owner" });
    await ctx.api.post(`/testcases/${owner.key}/teststeps`, { mode: "APPEND", items: [inlineStep("a"), inlineStep("b")] });
    expect(await stepsOf(owner.key)).toHaveLength(2);
    const text = "1. Öffne die App\n2. <b>Klicke</b> «Start» ✓";
    const res = await ctx.api.post(`/testcases/${owner.key}/testscript`, { type: "plain", text });
    expect(res.status, show(res.body)).toBe(201);
    parsed(createdResourceSchema, res.body, "script created");
    expect(await getOne(ctx.api, `/testcases/${owner.key}/testscript`, testScriptSchema)).toMatchObject({ type: "plain", text });
    expectError(await ctx.api.get(`/testcases/${owner.key}/teststeps`), 422, "steps after script");
    const bdd = "Feature: x\n  Scenario: y\n    Given z";
    expect((await ctx.api.post(`/testcases/${owner.key}/testscript`, { type: "bdd", text: bdd })).status).toBe(201);
    expect(await getOne(ctx.api, `/testcases/${owner.key}/testscript`, testScriptSchema)).toMatchObject({
      type: "bdd",
      text: bdd,
    });
  });

  // -- cycles

  it("POST /testcycles: 201 {id, self, key} with the next -R key; reads back by key and by id", async () => {
    const expectedKey = await nextKey("R");
    const body = {
      projectKey: ctx.pk,
      name: "Regression — nächtlich 🌙",
      description: "<p>Migrated &amp; checked</p>",
      plannedStartDate: "2026-01-05T09:00:00Z",
      plannedEndDate: "2026-01-19T17:00:00Z",
      statusName: "In Progress",
      folderId: ref.cycleFolder,
      ownerId: "5b10a2844c20165700ede2aa",
      customFields: { "Sprint Goal": "Ship it" },
    };
    const res = await ctx.api.post("/testcycles", body);
    expect(res.status, show(res.body)).toBe(201);
    const created = parsed(keyedCreatedResourceSchema, res.body, "created cycle");
    expect(created.key).toBe(expectedKey);
    const byKey = await getOne(ctx.api, `/testcycles/${created.key}`, testCycleSchema);
    expect(await getOne(ctx.api, `/testcycles/${created.id}`, testCycleSchema)).toEqual(byKey);
    expect(byKey).toMatchObject({
      id: created.id,
      key: expectedKey,
      name: body.name,
      description: body.description,
      plannedStartDate: body.plannedStartDate,
      plannedEndDate: body.plannedEndDate,
      status: { id: ref.cycleInProgress },
      folder: { id: ref.cycleFolder },
      owner: { accountId: body.ownerId },
      customFields: { "Sprint Goal": "Ship it" },
    });
  });

  it("POST /testcycles rejects unknown statusName, a test-case folder and unknown custom fields (400)", async () => {
    const before = (await all(ctx.api, q("/testcycles"), testCycleSchema)).length;
    const bad: [string, Record<string, unknown>][] = [
      ["unknown statusName", { statusName: "Nope" }],
      ["a test-case folder", { folderId: ref.caseFolder }],
      ["unknown custom field", { customFields: { Nope: 1 } }],
      ["missing name", { name: undefined }],
    ];
    for (const [what, extra] of bad) {
      expectError(await ctx.api.post("/testcycles", { projectKey: ctx.pk, name: "x", ...extra }), 400, what);
    }
    expect(await all(ctx.api, q("/testcycles"), testCycleSchema)).toHaveLength(before);
  });

  it("a rejected POST /testcycles uses up no key: the next create still gets the next key", async () => {
    const expectedKey = await nextKey("R");
    expectError(await ctx.api.post("/testcycles", { projectKey: ctx.pk, name: "x", statusName: "Nope" }), 400, "bad status");
    expectError(
      await ctx.api.post("/testcycles", { projectKey: ctx.pk, name: "x", customFields: { Nope: 1 } }),
      400,
      "bad field",
    );
    const res = await ctx.api.post("/testcycles", { projectKey: ctx.pk, name: "After rejections" });
    expect(res.status, show(res.body)).toBe(201);
    expect(parsed(keyedCreatedResourceSchema, res.body, "created cycle").key).toBe(expectedKey);
  });

  it("PUT /testcycles/{key} replaces the cycle: an omitted description is cleared; an omitted custom field → 400", async () => {
    const cycles = await all(ctx.api, q("/testcycles"), testCycleSchema);
    const target = defined(
      cycles.find((c) => c.description),
      "a cycle with a description",
    );
    const current = (await getJson(ctx.api, `/testcycles/${target.key}`)) as Record<string, unknown>;
    const fields = current.customFields as Record<string, unknown>;
    expect(Object.keys(fields)).toContain("Sprint Goal");
    expectError(
      await ctx.api.put(`/testcycles/${target.key}`, { ...current, name: "nope", customFields: omit(fields, "Sprint Goal") }),
      400,
      "PUT cycle without custom field",
    );
    expect(await getJson(ctx.api, `/testcycles/${target.key}`)).toEqual(current);

    const res = await ctx.api.put(`/testcycles/${target.key}`, { ...omit(current, "description"), name: "Renamed cycle ✓" });
    expect(res.status, show(res.body)).toBe(200);
    const updated = await getOne(ctx.api, `/testcycles/${target.id}`, testCycleSchema);
    expect(updated.name).toBe("Renamed cycle ✓");
    expect(updated.description ?? null).toBeNull();
    expect(updated).toMatchObject({ id: target.id, key: target.key, status: target.status, customFields: target.customFields });
  });

  // -- executions

  it("POST /testexecutions: 201; reads back; shows up in ?testCycle= and ?testCase=; steps follow the case", async () => {
    const testCase = await createCase({ name: "Executed case" });
    await ctx.api.post(`/testcases/${testCase.key}/teststeps`, {
      mode: "APPEND",
      items: [inlineStep("e1"), inlineStep("e2"), inlineStep("e3")],
    });
    const cycleRes = await ctx.api.post("/testcycles", { projectKey: ctx.pk, name: "Execution home" });
    expect(cycleRes.status).toBe(201);
    const cycle = parsed(keyedCreatedResourceSchema, cycleRes.body, "cycle");
    const before = (await all(ctx.api, q("/testexecutions"), testExecutionSchema)).length;
    const body = {
      projectKey: ctx.pk,
      testCaseKey: testCase.key,
      testCycleKey: cycle.key,
      statusName: "Pass",
      environmentName: ref.environment.name,
      actualEndDate: "2026-01-06T10:00:00Z",
      executionTime: 120_000,
      executedById: "5b10a2844c20165700ede2aa",
      assignedToId: "5b10a2844c20165700ede2bb",
      comment: "Ran <b>fine</b> ✓",
      testScriptResults: [
        { statusName: "Pass", actualResult: "ok 1" },
        { statusName: "Fail", actualResult: "bad 2" },
        { statusName: "Pass" },
      ],
    };
    const res = await ctx.api.post("/testexecutions", body);
    expect(res.status, show(res.body)).toBe(201);
    const created = parsed(createdResourceSchema, res.body, "created execution");

    const execution = await getOne(ctx.api, `/testexecutions/${created.id}`, testExecutionSchema);
    expect(execution).toMatchObject({
      id: created.id,
      testCase: { id: testCase.id },
      testCycle: { id: cycle.id },
      testExecutionStatus: { id: ref.pass },
      environment: { id: ref.environment.id },
      actualEndDate: body.actualEndDate,
      executionTime: 120_000,
      executedById: body.executedById,
      assignedToId: body.assignedToId,
      comment: body.comment,
    });
    expect(executionCaseKey(execution)).toBe(testCase.key);
    expect(await all(ctx.api, q("/testexecutions"), testExecutionSchema)).toHaveLength(before + 1);
    expect(idsOf(await all(ctx.api, q("/testexecutions", { testCycle: cycle.key }), testExecutionSchema))).toEqual([created.id]);
    expect(idsOf(await all(ctx.api, q("/testexecutions", { testCase: testCase.key }), testExecutionSchema))).toEqual([
      created.id,
    ]);
    expect(idsOf(await allNextgen(ctx.api, q("/testexecutions/nextgen", { testCycle: cycle.key }), testExecutionSchema))).toEqual(
      [created.id],
    );

    const steps = await all(ctx.api, `/testexecutions/${created.id}/teststeps`, testExecutionStepSchema);
    expect(steps.map((s) => [s.inline.description, s.inline.actualResult ?? null, s.inline.status?.id])).toEqual([
      ["e1 <b>do</b> ✓", "ok 1", ref.pass],
      ["e2 <b>do</b> ✓", "bad 2", ref.fail],
      ["e3 <b>do</b> ✓", null, ref.pass],
    ]);
  });

  it("POST /testexecutions rejects an unknown or non-execution statusName and an unknown environment (400)", async () => {
    const cases = await all(ctx.api, q("/testcases"), testCaseSchema);
    const cycles = await all(ctx.api, q("/testcycles"), testCycleSchema);
    const base = {
      projectKey: ctx.pk,
      testCaseKey: defined(cases[1], "case").key,
      testCycleKey: defined(cycles[0], "cycle").key,
    };
    const before = (await all(ctx.api, q("/testexecutions"), testExecutionSchema)).length;
    expectError(await ctx.api.post("/testexecutions", { ...base, statusName: "Nope" }), 400, "unknown status");
    expectError(await ctx.api.post("/testexecutions", { ...base, statusName: "Approved" }), 400, "case status");
    expectError(await ctx.api.post("/testexecutions", { ...base, statusName: "Pass", environmentName: "Nope" }), 400, "env");
    expectError(await ctx.api.post("/testexecutions", { ...omit(base, "testCaseKey"), statusName: "Pass" }), 400, "no case");
    expect(await all(ctx.api, q("/testexecutions"), testExecutionSchema)).toHaveLength(before);
  });

  it("a rejected POST /testexecutions uses up no key: the next execution gets the next -E key", async () => {
    const executions = await all(ctx.api, q("/testexecutions"), testExecutionSchema);
    const expectedKey = `${ctx.pk}-E${Math.max(...executions.map((e) => keyNumber(e.key, "E"))) + 1}`;
    const base = {
      projectKey: ctx.pk,
      testCaseKey: defined(executions[0] && executionCaseKey(executions[0]), "a case key"),
      testCycleKey: defined((await all(ctx.api, q("/testcycles"), testCycleSchema))[0], "cycle").key,
      statusName: "Pass",
    };
    expectError(await ctx.api.post("/testexecutions", { ...base, customFields: { "No Such Field": 1 } }), 400, "bad field");
    const res = await ctx.api.post("/testexecutions", base);
    expect(res.status, show(res.body)).toBe(201);
    const created = parsed(createdResourceSchema, res.body, "created execution");
    expect((await getOne(ctx.api, `/testexecutions/${created.id}`, testExecutionSchema)).key).toBe(expectedKey);
  });

  it("PUT /testexecutions/{idOrKey} updates status and comment; an unknown statusName → 400", async () => {
    const executions = await all(ctx.api, q("/testexecutions"), testExecutionSchema);
    const target = defined(
      executions.find((e) => e.testExecutionStatus.id !== ref.fail && e.key),
      "an execution not failed",
    );
    const key = defined(target.key, "key");
    const res = await ctx.api.put(`/testexecutions/${key}`, { statusName: "Fail", comment: "Re-run failed ✗ <i>flaky</i>" });
    expect(res.status, show(res.body)).toBe(200);
    const updated = await getOne(ctx.api, `/testexecutions/${target.id}`, testExecutionSchema);
    expect(updated.testExecutionStatus.id).toBe(ref.fail);
    expect(updated.comment).toBe("Re-run failed ✗ <i>flaky</i>");
    expect(updated).toMatchObject({ id: target.id, key, testCase: target.testCase, testCycle: target.testCycle ?? null });
    expectError(await ctx.api.put(`/testexecutions/${target.id}`, { statusName: "Nope" }), 400, "PUT unknown status");
    expect((await getOne(ctx.api, `/testexecutions/${target.id}`, testExecutionSchema)).testExecutionStatus.id).toBe(ref.fail);
  });
});

// ---- 7. updatedAfter on the NextGen lists -------------------------------------------------------------

describe("Zephyr mock: updatedAfter on /testcases, /testcycles and /testexecutions nextgen", () => {
  let ctx: Ctx;
  /** A whole second at or after startup: nothing loaded at startup was updated after it. */
  let watermarkMs = 0;
  const lists = ["/testcases/nextgen", "/testcycles/nextgen", "/testexecutions/nextgen"] as const;
  const updatedAfter = (path: string, after: string) => withQuery(path, { projectKey: ctx.pk, updatedAfter: after });

  beforeAll(async () => {
    ctx = await start({ generate: 40, seed: 3 });
  });
  afterAll(async () => {
    await ctx?.mocks.stop();
  });

  it("before any write: a watermark taken after startup matches nothing; one in the past matches everything", async () => {
    // Rounded up to the next whole second (the filter's format has no fraction), so it is not before startup.
    watermarkMs = Math.ceil(Date.now() / 1000) * 1000;
    const watermark = zephyrDateTime(watermarkMs);
    expect(watermark).toMatch(ZEPHYR_DATE_TIME);
    for (const path of lists) {
      expect(await allNextgen(ctx.api, updatedAfter(path, watermark), testExecutionSchema.pick({ id: true })), path).toEqual([]);
      const everything = await allNextgen(
        ctx.api,
        updatedAfter(path, "2000-01-01T00:00:00Z"),
        testExecutionSchema.pick({ id: true }),
      );
      const unfiltered = await allNextgen(
        ctx.api,
        withQuery(path, { projectKey: ctx.pk }),
        testExecutionSchema.pick({ id: true }),
      );
      expect(everything.length, path).toBeGreaterThan(0);
      expect(everything).toEqual(unfiltered);
    }
  });

  it("after editing one case, creating one, adding steps to another (and touching a cycle and executions), exactly those come back", async () => {
    expect(watermarkMs, "runs after the previous test").toBeGreaterThan(0);
    const watermark = zephyrDateTime(watermarkMs);
    // Every write must land strictly after the watermark second.
    while (Date.now() <= watermarkMs) await sleep(Math.max(1, watermarkMs + 1 - Date.now()));

    const cases = await all(ctx.api, withQuery("/testcases", { projectKey: ctx.pk }), testCaseSchema);
    const cycles = await all(ctx.api, withQuery("/testcycles", { projectKey: ctx.pk }), testCycleSchema);
    const executions = await all(ctx.api, withQuery("/testexecutions", { projectKey: ctx.pk }), testExecutionSchema);
    const edited = defined(cases[2], "case to edit");
    const stepped = defined(cases[7], "case to add steps to");
    const editedCycle = defined(cycles[0], "cycle to edit");
    const editedExecution = defined(executions[3], "execution to edit");

    const current = (await getJson(ctx.api, `/testcases/${edited.key}`)) as Record<string, unknown>;
    expect((await ctx.api.put(`/testcases/${edited.key}`, { ...current, name: "Edited after the watermark" })).status).toBe(200);
    const createdRes = await ctx.api.post("/testcases", { projectKey: ctx.pk, name: "Created after the watermark" });
    expect(createdRes.status).toBe(201);
    const created = parsed(keyedCreatedResourceSchema, createdRes.body, "created case");
    const stepsRes = await ctx.api.post(`/testcases/${stepped.key}/teststeps`, {
      mode: "OVERWRITE",
      items: [inlineStep("late")],
    });
    expect(stepsRes.status, show(stepsRes.body)).toBe(201);
    const cycleBody = (await getJson(ctx.api, `/testcycles/${editedCycle.key}`)) as Record<string, unknown>;
    expect((await ctx.api.put(`/testcycles/${editedCycle.key}`, { ...cycleBody, name: "Edited cycle" })).status).toBe(200);
    expect((await ctx.api.put(`/testexecutions/${editedExecution.id}`, { comment: "edited" })).status).toBe(200);
    const newExecutionRes = await ctx.api.post("/testexecutions", {
      projectKey: ctx.pk,
      testCaseKey: edited.key,
      testCycleKey: editedCycle.key,
      statusName: "Pass",
    });
    expect(newExecutionRes.status, show(newExecutionRes.body)).toBe(201);
    const newExecution = parsed(createdResourceSchema, newExecutionRes.body, "created execution");

    const changedCases = await allNextgen(ctx.api, updatedAfter("/testcases/nextgen", watermark), testCaseSchema);
    expect(changedCases.map((c) => c.key).sort()).toEqual([edited.key, stepped.key, created.key].sort());
    const changedCycles = await allNextgen(ctx.api, updatedAfter("/testcycles/nextgen", watermark), testCycleSchema);
    expect(changedCycles.map((c) => c.key)).toEqual([editedCycle.key]);
    const changedExecutions = await allNextgen(ctx.api, updatedAfter("/testexecutions/nextgen", watermark), testExecutionSchema);
    expect(idsOf(changedExecutions)).toEqual([editedExecution.id, newExecution.id].sort(byNumber));

    // The filter survives paging through `next`.
    const paged = await walkCursorByNext(ctx.api, updatedAfter("/testcases/nextgen", watermark), testCaseSchema, 1);
    expect(paged).toEqual(changedCases);
  });
});

// ---- 8. a loaded snapshot is served back unchanged ------------------------------------------------------

const BASE = "https://api.zephyrscale.smartbear.com/v2";
const JIRA = "https://acme.atlassian.net/rest/api/2";
const projectRef = { id: 31337, self: `${BASE}/projects/31337` };
const r = (collection: string, id: number) => ({ id, self: `${BASE}/${collection}/${id}` });
const jiraUser = (accountId: string | null) => ({ self: `${JIRA}/user?accountId=${accountId}`, accountId });

function handWrittenSnapshot(): Snapshot {
  const caseLinks = (key: string) => ({ self: `${BASE}/testcases/${key}/links`, issues: [], webLinks: [] });
  return {
    project: { id: 31337, jiraProjectId: 10777, key: "QA2", enabled: true },
    folders: [
      {
        id: 7,
        parentId: null,
        name: "Zahlungen – «Größe» & <Übersicht>",
        index: 0,
        folderType: "TEST_CASE",
        project: projectRef,
      },
      { id: 8, parentId: 7, name: "日本語のテスト 🚀", index: 0, folderType: "TEST_CASE", project: projectRef },
      { id: 9, parentId: null, name: 'Releases "2025"', index: 1, folderType: "TEST_CYCLE", project: projectRef },
    ],
    statuses: [
      {
        id: 40,
        project: projectRef,
        name: "Draft",
        description: null,
        index: 0,
        color: "#cccccc",
        archived: false,
        default: true,
      },
      {
        id: 41,
        project: projectRef,
        name: "Approved ✓",
        description: "<b>Signed off</b> by QA",
        index: 1,
        color: "#00ff00",
        archived: false,
        default: false,
      },
      { id: 42, project: projectRef, name: "Retired", description: null, index: 2, archived: true, default: false },
      {
        id: 43,
        project: projectRef,
        name: "Open",
        description: null,
        index: 0,
        color: "#0000ff",
        archived: false,
        default: true,
      },
      {
        id: 44,
        project: projectRef,
        name: "Not Executed",
        description: null,
        index: 0,
        color: "#cccccc",
        archived: false,
        default: true,
      },
      {
        id: 45,
        project: projectRef,
        name: "Pass",
        description: "✓",
        index: 1,
        color: "#00ff00",
        archived: false,
        default: false,
      },
      {
        id: 46,
        project: projectRef,
        name: "Fail",
        description: "✗",
        index: 2,
        color: "#ff0000",
        archived: false,
        default: false,
      },
    ],
    statusTypes: {
      "40": "TEST_CASE",
      "41": "TEST_CASE",
      "42": "TEST_CASE",
      "43": "TEST_CYCLE",
      "44": "TEST_EXECUTION",
      "45": "TEST_EXECUTION",
      "46": "TEST_EXECUTION",
    },
    priorities: [
      { id: 1, project: projectRef, name: "Höchste ‼", description: null, index: 0, color: "#ff0000", default: false },
      { id: 2, project: projectRef, name: "Normal", description: "Default «normal»", index: 1, color: "#00aaff", default: true },
    ],
    environments: [
      { id: 3, project: projectRef, name: "Chrome 130 / Windows 11", description: "<i>Desktop</i>", index: 0, archived: false },
    ],
    testCases: [
      {
        id: 101,
        key: "QA2-T1",
        name: "Überprüfe den Warenkorb — «checkout» & <script>alert(1)</script>",
        project: projectRef,
        createdOn: "2024-02-29T23:59:59Z",
        objective: "<p>Line one<br>Line two</p>",
        precondition: "User is logged in 🔐",
        estimatedTime: 138_000,
        labels: ["Regression", "日本語"],
        component: { id: 10001, self: `${JIRA}/component/10001` },
        priority: r("priorities", 1),
        status: r("statuses", 41),
        folder: r("folders", 7),
        owner: jiraUser("5b10a2844c20165700ede21g"),
        testScript: { self: `${BASE}/testcases/QA2-T1/testscript` },
        customFields: {
          "Build Number": 20,
          "Release Date": "2020-01-01",
          "Pre-Condition(s)": "User should have logged in. <br> User should have navigated to the administration panel.",
          Implemented: false,
          Category: ["Performance", "Regression"],
          Tester: "fa2e582e-5e15-521e-92e3-47e6ca2e7256",
          "Empty text": "",
          Zero: 0,
        },
        links: {
          self: `${BASE}/testcases/QA2-T1/links`,
          issues: [{ self: `${BASE}/links/1`, issueId: 10100, id: 1, target: `${JIRA}/issue/10100`, type: "COVERAGE" }],
          webLinks: [
            {
              self: `${BASE}/links/2`,
              description: "Spec — ✓",
              url: "https://wiki.example.com/a?b=1&c=<2>",
              id: 2,
              type: "RELATED",
            },
          ],
        },
      },
      {
        id: 102,
        key: "QA2-T2",
        name: "Nulls everywhere",
        project: projectRef,
        createdOn: "2024-03-01T00:00:00Z",
        objective: null,
        precondition: null,
        estimatedTime: null,
        labels: [],
        component: null,
        priority: r("priorities", 2),
        status: r("statuses", 40),
        folder: null,
        owner: null,
        testScript: { self: `${BASE}/testcases/QA2-T2/testscript` },
        customFields: { "Build Number": null, "Release Date": null, Implemented: null, Category: null, Tester: null },
        links: caseLinks("QA2-T2"),
        futureField: { nested: [1, "two", null], flag: true },
      },
      {
        id: 103,
        key: "QA2-T3",
        name: "مرحبا بالعالم — RTL",
        project: projectRef,
        createdOn: "2024-03-02T12:00:00Z",
        objective: "Calls <code>QA2-T1</code>",
        precondition: null,
        estimatedTime: 0,
        labels: ["call-to-test"],
        component: null,
        priority: r("priorities", 2),
        status: r("statuses", 40),
        folder: r("folders", 8),
        owner: jiraUser("5b10a2844c20165700ede21h"),
        testScript: { self: `${BASE}/testcases/QA2-T3/testscript` },
        customFields: {},
        links: caseLinks("QA2-T3"),
      },
      {
        id: 104,
        key: "QA2-T4",
        name: "Plain script case",
        project: projectRef,
        createdOn: "2024-03-03T12:00:00Z",
        objective: null,
        precondition: "Tab\tand\nnewline",
        estimatedTime: 60_000,
        labels: [],
        component: null,
        priority: r("priorities", 1),
        status: r("statuses", 42),
        folder: r("folders", 7),
        owner: null,
        testScript: { self: `${BASE}/testcases/QA2-T4/testscript` },
        customFields: {},
        links: caseLinks("QA2-T4"),
      },
      {
        id: 110,
        key: "QA2-T10",
        name: "Ω".repeat(255),
        project: projectRef,
        createdOn: "2024-03-04T12:00:00Z",
        objective: "",
        precondition: null,
        estimatedTime: null,
        labels: [],
        component: null,
        priority: r("priorities", 2),
        status: r("statuses", 40),
        folder: null,
        owner: jiraUser(null),
        testScript: { self: `${BASE}/testcases/QA2-T10/testscript` },
        customFields: {},
        links: caseLinks("QA2-T10"),
      },
    ],
    testSteps: {
      "QA2-T1": [
        {
          id: 900,
          inline: {
            description: "Öffne <b>die</b> Seite",
            testData: "user = ü@example.com",
            expectedResult: "Seite lädt ✓",
            customFields: {},
            reflectRef: null,
          },
        },
      ],
      "QA2-T2": [],
      "QA2-T3": [
        {
          id: 901,
          inline: {
            description: "<ol><li>one</li></ol>",
            testData: null,
            expectedResult: null,
            customFields: { "Step CF": "x" },
            reflectRef: null,
          },
        },
        {
          id: 902,
          testCase: {
            self: `${BASE}/testcases/QA2-T1/teststeps`,
            testCaseKey: "QA2-T1",
            parameters: [
              { name: "username", type: "DEFAULT_VALUE", value: "admin" },
              { name: "locale", type: "MANUAL_INPUT", value: "ja-JP" },
            ],
          },
        },
        {
          id: 903,
          inline: { description: "Last — 最後", testData: "", expectedResult: "Done", customFields: {}, reflectRef: "REF-1" },
        },
      ],
    },
    testScripts: { "QA2-T4": { id: 77, type: "plain", text: "1. Öffne die App\n2. <b>Klicke</b> «Start»\n3. ✓" } },
    testCycles: [
      {
        id: 401,
        key: "QA2-R1",
        name: "Sprint 1 — nächtlich 🌙",
        project: projectRef,
        jiraProjectVersion: { id: 10000, self: `${JIRA}/version/10000` },
        status: r("statuses", 43),
        folder: r("folders", 9),
        description: "<p>Regression &amp; smoke</p>",
        plannedStartDate: "2025-03-01T09:00:00Z",
        plannedEndDate: "2025-03-14T17:00:00Z",
        owner: jiraUser("5b10a2844c20165700ede21g"),
        customFields: { "Sprint Goal": null, Risk: ["High", "Medium"] },
        links: {
          self: `${BASE}/testcycles/401/links`,
          issues: [{ self: `${BASE}/links/3`, issueId: 10200, id: 3, target: `${JIRA}/issue/10200`, type: "RELATED" }],
          webLinks: [],
          testPlans: [{ id: 5, self: `${BASE}/links/5`, type: "RELATED", testPlanId: 2, target: `${JIRA}/testplan/2` }],
        },
      },
    ],
    testExecutions: [
      execution(501, "QA2-E1", 101, "QA2-T1", 401, 46, "2025-03-02T10:00:00Z", {
        comment: "Failed: <b>500</b> — ✗",
        environment: r("environments", 3),
      }),
      execution(502, "QA2-E2", 101, "QA2-T1", 401, 45, "2025-03-03T10:00:00Z", { executionTime: null }),
      execution(503, "QA2-E3", 103, "QA2-T3", 401, 44, null, { executedById: null }),
      execution(504, "QA2-E4", 101, "QA2-T1", null, 45, "2025-03-04T10:00:00Z", {}),
      execution(505, "QA2-E5", 101, "QA2-T1", null, 46, "2025-03-05T10:00:00Z", { automated: true, comment: "ad-hoc ✗" }),
    ],
    testExecutionSteps: {
      "501": [
        {
          id: 1,
          inline: {
            description: "Öffne <b>die</b> Seite",
            testData: "user = ü@example.com",
            expectedResult: "Seite lädt ✓",
            actualResult: "HTTP 500 ✗",
            testDataRowNumber: null,
            reflectRef: null,
            status: r("statuses", 46),
          },
        },
      ],
      "503": [
        {
          id: 2,
          inline: {
            description: "<ol><li>one</li></ol>",
            testData: null,
            expectedResult: null,
            actualResult: null,
            testDataRowNumber: null,
            reflectRef: null,
            status: r("statuses", 44),
          },
        },
        {
          id: 3,
          inline: {
            description: "Last — 最後",
            testData: "",
            expectedResult: "Done",
            actualResult: "",
            testDataRowNumber: 0,
            reflectRef: "REF-1",
            status: r("statuses", 44),
          },
        },
      ],
    },
  };
}

function execution(
  id: number,
  key: string,
  caseId: number,
  caseKey: string,
  cycleId: number | null,
  statusId: number,
  actualEndDate: string | null,
  extra: Partial<TestExecution>,
): TestExecution {
  return {
    id,
    key,
    project: projectRef,
    testCase: { id: caseId, self: `${BASE}/testcases/${caseKey}/versions/1` },
    environment: null,
    jiraProjectVersion: cycleId ? { id: 10000, self: `${JIRA}/version/10000` } : null,
    testExecutionStatus: r("statuses", statusId),
    actualEndDate,
    estimatedTime: 138_000,
    executionTime: 120_000,
    executedById: "5b10a2844c20165700ede21g",
    assignedToId: null,
    comment: null,
    automated: false,
    testCycle: cycleId ? r("testcycles", cycleId) : null,
    customFields: {},
    links: { self: `${BASE}/testexecutions/${id}/links`, issues: [] },
    ...extra,
  };
}

describe("Zephyr mock: a snapshot loaded with `dataset` is served back unchanged", () => {
  const snapshot = handWrittenSnapshot();
  let ctx: Ctx;
  const q = (path: string, params: Record<string, string | number | boolean | undefined> = {}) =>
    withQuery(path, { projectKey: "QA2", ...params, maxResults: 1000 });

  /** The raw `values` of a one-page offset list, after checking the envelope with the schema. */
  async function values(path: string, item: z.ZodType): Promise<unknown[]> {
    const body = await getJson(ctx.api, path);
    const page = parsed(pagedListSchema(item), body, `GET ${path}`);
    expect(page.isLast).toBe(true);
    expect(page.total).toBe(page.values.length);
    return (body as { values: unknown[] }).values;
  }

  async function nextgenValues(path: string, item: z.ZodType): Promise<unknown[]> {
    const body = await getJson(ctx.api, withQuery(path, { projectKey: "QA2", limit: 1000 }));
    const page = parsed(cursorPagedListSchema(item), body, `GET ${path}`);
    expect(page.nextStartAtId).toBeNull();
    return (body as { values: unknown[] }).values;
  }

  async function raw(path: string, schema: z.ZodType): Promise<unknown> {
    const body = await getJson(ctx.api, path);
    parsed(schema, body, `GET ${path}`);
    return body;
  }

  beforeAll(async () => {
    ctx = await start({ dataset: structuredClone(snapshot) });
  });
  afterAll(async () => {
    await ctx?.mocks.stop();
  });

  it("the hand-written snapshot is itself valid for the client's schemas (control)", () => {
    for (const c of snapshot.testCases) parsed(testCaseSchema, c, c.key);
    for (const e of snapshot.testExecutions) parsed(testExecutionSchema, e, String(e.id));
    for (const steps of Object.values(snapshot.testSteps)) for (const s of steps) parsed(testStepSchema, s, "step");
    expect(ctx.pk).toBe("QA2");
  });

  it("project, folders, statuses, priorities, environments: lists, filters and gets", async () => {
    expect(await values("/projects", projectSchema)).toEqual([snapshot.project]);
    expect(await raw("/projects/QA2", projectSchema)).toEqual(snapshot.project);
    expect(await raw("/projects/31337", projectSchema)).toEqual(snapshot.project);

    expect(await values(q("/folders"), folderSchema)).toEqual(snapshot.folders);
    for (const folderType of ["TEST_CASE", "TEST_CYCLE", "TEST_PLAN"]) {
      expect(await values(q("/folders", { folderType }), folderSchema)).toEqual(
        snapshot.folders.filter((f) => f.folderType === folderType),
      );
    }
    for (const folder of snapshot.folders) expect(await raw(`/folders/${folder.id}`, folderSchema)).toEqual(folder);

    expect(await values(q("/statuses"), statusSchema)).toEqual(snapshot.statuses);
    for (const statusType of ["TEST_CASE", "TEST_CYCLE", "TEST_EXECUTION", "TEST_PLAN"]) {
      const expected = snapshot.statuses.filter((s) => snapshot.statusTypes?.[String(s.id)] === statusType);
      expect(await values(q("/statuses", { statusType }), statusSchema), statusType).toEqual(expected);
    }
    for (const status of snapshot.statuses) expect(await raw(`/statuses/${status.id}`, statusSchema)).toEqual(status);

    expect(await values(q("/priorities"), prioritySchema)).toEqual(snapshot.priorities);
    for (const p of snapshot.priorities) expect(await raw(`/priorities/${p.id}`, prioritySchema)).toEqual(p);
    expect(await values(q("/environments"), environmentSchema)).toEqual(snapshot.environments);
    for (const e of snapshot.environments) expect(await raw(`/environments/${e.id}`, environmentSchema)).toEqual(e);
  });

  it("test cases: list, nextgen, folder filter, by key, links", async () => {
    expect(await values(q("/testcases"), testCaseSchema)).toEqual(snapshot.testCases);
    expect(await nextgenValues("/testcases/nextgen", testCaseSchema)).toEqual(snapshot.testCases);
    expect(await values(q("/testcases", { folderId: 7 }), testCaseSchema)).toEqual(
      snapshot.testCases.filter((c) => c.folder?.id === 7),
    );
    expect(await values(q("/testcases", { folderId: 8 }), testCaseSchema)).toEqual([snapshot.testCases[2]]);
    for (const testCase of snapshot.testCases) {
      expect(await raw(`/testcases/${testCase.key}`, testCaseSchema)).toEqual(testCase);
      expect(await raw(`/testcases/${testCase.key}/links`, testCaseLinksSchema)).toEqual(testCase.links);
    }
    // The unknown field survives.
    expect(((await raw("/testcases/QA2-T2", testCaseSchema)) as Record<string, unknown>).futureField).toEqual({
      nested: [1, "two", null],
      flag: true,
    });
  });

  it("steps per key (inline and call-to-test) and scripts", async () => {
    for (const testCase of snapshot.testCases) {
      const script = snapshot.testScripts[testCase.key];
      if (script) {
        expect(await raw(`/testcases/${testCase.key}/testscript`, testScriptSchema)).toEqual(script);
        expectError(await ctx.api.get(`/testcases/${testCase.key}/teststeps`), 422, `steps of ${testCase.key}`);
        continue;
      }
      const steps = await values(`/testcases/${testCase.key}/teststeps?maxResults=1000`, testStepSchema);
      expect(steps, testCase.key).toEqual(snapshot.testSteps[testCase.key] ?? []);
    }
  });

  it("test cycles: list, nextgen, by id and key, links", async () => {
    expect(await values(q("/testcycles"), testCycleSchema)).toEqual(snapshot.testCycles);
    expect(await nextgenValues("/testcycles/nextgen", testCycleSchema)).toEqual(snapshot.testCycles);
    for (const cycle of snapshot.testCycles) {
      expect(await raw(`/testcycles/${cycle.key}`, testCycleSchema)).toEqual(cycle);
      expect(await raw(`/testcycles/${cycle.id}`, testCycleSchema)).toEqual(cycle);
      expect(await raw(`/testcycles/${cycle.key}/links`, cycleLinksSchema)).toEqual(cycle.links);
    }
  });

  it("test executions: list, nextgen, by id and key, links, steps", async () => {
    expect(await values(q("/testexecutions"), testExecutionSchema)).toEqual(snapshot.testExecutions);
    expect(await nextgenValues("/testexecutions/nextgen", testExecutionSchema)).toEqual(snapshot.testExecutions);
    for (const e of snapshot.testExecutions) {
      expect(await raw(`/testexecutions/${e.id}`, testExecutionSchema)).toEqual(e);
      expect(await raw(`/testexecutions/${e.key}`, testExecutionSchema)).toEqual(e);
      expect(await raw(`/testexecutions/${e.id}/links`, executionLinksSchema)).toEqual(e.links);
      const steps = await values(`/testexecutions/${e.id}/teststeps?maxResults=1000`, testExecutionStepSchema);
      expect(steps, `steps of ${e.key}`).toEqual(snapshot.testExecutionSteps[String(e.id)] ?? []);
    }
  });

  it("execution filters on known data: testCycle, testCase, actualEndDateAfter/Before", async () => {
    const ids = async (params: Record<string, string | boolean>) =>
      idsOf(await values(q("/testexecutions", params), testExecutionSchema));
    expect(await ids({ testCycle: "QA2-R1" })).toEqual([501, 502, 503]);
    expect(await ids({ testCycle: "401" })).toEqual([501, 502, 503]);
    expect(await ids({ testCase: "QA2-T1" })).toEqual([501, 502, 504, 505]);
    expect(await ids({ testCase: "QA2-T3" })).toEqual([503]);
    expect(await ids({ actualEndDateAfter: "2025-03-03T00:00:00Z" })).toEqual([502, 504, 505]);
    expect(await ids({ actualEndDateBefore: "2025-03-03T00:00:00Z" })).toEqual([501]);
  });

  it("onlyLastExecutions: the last run of each cycle item plus all ad-hoc executions (spec)", async () => {
    const only = idsOf(await values(q("/testexecutions", { onlyLastExecutions: true }), testExecutionSchema));
    // 501 is superseded by 502 for (QA2-R1, QA2-T1); 504 and 505 are ad-hoc runs of the same case and both stay.
    expect(only).toEqual([502, 503, 504, 505]);
  });
});
