/**
 * ZephyrClient: pagination edge cases against scripted answers (nock), then real HTTP against the
 * in-process Zephyr mock — every method must return exactly what the mock holds.
 */
import { createServer } from "node:net";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { BadInputError } from "../../src/errors.js";
import { ApiError } from "../../src/http/errors.js";
import { type RunningMocks, startMocks } from "../../src/mock/start.js";
import { ZephyrClient, type ZephyrClientOptions } from "../../src/zephyr/client.js";
import {
  environmentSchema,
  folderSchema,
  prioritySchema,
  statusSchema,
  testCaseSchema,
  testCycleSchema,
  testExecutionSchema,
  testExecutionStepSchema,
  testScriptSchema,
  testStepSchema,
} from "../../src/zephyr/schemas.js";

const FAKE = "http://zephyr.test/v2";

function zephyr(options: Partial<ZephyrClientOptions> = {}): ZephyrClient {
  return new ZephyrClient({
    baseUrl: FAKE,
    token: "t0k.e.n",
    projectKey: "DEMO",
    rateLimit: 1000,
    timeoutMs: 5000,
    retries: 2,
    concurrency: 8,
    retryBaseMs: 5,
    ...options,
  });
}

async function all<T>(pages: AsyncIterable<T[]>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let count = 0;
  for await (const page of pages) {
    count++;
    items.push(...page);
  }
  return { items, pages: count };
}

/** nock 15 hands reply functions the fetch `Request` (its types still say a path string). */
function requestUrl(request: unknown): URL {
  return new URL(typeof request === "string" ? request : (request as Request).url, "http://zephyr.test");
}

const folder = (id: number) => ({ id, parentId: null, name: `F${id}`, index: id, folderType: "TEST_CASE" });
const priority = (id: number) => ({ id, project: { id: 1 }, name: `P${id}`, index: id });

describe("pagination (scripted answers)", () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1/);
  });
  afterEach(() => nock.cleanAll());

  it("walks offset pages by what each held, when the server caps maxResults below what was asked", async () => {
    const asked: string[] = [];
    const scope = nock("http://zephyr.test")
      .get("/v2/folders")
      .times(3)
      .query((q) => {
        asked.push(`${q.startAt}/${q.maxResults}`);
        return q.projectKey === "DEMO" && q.folderType === "TEST_CASE";
      })
      .reply((request: unknown) => {
        const startAt = Number(requestUrl(request).searchParams.get("startAt"));
        // The server caps maxResults at 2 and says so; the last page is empty.
        const values = startAt === 0 ? [folder(1), folder(2)] : startAt === 2 ? [folder(3), folder(4)] : [];
        return [200, { startAt, maxResults: 2, isLast: false, next: `${FAKE}/folders?startAt=${startAt + 2}`, values }];
      });
    const folders = await zephyr().folders("TEST_CASE");
    expect(folders.map((f) => f.id)).toEqual([1, 2, 3, 4]);
    expect(asked).toEqual(["0/1000", "2/1000", "4/1000"]);
    expect(scope.isDone()).toBe(true);
  });

  it("stops when `next` is null, even without isLast or total", async () => {
    const scope = nock("http://zephyr.test")
      .get("/v2/priorities")
      .query(true)
      .reply(200, { startAt: 0, maxResults: 1000, next: null, values: [priority(1), priority(2)] })
      .get("/v2/priorities")
      .query(true)
      .reply(200, { startAt: 2, maxResults: 1000, values: [priority(3)] });
    expect((await zephyr().priorities()).map((p) => p.id)).toEqual([1, 2]);
    expect(scope.pendingMocks()).toHaveLength(1);
  });

  it("stops when isLast is true, and when total is reached", async () => {
    nock("http://zephyr.test")
      .get("/v2/environments")
      .query(true)
      .reply(200, { startAt: 0, maxResults: 1, isLast: false, values: [priority(1)] })
      .get("/v2/environments")
      .query((q) => q.startAt === "1")
      .reply(200, { startAt: 1, maxResults: 1, isLast: true, values: [priority(2)] });
    expect(await zephyr().environments()).toHaveLength(2);
    expect(nock.pendingMocks()).toHaveLength(0);

    nock("http://zephyr.test")
      .get("/v2/environments")
      .query(true)
      .reply(200, { startAt: 0, maxResults: 2, total: 2, values: [priority(1), priority(2)] });
    expect(await zephyr().environments()).toHaveLength(2);
  });

  it("follows nextStartAtId on the cursor endpoints, with limit=1000 and updatedAfter", async () => {
    const testCase = (id: number) => ({
      id,
      key: `DEMO-T${id}`,
      name: `case ${id}`,
      project: { id: 1 },
      priority: { id: 1 },
      status: { id: 1 },
    });
    const seen: Record<string, string>[] = [];
    nock("http://zephyr.test")
      .get("/v2/testcases/nextgen")
      .times(3)
      .query((q) => {
        seen.push(q as Record<string, string>);
        return true;
      })
      .reply((request: unknown) => {
        const at = Number(requestUrl(request).searchParams.get("startAtId"));
        if (at === 0) return [200, { next: "n", nextStartAtId: 10, limit: 1000, values: [testCase(1), testCase(5)] }];
        if (at === 10) return [200, { next: "n", nextStartAtId: 42, limit: 1000, values: [testCase(10)] }];
        return [200, { next: null, nextStartAtId: null, limit: 1000, values: [] }];
      });
    const { items, pages } = await all(zephyr().testCases({ updatedAfter: new Date("2026-03-04T05:06:07.890Z") }));
    expect(items.map((t) => t.key)).toEqual(["DEMO-T1", "DEMO-T5", "DEMO-T10"]);
    expect(pages).toBe(2); // the empty last page is not handed out
    expect(seen.map((q) => q.startAtId)).toEqual(["0", "10", "42"]);
    expect(seen[0]).toMatchObject({ projectKey: "DEMO", limit: "1000", updatedAfter: "2026-03-04T05:06:07Z" });
  });

  it("reads the script of a test case whose steps answer 422", async () => {
    nock("http://zephyr.test")
      .get("/v2/testcases/DEMO-T9/teststeps")
      .query(true)
      .reply(422, { errorCode: 422, message: "has a plain test script" })
      .get("/v2/testcases/DEMO-T9/testscript")
      .reply(200, { id: 3, type: "plain", text: "Do the thing" });
    expect(await zephyr().testSteps("DEMO-T9")).toEqual({
      kind: "script",
      script: { id: 3, type: "plain", text: "Do the thing" },
    });
  });

  it("refuses to read forever from a server that ignores startAt", async () => {
    nock("http://zephyr.test")
      .get("/v2/priorities")
      .times(2)
      .query(true)
      .reply(200, { startAt: 0, maxResults: 1, isLast: false, values: [priority(1)] });
    await expect(zephyr().priorities()).rejects.toThrow(/startAt 1 answered from 0/);
  });

  it("rejects a page that is not the documented shape instead of reading it as empty", async () => {
    nock("http://zephyr.test").get("/v2/priorities").query(true).reply(200, { startAt: 0, maxResults: 10 });
    await expect(zephyr().priorities()).rejects.toThrow(/values/);
  });
});

describe("against the Zephyr mock", () => {
  let mocks: RunningMocks;
  let client: ZephyrClient;

  beforeAll(async () => {
    nock.cleanAll();
    mocks = await startMocks({ generate: 200, seed: 3 });
    client = zephyr({ baseUrl: mocks.zephyr.url, token: mocks.zephyr.token, projectKey: mocks.zephyr.projectKey });
  });
  afterAll(async () => {
    await mocks?.stop();
  });

  it("reads the project and every settings list exactly as the mock holds them", async () => {
    const { store } = mocks.zephyr;
    expect(await client.project()).toEqual(store.project);
    for (const type of ["TEST_CASE", "TEST_CYCLE", "TEST_PLAN"] as const) {
      expect(await client.folders(type)).toEqual(z.array(folderSchema).parse(store.folders(type)));
    }
    for (const type of ["TEST_CASE", "TEST_CYCLE", "TEST_EXECUTION"] as const) {
      const statuses = await client.statuses(type);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses).toEqual(z.array(statusSchema).parse(store.statuses(type)));
    }
    expect(await client.priorities()).toEqual(z.array(prioritySchema).parse(store.priorities()));
    expect(await client.environments()).toEqual(z.array(environmentSchema).parse(store.environments()));
  });

  it("streams every test case, cycle and execution", async () => {
    const { store } = mocks.zephyr;
    const cases = await all(client.testCases());
    expect(cases.items).toHaveLength(store.testCases().length);
    expect(cases.items.length).toBeGreaterThanOrEqual(200);
    expect(cases.items).toEqual(z.array(testCaseSchema).parse(store.testCases()));
    const cycles = await all(client.testCycles());
    expect(cycles.items).toEqual(z.array(testCycleSchema).parse(store.testCycles()));
    const executions = await all(client.testExecutions());
    expect(executions.items).toHaveLength(store.testExecutions().length);
    expect(executions.items).toEqual(z.array(testExecutionSchema).parse(store.testExecutions()));
  });

  it("reads all steps of a test case with more than 100 (several pages), and scripts of scripted cases", async () => {
    const { store } = mocks.zephyr;
    const keys = store.testCases().map((t) => t.key);
    const scripted = keys.filter((key) => {
      try {
        store.testScript(key);
        return true;
      } catch {
        return false;
      }
    });
    const withSteps = keys.filter((key) => !scripted.includes(key));
    const longest = withSteps.reduce((a, b) => (store.testSteps(b).length > store.testSteps(a).length ? b : a));
    expect(store.testSteps(longest).length).toBeGreaterThan(100);

    const before = client.stats().requests;
    const content = await client.testSteps(longest);
    expect(client.stats().requests - before).toBe(Math.ceil(store.testSteps(longest).length / 100));
    expect(content).toEqual({ kind: "steps", steps: z.array(testStepSchema).parse(store.testSteps(longest)) });

    expect(scripted.length).toBeGreaterThan(0);
    for (const key of scripted.slice(0, 5)) {
      expect(await client.testSteps(key)).toEqual({ kind: "script", script: testScriptSchema.parse(store.testScript(key)) });
    }
  });

  it("reads all steps of an execution with more than 100", async () => {
    const { store } = mocks.zephyr;
    const execution = store
      .testExecutions()
      .reduce((a, b) => (store.testExecutionSteps(String(b.id)).length > store.testExecutionSteps(String(a.id)).length ? b : a));
    const expected = z.array(testExecutionStepSchema).parse(store.testExecutionSteps(String(execution.id)));
    expect(expected.length).toBeGreaterThan(100);
    expect(await client.testExecutionSteps(String(execution.id))).toEqual(expected);
    if (execution.key) expect(await client.testExecutionSteps(execution.key)).toEqual(expected);
  });

  it("returns only what changed after updatedAfter", async () => {
    const { store } = mocks.zephyr;
    // The filter has whole-second precision: start from the next whole second.
    const boundary = Math.ceil((Date.now() + 1) / 1000) * 1000;
    await new Promise((resolve) => setTimeout(resolve, boundary - Date.now() + 5));
    const changed = store
      .testCases()
      .slice(3, 6)
      .map((t) => t.key);
    for (const key of changed) store.setTestScript(key, { type: "plain", text: `changed ${key}` });

    const since = await all(client.testCases({ updatedAfter: new Date(boundary) }));
    expect(since.items.map((t) => t.key).sort()).toEqual([...changed].sort());
    expect((await all(client.testCycles({ updatedAfter: new Date(boundary) }))).items).toEqual([]);
  });

  it("turns a wrong token and an unknown project into bad input", async () => {
    const wrongToken = zephyr({ baseUrl: mocks.zephyr.url, token: "a.b.c", projectKey: mocks.zephyr.projectKey });
    await expect(wrongToken.project()).rejects.toThrow(BadInputError);
    await expect(wrongToken.project()).rejects.toThrow(`Zephyr rejected the token (HTTP 401) at ${mocks.zephyr.url}`);
    await expect(wrongToken.priorities()).rejects.toThrow(BadInputError);

    const unknown = zephyr({ baseUrl: mocks.zephyr.url, token: mocks.zephyr.token, projectKey: "NOPE" });
    await expect(unknown.project()).rejects.toThrow(new BadInputError(`Zephyr project 'NOPE' not found at ${mocks.zephyr.url}`));
  });

  it("fails at once with ApiError kind network when nothing ever answered: a refused first contact cannot recover", async () => {
    const port = await closedPort();
    const unreachable = zephyr({ baseUrl: `http://127.0.0.1:${port}/v2`, retries: 2, retryBaseMs: 5, timeoutMs: 1000 });
    const error = await unreachable.project().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ kind: "network", status: null, attempts: 1 });
    expect((error as Error).message).toMatch(/connection refused/);
    expect(unreachable.stats()).toMatchObject({ requests: 1, retries: 0, failures: 1 });
  });
});

/** A port nothing listens on: bound once, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
