/**
 * QTestClient: login and re-login, and the "never repeat a create blindly" rule, against scripted
 * answers (nock); then real HTTP against the in-process qTest mock — every create and read round
 * trip, and a fault-injected stress run that must end with exactly one object per marker.
 */
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BadInputError } from "../../src/errors.js";
import { ApiError } from "../../src/http/errors.js";
import { type RunningMocks, startMocks } from "../../src/mock/start.js";
import { markerQuery, QTestClient, type QTestClientOptions } from "../../src/qtest/client.js";
import type { Field, TestCase } from "../../src/qtest/schemas.js";

const SITE = "http://qtest.test";
const API = "/api/v3/projects/1";
const MARKER = { fieldName: "Zephyr Key", value: "DEMO-T1" };
const BASIC = `Basic ${Buffer.from("ztoq:").toString("base64")}`;

function qtest(options: Partial<QTestClientOptions> = {}): QTestClient {
  return new QTestClient({
    baseUrl: SITE,
    auth: { kind: "token", token: "tok" },
    projectId: 1,
    rateLimit: 1000,
    timeoutMs: 5000,
    retries: 2,
    concurrency: 8,
    retryBaseMs: 5,
    ...options,
  });
}

const password = { kind: "password", username: "ana@example.com", password: "pa55" } as const;

function testCaseJson(id: number, marker = MARKER.value) {
  return {
    id,
    name: `case ${id}`,
    order: 1,
    pid: `TC-${id}`,
    created_date: "2026-01-01T00:00:00.000Z",
    last_modified_date: "2026-01-01T00:00:00.000Z",
    web_url: `${SITE}/p/1/portal/project#id=${id}`,
    parent_id: 10,
    properties: [{ field_id: 77, field_name: "Zephyr Key", field_value: marker, field_value_name: marker }],
  };
}
const page = (items: unknown[]) => ({ links: [], page: 1, page_size: 999, total: items.length, items });
const project = { id: 1, name: "Target" };
const caseInput = { name: "case", properties: [{ field_id: 77, field_value: MARKER.value }] };

describe("login and the rule against blind re-posts (scripted answers)", () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1/);
  });
  afterEach(() => nock.cleanAll());

  it("logs in with the password grant, and on a 401 logs in again once and repeats the request", async () => {
    const forms: Record<string, string>[] = [];
    const scope = nock(SITE)
      .post("/oauth/token", (body) => {
        forms.push(body);
        return true;
      })
      .matchHeader("authorization", BASIC)
      .matchHeader("content-type", /application\/x-www-form-urlencoded/)
      .reply(200, { access_token: "first", token_type: "bearer", expires_in: 3599 })
      .get(API)
      .matchHeader("authorization", "bearer first")
      .reply(401, { error: "invalid_token" })
      .post("/oauth/token")
      .reply(200, { access_token: "second", token_type: "bearer" })
      .get(API)
      .matchHeader("authorization", "bearer second")
      .reply(200, project);
    const client = qtest({ auth: password });
    expect(await client.project()).toMatchObject(project);
    expect(scope.isDone()).toBe(true);
    expect(forms[0]).toEqual({ grant_type: "password", username: "ana@example.com", password: "pa55" });
    expect(client.stats().logins).toBe(2);
  });

  it("re-logs in only once for many requests that saw the same expired session", async () => {
    nock(SITE)
      .post("/oauth/token")
      .reply(200, { access_token: "first", token_type: "bearer" })
      .get(API)
      .times(5)
      .matchHeader("authorization", "bearer first")
      .reply(401, {})
      .post("/oauth/token")
      .reply(200, { access_token: "second", token_type: "bearer" })
      .get(API)
      .times(5)
      .matchHeader("authorization", "bearer second")
      .reply(200, project);
    const client = qtest({ auth: password });
    await client.project(); // log in first, so all five share the one session
    nock(SITE).get(API).times(4).matchHeader("authorization", "bearer first").reply(401, {});
    const results = await Promise.all(Array.from({ length: 4 }, () => client.project()));
    expect(results).toHaveLength(4);
    expect(client.stats().logins).toBe(2);
  });

  it("gives up with bad input when the request is refused again after the new login (no loop)", async () => {
    nock(SITE)
      .post("/oauth/token")
      .times(2)
      .reply(200, { access_token: "t", token_type: "bearer" })
      .get(`${API}/test-runs/execution-statuses`)
      .times(2)
      .reply(401, {})
      .get(`${API}/test-runs/execution-statuses`)
      .reply(200, []);
    const client = qtest({ auth: password });
    await expect(client.executionStatuses()).rejects.toThrow(BadInputError);
    expect(nock.pendingMocks()).toHaveLength(1);
    expect(client.stats().logins).toBe(2);
  });

  it("turns a refused login and a refused token into bad input", async () => {
    nock(SITE).post("/oauth/token").reply(400, { error: "invalid_grant", error_description: "Bad credentials" });
    await expect(qtest({ auth: password }).project()).rejects.toThrow(
      new BadInputError(`qTest rejected the username/password at ${SITE}`),
    );
    nock(SITE).get(API).reply(401, { error: "invalid_token" });
    await expect(qtest().project()).rejects.toThrow(new BadInputError(`qTest rejected the token (HTTP 401) at ${SITE}`));
    nock(SITE).get(API).reply(404, { code: 404, message: "Project 1 does not exist" });
    await expect(qtest().project()).rejects.toThrow(new BadInputError(`qTest project 1 not found at ${SITE}`));
  });

  it("after an ambiguous create failure, searches the marker, finds it, and does not post again", async () => {
    const searches: unknown[] = [];
    const scope = nock(SITE)
      .post(`${API}/test-cases`)
      .reply(502, { message: "Bad Gateway" })
      .post(`${API}/search`, (body) => {
        searches.push(body);
        return true;
      })
      .query({ page: 1, pageSize: 999 })
      .reply(200, page([testCaseJson(501)]));
    const second = nock(SITE).post(`${API}/test-cases`).reply(200, testCaseJson(999));
    const client = qtest();
    const created = await client.createTestCase(caseInput, MARKER);
    expect(created.id).toBe(501);
    expect(scope.isDone()).toBe(true);
    expect(second.isDone()).toBe(false);
    expect(searches).toEqual([{ object_type: "test-cases", fields: ["*"], query: "'Zephyr Key' = 'DEMO-T1'" }]);
    expect(client.stats().reconciled).toBe(1);
  });

  it("after an ambiguous create failure, searches, finds nothing, and posts again", async () => {
    const scope = nock(SITE)
      .post(`${API}/test-cases`)
      .replyWithError("socket hang up")
      .post(`${API}/search`)
      .query(true)
      .reply(200, page([]))
      .post(`${API}/test-cases`)
      .reply(200, testCaseJson(502));
    const client = qtest();
    expect((await client.createTestCase(caseInput, MARKER)).id).toBe(502);
    expect(scope.isDone()).toBe(true);
    expect(client.stats()).toMatchObject({ reconciled: 0, requests: 3 });
  });

  it("posts at most `retries` more times, searching after each ambiguous failure", async () => {
    nock(SITE).post(`${API}/test-cases`).times(3).reply(500, {}).post(`${API}/search`).query(true).times(3).reply(200, page([]));
    const error = await qtest({ retries: 2 })
      .createTestCase(caseInput, MARKER)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, kind: "server" });
    expect(nock.pendingMocks()).toHaveLength(0);
  });

  it("with no retries left, still looks once and returns what the failed POST made", async () => {
    nock(SITE)
      .post(`${API}/test-cases`)
      .reply(504, {})
      .post(`${API}/search`)
      .query(true)
      .reply(200, page([testCaseJson(77)]));
    const client = qtest({ retries: 0 });
    expect((await client.createTestCase(caseInput, MARKER)).id).toBe(77);
    expect(client.stats().reconciled).toBe(1);
  });

  it("does not search or retry after a 400, and retries a 429 without searching", async () => {
    nock(SITE).post(`${API}/test-cases`).reply(400, { code: 400, message: "Field 'Zephyr Key' is required." });
    const search = nock(SITE).post(`${API}/search`).query(true).reply(200, page([]));
    await expect(qtest().createTestCase(caseInput, MARKER)).rejects.toMatchObject({ status: 400, kind: "badRequest" });
    nock(SITE)
      .post(`${API}/test-cases`)
      .reply(429, {}, { "Retry-After": "0" })
      .post(`${API}/test-cases`)
      .reply(200, testCaseJson(7));
    const client = qtest();
    expect((await client.createTestCase(caseInput, MARKER)).id).toBe(7);
    expect(search.isDone()).toBe(false);
    expect(client.stats()).toMatchObject({ throttled: 1, reconciled: 0 });
  });

  it("reconciles a module by (parent, name): modules carry no marker", async () => {
    const module = (id: number, name: string) => ({ id, name, pid: `MD-${id}`, parent_id: 5 });
    nock(SITE)
      .post(`${API}/modules`)
      .query({ parentId: 5 })
      .reply(503, {})
      .get(`${API}/modules`)
      .query({ parentId: 5 })
      .reply(200, [module(8, "Other"), module(9, "Login")]);
    const client = qtest();
    expect((await client.createModule({ name: "Login" }, 5)).id).toBe(9);
    expect(client.stats().reconciled).toBe(1);
  });

  it("modifies a test log with PUT on the Swagger's modifyTestLog path and returns the parsed log", async () => {
    const input = {
      status: { id: 601 },
      exe_start_date: "2026-02-01T10:00:00.000Z",
      exe_end_date: "2026-02-01T10:05:00.000Z",
      test_step_logs: [{ status: { id: 601 }, order: 1 }],
    };
    const scope = nock(SITE)
      .put(`${API}/test-runs/12/test-logs/34`, input)
      .reply(200, {
        id: 34,
        status: { id: 601, name: "Passed" },
        exe_start_date: input.exe_start_date,
        exe_end_date: input.exe_end_date,
      });
    const log = await qtest().updateTestLog(12, 34, input);
    expect(log).toMatchObject({ id: 34, status: { id: 601, name: "Passed" } });
    expect(scope.isDone()).toBe(true);
    // A refused update is an error, not retried.
    nock(SITE).put(`${API}/test-runs/12/test-logs/34`).reply(400, { code: 400, message: "order 9" });
    await expect(qtest().updateTestLog(12, 34, input)).rejects.toMatchObject({ status: 400, kind: "badRequest" });
  });

  it("deletes modules, test cycles, suites and runs on their Swagger paths; a 404 counts as deleted, a 400 does not", async () => {
    const scope = nock(SITE)
      .delete(`${API}/modules/5`)
      .reply(200, {})
      .delete(`${API}/test-cycles/6`)
      .reply(200, {})
      .delete(`${API}/test-suites/7`)
      .reply(200, {})
      .delete(`${API}/test-runs/8`)
      .reply(200, {})
      .delete(`${API}/modules/9`)
      .reply(404, { code: 404, message: "Module 9 does not exist." })
      .delete(`${API}/test-cycles/10`)
      .reply(404, {})
      .delete(`${API}/test-suites/11`)
      .reply(404, {})
      .delete(`${API}/test-runs/12`)
      .reply(404, {})
      // A DELETE is idempotent, so a 503 is retried.
      .delete(`${API}/test-runs/13`)
      .reply(503, {})
      .delete(`${API}/test-runs/13`)
      .reply(200, {});
    const client = qtest();
    await client.deleteModule(5);
    await client.deleteTestCycle(6);
    await client.deleteTestSuite(7);
    await client.deleteTestRun(8);
    await client.deleteModule(9);
    await client.deleteTestCycle(10);
    await client.deleteTestSuite(11);
    await client.deleteTestRun(12);
    await client.deleteTestRun(13);
    expect(scope.isDone()).toBe(true);
    expect(client.stats().retries).toBe(1);
    nock(SITE).delete(`${API}/modules/14`).reply(400, { code: 400, message: "Module 14 is not empty" });
    await expect(client.deleteModule(14)).rejects.toMatchObject({ status: 400, kind: "badRequest" });
    nock(SITE).delete(`${API}/test-cycles/15`).reply(400, { code: 400, message: "Test cycle 15 is not empty" });
    await expect(client.deleteTestCycle(15)).rejects.toMatchObject({ status: 400 });
  });

  it("escapes quotes and backslashes in marker searches", () => {
    expect(markerQuery("Zephyr Key", "O'Brien\\1")).toBe("'Zephyr Key' = 'O\\'Brien\\\\1'");
  });
});

describe("against the qTest mock", () => {
  let mocks: RunningMocks;
  let client: QTestClient;
  const markerField: Partial<Record<"test-cases" | "test-suites" | "test-runs", Field>> = {};

  beforeAll(async () => {
    nock.cleanAll();
    mocks = await startMocks({ generate: 5, seed: 2 });
    client = qtest({
      baseUrl: mocks.qtest.url,
      projectId: mocks.qtest.projectId,
      auth: { kind: "token", token: mocks.qtest.token },
    });
  });
  afterAll(async () => {
    await mocks?.stop();
  });

  it("logs in with username and password, and rejects wrong credentials as bad input", async () => {
    const { url, projectId, username } = mocks.qtest;
    const good = qtest({ baseUrl: url, projectId, auth: { kind: "password", username, password: mocks.qtest.password } });
    expect((await good.project()).id).toBe(projectId);
    expect(good.stats().logins).toBe(1);

    const bad = qtest({ baseUrl: url, projectId, auth: { kind: "password", username, password: "wrong" } });
    await expect(bad.project()).rejects.toThrow(new BadInputError(`qTest rejected the username/password at ${url}`));
    const badToken = qtest({ baseUrl: url, projectId, auth: { kind: "token", token: "nope" } });
    await expect(badToken.project()).rejects.toThrow(BadInputError);
    const otherProject = qtest({ baseUrl: url, projectId: 99, auth: { kind: "token", token: mocks.qtest.token } });
    await expect(otherProject.project()).rejects.toThrow(new BadInputError(`qTest project 99 not found at ${url}`));
  });

  it("reads settings: fields, execution statuses, users; creates the marker fields", async () => {
    for (const type of ["test-cases", "test-suites", "test-runs"] as const) {
      const before = await client.fields(type);
      const field = await client.createField(type, { label: "Zephyr Key", data_type: 1 });
      markerField[type] = field;
      expect(field).toMatchObject({ label: "Zephyr Key", system_field: false });
      expect((await client.fields(type)).map((f) => f.id)).toEqual([...before.map((f) => f.id), field.id]);
    }
    // Two jobs creating one field at once (shards in their preflight): both end with the same field.
    const [job1, job2] = [1, 2].map(() =>
      qtest({ baseUrl: mocks.qtest.url, projectId: mocks.qtest.projectId, auth: { kind: "token", token: mocks.qtest.token } }),
    );
    const [first, second] = await Promise.all(
      [job1, job2].map((job) => job?.createField("test-cases", { label: "Shared Field", data_type: 1 })),
    );
    expect(second?.id).toBe(first?.id);
    expect((await client.fields("test-cases")).filter((f) => f.label === "Shared Field")).toHaveLength(1);
    // A 400 for any other reason is still an error.
    await expect(job1?.createField("test-cases", { label: "", data_type: 1 })).rejects.toMatchObject({
      kind: "badRequest",
      status: 400,
    });
    const statuses = await client.executionStatuses();
    expect(statuses.map((s) => s.name)).toContain("Passed");
    const users = await client.users();
    expect(users.map((u) => u.username)).toEqual(mocks.qtest.store.users.map((u) => u.username));
  });

  it("creates and reads back modules, test cases, cycles, suites, runs and logs; deletes a test case", async () => {
    const { store } = mocks.qtest;
    const caseMarker = markerField["test-cases"] as Field;
    const suiteMarker = markerField["test-suites"] as Field;
    const runMarker = markerField["test-runs"] as Field;
    expect(caseMarker).toBeDefined();

    // modules
    const root = await client.createModule({ name: "DEMO", description: "root" });
    const child = await client.createModule({ name: "Login" }, root.id);
    expect((await client.modules()).map((m) => m.id)).toContain(root.id);
    expect((await client.modules(root.id)).map((m) => [m.id, m.name])).toEqual([[child.id, "Login"]]);
    const tree = await client.moduleTree();
    expect(tree.find((m) => m.id === root.id)?.children?.map((m) => m.id)).toEqual([child.id]);

    // test cases
    const marker = { fieldName: "Zephyr Key", value: "DEMO-T1'quoted" };
    const created = await client.createTestCase(
      {
        name: "Log in",
        parent_id: child.id,
        description: "objective",
        properties: [{ field_id: caseMarker.id, field_value: marker.value }],
        test_steps: [
          { description: "open", expected: "form" },
          { description: "submit", expected: "dashboard" },
        ],
      },
      marker,
    );
    const read = await client.testCase(created.id, { withSteps: true });
    expect(read).toMatchObject({ id: created.id, name: "Log in", parent_id: child.id, description: "objective" });
    expect(read.test_steps?.map((s) => [s.description, s.expected])).toEqual([
      ["open", "form"],
      ["submit", "dashboard"],
    ]);
    expect(read.properties?.find((p) => p.field_id === caseMarker.id)?.field_value).toBe(marker.value);
    const others: TestCase[] = [];
    for (let i = 2; i <= 3; i++) {
      const m = { fieldName: "Zephyr Key", value: `DEMO-T${i}` };
      others.push(
        await client.createTestCase(
          { name: `case ${i}`, parent_id: child.id, properties: [{ field_id: caseMarker.id, field_value: m.value }] },
          m,
        ),
      );
    }
    const listed: TestCase[] = [];
    for await (const p of client.testCases(child.id)) listed.push(...p);
    expect(listed.map((t) => t.id)).toEqual([created.id, ...others.map((t) => t.id)]);
    const updated = await client.updateTestCase(created.id, { name: "Log in (renamed)" });
    expect(updated.name).toBe("Log in (renamed)");
    expect((await client.findByMarker("test-cases", "Zephyr Key", marker.value)).map((t) => t.id)).toEqual([created.id]);
    expect(await client.findByMarker("test-cases", "Zephyr Key", "DEMO-T1")).toEqual([]);
    const partial: unknown[] = [];
    for await (const p of client.search("test-cases", "'Zephyr Key' ~ 'DEMO-T'", { fields: ["name"] })) partial.push(...p);
    expect(partial).toHaveLength(3);
    expect(partial[0]).toEqual({ id: created.id, name: "Log in (renamed)" });

    // test cycles and suites
    const rootParent = { id: 0, type: "root" } as const;
    const cycle = await client.createTestCycle({ name: "Sprint 1", description: "first" }, rootParent);
    const subCycle = await client.createTestCycle({ name: "Week 1" }, { id: cycle.id, type: "test-cycle" });
    expect((await client.testCycles(rootParent)).map((c) => c.id)).toContain(cycle.id);
    expect((await client.testCycles({ id: cycle.id, type: "test-cycle" })).map((c) => c.id)).toEqual([subCycle.id]);
    const suiteMarkerValue = { fieldName: "Zephyr Key", value: "DEMO-R1" };
    const suite = await client.createTestSuite(
      { name: "Regression", properties: [{ field_id: suiteMarker.id, field_value: suiteMarkerValue.value }] },
      { id: subCycle.id, type: "test-cycle" },
      suiteMarkerValue,
    );
    expect((await client.testSuites({ id: subCycle.id, type: "test-cycle" })).map((s) => s.id)).toEqual([suite.id]);
    const cycleTree = await client.testCycleTree();
    const inTree = cycleTree.find((c) => c.id === cycle.id);
    expect(inTree?.["test-cycles"]?.[0]?.["test-suites"]?.map((s) => s.id)).toEqual([suite.id]);
    expect((await client.updateTestSuite(suite.id, { name: "Regression 2" })).name).toBe("Regression 2");
    expect((await client.findByMarker("test-suites", "Zephyr Key", "DEMO-R1")).map((s) => s.id)).toEqual([suite.id]);

    // test runs and logs
    const runMarkerValue = { fieldName: "Zephyr Key", value: "DEMO-E1" };
    const run = await client.createTestRun(
      { name: "Log in", test_case: { id: created.id }, properties: [{ field_id: runMarker.id, field_value: "DEMO-E1" }] },
      { id: suite.id, type: "test-suite" },
      runMarkerValue,
    );
    const runs: number[] = [];
    for await (const p of client.testRuns({ id: suite.id, type: "test-suite" })) runs.push(...p.map((r) => r.id));
    expect(runs).toEqual([run.id]);
    const below: number[] = [];
    for await (const p of client.testRuns({ id: cycle.id, type: "test-cycle" }, { descendants: true }))
      below.push(...p.map((r) => r.id));
    expect(below).toEqual([run.id]);
    expect((await client.findByMarker("test-runs", "Zephyr Key", "DEMO-E1")).map((r) => r.id)).toEqual([run.id]);

    const passed = (await client.executionStatuses()).find((s) => s.name === "Passed");
    const logMarker = { fieldName: "Zephyr Key", value: "execution-10001" };
    const log = await client.createTestLog(
      run.id,
      {
        status: { id: passed?.id ?? 0 },
        exe_start_date: "2026-02-01T10:00:00.000Z",
        exe_end_date: "2026-02-01T10:05:00.000Z",
        note: "ok",
        properties: [{ field_id: runMarker.id, field_value: logMarker.value }],
      },
      logMarker,
    );
    const logs: number[] = [];
    for await (const p of client.testLogs(run.id)) logs.push(...p.map((l) => l.id));
    expect(logs).toEqual([log.id]);
    expect((await client.findByMarker("test-logs", "Zephyr Key", logMarker.value)).map((l) => l.id)).toEqual([log.id]);

    // deletes (and deleting what is already gone is not an error)
    const casesBefore = store.counts().testCases;
    await client.deleteTestCase(others[1]?.id ?? 0);
    await client.deleteTestCase(others[1]?.id ?? 0);
    expect(store.counts().testCases).toBe(casesBefore - 1);
    expect((await client.findByMarker("test-cases", "Zephyr Key", "DEMO-T3")).map((t) => t.id)).toEqual([]);
    // The one failure is the 404 of the second delete, which the client takes as "already gone".
    expect(client.stats()).toMatchObject({ failures: 1, reconciled: 0, retries: 0 });
  });

  it("updates a test log in place and deletes runs, suites, cycles and modules (children first; non-empty refused)", async () => {
    const { store } = mocks.qtest;
    const caseMarker = markerField["test-cases"] as Field;
    const runMarker = markerField["test-runs"] as Field;
    const module = await client.createModule({ name: "Rollback me" });
    const sub = await client.createModule({ name: "Inner" }, module.id);
    const marker = { fieldName: "Zephyr Key", value: "DEMO-T900" };
    const testCase = await client.createTestCase(
      {
        name: "Updated log",
        parent_id: sub.id,
        properties: [{ field_id: caseMarker.id, field_value: marker.value }],
        test_steps: [{ description: "one", expected: "done" }],
      },
      marker,
    );
    const cycle = await client.createTestCycle({ name: "Rollback cycle" }, { id: 0, type: "root" });
    const suite = await client.createTestSuite(
      { name: "Rollback suite", properties: [] },
      { id: cycle.id, type: "test-cycle" },
      {
        fieldName: "Zephyr Key",
        value: "none",
      },
    );
    const run = await client.createTestRun(
      { test_case: { id: testCase.id }, properties: [{ field_id: runMarker.id, field_value: "DEMO-R9/DEMO-T900" }] },
      { id: suite.id, type: "test-suite" },
      { fieldName: "Zephyr Key", value: "DEMO-R9/DEMO-T900" },
    );
    const logMarker = { fieldName: "Zephyr Key", value: "DEMO-E900" };
    const log = await client.createTestLog(
      run.id,
      {
        status: { id: 602 },
        exe_start_date: "2026-03-01T10:00:00.000Z",
        exe_end_date: "2026-03-01T10:01:00.000Z",
        properties: [{ field_id: runMarker.id, field_value: logMarker.value }],
        test_step_logs: [{ test_step_id: testCase.test_steps?.[0]?.id ?? undefined, status: { id: 602 }, order: 1 }],
      },
      logMarker,
    );
    const updated = await client.updateTestLog(run.id, log.id, {
      status: { id: 601 },
      exe_start_date: "2026-03-01T10:00:00.000Z",
      exe_end_date: "2026-03-01T10:03:00.000Z",
      note: "re-run",
      test_step_logs: [{ status: { id: 601 }, actual_result: "fine", order: 1 }],
    });
    expect(updated).toMatchObject({ id: log.id, status: { id: 601 }, note: "re-run", exe_end_date: "2026-03-01T10:03:00.000Z" });
    expect(updated.test_step_logs?.map((s) => [s.status?.id, s.actual_result])).toEqual([[601, "fine"]]);
    expect((await client.findByMarker("test-logs", "Zephyr Key", logMarker.value)).map((l) => l.id)).toEqual([log.id]);
    const logs: number[] = [];
    for await (const p of client.testLogs(run.id)) logs.push(...p.map((l) => l.id));
    expect(logs).toEqual([log.id]);
    await expect(
      client.updateTestLog(run.id, log.id, { ...updated, status: { id: 1 }, exe_end_date: updated.exe_end_date } as never),
    ).rejects.toMatchObject({ status: 400 });

    // Parents that still hold something are refused (no force), children first succeeds.
    await expect(client.deleteTestCycle(cycle.id)).rejects.toMatchObject({ status: 400 });
    await expect(client.deleteModule(module.id)).rejects.toMatchObject({ status: 400 });
    const before = store.counts();
    await client.deleteTestRun(run.id);
    expect(store.counts()).toMatchObject({ testRuns: before.testRuns - 1, testLogs: before.testLogs - 1 });
    await client.deleteTestSuite(suite.id);
    await client.deleteTestCycle(cycle.id);
    await client.deleteTestCase(testCase.id);
    await client.deleteModule(sub.id);
    await client.deleteModule(module.id);
    expect(store.counts()).toMatchObject({
      modules: before.modules - 2,
      testCases: before.testCases - 1,
      testCycles: before.testCycles - 1,
      testSuites: before.testSuites - 1,
    });
    // Again: everything is already gone, and that is not an error.
    await client.deleteTestRun(run.id);
    await client.deleteTestSuite(suite.id);
    await client.deleteTestCycle(cycle.id);
    await client.deleteModule(module.id);
    expect((await client.modules()).map((m) => m.id)).not.toContain(module.id);
  });

  it("creates exactly one test case per marker under 30% injected faults", async () => {
    const faulty = await startMocks({ generate: 5, seed: 11, faultRate: 0.3 });
    try {
      const stressed = qtest({
        baseUrl: faulty.qtest.url,
        projectId: faulty.qtest.projectId,
        auth: { kind: "token", token: faulty.qtest.token },
        rateLimit: 500,
        retries: 8,
        retryBaseMs: 5,
      });
      const field = await stressed.createField("test-cases", { label: "Zephyr Key", data_type: 1 });
      const module = await stressed.createModule({ name: "Stress" });
      const markers = Array.from({ length: 60 }, (_, i) => `DEMO-T${i + 1}`);
      const created = await Promise.all(
        markers.map((value) =>
          stressed.createTestCase(
            { name: `case ${value}`, parent_id: module.id, properties: [{ field_id: field.id, field_value: value }] },
            { fieldName: "Zephyr Key", value },
          ),
        ),
      );
      expect(new Set(created.map((t) => t.id)).size).toBe(60);
      expect(faulty.qtest.store.counts().testCases).toBe(60);

      const found: TestCase[] = [];
      for await (const p of stressed.search("test-cases", "'Zephyr Key' is 'not empty'")) found.push(...p);
      const values = found.map((t) => t.properties?.find((p) => p.field_id === field.id)?.field_value).sort();
      expect(values).toEqual([...markers].sort());
      expect(faulty.qtest.stats.faultsAfterApply).toBeGreaterThan(0);
      expect(stressed.stats().reconciled).toBeGreaterThan(0);
    } finally {
      await faulty.stop();
    }
  });
});
