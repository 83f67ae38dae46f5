/**
 * The qTest Manager v3 mock, driven over real HTTP exactly as a client drives a real site, and held
 * to the official qTest Manager v3 Swagger and docs/api-notes.md (Q1–Q11). Every read is parsed
 * with the client's own zod schemas (src/qtest/schemas.ts), so a drift between the mock and the
 * schemas fails here before it fails a user's dry run.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type RunningMocks, startMocks } from "../../src/mock/start.js";
import {
  attachmentSchema,
  errorSchema,
  executionStatusSchema,
  type Field,
  fieldSchema,
  moduleSchema,
  oauthTokenSchema,
  pagedSchema,
  projectSchema,
  type TestCase,
  type TestCycle,
  type TestLog,
  type TestRun,
  type TestSuite,
  testCaseSchema,
  testCycleSchema,
  testLogSchema,
  testRunSchema,
  testStepSchema,
  testSuiteSchema,
} from "../../src/qtest/schemas.js";

type QTest = RunningMocks["qtest"];

// ---- HTTP helpers ---------------------------------------------------------------------------

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  bytes: Uint8Array;
}

interface CallOptions {
  /** JSON body. */
  json?: unknown;
  /** Raw body (sent as is, with whatever Content-Type `headers` names). */
  raw?: Uint8Array | string;
  /** The Authorization header; defaults to `bearer <long-lived token>`, `null` sends none. */
  auth?: string | null;
  headers?: Record<string, string>;
}

async function call(q: QTest, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth === undefined ? `bearer ${q.token}` : options.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string | Uint8Array | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  }
  const response = await fetch(`${q.url}${path}`, { method, headers, body: body as RequestInit["body"] });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  let parsed: unknown = text;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed, bytes };
}

/** A call under `/api/v3/projects/{projectId}`. */
const api = (q: QTest, method: string, path: string, options?: CallOptions) =>
  call(q, method, `/api/v3/projects/${q.projectId}${path}`, options);

function expectStatus(reply: Reply, status: number): void {
  expect(reply.status, `HTTP ${reply.status}: ${JSON.stringify(reply.body)?.slice(0, 1500)}`).toBe(status);
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Error(
      `Response does not match the schema:\n${z.prettifyError(result.error)}\n${JSON.stringify(value)?.slice(0, 1500)}`,
    );
  }
  return result.data;
}

/** A 400 (or other status) with a `{code?, message}` body whose message matches every pattern. */
function expectError(reply: Reply, status: number, ...patterns: RegExp[]): string {
  expectStatus(reply, status);
  const { message } = parse(errorSchema, reply.body);
  for (const pattern of patterns) expect(message).toMatch(pattern);
  return message;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const basic = (text: string) => `Basic ${Buffer.from(text).toString("base64")}`;
const ids = (items: readonly { id: number }[]) => items.map((i) => i.id).sort((a, b) => a - b);
const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

const fieldListSchema = z.array(fieldSchema);
const pagedRuns = pagedSchema(testRunSchema);
const pagedLogs = pagedSchema(testLogSchema);
/** src/qtest/schemas.ts has no user schema; this follows the Swagger `UserResource`. */
const userSchema = z.looseObject({
  id: z.int(),
  username: z.string(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  status: z.int().nullish(),
});

// ---- object builders (all through the write endpoints) -------------------------------------

type Json = Record<string, unknown>;

async function fields(q: QTest, objectType: string): Promise<Field[]> {
  const reply = await api(q, "GET", `/settings/${objectType}/fields`);
  expectStatus(reply, 200);
  return parse(fieldListSchema, reply.body);
}

async function field(q: QTest, objectType: string, label: string): Promise<Field> {
  const found = (await fields(q, objectType)).find((f) => f.label === label);
  if (!found) throw new Error(`No ${objectType} field labelled ${label}`);
  return found;
}

/** The value of an allowed value of a picklist field, by label. */
function allowed(f: Field, label: string): string {
  const value = f.allowed_values?.find((v) => v.label === label)?.value;
  if (value === undefined) throw new Error(`Field ${f.label} has no value ${label}`);
  return String(value);
}

async function createField(q: QTest, objectType: string, body: Json): Promise<Field> {
  const reply = await api(q, "POST", `/settings/${objectType}/fields`, { json: body });
  expectStatus(reply, 201);
  return parse(fieldSchema, reply.body);
}

async function createModule(q: QTest, name: string, parentId?: number) {
  const reply = await api(q, "POST", `/modules${parentId === undefined ? "" : `?parentId=${parentId}`}`, { json: { name } });
  expectStatus(reply, 201);
  return parse(moduleSchema, reply.body);
}

async function createTestCase(q: QTest, body: Json): Promise<TestCase> {
  const reply = await api(q, "POST", "/test-cases", { json: { properties: [], ...body } });
  expectStatus(reply, 200);
  return parse(testCaseSchema, reply.body);
}

async function createCycle(q: QTest, name: string, parent?: { id: number; type: string }): Promise<TestCycle> {
  const query = parent ? `?parentId=${parent.id}&parentType=${parent.type}` : "";
  const reply = await api(q, "POST", `/test-cycles${query}`, { json: { name } });
  expectStatus(reply, 201);
  return parse(testCycleSchema, reply.body);
}

async function createSuite(q: QTest, name: string, cycleId: number, properties: Json[] = []): Promise<TestSuite> {
  const reply = await api(q, "POST", `/test-suites?parentId=${cycleId}&parentType=test-cycle`, { json: { name, properties } });
  expectStatus(reply, 200);
  return parse(testSuiteSchema, reply.body);
}

async function createRun(q: QTest, testCaseId: number, parent: { id: number; type: string }, extra: Json = {}): Promise<TestRun> {
  const reply = await api(q, "POST", `/test-runs?parentId=${parent.id}&parentType=${parent.type}`, {
    json: { test_case: { id: testCaseId }, properties: [], ...extra },
  });
  expectStatus(reply, 201);
  return parse(testRunSchema, reply.body);
}

async function createLog(q: QTest, runId: number, body: Json): Promise<TestLog> {
  const reply = await api(q, "POST", `/test-runs/${runId}/test-logs`, {
    json: { exe_start_date: "2024-03-14T00:28:22.049Z", exe_end_date: "2024-03-14T00:30:01.000Z", ...body },
  });
  expectStatus(reply, 201);
  return parse(testLogSchema, reply.body);
}

async function search(q: QTest, objectType: string, query?: string, paging = "") {
  const reply = await api(q, "POST", `/search${paging}`, {
    json: { object_type: objectType, fields: ["*"], ...(query !== undefined && { query }) },
  });
  expectStatus(reply, 200);
  return parse(pagedSchema(z.looseObject({ id: z.int() })), reply.body);
}

function property(item: { properties?: { field_name?: string | null }[] | null }, name: string) {
  return item.properties?.find((p) => p.field_name === name);
}

// ---- 1. auth -----------------------------------------------------------------------------------

describe("qTest mock: OAuth and tokens", () => {
  let mocks: RunningMocks;
  let q: QTest;
  beforeAll(async () => {
    mocks = await startMocks({ generate: 5 });
    q = mocks.qtest;
  });
  afterAll(() => mocks?.stop());

  const login = (password: string, authorization: string | null = basic("anything:")) =>
    call(q, "POST", "/oauth/token", {
      auth: authorization,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      raw: new URLSearchParams({ grant_type: "password", username: q.username, password }).toString(),
    });

  it("issues a bearer token for form-encoded password credentials and a Basic client header", async () => {
    const reply = await login(q.password);
    expectStatus(reply, 200);
    const token = parse(oauthTokenSchema, reply.body);
    expect(token.token_type).toBe("bearer");
    expect(token.access_token).not.toBe("");
    expect(token.access_token).not.toBe(q.token);

    for (const scheme of ["bearer", "Bearer"]) {
      const projects = await call(q, "GET", "/api/v3/projects", { auth: `${scheme} ${token.access_token}` });
      expectStatus(projects, 200);
      expect(parse(z.array(projectSchema), projects.body).map((p) => p.id)).toContain(q.projectId);
    }
    // The header is literally `{token_type} {access_token}`.
    const literal = await api(q, "GET", "", { auth: `${token.token_type} ${token.access_token}` });
    expectStatus(literal, 200);
  });

  it("answers 400 to a wrong password and issues nothing", async () => {
    const reply = await login(`${q.password}-wrong`);
    expectStatus(reply, 400);
    expect(reply.body).not.toHaveProperty("access_token");
  });

  it("answers 401 to a token request without the Basic client header", async () => {
    expectStatus(await login(q.password, null), 401);
  });

  it("refuses API calls with no Authorization or an unknown token (401)", async () => {
    expectStatus(await call(q, "GET", "/api/v3/projects", { auth: null }), 401);
    expectStatus(await api(q, "GET", "/test-cases", { auth: null }), 401);
    expectStatus(await call(q, "GET", "/api/v3/projects", { auth: "bearer 0123456789abcdef0123456789abcdef" }), 401);
    expectStatus(await api(q, "GET", "/modules", { auth: `bearer ${q.token}x` }), 401);
    // Nothing was created by the refused write.
    const before = q.store.counts();
    expectStatus(await api(q, "POST", "/modules", { auth: null, json: { name: "nope" } }), 401);
    expect(q.store.counts()).toEqual(before);
  });

  it("accepts the long-lived API token", async () => {
    const reply = await api(q, "GET", "", { auth: `bearer ${q.token}` });
    expectStatus(reply, 200);
    expect(parse(projectSchema, reply.body).id).toBe(q.projectId);
  });

  it("reports token status on GET /oauth/status (0 = never expires for the long-lived token)", async () => {
    const reply = await call(q, "GET", "/oauth/status");
    expectStatus(reply, 200);
    const status = parse(z.looseObject({ expiration: z.int(), validityInMilliseconds: z.int() }), reply.body);
    expect(status.expiration).toBe(0);
    expectStatus(await call(q, "GET", "/oauth/status", { auth: "bearer not-a-token" }), 401);
  });

  it("reports a finite validity on GET /oauth/status for a token issued with expires_in", async () => {
    const token = parse(oauthTokenSchema, (await login(q.password)).body);
    expect(token.expires_in).toBeGreaterThan(0);
    const reply = await call(q, "GET", "/oauth/status", { auth: `bearer ${token.access_token}` });
    expectStatus(reply, 200);
    const status = parse(z.looseObject({ expiration: z.int(), validityInMilliseconds: z.int() }), reply.body);
    // The token expires (expires_in > 0), so its status must not say "never expires" (expiration 0).
    expect(status.expiration).toBeGreaterThan(0);
    expect(status.validityInMilliseconds).toBeGreaterThan(0);
    expect(status.validityInMilliseconds).toBeLessThanOrEqual((token.expires_in ?? 0) * 1000);
  });
});

// ---- 2. every read parses with the client schemas --------------------------------------------

describe("qTest mock: reads parse with src/qtest/schemas.ts", () => {
  let mocks: RunningMocks;
  let q: QTest;
  let root: z.infer<typeof moduleSchema>;
  let child: z.infer<typeof moduleSchema>;
  let grandchild: z.infer<typeof moduleSchema>;
  let callee: TestCase;
  let caller: TestCase;
  let cycle: TestCycle;
  let subCycle: TestCycle;
  let suite: TestSuite;
  let siblingSuite: TestSuite;
  let suiteRun: TestRun;
  let cycleRun: TestRun;
  let failedLog: TestLog;
  let passedLog: TestLog;
  let attachmentId: number;

  beforeAll(async () => {
    mocks = await startMocks({ generate: 5 });
    q = mocks.qtest;
    root = await createModule(q, "Root module");
    child = await createModule(q, "Child module", root.id);
    grandchild = await createModule(q, "Grandchild module", child.id);
    const priority = await field(q, "test-cases", "Priority");
    callee = await createTestCase(q, {
      name: "Log in",
      parent_id: child.id,
      test_steps: [{ description: "Open the login page", expected: "The form is shown", order: 1 }],
    });
    caller = await createTestCase(q, {
      name: "Checkout",
      parent_id: child.id,
      description: "Buy one item",
      precondition: "A cart with one item",
      properties: [{ field_id: priority.id, field_value: allowed(priority, "High") }],
      test_steps: [
        { description: "Add an item", expected: "The cart shows 1", order: 1 },
        { description: "Call Log in", expected: "Logged in", order: 2, called_test_case_id: callee.id },
      ],
    });
    cycle = await createCycle(q, "Release 1 cycle");
    subCycle = await createCycle(q, "Sprint 1", { id: cycle.id, type: "test-cycle" });
    suite = await createSuite(q, "Smoke", subCycle.id);
    siblingSuite = await createSuite(q, "Regression", cycle.id);
    suiteRun = await createRun(q, caller.id, { id: suite.id, type: "test-suite" });
    cycleRun = await createRun(q, callee.id, { id: cycle.id, type: "test-cycle" });
    const [addStep, callStep] = caller.test_steps ?? [];
    const calleeStep = callee.test_steps?.[0];
    failedLog = await createLog(q, suiteRun.id, {
      status: { id: 602 },
      note: "First try",
      test_step_logs: [
        { test_step_id: addStep?.id, status: { id: 601 }, actual_result: "ok", order: 1 },
        {
          test_step_id: calleeStep?.id,
          called_test_case_id: callee.id,
          parent_test_step_id: callStep?.id,
          status: { id: 602 },
          actual_result: "login failed",
          order: 2,
        },
      ],
    });
    passedLog = await createLog(q, suiteRun.id, {
      status: { id: 601 },
      exe_start_date: "2024-03-15T10:00:00.000Z",
      exe_end_date: "2024-03-15T10:05:00.000Z",
      note: "Second try",
    });
    const upload = await api(q, "POST", `/test-cases/${caller.id}/blob-handles`, {
      raw: "hello",
      headers: { "File-Name": "notes.txt", "Content-Type": "text/plain" },
    });
    expectStatus(upload, 201);
    attachmentId = parse(attachmentSchema, upload.body).id;
  });
  afterAll(() => mocks?.stop());

  it("GET /projects lists the project with an X-Item-Total header; GET /projects/{id} reads it", async () => {
    const list = await call(q, "GET", "/api/v3/projects");
    expectStatus(list, 200);
    const projects = parse(z.array(projectSchema), list.body);
    expect(projects.map((p) => p.id)).toEqual([q.projectId]);
    expect(list.headers.get("X-Item-Total")).toBe(String(projects.length));
    const one = await api(q, "GET", "");
    expectStatus(one, 200);
    expect(parse(projectSchema, one.body)).toMatchObject({ id: q.projectId, name: projects[0]?.name });
  });

  it("GET /users lists the project's users", async () => {
    const reply = await api(q, "GET", "/users");
    expectStatus(reply, 200);
    const users = parse(z.array(userSchema), reply.body);
    expect(users.length).toBeGreaterThan(0);
    expect(users.map((u) => u.username)).toContain(q.username);
  });

  it("GET /settings/{objectType}/fields parses for test-cases, test-runs, test-suites and test-steps", async () => {
    for (const objectType of ["test-cases", "test-runs", "test-suites", "test-steps"]) {
      const list = await fields(q, objectType);
      expect(Array.isArray(list), objectType).toBe(true);
      if (objectType !== "test-steps")
        expect(
          list.map((f) => f.label),
          objectType,
        ).toContain("Status");
    }
    const runStatus = await field(q, "test-runs", "Status");
    expect(runStatus.allowed_values?.map((v) => v.label)).toEqual(
      expect.arrayContaining(["Passed", "Failed", "Incomplete", "Blocked", "Unexecuted"]),
    );
  });

  it("GET /settings/test-cases/fields/{id} reads one field", async () => {
    const status = await field(q, "test-cases", "Status");
    const reply = await api(q, "GET", `/settings/test-cases/fields/${status.id}`);
    expectStatus(reply, 200);
    const one = parse(fieldSchema, reply.body);
    expect(one).toMatchObject({ id: status.id, label: "Status", data_type: status.data_type });
    expect(one.allowed_values?.length).toBeGreaterThan(0);
  });

  it("GET /test-runs/execution-statuses lists Passed, Failed, Incomplete, Blocked and Unexecuted", async () => {
    const reply = await api(q, "GET", "/test-runs/execution-statuses");
    expectStatus(reply, 200);
    const statuses = parse(z.array(executionStatusSchema), reply.body);
    expect(statuses.map((s) => s.name)).toEqual(
      expect.arrayContaining(["Passed", "Failed", "Incomplete", "Blocked", "Unexecuted"]),
    );
    expect(statuses.find((s) => s.name === "Passed")?.id).toBe(601);
  });

  it("GET /modules lists roots, children by parentId, nests descendants, and reads one module", async () => {
    const roots = await api(q, "GET", "/modules");
    expectStatus(roots, 200);
    expect(parse(z.array(moduleSchema), roots.body).map((m) => m.id)).toEqual([root.id]);

    const children = await api(q, "GET", `/modules?parentId=${root.id}`);
    expectStatus(children, 200);
    const direct = parse(z.array(moduleSchema), children.body);
    expect(direct.map((m) => m.id)).toEqual([child.id]);
    expect(direct[0]?.parent_id).toBe(root.id);

    const tree = await api(q, "GET", "/modules?expand=descendants");
    expectStatus(tree, 200);
    const [top] = parse(z.array(moduleSchema), tree.body);
    expect(top?.id).toBe(root.id);
    expect(top?.children?.map((m) => m.id)).toEqual([child.id]);
    expect(top?.children?.[0]?.children?.map((m) => m.id)).toEqual([grandchild.id]);

    const one = await api(q, "GET", `/modules/${grandchild.id}`);
    expectStatus(one, 200);
    expect(parse(moduleSchema, one.body)).toMatchObject({ id: grandchild.id, name: "Grandchild module", parent_id: child.id });
  });

  it("GET /test-cases lists a module's cases with page/size; expandProps=false omits properties", async () => {
    const all = await api(q, "GET", `/test-cases?parentId=${child.id}`);
    expectStatus(all, 200);
    const cases = parse(z.array(testCaseSchema), all.body);
    expect(ids(cases)).toEqual(sorted([callee.id, caller.id]));
    expect(cases.every((c) => Array.isArray(c.properties) && c.properties.length > 0)).toBe(true);
    expect(cases.every((c) => c.test_steps == null)).toBe(true);

    const first = parse(z.array(testCaseSchema), (await api(q, "GET", `/test-cases?parentId=${child.id}&page=1&size=1`)).body);
    const second = parse(z.array(testCaseSchema), (await api(q, "GET", `/test-cases?parentId=${child.id}&page=2&size=1`)).body);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect(sorted([first[0]?.id ?? 0, second[0]?.id ?? 0])).toEqual(sorted([callee.id, caller.id]));

    const bare = await api(q, "GET", `/test-cases?parentId=${child.id}&expandProps=false`);
    expectStatus(bare, 200);
    const lean = parse(z.array(testCaseSchema), bare.body);
    expect(lean).toHaveLength(2);
    for (const c of lean) expect(c).not.toHaveProperty("properties");

    expect(parse(z.array(testCaseSchema), (await api(q, "GET", `/test-cases?parentId=${grandchild.id}`)).body)).toEqual([]);
  });

  it("GET /test-cases?expandSteps=true includes the steps, with the called test case step", async () => {
    const reply = await api(q, "GET", `/test-cases?parentId=${child.id}&expandSteps=true`);
    expectStatus(reply, 200);
    const found = parse(z.array(testCaseSchema), reply.body).find((c) => c.id === caller.id);
    expect(found?.test_steps?.map((s) => s.description)).toEqual(["Add an item", "Call Log in"]);
    expect(found?.test_steps?.[1]?.called_test_case_id).toBe(callee.id);
  });

  it("GET /test-cases/{id} and /test-cases/{pid} read one case; expand=teststep adds its steps", async () => {
    const byId = await api(q, "GET", `/test-cases/${caller.id}`);
    expectStatus(byId, 200);
    const one = parse(testCaseSchema, byId.body);
    expect(one).toMatchObject({
      id: caller.id,
      pid: caller.pid,
      name: "Checkout",
      parent_id: child.id,
      description: "Buy one item",
      precondition: "A cart with one item",
    });
    expect(property(one, "Priority")).toMatchObject({ field_value_name: "High" });
    expect(caller.pid).toMatch(/^TC-\d+$/);

    const byPid = await api(q, "GET", `/test-cases/${caller.pid}`);
    expectStatus(byPid, 200);
    expect(parse(testCaseSchema, byPid.body).id).toBe(caller.id);

    const expanded = await api(q, "GET", `/test-cases/${caller.id}?expand=teststep`);
    expectStatus(expanded, 200);
    expect(parse(testCaseSchema, expanded.body).test_steps).toHaveLength(2);
  });

  it("GET /test-cases/{id}/test-steps and /test-steps/{stepId} read steps", async () => {
    const list = await api(q, "GET", `/test-cases/${caller.id}/test-steps`);
    expectStatus(list, 200);
    const steps = parse(z.array(testStepSchema), list.body);
    expect(steps.map((s) => [s.order, s.description, s.expected])).toEqual([
      [1, "Add an item", "The cart shows 1"],
      [2, "Call Log in", "Logged in"],
    ]);
    expect(steps[1]).toMatchObject({ called_test_case_id: callee.id });

    const stepId = steps[1]?.id ?? 0;
    const one = await api(q, "GET", `/test-cases/${caller.id}/test-steps/${stepId}`);
    expectStatus(one, 200);
    expect(parse(testStepSchema, one.body)).toMatchObject({
      id: stepId,
      description: "Call Log in",
      called_test_case_id: callee.id,
    });
  });

  it("GET /test-cycles lists roots, children by parentId&parentType=test-cycle, and hyphenated descendants", async () => {
    const roots = await api(q, "GET", "/test-cycles");
    expectStatus(roots, 200);
    expect(parse(z.array(testCycleSchema), roots.body).map((c) => c.id)).toEqual([cycle.id]);

    const explicitRoot = await api(q, "GET", "/test-cycles?parentType=root");
    expectStatus(explicitRoot, 200);
    expect(parse(z.array(testCycleSchema), explicitRoot.body).map((c) => c.id)).toEqual([cycle.id]);

    const children = await api(q, "GET", `/test-cycles?parentId=${cycle.id}&parentType=test-cycle`);
    expectStatus(children, 200);
    expect(parse(z.array(testCycleSchema), children.body).map((c) => c.id)).toEqual([subCycle.id]);

    const tree = await api(q, "GET", "/test-cycles?expand=descendants");
    expectStatus(tree, 200);
    const [top] = parse(z.array(testCycleSchema), tree.body);
    expect(top?.id).toBe(cycle.id);
    expect(top?.["test-cycles"]?.map((c) => c.id)).toEqual([subCycle.id]);
    expect(top?.["test-suites"]?.map((s) => s.id)).toEqual([siblingSuite.id]);
    expect(top?.["test-cycles"]?.[0]?.["test-suites"]?.map((s) => s.id)).toEqual([suite.id]);

    const one = await api(q, "GET", `/test-cycles/${subCycle.id}`);
    expectStatus(one, 200);
    expect(parse(testCycleSchema, one.body)).toMatchObject({ id: subCycle.id, name: "Sprint 1" });
  });

  // Swagger, getTestCycles.parentId: "Input 0 (zero) to get Test Cycles directly under root".
  it("GET /test-cycles?parentId=0 lists the root cycles", async () => {
    const cycles = await api(q, "GET", "/test-cycles?parentId=0");
    expectStatus(cycles, 200);
    expect(parse(z.array(testCycleSchema), cycles.body).map((c) => c.id)).toEqual([cycle.id]);
  });

  // Swagger, getOf (GET /test-runs).parentId: "Input 0 (zero) to retrieve Test Runs directly under root".
  it("GET /test-runs?parentId=0 lists the runs directly under root", async () => {
    const rootRun = await createRun(q, callee.id, { id: 0, type: "root" });
    try {
      const runs = await api(q, "GET", "/test-runs?parentId=0");
      expectStatus(runs, 200);
      expect(parse(pagedRuns, runs.body).items.map((r) => r.id)).toEqual([rootRun.id]);
    } finally {
      // The other tests of this block count every run.
      expectStatus(await api(q, "DELETE", `/test-runs/${rootRun.id}`), 200);
    }
  });

  it("GET /test-suites lists a cycle's suites and reads one", async () => {
    const list = await api(q, "GET", `/test-suites?parentId=${subCycle.id}&parentType=test-cycle`);
    expectStatus(list, 200);
    const suites = parse(z.array(testSuiteSchema), list.body);
    expect(suites.map((s) => s.id)).toEqual([suite.id]);
    expect(suites[0]).toMatchObject({ parentId: subCycle.id, parentType: "test-cycle", name: "Smoke" });
    const one = await api(q, "GET", `/test-suites/${siblingSuite.id}`);
    expectStatus(one, 200);
    expect(parse(testSuiteSchema, one.body)).toMatchObject({ id: siblingSuite.id, parentId: cycle.id });
  });

  it("GET /test-runs is paged {page,page_size,total,items} by suite, by cycle, and with expand=descendants", async () => {
    const bySuite = parse(pagedRuns, (await api(q, "GET", `/test-runs?parentId=${suite.id}&parentType=test-suite`)).body);
    expect(bySuite).toMatchObject({ page: 1, page_size: 100, total: 1 });
    expect(bySuite.items.map((r) => r.id)).toEqual([suiteRun.id]);
    expect(bySuite.items[0]).toMatchObject({
      parentId: suite.id,
      parentType: "test-suite",
      test_case: { id: caller.id },
      test_case_version_id: caller.test_case_version_id,
    });

    const byCycle = parse(pagedRuns, (await api(q, "GET", `/test-runs?parentId=${cycle.id}&parentType=test-cycle`)).body);
    expect(byCycle.items.map((r) => r.id)).toEqual([cycleRun.id]);
    expect(byCycle.total).toBe(1);

    const reply = await api(q, "GET", `/test-runs?parentId=${cycle.id}&parentType=test-cycle&expand=descendants`);
    expectStatus(reply, 200);
    const all = parse(pagedRuns, reply.body);
    expect(all.total).toBe(2);
    expect(ids(all.items)).toEqual(sorted([suiteRun.id, cycleRun.id]));

    const one = await api(q, "GET", `/test-runs/${cycleRun.id}`);
    expectStatus(one, 200);
    expect(parse(testRunSchema, one.body)).toMatchObject({ id: cycleRun.id, pid: cycleRun.pid, name: "Log in" });
  });

  it("GET /test-runs/{id}/test-logs is paged; one log and last-run read with step logs", async () => {
    const list = await api(q, "GET", `/test-runs/${suiteRun.id}/test-logs`);
    expectStatus(list, 200);
    const logs = parse(pagedLogs, list.body);
    expect(logs.total).toBe(2);
    expect(ids(logs.items)).toEqual(sorted([failedLog.id, passedLog.id]));

    const one = await api(q, "GET", `/test-runs/${suiteRun.id}/test-logs/${failedLog.id}`);
    expectStatus(one, 200);
    const log = parse(testLogSchema, one.body);
    expect(log).toMatchObject({
      id: failedLog.id,
      status: { id: 602 },
      note: "First try",
      exe_start_date: "2024-03-14T00:28:22.049Z",
    });
    expect(log.test_step_logs?.map((s) => [s.status?.id, s.actual_result])).toEqual([
      [601, "ok"],
      [602, "login failed"],
    ]);
    expect(log.test_step_logs?.[1]).toMatchObject({
      called_test_case_id: callee.id,
      parent_test_step_id: caller.test_steps?.[1]?.id,
    });

    const last = await api(q, "GET", `/test-runs/${suiteRun.id}/test-logs/last-run`);
    expectStatus(last, 200);
    expect(parse(testLogSchema, last.body)).toMatchObject({ id: passedLog.id, status: { id: 601 } });
  });

  it("POST /search results parse for test-cases, test-runs, test-suites, test-cycles and test-logs", async () => {
    const cases = await api(q, "POST", "/search", {
      json: { object_type: "test-cases", fields: ["*"], query: "'Name' = 'Checkout'" },
    });
    expectStatus(cases, 200);
    expect(parse(pagedSchema(testCaseSchema), cases.body).items.map((c) => c.id)).toEqual([caller.id]);

    const runs = await api(q, "POST", "/search", { json: { object_type: "test-runs", fields: ["*"] } });
    expectStatus(runs, 200);
    expect(ids(parse(pagedRuns, runs.body).items)).toEqual(sorted([suiteRun.id, cycleRun.id]));

    const suites = await api(q, "POST", "/search", { json: { object_type: "test-suites", fields: ["*"] } });
    expectStatus(suites, 200);
    expect(ids(parse(pagedSchema(testSuiteSchema), suites.body).items)).toEqual(sorted([suite.id, siblingSuite.id]));

    const cycles = await api(q, "POST", "/search", { json: { object_type: "test-cycles", fields: ["*"] } });
    expectStatus(cycles, 200);
    expect(ids(parse(pagedSchema(testCycleSchema), cycles.body).items)).toEqual(sorted([cycle.id, subCycle.id]));

    const logs = await api(q, "POST", "/search", { json: { object_type: "test-logs", fields: ["*"] } });
    expectStatus(logs, 200);
    expect(ids(parse(pagedLogs, logs.body).items)).toEqual(sorted([failedLog.id, passedLog.id]));
  });

  it("GET /{objectType}/{id}/attachments lists attachments", async () => {
    const reply = await api(q, "GET", `/test-cases/${caller.id}/attachments`);
    expectStatus(reply, 200);
    const list = parse(z.array(attachmentSchema), reply.body);
    expect(list.map((a) => [a.id, a.name, a.content_type])).toEqual([[attachmentId, "notes.txt", "text/plain"]]);
    const none = await api(q, "GET", `/test-cases/${callee.id}/attachments`);
    expectStatus(none, 200);
    expect(parse(z.array(attachmentSchema), none.body)).toEqual([]);
  });
});

// ---- 3. paging ---------------------------------------------------------------------------------

describe("qTest mock: paging", () => {
  let mocks: RunningMocks;
  let q: QTest;
  let module: z.infer<typeof moduleSchema>;
  let suite: TestSuite;
  const caseIds: number[] = [];
  const runIds: number[] = [];

  beforeAll(async () => {
    mocks = await startMocks({ generate: 5 });
    q = mocks.qtest;
    module = await createModule(q, "Bulk");
    for (let i = 1; i <= 45; i++) caseIds.push((await createTestCase(q, { name: `Case ${i}`, parent_id: module.id })).id);
    const cycle = await createCycle(q, "Bulk cycle");
    suite = await createSuite(q, "Bulk suite", cycle.id);
    for (let i = 0; i < 45; i++) {
      runIds.push((await createRun(q, caseIds[i] ?? 0, { id: suite.id, type: "test-suite" }, { name: `Run ${i + 1}` })).id);
    }
  });
  afterAll(() => mocks?.stop());

  it("walks 45 test runs with page/pageSize=10: each run once, total 45 on every page", async () => {
    const seen: number[] = [];
    for (let page = 1; page <= 6; page++) {
      const reply = await api(q, "GET", `/test-runs?parentId=${suite.id}&parentType=test-suite&page=${page}&pageSize=10`);
      expectStatus(reply, 200);
      const body = parse(pagedRuns, reply.body);
      expect(body).toMatchObject({ page, page_size: 10, total: 45 });
      expect(body.items).toHaveLength(page <= 4 ? 10 : page === 5 ? 5 : 0);
      seen.push(...body.items.map((r) => r.id));
    }
    expect(seen).toHaveLength(45);
    expect(sorted(seen)).toEqual(sorted(runIds));
  });

  it("walks 45 test cases with page/size=7: each case once, then an empty page", async () => {
    const seen: number[] = [];
    for (let page = 1; page <= 8; page++) {
      const reply = await api(q, "GET", `/test-cases?parentId=${module.id}&page=${page}&size=7`);
      expectStatus(reply, 200);
      const items = parse(z.array(testCaseSchema), reply.body);
      expect(items).toHaveLength(page <= 6 ? 7 : page === 7 ? 3 : 0);
      seen.push(...items.map((c) => c.id));
    }
    expect(seen).toHaveLength(45);
    expect(sorted(seen)).toEqual(sorted(caseIds));
  });

  it("pages search results", async () => {
    const seen: number[] = [];
    for (let page = 1; page <= 3; page++) {
      const body = await search(q, "test-runs", "'Name' ~ 'Run'", `?page=${page}&pageSize=20`);
      expect(body).toMatchObject({ page, page_size: 20, total: 45 });
      expect(body.items).toHaveLength(page < 3 ? 20 : 5);
      seen.push(...body.items.map((r) => r.id));
    }
    expect(sorted(seen)).toEqual(sorted(runIds));
  });

  it("answers 400 to pageSize above 999", async () => {
    expectError(await api(q, "GET", `/test-runs?parentId=${suite.id}&parentType=test-suite&pageSize=1000`), 400, /pageSize/);
    expectError(await api(q, "POST", "/search?pageSize=1000", { json: { object_type: "test-runs" } }), 400, /pageSize/);
    const ok = await api(q, "GET", `/test-runs?parentId=${suite.id}&parentType=test-suite&pageSize=999`);
    expectStatus(ok, 200);
    expect(parse(pagedRuns, ok.body).items).toHaveLength(45);
  });
});

// ---- 4. write validation -----------------------------------------------------------------------

describe("qTest mock: write validation", () => {
  let mocks: RunningMocks;
  let q: QTest;
  let module: z.infer<typeof moduleSchema>;
  let testCase: TestCase;
  let suite: TestSuite;
  let run: TestRun;
  let status: Field;
  let assignedTo: Field;
  let estimate: Field;

  beforeAll(async () => {
    mocks = await startMocks({ generate: 5 });
    q = mocks.qtest;
    module = await createModule(q, "Validation");
    testCase = await createTestCase(q, { name: "Valid case", parent_id: module.id });
    const cycle = await createCycle(q, "Validation cycle");
    suite = await createSuite(q, "Validation suite", cycle.id);
    run = await createRun(q, testCase.id, { id: suite.id, type: "test-suite" });
    await createLog(q, run.id, { status: { id: 601 } });
    status = await field(q, "test-cases", "Status");
    assignedTo = await field(q, "test-cases", "Assigned To");
    estimate = await createField(q, "test-cases", { label: "Estimate", data_type: 7 });
  });
  afterAll(() => mocks?.stop());

  /** A 400 whose message matches the patterns, and nothing written. */
  async function rejected(request: () => Promise<Reply>, ...patterns: RegExp[]): Promise<string> {
    const before = q.store.counts();
    const message = expectError(await request(), 400, ...patterns);
    expect(q.store.counts()).toEqual(before);
    return message;
  }

  const postCase = (body: Json) => () => api(q, "POST", "/test-cases", { json: body });
  const postRun = (body: Json) => () => api(q, "POST", `/test-runs?parentId=${suite.id}&parentType=test-suite`, { json: body });
  const postLog = (body: Json) => () => api(q, "POST", `/test-runs/${run.id}/test-logs`, { json: body });
  const start = "2024-03-14T00:28:22.049Z";
  const end = "2024-03-14T00:30:01.000Z";

  it("rejects a test case without name", async () => {
    await rejected(postCase({ parent_id: module.id, properties: [] }), /name/);
  });

  it("rejects a test run without test_case", async () => {
    await rejected(postRun({ name: "No case", properties: [] }), /test_case/);
  });

  it("rejects a test log without status or without exe_start_date", async () => {
    await rejected(postLog({ exe_start_date: start, exe_end_date: end }), /status/);
    await rejected(postLog({ status: { id: 601 }, exe_end_date: end }), /exe_start_date/);
  });

  it("rejects an unknown field_id", async () => {
    await rejected(
      postCase({ name: "Bad field", parent_id: module.id, properties: [{ field_id: 424242, field_value: "x" }] }),
      /424242/,
    );
  });

  it("rejects a value outside the field's allowed values and lists the allowed ones", async () => {
    const message = await rejected(
      postCase({ name: "Bad status", parent_id: module.id, properties: [{ field_id: status.id, field_value: "999" }] }),
      /999/,
      /Status/,
    );
    for (const value of status.allowed_values ?? []) {
      expect(message).toContain(String(value.value));
      expect(message).toContain(value.label);
    }
  });

  it("rejects a non-numeric value for a Number field", async () => {
    await rejected(
      postCase({ name: "Bad number", parent_id: module.id, properties: [{ field_id: estimate.id, field_value: "three" }] }),
      /Estimate/,
      /three/,
      /number/i,
    );
    // and accepts a number
    const ok = await createTestCase(q, {
      name: "Good number",
      parent_id: module.id,
      properties: [{ field_id: estimate.id, field_value: "3" }],
    });
    expect(property(ok, "Estimate")).toMatchObject({ field_value: "3" });
    expectStatus(await api(q, "DELETE", `/test-cases/${ok.id}`), 200);
  });

  it("rejects a user-list value that is not a project user", async () => {
    await rejected(
      postCase({ name: "Bad user", parent_id: module.id, properties: [{ field_id: assignedTo.id, field_value: "123456789" }] }),
      /123456789/,
      /user/i,
    );
  });

  it("rejects a test log whose status is not an execution status", async () => {
    await rejected(postLog({ status: { id: 999 }, exe_start_date: start, exe_end_date: end }), /999/, /601/);
    await rejected(
      postLog({ status: { id: 601 }, exe_start_date: start, exe_end_date: end, test_step_logs: [{ status: { id: 998 } }] }),
      /998/,
    );
  });

  it("rejects exe_end_date before exe_start_date", async () => {
    await rejected(postLog({ status: { id: 601 }, exe_start_date: end, exe_end_date: start }), /exe_end_date/, /exe_start_date/);
  });

  it("rejected creates consumed no pid: the next test case and test run get the next numbers", async () => {
    const nextCase = await createTestCase(q, { name: "After the rejections", parent_id: module.id });
    expect(testCase.pid).toBe("TC-1");
    // TC-2 went to "Good number" (created and deleted above); pids are never reused.
    expect(nextCase.pid).toBe("TC-3");
    const nextRun = await createRun(q, nextCase.id, { id: suite.id, type: "test-suite" });
    expect(run.pid).toBe("TR-1");
    expect(nextRun.pid).toBe("TR-2");
  });
});

describe("qTest mock: required custom fields", () => {
  let mocks: RunningMocks;
  let q: QTest;
  let required: Field;

  beforeAll(async () => {
    mocks = await startMocks({ generate: 5 });
    q = mocks.qtest;
    required = await createField(q, "test-cases", { label: "Component", data_type: 1, required: true });
  });
  afterAll(() => mocks?.stop());

  it("creates the field as required", () => {
    expect(required).toMatchObject({ label: "Component", required: true, system_field: false });
  });

  it("rejects a test case without the required field, and accepts one with it", async () => {
    const before = q.store.counts();
    expectError(
      await api(q, "POST", "/test-cases", { json: { name: "Missing", properties: [] } }),
      400,
      /Component/,
      /required/i,
    );
    expect(q.store.counts()).toEqual(before);

    const ok = await createTestCase(q, { name: "Complete", properties: [{ field_id: required.id, field_value: "Checkout" }] });
    expect(property(ok, "Component")).toMatchObject({ field_id: required.id, field_value: "Checkout" });
    expect(ok.pid).toBe("TC-1");
  });
});

// ---- 5 & 6. field settings and search ----------------------------------------------------------

describe("qTest mock: custom fields and POST /search", () => {
  let mocks: RunningMocks;
  let q: QTest;
  const key: Record<string, Field> = {};
  let caseA: TestCase;
  let caseB: TestCase;
  let caseC: TestCase;
  let suiteA: TestSuite;
  let suiteB: TestSuite;
  let runA: TestRun;
  let runB: TestRun;
  let logA: TestLog;
  let logB: TestLog;

  beforeAll(async () => {
    mocks = await startMocks({ generate: 5 });
    q = mocks.qtest;
    for (const objectType of ["test-runs", "test-suites"]) {
      key[objectType] = await createField(q, objectType, { label: "Zephyr Key", data_type: 1 });
    }
  });
  afterAll(() => mocks?.stop());

  it("POST /settings/test-cases/fields creates the text field 'Zephyr Key' (201) that GET .../fields lists", async () => {
    const reply = await api(q, "POST", "/settings/test-cases/fields", { json: { label: "Zephyr Key", data_type: 1 } });
    expectStatus(reply, 201);
    const created = parse(fieldSchema, reply.body);
    expect(created).toMatchObject({ label: "Zephyr Key", data_type: 1, system_field: false, is_active: true });
    key["test-cases"] = created;
    const listed = (await fields(q, "test-cases")).find((f) => f.id === created.id);
    expect(listed).toMatchObject({ label: "Zephyr Key", data_type: 1 });
  });

  it("refuses a second field with the same label (400)", async () => {
    const before = await fields(q, "test-cases");
    expectError(
      await api(q, "POST", "/settings/test-cases/fields", { json: { label: "Zephyr Key", data_type: 1 } }),
      400,
      /Zephyr Key/,
    );
    expect(await fields(q, "test-cases")).toHaveLength(before.length);
  });

  it("shows the custom property on a test case with field_name 'Zephyr Key'", async () => {
    const priority = await field(q, "test-cases", "Priority");
    const zk = key["test-cases"]?.id ?? 0;
    const make = (name: string, zephyrKey: string, level: string) =>
      createTestCase(q, {
        name,
        properties: [
          { field_id: zk, field_value: zephyrKey },
          { field_id: priority.id, field_value: allowed(priority, level) },
        ],
      });
    caseA = await make("Alpha", "DEMO-T5", "High");
    caseB = await make("Beta", "DEMO-T6", "High");
    caseC = await make("Gamma", "DEMO-T7", "Low");
    expect(property(caseA, "Zephyr Key")).toMatchObject({ field_id: zk, field_value: "DEMO-T5" });
    const read = parse(testCaseSchema, (await api(q, "GET", `/test-cases/${caseA.id}`)).body);
    expect(property(read, "Zephyr Key")).toMatchObject({ field_id: zk, field_name: "Zephyr Key", field_value: "DEMO-T5" });

    const cycle = await createCycle(q, "Search cycle");
    const suiteKey = key["test-suites"]?.id ?? 0;
    suiteA = await createSuite(q, "Suite A", cycle.id, [{ field_id: suiteKey, field_value: "DEMO-T5" }]);
    suiteB = await createSuite(q, "Suite B", cycle.id, [{ field_id: suiteKey, field_value: "DEMO-T6" }]);
    const runKey = key["test-runs"]?.id ?? 0;
    runA = await createRun(
      q,
      caseA.id,
      { id: suiteA.id, type: "test-suite" },
      { properties: [{ field_id: runKey, field_value: "DEMO-T5" }] },
    );
    runB = await createRun(q, caseB.id, { id: suiteB.id, type: "test-suite" });
    logA = await createLog(q, runB.id, { status: { id: 601 }, properties: [{ field_id: runKey, field_value: "DEMO-T5" }] });
    logB = await createLog(q, runA.id, { status: { id: 602 }, properties: [{ field_id: runKey, field_value: "DEMO-T9" }] });
    expect(property(suiteA, "Zephyr Key")).toMatchObject({ field_value: "DEMO-T5" });
    expect(property(runA, "Zephyr Key")).toMatchObject({ field_value: "DEMO-T5" });
  });

  it("'Zephyr Key' = 'DEMO-T5' finds exactly the carrying entity over test-cases, test-runs, test-suites and test-logs", async () => {
    const query = "'Zephyr Key' = 'DEMO-T5'";
    expect((await search(q, "test-cases", query)).items.map((i) => i.id)).toEqual([caseA.id]);
    expect((await search(q, "test-runs", query)).items.map((i) => i.id)).toEqual([runA.id]);
    expect((await search(q, "test-suites", query)).items.map((i) => i.id)).toEqual([suiteA.id]);
    expect((await search(q, "test-logs", query)).items.map((i) => i.id)).toEqual([logA.id]);
    expect((await search(q, "test-logs", "'Zephyr Key' = 'DEMO-T9'")).items.map((i) => i.id)).toEqual([logB.id]);
    const none = await search(q, "test-cases", "'Zephyr Key' = 'DEMO-T404'");
    expect(none).toMatchObject({ total: 0, items: [] });
  });

  it("'Last Modified Date' >= <iso> finds only what was modified after the mark", async () => {
    await sleep(15);
    const mark = new Date().toISOString();
    await sleep(15);
    const updatedCase = await api(q, "PUT", `/test-cases/${caseB.id}`, { json: { name: "Beta (edited)" } });
    expectStatus(updatedCase, 200);
    const updatedRun = await api(q, "PUT", `/test-runs/${runB.id}`, { json: { name: "Run B (edited)" } });
    expectStatus(updatedRun, 200);

    const query = `'Last Modified Date' >= '${mark}'`;
    expect((await search(q, "test-cases", query)).items.map((i) => i.id)).toEqual([caseB.id]);
    expect((await search(q, "test-runs", query)).items.map((i) => i.id)).toEqual([runB.id]);
    expect((await search(q, "test-suites", query)).items).toEqual([]);
    const before = await search(q, "test-cases", `'Last Modified Date' < '${mark}'`);
    expect(ids(before.items)).toEqual(sorted([caseA.id, caseC.id]));
  });

  it("combines criteria with and / or", async () => {
    const or = await search(q, "test-cases", "'Zephyr Key' = 'DEMO-T5' or 'Zephyr Key' = 'DEMO-T6'");
    expect(ids(or.items)).toEqual(sorted([caseA.id, caseB.id]));
    expect(or.total).toBe(2);
    const and = await search(q, "test-cases", "'Priority' = 'High' and 'Zephyr Key' = 'DEMO-T6'");
    expect(and.items.map((i) => i.id)).toEqual([caseB.id]);
    const nothing = await search(q, "test-cases", "'Priority' = 'High' and 'Zephyr Key' = 'DEMO-T7'");
    expect(nothing.items).toEqual([]);
    const low = await search(q, "test-cases", "'Priority' = 'Low' or 'Zephyr Key' ~ 'T5'");
    expect(ids(low.items)).toEqual(sorted([caseA.id, caseC.id]));
  });

  it("answers 400 to an invalid query or object_type", async () => {
    expectError(
      await api(q, "POST", "/search", { json: { object_type: "test-cases", query: "'Zephyr Key' = " } }),
      400,
      /query/i,
    );
    expectError(
      await api(q, "POST", "/search", { json: { object_type: "test-cases", query: "'Zephyr Key' 'DEMO-T5'" } }),
      400,
      /query/i,
    );
    expectError(await api(q, "POST", "/search", { json: { object_type: "widgets" } }), 400, /object_type/);
  });

  // Swagger, searchArtifact body: quotes are needed only "If there are spaces in the criteria name".
  it("accepts an unquoted one-word criteria name (Name ~ 'Alpha')", async () => {
    const contains = await search(q, "test-cases", "Name ~ 'Alpha'");
    expect(contains.items.map((i) => i.id)).toEqual([caseA.id]);
  });

  // Swagger, searchArtifact body: "Use operator is not empty in the following way: is 'not empty'".
  it("accepts the is 'not empty' operator", async () => {
    const notEmpty = await search(q, "test-runs", "'Zephyr Key' is 'not empty'");
    expect(notEmpty.items.map((i) => i.id)).toEqual([runA.id]);
  });
});

// ---- 7. behaviour ------------------------------------------------------------------------------

describe("qTest mock: behaviour", () => {
  let mocks: RunningMocks;
  let q: QTest;
  let cycle: TestCycle;
  let suite: TestSuite;
  let otherSuite: TestSuite;

  beforeAll(async () => {
    mocks = await startMocks({ generate: 5 });
    q = mocks.qtest;
    cycle = await createCycle(q, "Behaviour cycle");
    suite = await createSuite(q, "Suite 1", cycle.id);
    otherSuite = await createSuite(q, "Suite 2", cycle.id);
  });
  afterAll(() => mocks?.stop());

  it("an update makes a new test_case_version_id and version", async () => {
    const module = await createModule(q, "Versions");
    const created = await createTestCase(q, {
      name: "Versioned",
      parent_id: module.id,
      test_steps: [{ description: "a", expected: "b" }],
    });
    const reply = await api(q, "PUT", `/test-cases/${created.id}`, { json: { name: "Versioned v2" } });
    expectStatus(reply, 200);
    const updated = parse(testCaseSchema, reply.body);
    expect(updated.name).toBe("Versioned v2");
    expect(updated.test_case_version_id).not.toBe(created.test_case_version_id);
    expect(updated.version).not.toBe(created.version);
    const read = parse(testCaseSchema, (await api(q, "GET", `/test-cases/${created.id}`)).body);
    expect(read).toMatchObject({
      name: "Versioned v2",
      test_case_version_id: updated.test_case_version_id,
      version: updated.version,
    });
    // A run created now pins the new version.
    const run = await createRun(q, created.id, { id: suite.id, type: "test-suite" });
    expect(run.test_case_version_id).toBe(updated.test_case_version_id);
  });

  it("a run's Status follows its latest log, and latest_test_log is set", async () => {
    const module = await createModule(q, "Status");
    const tc = await createTestCase(q, { name: "Status case", parent_id: module.id });
    const run = await createRun(q, tc.id, { id: suite.id, type: "test-suite" });
    expect(property(run, "Status")).toMatchObject({ field_value_name: "Unexecuted" });
    expect(run.latest_test_log ?? undefined).toBeUndefined();

    const passed = await createLog(q, run.id, { status: { id: 601 } });
    const afterPass = parse(testRunSchema, (await api(q, "GET", `/test-runs/${run.id}`)).body);
    expect(property(afterPass, "Status")).toMatchObject({ field_value: "601", field_value_name: "Passed" });
    expect(afterPass.latest_test_log?.status).toBe("Passed");

    const failed = await createLog(q, run.id, {
      status: { id: 602 },
      exe_start_date: "2024-03-15T00:00:00.000Z",
      exe_end_date: "2024-03-15T00:01:00.000Z",
    });
    expect(failed.id).not.toBe(passed.id);
    const afterFail = parse(testRunSchema, (await api(q, "GET", `/test-runs/${run.id}`)).body);
    expect(property(afterFail, "Status")).toMatchObject({ field_value: "602", field_value_name: "Failed" });
    expect(afterFail.latest_test_log?.status).toBe("Failed");
  });

  it("latest_test_log is a ShortTestLogResource {id, status, exe_start_date, exe_end_date}", async () => {
    const module = await createModule(q, "Short log");
    const tc = await createTestCase(q, { name: "Short log case", parent_id: module.id });
    const run = await createRun(q, tc.id, { id: suite.id, type: "test-suite" });
    const log = await createLog(q, run.id, { status: { id: 601 } });
    const read = parse(testRunSchema, (await api(q, "GET", `/test-runs/${run.id}`)).body);
    expect(read.latest_test_log).toMatchObject({
      id: log.id,
      status: "Passed",
      exe_start_date: log.exe_start_date,
      exe_end_date: log.exe_end_date,
    });
  });

  it("deleting a non-empty module needs force=true, which removes its test cases", async () => {
    const module = await createModule(q, "Doomed");
    const sub = await createModule(q, "Doomed child", module.id);
    const tc = await createTestCase(q, { name: "Doomed case", parent_id: sub.id });
    const before = q.store.counts();
    expectError(await api(q, "DELETE", `/modules/${module.id}`), 400, /force/);
    expect(q.store.counts()).toEqual(before);
    expectStatus(await api(q, "GET", `/test-cases/${tc.id}`), 200);

    expectStatus(await api(q, "DELETE", `/modules/${module.id}?force=true`), 200);
    expectStatus(await api(q, "GET", `/modules/${module.id}`), 404);
    expectStatus(await api(q, "GET", `/modules/${sub.id}`), 404);
    expectStatus(await api(q, "GET", `/test-cases/${tc.id}`), 404);

    const empty = await createModule(q, "Empty");
    expectStatus(await api(q, "DELETE", `/modules/${empty.id}`), 200);
    expectStatus(await api(q, "GET", `/modules/${empty.id}`), 404);
  });

  it("deleting a test case removes its runs", async () => {
    const module = await createModule(q, "Cascade");
    const tc = await createTestCase(q, { name: "Cascade case", parent_id: module.id });
    const keep = await createTestCase(q, { name: "Kept case", parent_id: module.id });
    const run = await createRun(q, tc.id, { id: otherSuite.id, type: "test-suite" });
    const kept = await createRun(q, keep.id, { id: otherSuite.id, type: "test-suite" });
    await createLog(q, run.id, { status: { id: 601 } });

    expectStatus(await api(q, "DELETE", `/test-cases/${tc.id}`), 200);
    expectStatus(await api(q, "GET", `/test-cases/${tc.id}`), 404);
    expectStatus(await api(q, "GET", `/test-runs/${run.id}`), 404);
    const remaining = parse(pagedRuns, (await api(q, "GET", `/test-runs?parentId=${otherSuite.id}&parentType=test-suite`)).body);
    expect(remaining.items.map((r) => r.id)).toContain(kept.id);
    expect(remaining.items.map((r) => r.id)).not.toContain(run.id);
  });

  it("PUT /test-runs/{id}?parentId&parentType moves the run and ignores the body", async () => {
    const module = await createModule(q, "Moves");
    const tc = await createTestCase(q, { name: "Mover", parent_id: module.id });
    const run = await createRun(q, tc.id, { id: suite.id, type: "test-suite" }, { name: "Original name" });
    const reply = await api(q, "PUT", `/test-runs/${run.id}?parentId=${otherSuite.id}&parentType=test-suite`, {
      json: { name: "Ignored name", properties: [] },
    });
    expectStatus(reply, 200);
    const moved = parse(testRunSchema, reply.body);
    expect(moved).toMatchObject({ id: run.id, name: "Original name", parentId: otherSuite.id, parentType: "test-suite" });

    const from = parse(pagedRuns, (await api(q, "GET", `/test-runs?parentId=${suite.id}&parentType=test-suite`)).body);
    const to = parse(pagedRuns, (await api(q, "GET", `/test-runs?parentId=${otherSuite.id}&parentType=test-suite`)).body);
    expect(from.items.map((r) => r.id)).not.toContain(run.id);
    expect(to.items.map((r) => r.id)).toContain(run.id);
    const read = parse(testRunSchema, (await api(q, "GET", `/test-runs/${run.id}`)).body);
    expect(read).toMatchObject({ name: "Original name", parentId: otherSuite.id });

    // Without the query parameters the body is applied.
    const renamed = await api(q, "PUT", `/test-runs/${run.id}`, { json: { name: "Renamed" } });
    expectStatus(renamed, 200);
    expect(parse(testRunSchema, renamed.body)).toMatchObject({ name: "Renamed", parentId: otherSuite.id });
  });

  it("PUT /test-runs/{id}/test-logs/{logId} modifies a manual log; the marker stays; the run's status follows", async () => {
    const marker = await createField(q, "test-runs", { label: "Log Marker", data_type: 1 });
    const note = await createField(q, "test-runs", { label: "Log Note", data_type: 1 });
    const module = await createModule(q, "Modified logs");
    const tc = await createTestCase(q, {
      name: "Modified log case",
      parent_id: module.id,
      test_steps: [
        { description: "open", expected: "form" },
        { description: "submit", expected: "dashboard" },
      ],
    });
    const [step1, step2] = tc.test_steps ?? [];
    const run = await createRun(q, tc.id, { id: suite.id, type: "test-suite" });
    const created = await createLog(q, run.id, {
      status: { id: 602 },
      note: "first",
      properties: [
        { field_id: marker.id, field_value: "DEMO-E7" },
        { field_id: note.id, field_value: "before" },
      ],
      test_step_logs: [
        { test_step_id: step1?.id, status: { id: 601 }, actual_result: "ok", order: 1 },
        { test_step_id: step2?.id, status: { id: 602 }, actual_result: "broken", order: 2 },
      ],
    });
    const runBefore = parse(testRunSchema, (await api(q, "GET", `/test-runs/${run.id}`)).body);
    expect(runBefore.latest_test_log?.status).toBe("Failed");
    await sleep(5);

    const reply = await api(q, "PUT", `/test-runs/${run.id}/test-logs/${created.id}`, {
      json: {
        status: { id: 601 },
        exe_start_date: "2024-04-01T10:00:00.000Z",
        exe_end_date: "2024-04-01T10:02:00.000Z",
        properties: [{ field_id: note.id, field_value: "after" }],
        test_step_logs: [{ status: { id: 601 }, actual_result: "fixed", order: 2 }],
      },
    });
    expectStatus(reply, 200);
    const updated = parse(testLogSchema, reply.body);
    expect(updated).toMatchObject({
      id: created.id,
      status: { id: 601 },
      note: "first",
      exe_start_date: "2024-04-01T10:00:00.000Z",
      exe_end_date: "2024-04-01T10:02:00.000Z",
    });
    expect(property(updated, "Log Marker")).toMatchObject({ field_value: "DEMO-E7" });
    expect(property(updated, "Log Note")).toMatchObject({ field_value: "after" });
    expect(updated.test_step_logs?.map((s) => [s.order, s.status?.id, s.actual_result, s.description])).toEqual([
      [1, 601, "ok", "open"],
      [2, 601, "fixed", "submit"],
    ]);
    // Read back: the same log (no new one), found by its marker, and the run now Passed.
    const logs = parse(pagedLogs, (await api(q, "GET", `/test-runs/${run.id}/test-logs`)).body);
    expect(logs.items.map((l) => l.id)).toEqual([created.id]);
    expect(parse(testLogSchema, (await api(q, "GET", `/test-runs/${run.id}/test-logs/${created.id}`)).body)).toMatchObject({
      status: { id: 601 },
      exe_end_date: "2024-04-01T10:02:00.000Z",
    });
    expect(ids((await search(q, "test-logs", "'Log Marker' = 'DEMO-E7'")).items)).toEqual([created.id]);
    const runAfter = parse(testRunSchema, (await api(q, "GET", `/test-runs/${run.id}`)).body);
    expect(property(runAfter, "Status")).toMatchObject({ field_value: "601", field_value_name: "Passed" });
    expect(runAfter.latest_test_log).toMatchObject({
      id: created.id,
      status: "Passed",
      exe_end_date: "2024-04-01T10:02:00.000Z",
    });
    expect(Date.parse(runAfter.last_modified_date ?? "")).toBeGreaterThan(Date.parse(runBefore.last_modified_date ?? ""));
  });

  it("PUT of a test log is validated like a create and a refused one changes nothing", async () => {
    const module = await createModule(q, "Refused log updates");
    const tc = await createTestCase(q, {
      name: "Refused",
      parent_id: module.id,
      test_steps: [{ description: "a", expected: "b" }],
    });
    const run = await createRun(q, tc.id, { id: suite.id, type: "test-suite" });
    const other = await createRun(q, tc.id, { id: suite.id, type: "test-suite" });
    const log = await createLog(q, run.id, {
      status: { id: 602 },
      test_step_logs: [{ test_step_id: tc.test_steps?.[0]?.id, status: { id: 602 }, order: 1 }],
    });
    const body = { status: { id: 601 }, exe_start_date: log.exe_start_date, exe_end_date: log.exe_end_date };
    const put = (json: Json, runId = run.id, logId = log.id) => api(q, "PUT", `/test-runs/${runId}/test-logs/${logId}`, { json });
    expectError(await put({ ...body, status: { id: 999 } }), 400, /999/, /601/);
    expectError(await put({ ...body, exe_end_date: "2024-01-01T00:00:00.000Z" }), 400, /exe_end_date/);
    expectError(await put({ ...body, properties: [{ field_id: 424242, field_value: "x" }] }), 400, /424242/);
    expectError(await put({ ...body, test_step_logs: [{ status: { id: 601 } }] }), 400, /order is required/);
    expectError(await put({ ...body, test_step_logs: [{ status: { id: 601 }, order: 2 }] }), 400, /order 2/);
    expectError(await put({ ...body, test_step_logs: [{ status: { id: 997 }, order: 1 }] }), 400, /997/);
    expectError(await put({ ...body, test_case_version_id: 1 }), 400, /version/);
    expectError(await put({ exe_start_date: log.exe_start_date, exe_end_date: log.exe_end_date }), 400);
    expectError(await put(body, other.id), 404, new RegExp(`${log.id}`));
    expectError(await put(body, run.id, 999_999), 404);
    const read = parse(testLogSchema, (await api(q, "GET", `/test-runs/${run.id}/test-logs/${log.id}`)).body);
    expect(read).toMatchObject({
      status: { id: 602 },
      exe_end_date: log.exe_end_date,
      last_modified_date: log.last_modified_date,
    });
    expect(read.test_step_logs?.map((s) => s.status?.id)).toEqual([602]);
  });

  it("DELETE removes a test run with its logs, a suite with its runs, an empty cycle; a non-empty cycle needs force", async () => {
    const module = await createModule(q, "Deletes");
    const tc = await createTestCase(q, { name: "Deleted runs", parent_id: module.id });
    const outer = await createCycle(q, "Delete outer");
    const inner = await createCycle(q, "Delete inner", { id: outer.id, type: "test-cycle" });
    const doomedSuite = await createSuite(q, "Delete suite", inner.id);
    const run = await createRun(q, tc.id, { id: doomedSuite.id, type: "test-suite" });
    const suiteRun = await createRun(q, tc.id, { id: doomedSuite.id, type: "test-suite" });
    const log = await createLog(q, run.id, { status: { id: 601 } });

    expectStatus(await api(q, "DELETE", `/test-runs/${run.id}`), 200);
    expectStatus(await api(q, "GET", `/test-runs/${run.id}`), 404);
    expectStatus(await api(q, "GET", `/test-runs/${run.id}/test-logs/${log.id}`), 404);
    expect((await search(q, "test-logs", `id = '${log.id}'`)).items).toEqual([]);
    expectStatus(await api(q, "DELETE", `/test-runs/${run.id}`), 404);

    const before = q.store.counts();
    expectError(await api(q, "DELETE", `/test-cycles/${outer.id}`), 400, /force/);
    expect(q.store.counts()).toEqual(before);

    expectStatus(await api(q, "DELETE", `/test-suites/${doomedSuite.id}`), 200);
    expectStatus(await api(q, "GET", `/test-suites/${doomedSuite.id}`), 404);
    expectStatus(await api(q, "GET", `/test-runs/${suiteRun.id}`), 404);
    expectStatus(await api(q, "DELETE", `/test-suites/${doomedSuite.id}`), 404);

    expectStatus(await api(q, "DELETE", `/test-cycles/${inner.id}`), 200);
    expectStatus(await api(q, "DELETE", `/test-cycles/${outer.id}`), 200);
    expectStatus(await api(q, "GET", `/test-cycles/${outer.id}`), 404);
    expectStatus(await api(q, "DELETE", `/test-cycles/${outer.id}`), 404);
    // The test case the runs pointed to is untouched.
    expectStatus(await api(q, "GET", `/test-cases/${tc.id}`), 200);
  });
});

// ---- 8. attachments ----------------------------------------------------------------------------

describe("qTest mock: attachments", () => {
  let mocks: RunningMocks;
  let q: QTest;
  let tc: TestCase;
  /** Not valid UTF-8, so a text round trip would corrupt it. */
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x80, 0x7f, 0x01]);

  beforeAll(async () => {
    mocks = await startMocks({ generate: 5 });
    q = mocks.qtest;
    tc = await createTestCase(q, { name: "With attachments" });
  });
  afterAll(() => mocks?.stop());

  it("uploads raw bytes with File-Name and Content-Type, lists and downloads them unchanged", async () => {
    const upload = await api(q, "POST", `/test-cases/${tc.id}/blob-handles`, {
      raw: png,
      headers: { "File-Name": "screen shot.png", "Content-Type": "image/png" },
    });
    expectStatus(upload, 201);
    const attachment = parse(attachmentSchema, upload.body);
    expect(attachment).toMatchObject({ name: "screen shot.png", content_type: "image/png" });

    const list = await api(q, "GET", `/test-cases/${tc.id}/attachments`);
    expectStatus(list, 200);
    const listed = parse(z.array(attachmentSchema), list.body);
    expect(listed.map((a) => [a.id, a.name])).toEqual([[attachment.id, "screen shot.png"]]);

    const download = await api(q, "GET", `/test-cases/${tc.id}/attachments/${attachment.id}`);
    expectStatus(download, 200);
    expect(download.headers.get("content-type")).toMatch(/^image\/png/);
    expect([...download.bytes]).toEqual([...png]);
  });

  it("answers 400 to an upload without File-Name and stores nothing", async () => {
    const before = q.store.counts();
    expectError(
      await api(q, "POST", `/test-cases/${tc.id}/blob-handles`, { raw: png, headers: { "Content-Type": "image/png" } }),
      400,
      /File-Name/,
    );
    expect(q.store.counts()).toEqual(before);
  });
});

// ---- 9. unknown ids ----------------------------------------------------------------------------

describe("qTest mock: unknown ids", () => {
  let mocks: RunningMocks;
  let q: QTest;

  beforeAll(async () => {
    mocks = await startMocks({ generate: 5 });
    q = mocks.qtest;
  });
  afterAll(() => mocks?.stop());

  it("answers 404 to an unknown project id", async () => {
    const other = q.projectId + 1;
    expectError(await call(q, "GET", `/api/v3/projects/${other}`), 404, new RegExp(String(other)));
    expectError(await call(q, "GET", `/api/v3/projects/${other}/test-cases`), 404, new RegExp(String(other)));
    const before = q.store.counts();
    expectStatus(await call(q, "POST", `/api/v3/projects/${other}/modules`, { json: { name: "Elsewhere" } }), 404);
    expect(q.store.counts()).toEqual(before);
  });

  it("answers 404 to an unknown test case id or pid", async () => {
    expectError(await api(q, "GET", "/test-cases/987654"), 404, /987654/);
    expectError(await api(q, "GET", "/test-cases/TC-987"), 404, /TC-987/);
    expectStatus(await api(q, "PUT", "/test-cases/987654", { json: { name: "x" } }), 404);
    expectStatus(await api(q, "DELETE", "/test-cases/987654"), 404);
  });
});
