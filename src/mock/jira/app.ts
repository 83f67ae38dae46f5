import { type Context, Hono } from "hono";
import { z } from "zod";
import type { JiraIssue } from "../../zephyr/snapshot.js";
import { describeIssues } from "../http/requests.js";
import type { RateLimit } from "../http/token-bucket.js";
import { faults, latency, type MockEnv, routeOf, type TrafficOptions, type TrafficStats } from "../http/traffic.js";
import type { JiraIssues } from "./issues.js";
import { parseIdQuery } from "./jql.js";

export interface JiraAppOptions extends TrafficOptions {
  rateLimit: RateLimit;
  /** The Atlassian account's e-mail and API token: basic auth, as Jira Cloud takes from scripts. */
  email: string;
  token: string;
  issues: JiraIssues;
  stats: TrafficStats;
}

/** Jira Cloud caps a page of the enhanced search (docs/api-notes.md J). */
const PAGE_CAP = 50;

/** The enhanced search's body; `startAt` is not among its properties, and Jira refuses a payload that has it. */
const searchBodySchema = z.strictObject({
  jql: z.string(),
  fields: z.array(z.string()).optional(),
  maxResults: z.number().int().min(1).optional(),
  nextPageToken: z.string().nullish(),
  expand: z.string().optional(),
  properties: z.array(z.string()).optional(),
  fieldsByKeys: z.boolean().optional(),
  reconcileIssues: z.array(z.number().int()).optional(),
});

class JiraError extends Error {
  constructor(
    readonly status: 400 | 401,
    message: string,
  ) {
    super(message);
  }
}

/** Jira Cloud REST v3, only what resolving issue ids needs: `GET`/`POST /rest/api/3/search/jql`. */
export function jiraApp(options: JiraAppOptions): Hono<MockEnv> {
  const { stats } = options;
  const app = new Hono<MockEnv>();
  const expected = `Basic ${Buffer.from(`${options.email}:${options.token}`).toString("base64")}`;

  app.use(async (c, next) => {
    stats.requests++;
    stats.count(`${c.req.method} ${routeOf(c.req.path)}`);
    await next();
  });
  app.use(latency(options.latencyMs));
  app.use(async (c, next) => {
    const taken = options.rateLimit.take();
    if (!taken || taken.granted) return next();
    stats.throttled++;
    c.header("Retry-After", String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000))));
    return c.json({ errorMessages: ["Rate limit exceeded."] }, 429);
  });
  app.use(faults(options, stats));
  app.use(async (c, next) => {
    if (c.req.header("authorization") !== expected) {
      throw new JiraError(401, "You are not authenticated. Authentication required to perform this operation.");
    }
    return next();
  });

  app.post("/rest/api/3/search/jql", async (c) => {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw new JiraError(400, "Invalid request payload. Refer to the REST API documentation and try again.");
    }
    const parsed = searchBodySchema.safeParse(raw);
    if (!parsed.success) {
      throw new JiraError(
        400,
        `Invalid request payload. Refer to the REST API documentation and try again. (${describeIssues(parsed.error)})`,
      );
    }
    const body = parsed.data;
    return c.json(search(c, options.issues, body.jql, body.fields, body.maxResults, body.nextPageToken ?? undefined));
  });

  app.get("/rest/api/3/search/jql", (c) => {
    const jql = c.req.query("jql");
    if (jql === undefined) throw new JiraError(400, "The 'jql' parameter is required.");
    const fields = c.req.queries("fields")?.flatMap((f) => f.split(","));
    const rawMax = c.req.query("maxResults");
    const maxResults = rawMax === undefined || rawMax === "" ? undefined : Number(rawMax);
    if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1)) {
      throw new JiraError(400, `maxResults must be a positive integer, got '${rawMax}'.`);
    }
    return c.json(search(c, options.issues, jql, fields, maxResults, c.req.query("nextPageToken") || undefined));
  });

  app.notFound((c) => c.json({ errorMessages: [`No endpoint ${c.req.method} ${c.req.path}`] }, 404));
  app.onError((error, c) => {
    if (error instanceof JiraError) return c.json({ errorMessages: [error.message] }, error.status);
    return c.json({ errorMessages: ["Internal server error"] }, 500);
  });
  return app;
}

function search(
  c: Context,
  issues: JiraIssues,
  jql: string,
  fields: readonly string[] | undefined,
  maxResults: number | undefined,
  pageToken: string | undefined,
) {
  const query = parseIdQuery(jql);
  if ("error" in query) throw new JiraError(400, query.error);
  const found = issues.find(query.ids);
  const start = pageToken === undefined ? 0 : offsetOf(pageToken, jql);
  const size = Math.min(maxResults ?? PAGE_CAP, PAGE_CAP);
  const page = found.slice(start, start + size);
  const isLast = start + size >= found.length;
  const origin = new URL(c.req.url).origin;
  return {
    issues: page.map((issue) => render(issue, origin, fields)),
    ...(!isLast && { nextPageToken: tokenOf(start + size, jql) }),
    isLast,
  };
}

/** Only the id comes back unless `fields` asks for more; `key` and `self` come with any field. */
function render(issue: JiraIssue, origin: string, fields: readonly string[] | undefined) {
  if (!fields || fields.length === 0) return { id: issue.id };
  const all = fields.includes("*all") || fields.includes("*navigable");
  return {
    id: issue.id,
    key: issue.key,
    self: `${origin}/rest/api/3/issue/${issue.id}`,
    fields: all || fields.includes("summary") ? { summary: issue.fields.summary } : {},
  };
}

/** An opaque token, bound to its query: a token from another query is refused. */
function tokenOf(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ offset, jql })).toString("base64url");
}

function offsetOf(token: string, jql: string): number {
  try {
    const decoded = z
      .object({ offset: z.number().int().min(0), jql: z.string() })
      .parse(JSON.parse(Buffer.from(token, "base64url").toString("utf8")));
    if (decoded.jql === jql) return decoded.offset;
  } catch {
    // fall through to the refusal
  }
  throw new JiraError(400, "The nextPageToken is invalid or was issued for another query.");
}
