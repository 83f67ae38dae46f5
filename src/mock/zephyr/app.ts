import { type Context, Hono } from "hono";
import { z } from "zod";
import {
  folderInputSchema,
  folderTypeSchema,
  statusTypeSchema,
  testCaseInputSchema,
  testCaseUpdateSchema,
  testCycleInputSchema,
  testCycleUpdateSchema,
  testExecutionInputSchema,
  testExecutionUpdateSchema,
  testScriptInputSchema,
  testStepsInputSchema,
} from "../../zephyr/schemas.js";
import { BadRequest, boolQuery, dateQuery, intQuery, jsonBody, urlWith } from "../http/requests.js";
import type { RateLimit } from "../http/token-bucket.js";
import { faults, latency, type MockEnv, routeOf, type TrafficOptions, type TrafficStats } from "../http/traffic.js";
import { ZephyrApiError } from "./errors.js";
import type { ZephyrStore } from "./store.js";

const MAX_RESULTS_CAP = 1000;
/** The spec on step lists: "a paged response, with 100 items per page". */
const STEPS_PAGE_CAP = 100;

export interface ZephyrAppOptions extends TrafficOptions {
  rateLimit: RateLimit;
  token: string;
  store: ZephyrStore;
  stats: TrafficStats;
}

/** Zephyr Scale Cloud REST API v2, mounted under `/v2`. */
export function zephyrApp(options: ZephyrAppOptions): Hono<MockEnv> {
  const { store, stats } = options;
  const app = new Hono<MockEnv>();

  app.use(async (c, next) => {
    stats.requests++;
    stats.count(`${c.req.method} ${routeOf(c.req.path)}`);
    await next();
    if (c.req.method !== "GET" && c.res.status < 400) stats.writes++;
  });
  app.use(latency(options.latencyMs));
  app.use(async (c, next) => {
    const taken = options.rateLimit.take();
    if (!taken || taken.granted) return next();
    stats.throttled++;
    // Retry-After is whole seconds, as SmartBear documents for its cloud APIs.
    c.header("Retry-After", String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000))));
    return c.json({ message: "Too Many Requests" }, 429);
  });
  app.use(faults(options, stats));
  app.use(async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) return c.json({ error: "Authorization header is missing." }, 401);
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || match[1] !== options.token) return c.json({ error: "Invalid JWT token." }, 401);
    return next();
  });

  const v2 = new Hono<MockEnv>();

  v2.get("/healthcheck", (c) => c.body(null, 200));

  v2.get("/projects", (c) => c.json(offsetPage(c, [store.project])));
  v2.get("/projects/:idOrKey", (c) => c.json(store.getProject(c.req.param("idOrKey"))));

  v2.get("/folders", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    const folderType = enumQuery(c, "folderType", folderTypeSchema);
    return c.json(offsetPage(c, store.folders(folderType)));
  });
  v2.get("/folders/:id", (c) => c.json(store.folder(idParam(c))));
  v2.post("/folders", async (c) => c.json(store.createFolder(await jsonBody(c, folderInputSchema)), 201));

  v2.get("/statuses", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    return c.json(offsetPage(c, store.statuses(enumQuery(c, "statusType", statusTypeSchema))));
  });
  v2.get("/statuses/:id", (c) => c.json(store.status(idParam(c))));

  v2.get("/priorities", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    return c.json(offsetPage(c, store.priorities()));
  });
  v2.get("/priorities/:id", (c) => c.json(store.priority(idParam(c))));

  v2.get("/environments", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    return c.json(offsetPage(c, store.environments()));
  });
  v2.get("/environments/:id", (c) => c.json(store.environment(idParam(c))));

  v2.get("/testcases", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    return c.json(offsetPage(c, store.testCases({ folderId: intQuery(c, "folderId", { min: 1 }) })));
  });
  v2.get("/testcases/nextgen", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    const filter = { folderId: intQuery(c, "folderId", { min: 1 }), updatedAfter: dateQuery(c, "updatedAfter") };
    return c.json(cursorPage(c, store.testCases(filter)));
  });
  v2.post("/testcases", async (c) => c.json(store.createTestCase(await jsonBody(c, testCaseInputSchema)), 201));
  v2.get("/testcases/:key", (c) => c.json(store.testCase(c.req.param("key"))));
  v2.put("/testcases/:key", async (c) => {
    store.updateTestCase(c.req.param("key"), await jsonBody(c, testCaseUpdateSchema));
    return c.body(null, 200);
  });
  v2.get("/testcases/:key/links", (c) => c.json(store.testCase(c.req.param("key")).links ?? {}));
  v2.post("/testcases/:key/links/issues", async (c) => {
    const { issueId } = await jsonBody(c, issueLinkInputSchema);
    return c.json(store.addIssueLink({ type: "testcase", idOrKey: c.req.param("key") }, issueId), 201);
  });
  v2.get("/testcases/:key/teststeps", (c) => c.json(offsetPage(c, store.testSteps(c.req.param("key")), STEPS_PAGE_CAP)));
  v2.post("/testcases/:key/teststeps", async (c) =>
    c.json(store.addTestSteps(c.req.param("key"), await jsonBody(c, testStepsInputSchema)), 201),
  );
  v2.get("/testcases/:key/testscript", (c) => c.json(store.testScript(c.req.param("key"))));
  v2.post("/testcases/:key/testscript", async (c) =>
    c.json(store.setTestScript(c.req.param("key"), await jsonBody(c, testScriptInputSchema)), 201),
  );

  v2.get("/testcycles", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    const filter = {
      folderId: intQuery(c, "folderId", { min: 1 }),
      jiraProjectVersionId: intQuery(c, "jiraProjectVersionId", { min: 1 }),
    };
    return c.json(offsetPage(c, store.testCycles(filter)));
  });
  v2.get("/testcycles/nextgen", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    const filter = {
      folderId: intQuery(c, "folderId", { min: 1 }),
      jiraProjectVersionId: intQuery(c, "jiraProjectVersionId", { min: 1 }),
      updatedAfter: dateQuery(c, "updatedAfter"),
    };
    return c.json(cursorPage(c, store.testCycles(filter)));
  });
  v2.post("/testcycles", async (c) => c.json(store.createTestCycle(await jsonBody(c, testCycleInputSchema)), 201));
  v2.get("/testcycles/:idOrKey", (c) => c.json(store.testCycle(c.req.param("idOrKey"))));
  v2.put("/testcycles/:idOrKey", async (c) => {
    store.updateTestCycle(c.req.param("idOrKey"), await jsonBody(c, testCycleUpdateSchema));
    return c.body(null, 200);
  });
  v2.get("/testcycles/:idOrKey/links", (c) => c.json(store.testCycle(c.req.param("idOrKey")).links ?? {}));
  v2.post("/testcycles/:idOrKey/links/issues", async (c) => {
    const { issueId } = await jsonBody(c, issueLinkInputSchema);
    return c.json(store.addIssueLink({ type: "testcycle", idOrKey: c.req.param("idOrKey") }, issueId), 201);
  });

  v2.get("/testplans", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    return c.json(offsetPage(c, store.testPlans()));
  });
  v2.get("/testplans/:idOrKey", (c) => c.json(store.testPlan(c.req.param("idOrKey"))));
  v2.post("/testplans/:idOrKey/links/issues", async (c) => {
    const { issueId } = await jsonBody(c, issueLinkInputSchema);
    return c.json(store.addIssueLink({ type: "testplan", idOrKey: c.req.param("idOrKey") }, issueId), 201);
  });
  v2.post("/testplans/:idOrKey/links/testcycles", async (c) => {
    const { testCycleIdOrKey } = await jsonBody(c, testCycleLinkInputSchema);
    return c.json(store.addTestPlanCycleLink(c.req.param("idOrKey"), testCycleIdOrKey), 201);
  });

  // The spec answers 200 with no body.
  v2.delete("/links/:linkId", (c) => {
    const raw = c.req.param("linkId");
    const linkId = Number(raw);
    if (!Number.isInteger(linkId) || linkId < 1) throw new BadRequest(`'${raw}' is not a valid link id.`);
    store.removeLink(linkId);
    return c.body(null, 200);
  });

  const executionFilter = (c: Context) => ({
    testCycle: c.req.query("testCycle") || undefined,
    testCase: c.req.query("testCase") || undefined,
    actualEndDateAfter: dateQuery(c, "actualEndDateAfter"),
    actualEndDateBefore: dateQuery(c, "actualEndDateBefore"),
    onlyLastExecutions: boolQuery(c, "onlyLastExecutions"),
  });
  v2.get("/testexecutions", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    return c.json(offsetPage(c, store.testExecutions(executionFilter(c))));
  });
  v2.get("/testexecutions/nextgen", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    const filter = { ...executionFilter(c), updatedAfter: dateQuery(c, "updatedAfter") };
    return c.json(cursorPage(c, store.testExecutions(filter)));
  });
  v2.post("/testexecutions", async (c) => c.json(store.createTestExecution(await jsonBody(c, testExecutionInputSchema)), 201));
  v2.get("/testexecutions/:idOrKey", (c) => c.json(store.testExecution(c.req.param("idOrKey"))));
  v2.put("/testexecutions/:idOrKey", async (c) => {
    store.updateTestExecution(c.req.param("idOrKey"), await jsonBody(c, testExecutionUpdateSchema));
    return c.body(null, 200);
  });
  v2.get("/testexecutions/:idOrKey/teststeps", (c) =>
    c.json(offsetPage(c, store.testExecutionSteps(c.req.param("idOrKey")), STEPS_PAGE_CAP)),
  );
  v2.put("/testexecutions/:idOrKey/teststeps", async (c) => {
    const body = await jsonBody(c, executionStepsUpdateSchema);
    store.updateTestExecutionSteps(c.req.param("idOrKey"), body.steps);
    return c.body(null, 200);
  });
  v2.get("/testexecutions/:idOrKey/links", (c) => c.json(store.testExecution(c.req.param("idOrKey")).links ?? {}));

  app.route("/v2", v2);

  // API Gateway answers paths it does not route with 403, not 404.
  app.notFound((c) => c.json({ message: "Missing Authentication Token" }, 403));
  app.onError((error, c) => {
    if (error instanceof ZephyrApiError) return c.json({ errorCode: error.status, message: error.message }, error.status as 400);
    if (error instanceof BadRequest) return c.json({ errorCode: 400, message: error.message }, 400);
    return c.json({ errorCode: 500, message: "Internal server error" }, 500);
  });
  return app;
}

/** The spec's IssueLinkInput and TestPlanTestCycleLinkInput. */
const issueLinkInputSchema = z.object({ issueId: z.number().int().min(1) });
const testCycleLinkInputSchema = z.object({ testCycleIdOrKey: z.string().regex(/^(?:[0-9]+|.+-R[0-9]+)$/) });

const executionStepsUpdateSchema = z.object({
  steps: z.array(z.object({ actualResult: z.string().nullish(), statusName: z.string().nullish() })),
});

function idParam(c: Context): number {
  const raw = c.req.param("id") ?? "";
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw new BadRequest(`'${raw}' is not a valid id.`);
  return id;
}

function enumQuery<T extends string>(c: Context, name: string, schema: z.ZodType<T>): T | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new BadRequest(`${name} '${raw}' is not one of the allowed values.`);
  return parsed.data;
}

/** The classic offset envelope. `maxResults` is capped (1000; 100 for steps) and the value used is echoed. */
function offsetPage<T>(c: Context, items: readonly T[], cap = MAX_RESULTS_CAP) {
  const startAt = intQuery(c, "startAt", { default: 0, min: 0, max: 1_000_000 }) ?? 0;
  const maxResults = Math.min(intQuery(c, "maxResults", { default: 10, min: 1 }) ?? 10, cap);
  const values = items.slice(startAt, startAt + maxResults);
  const isLast = startAt + maxResults >= items.length;
  return {
    next: isLast ? null : urlWith(c, { startAt: startAt + maxResults, maxResults }),
    startAt,
    maxResults,
    total: items.length,
    isLast,
    values,
  };
}

/** The NextGen envelope: items ordered by id, `startAtId` inclusive, nulls on the last page. */
function cursorPage<T extends { id: number }>(c: Context, items: readonly T[]) {
  const limit = Math.min(intQuery(c, "limit", { default: 10, min: 1 }) ?? 10, MAX_RESULTS_CAP);
  const startAtId = intQuery(c, "startAtId", { default: 0, min: 0 }) ?? 0;
  const first = lowerBound(items, startAtId);
  const values = items.slice(first, first + limit);
  const following = items[first + limit];
  return {
    next: following ? urlWith(c, { startAtId: following.id, limit }) : null,
    nextStartAtId: following ? following.id : null,
    limit,
    values,
  };
}

function lowerBound(items: readonly { id: number }[], id: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((items[mid] as { id: number }).id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
