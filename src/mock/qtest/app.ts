import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { z } from "zod";
import {
  allowedValueInputSchema,
  fieldInputSchema,
  moduleInputSchema,
  searchBodySchema,
  testCaseInputSchema,
  testCycleInputSchema,
  testLogInputSchema,
  testRunInputSchema,
  testStepInputSchema,
  testSuiteInputSchema,
} from "../../qtest/schemas.js";
import { BadRequest, boolQuery, dateQuery, intQuery, jsonBody, urlWith } from "../http/requests.js";
import type { RateLimit } from "../http/token-bucket.js";
import { faults, latency, type MockEnv, routeOf, type TrafficOptions, type TrafficStats } from "../http/traffic.js";
import { pageOf } from "./collection.js";
import { QTestApiError } from "./errors.js";
import { releaseInputSchema } from "./releases.js";
import { requirementInputSchema } from "./requirements.js";
import { matchesQuery, parseQuery } from "./search-query.js";
import type { QTestStore } from "./store.js";

export interface QTestAppOptions extends TrafficOptions {
  rateLimit: RateLimit;
  /** The long-lived API token from the site's "API & SDK" page. */
  token: string;
  username: string;
  password: string;
  store: QTestStore;
  stats: TrafficStats;
}

/** What qTest's password grant answers as `expires_in`. */
const TOKEN_LIFETIME_SECONDS = 3599;

/** Declared by Tricentis' rate-limit notice; the monthly quota is never the binding one here. */
const MONTHLY_QUOTA = 1_000_000;

/** qTest Manager REST API v3 (`/api/v3/...`) and its OAuth endpoints. */
export function qtestApp(options: QTestAppOptions): Hono<MockEnv> {
  const { store, stats } = options;
  const app = new Hono<MockEnv>();
  /** Access tokens from /oauth/token, with the instant each expires. */
  const issuedTokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  let monthly = MONTHLY_QUOTA;

  app.use(async (c, next) => {
    stats.requests++;
    stats.count(`${c.req.method} ${routeOf(c.req.path)}`);
    await next();
    // A search is a POST that changes nothing; sign-in neither.
    const reads = c.req.method === "GET" || c.req.path.endsWith("/search") || c.req.path.startsWith("/oauth");
    if (!reads && c.res.status < 400) stats.writes++;
  });
  app.use(latency(options.latencyMs));
  app.use(async (c, next) => {
    const taken = options.rateLimit.take();
    if (!taken) return next();
    monthly = Math.max(0, monthly - 1);
    c.header("x-ratelimit-remaining-month", String(monthly));
    if (!taken.granted) {
      stats.throttled++;
      c.header("x-ratelimit-remaining-minute", "0");
      return c.json({ code: 429, message: "API rate limit exceeded" }, 429);
    }
    await next();
    c.res.headers.set("x-ratelimit-remaining-minute", String(taken.remaining));
    c.res.headers.set("x-ratelimit-remaining-month", String(monthly));
  });
  app.use(faults(options, stats));

  app.post("/oauth/token", async (c) => {
    const basic = /^Basic\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    const client = basic ? Buffer.from(basic[1] as string, "base64").toString("utf8") : "";
    // The client name before the colon is free; the password after it must be empty.
    if (!basic || !client.endsWith(":")) {
      return c.json({ error: "unauthorized", error_description: "Full authentication is required" }, 401);
    }
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    if (form.grant_type === "password") {
      if (form.username !== options.username || form.password !== options.password) {
        return c.json({ error: "invalid_grant", error_description: "Bad credentials" }, 400);
      }
    } else if (form.grant_type === "refresh_token") {
      if (typeof form.refresh_token !== "string" || !refreshTokens.delete(form.refresh_token)) {
        return c.json({ error: "invalid_grant", error_description: "Invalid refresh token" }, 400);
      }
    } else {
      return c.json({ error: "unsupported_grant_type", error_description: "Use grant_type=password or refresh_token" }, 400);
    }
    const token = randomUUID();
    const refresh = randomUUID();
    issuedTokens.set(token, Date.now() + TOKEN_LIFETIME_SECONDS * 1000);
    refreshTokens.add(refresh);
    return c.json({
      access_token: token,
      token_type: "bearer",
      refresh_token: refresh,
      expires_in: TOKEN_LIFETIME_SECONDS,
      scope: "read write create delete administration execute import export share baseline",
    });
  });

  /** The presented token and when it expires (0: the long-lived API token never does). */
  const bearer = (c: Context): { token: string; expiresAt: number } | undefined => {
    const token = /^bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!token) return undefined;
    if (token === options.token) return { token, expiresAt: 0 };
    const expiresAt = issuedTokens.get(token);
    return expiresAt !== undefined && expiresAt > Date.now() ? { token, expiresAt } : undefined;
  };

  app.get("/oauth/status", (c) => {
    const session = bearer(c);
    if (!session) return c.json({ error: "invalid_token", error_description: "Invalid access token" }, 401);
    const validity = session.expiresAt === 0 ? 0 : session.expiresAt - Date.now();
    return c.json({ expiration: session.expiresAt, validityInMilliseconds: validity });
  });

  const api = new Hono<MockEnv>();
  api.use(async (c, next) => {
    if (!c.req.header("authorization")) {
      return c.json({ error: "unauthorized", error_description: "Full authentication is required to access this resource" }, 401);
    }
    if (!bearer(c)) return c.json({ error: "invalid_token", error_description: "Invalid access token" }, 401);
    return next();
  });

  api.get("/projects", (c) => {
    c.header("X-Item-Total", "1");
    return c.json([store.project()]);
  });

  const project = new Hono<MockEnv>();
  project.use(async (c, next) => {
    store.checkProject(c.req.param("projectId") ?? "");
    return next();
  });

  project.get("/", (c) => c.json(store.project()));
  project.get("/users", (c) => c.json(store.users.map((u) => ({ links: [], ...u, status: 1 }))));

  project.get("/settings/:objectType/fields", (c) =>
    c.json(store.fields(c.req.param("objectType"), boolQuery(c, "includeInactive") ?? false)),
  );
  project.post("/settings/:objectType/fields", async (c) =>
    c.json(store.createField(c.req.param("objectType"), await jsonBody(c, fieldInputSchema)), 201),
  );
  project.post("/settings/:objectType/fields/:fieldId/allowed-values", async (c) => {
    const field = store.createAllowedValues(
      c.req.param("objectType"),
      numParam(c, "fieldId"),
      await jsonBody(c, z.array(allowedValueInputSchema)),
    );
    const items = field.allowed_values ?? [];
    return c.json({ links: [], total: items.length, items }, 201);
  });
  project.get("/settings/:objectType/fields/:fieldId", (c) =>
    c.json(store.field(c.req.param("objectType"), numParam(c, "fieldId"))),
  );

  project.get("/modules", (c) =>
    c.json(store.modules(intQuery(c, "parentId"), c.req.query("expand") === "descendants", c.req.query("search"))),
  );
  project.post("/modules", async (c) =>
    c.json(store.createModule(await jsonBody(c, moduleInputSchema), intQuery(c, "parentId")), 201),
  );
  project.get("/modules/:id", (c) => c.json(store.module(numParam(c, "id"), c.req.query("expand") === "descendants")));
  project.put("/modules/:id", async (c) =>
    c.json(store.updateModule(numParam(c, "id"), await jsonBody(c, moduleInputSchema.partial()), intQuery(c, "parentId"))),
  );
  project.delete("/modules/:id", (c) => {
    store.deleteModule(numParam(c, "id"), boolQuery(c, "force") ?? false);
    return c.body(null, 200);
  });

  project.get("/test-cases", (c) => {
    const page = intQuery(c, "page", { default: 1, min: 1 }) ?? 1;
    const size = intQuery(c, "size", { default: 20, min: 1, max: 999 }) ?? 20;
    const all = store.testCases(intQuery(c, "parentId"), {
      expandSteps: boolQuery(c, "expandSteps") ?? false,
      modifiedAfter: dateQuery(c, "modifiedAfter"),
    });
    // expandProps=false drops the properties, as qTest does to lighten the page.
    const items = pageOf(all, page, size);
    return c.json(boolQuery(c, "expandProps") === false ? items.map(({ properties: _, ...rest }) => rest) : items);
  });
  project.post("/test-cases", async (c) => c.json(store.createTestCase(await jsonBody(c, testCaseInputSchema))));
  project.get("/test-cases/:id", (c) =>
    c.json(store.testCase(c.req.param("id"), c.req.query("expand")?.includes("teststep") ?? false)),
  );
  project.put("/test-cases/:id", async (c) =>
    c.json(store.updateTestCase(numParam(c, "id"), await jsonBody(c, testCaseInputSchema.partial()))),
  );
  project.delete("/test-cases/:id", (c) => {
    store.deleteTestCase(numParam(c, "id"));
    return c.body(null, 200);
  });
  project.get("/test-cases/:id/test-steps", (c) => c.json(store.testSteps(c.req.param("id"))));
  project.post("/test-cases/:id/test-steps", async (c) =>
    c.json(store.addTestStep(c.req.param("id"), await jsonBody(c, testStepInputSchema))),
  );
  project.get("/test-cases/:id/test-steps/:stepId", (c) => c.json(store.testStep(c.req.param("id"), numParam(c, "stepId"))));
  project.put("/test-cases/:id/test-steps/:stepId", async (c) =>
    c.json(store.updateTestStep(c.req.param("id"), numParam(c, "stepId"), await jsonBody(c, testStepInputSchema))),
  );
  project.delete("/test-cases/:id/test-steps/:stepId", (c) => {
    store.deleteTestStep(c.req.param("id"), numParam(c, "stepId"));
    return c.body(null, 200);
  });

  project.get("/test-cycles", (c) => {
    const all = store.testCycles(intQuery(c, "parentId"), c.req.query("parentType"), c.req.query("expand") === "descendants");
    const pageSize = intQuery(c, "pageSize", { default: 100 }) ?? 100;
    if (pageSize < 0) return c.json(all);
    const page = intQuery(c, "page", { default: 1, min: 1 }) ?? 1;
    return c.json(pageOf(all, page, pageSize));
  });
  project.post("/test-cycles", async (c) =>
    c.json(
      store.createTestCycle(await jsonBody(c, testCycleInputSchema), intQuery(c, "parentId"), c.req.query("parentType")),
      201,
    ),
  );
  project.get("/test-cycles/:id", (c) => c.json(store.testCycle(numParam(c, "id"), c.req.query("expand") === "descendants")));
  project.put("/test-cycles/:id", async (c) =>
    c.json(
      store.updateTestCycle(
        numParam(c, "id"),
        await jsonBody(c, testCycleInputSchema.partial()),
        intQuery(c, "parentId"),
        c.req.query("parentType"),
      ),
    ),
  );
  project.delete("/test-cycles/:id", (c) => {
    store.deleteTestCycle(numParam(c, "id"), boolQuery(c, "force") ?? false);
    return c.body(null, 200);
  });

  project.get("/test-suites", (c) => c.json(store.testSuites(intQuery(c, "parentId"), c.req.query("parentType"))));
  project.post("/test-suites", async (c) =>
    c.json(store.createTestSuite(await jsonBody(c, testSuiteInputSchema), intQuery(c, "parentId"), c.req.query("parentType"))),
  );
  project.get("/test-suites/:id", (c) => c.json(store.testSuite(numParam(c, "id"))));
  project.put("/test-suites/:id", async (c) =>
    c.json(
      store.updateTestSuite(
        numParam(c, "id"),
        await jsonBody(c, testSuiteInputSchema.partial()),
        intQuery(c, "parentId"),
        c.req.query("parentType"),
      ),
    ),
  );
  project.delete("/test-suites/:id", (c) => {
    store.deleteTestSuite(numParam(c, "id"));
    return c.body(null, 200);
  });

  project.get("/test-runs/execution-statuses", (c) => c.json(store.executionStatuses()));
  project.get("/test-runs", (c) =>
    c.json(paged(c, store.testRuns(intQuery(c, "parentId"), c.req.query("parentType"), c.req.query("expand") === "descendants"))),
  );
  project.post("/test-runs", async (c) =>
    c.json(store.createTestRun(await jsonBody(c, testRunInputSchema), intQuery(c, "parentId"), c.req.query("parentType")), 201),
  );
  project.get("/test-runs/:id", (c) => c.json(store.testRun(numParam(c, "id"))));
  project.put("/test-runs/:id", async (c) =>
    c.json(
      store.updateTestRun(
        numParam(c, "id"),
        await jsonBody(c, testRunInputSchema.partial()),
        intQuery(c, "parentId"),
        c.req.query("parentType"),
      ),
    ),
  );
  project.delete("/test-runs/:id", (c) => {
    store.deleteTestRun(numParam(c, "id"));
    return c.body(null, 200);
  });
  project.get("/test-runs/:id/test-logs", (c) => c.json(paged(c, store.testLogs(numParam(c, "id")))));
  project.post("/test-runs/:id/test-logs", async (c) =>
    c.json(store.createTestLog(numParam(c, "id"), await jsonBody(c, testLogInputSchema)), 201),
  );
  project.get("/test-runs/:id/test-logs/last-run", (c) => c.json(store.lastTestLog(numParam(c, "id"))));
  project.get("/test-runs/:id/test-logs/:logId", (c) => c.json(store.testLog(numParam(c, "id"), numParam(c, "logId"))));
  project.put("/test-runs/:id/test-logs/:logId", async (c) =>
    c.json(store.updateTestLog(numParam(c, "id"), numParam(c, "logId"), await jsonBody(c, testLogInputSchema))),
  );

  project.get("/requirements", (c) => {
    const page = intQuery(c, "page", { default: 1, min: 1 }) ?? 1;
    const size = intQuery(c, "size", { default: 20, min: 1, max: 999 }) ?? 20;
    const all = store.requirements(intQuery(c, "parentId"), boolQuery(c, "includeExternalProperties") ?? false);
    return c.json(pageOf(all, page, size));
  });
  project.post("/requirements", async (c) =>
    c.json(store.createRequirement(await jsonBody(c, requirementInputSchema), intQuery(c, "parentId")), 201),
  );
  project.get("/requirements/:requirementId", (c) => c.json(store.requirement(numParam(c, "requirementId"))));
  project.put("/requirements/:requirementId", async (c) =>
    c.json(
      store.updateRequirement(
        numParam(c, "requirementId"),
        await jsonBody(c, requirementInputSchema.partial()),
        intQuery(c, "parentId"),
      ),
    ),
  );
  project.delete("/requirements/:requirementId", (c) => {
    store.deleteRequirement(numParam(c, "requirementId"));
    return c.body(null, 200);
  });

  // Closed releases come only with includeClosed; the mock closes none.
  project.get("/releases", (c) => {
    boolQuery(c, "includeClosed");
    return c.json(store.releases());
  });
  project.post("/releases", async (c) => c.json(store.createRelease(await jsonBody(c, releaseInputSchema)), 201));
  project.get("/releases/:releaseId", (c) => c.json(store.release(numParam(c, "releaseId"))));
  project.put("/releases/:releaseId", async (c) =>
    c.json(store.updateRelease(numParam(c, "releaseId"), await jsonBody(c, releaseInputSchema.partial()))),
  );
  project.delete("/releases/:releaseId", (c) => {
    store.deleteRelease(numParam(c, "releaseId"));
    return c.body(null, 200);
  });

  project.get("/linked-artifacts", (c) => c.json(store.linkedArtifacts(c.req.query("type") ?? "", idsQuery(c))));
  project.post("/:objectType/:objectId/link", async (c) =>
    c.json(
      store.link(c.req.param("objectType"), numParam(c, "objectId"), c.req.query("type") ?? "", await jsonBody(c, linkIdsSchema)),
    ),
  );
  project.delete("/:objectType/:objectId/link", async (c) => {
    store.unlink(c.req.param("objectType"), numParam(c, "objectId"), c.req.query("type") ?? "", await jsonBody(c, linkIdsSchema));
    return c.json({});
  });

  project.post("/search", async (c) => {
    const body = await jsonBody(c, searchBodySchema);
    const criteria = body.query ? parseQuery(body.query) : undefined;
    const hits = store
      .searchable(body.object_type)
      .filter((candidate) => !criteria || matchesQuery(criteria, candidate.value))
      .map((candidate) => selectFields(candidate.item, body.fields ?? ["*"]));
    return c.json(paged(c, hits));
  });

  project.post("/:objectType/:objectId/blob-handles", async (c) => {
    const fileName = c.req.header("file-name");
    if (!fileName) throw new BadRequest("The File-Name header is required.");
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const contentType = c.req.header("content-type") ?? "application/octet-stream";
    return c.json(
      store.addAttachment(
        c.req.param("objectType") ?? "",
        numParam(c, "objectId"),
        decodeURIComponent(fileName),
        contentType,
        bytes,
      ),
      201,
    );
  });
  project.get("/:objectType/:objectId/attachments", (c) =>
    c.json(store.attachments(c.req.param("objectType"), numParam(c, "objectId"))),
  );
  project.get("/:objectType/:objectId/attachments/:attachmentId", (c) => {
    const record = store.attachment(c.req.param("objectType"), numParam(c, "objectId"), numParam(c, "attachmentId"));
    c.header("Content-Type", record.contentType);
    c.header("Content-Disposition", `attachment; filename="${encodeURIComponent(record.name)}"`);
    return c.body(record.bytes as Uint8Array<ArrayBuffer>);
  });

  api.route("/projects/:projectId", project);
  app.route("/api/v3", api);

  app.notFound((c) => c.json({ code: 404, message: `No endpoint ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (error instanceof QTestApiError) return c.json({ code: error.status, message: error.message }, error.status as 400);
    if (error instanceof BadRequest) return c.json({ code: 400, message: error.message }, 400);
    return c.json({ code: 500, message: "Internal server error" }, 500);
  });
  return app;
}

const linkIdsSchema = z.array(z.number().int());

/** `ids` repeated (`ids=1&ids=2`, the Swagger's `multi`) or comma-separated (`ids=1,2`). */
function idsQuery(c: Context): number[] {
  const raw = (c.req.queries("ids") ?? []).flatMap((value) => value.split(",")).filter((v) => v.trim() !== "");
  return raw.map((value) => {
    if (!/^\s*\d+\s*$/.test(value)) throw new BadRequest(`ids must be integers, got '${value}'.`);
    return Number(value);
  });
}

function numParam(c: Context, name: string): number {
  const raw = c.req.param(name) ?? "";
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new BadRequest(`'${raw}' is not a valid ${name}.`);
  return value;
}

/** qTest's `{links, page, page_size, total, items}` envelope; `pageSize` is capped at 999. */
function paged<T>(c: Context, all: readonly T[]) {
  const page = intQuery(c, "page", { default: 1, min: 1 }) ?? 1;
  const pageSize = intQuery(c, "pageSize", { default: 100, min: 1, max: 999 }) ?? 100;
  const items = pageOf(all, page, pageSize);
  const links = page * pageSize < all.length ? [{ rel: "next", href: urlWith(c, { page: page + 1, pageSize }) }] : [];
  return { links, page, page_size: pageSize, total: all.length, items };
}

/** `fields: ["*"]` returns whole objects; otherwise only the named ones (and the id). */
function selectFields(item: object, fields: readonly string[]): object {
  if (fields.includes("*")) return item;
  const record = item as Record<string, unknown>;
  return Object.fromEntries(Object.entries(record).filter(([key]) => key === "id" || fields.includes(key)));
}
