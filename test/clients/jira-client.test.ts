/**
 * JiraClient: resolving issue ids in bulk against scripted answers (nock) that behave as Jira Cloud's
 * enhanced search does — `id in (…)` chunks, pages by `nextPageToken`, unknown ids simply absent —
 * plus a rejected account, throttling and the retries a read is owed.
 */
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { BadInputError } from "../../src/errors.js";
import { JiraClient, type JiraClientOptions } from "../../src/jira/client.js";

const SITE = "http://jira.test";
const SEARCH = "/rest/api/3/search/jql";
const EMAIL = "ana@example.com";
const TOKEN = "s3cr3t-ATATT-token";
const BASIC = `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString("base64")}`;

function jira(options: Partial<JiraClientOptions> = {}): JiraClient {
  return new JiraClient({
    baseUrl: SITE,
    email: EMAIL,
    token: TOKEN,
    rateLimit: 1000,
    timeoutMs: 5000,
    retries: 2,
    concurrency: 8,
    retryBaseMs: 5,
    ...options,
  });
}

interface SearchBody {
  jql: string;
  fields: string[];
  maxResults: number;
  nextPageToken?: string;
}

/** Jira's answer to one search body: at most 40 issues a page (a server cap below maxResults), known ids only. */
function answer(body: SearchBody, known: (id: string) => boolean) {
  const ids = /^id in \(([\d, ]+)\)$/.exec(body.jql)?.[1]?.split(", ") ?? [];
  const matching = ids.filter(known).sort((a, b) => Number(a) - Number(b));
  const start = body.nextPageToken === undefined ? 0 : Number(body.nextPageToken.replace("page-at-", ""));
  const issues = matching.slice(start, start + 40).map((id) => ({
    id,
    key: `PROJ-${Number(id) - 10000}`,
    self: `${SITE}/rest/api/3/issue/${id}`,
    fields: { summary: `Summary of ${id}` },
  }));
  const next = start + 40 < matching.length ? `page-at-${start + 40}` : undefined;
  return next === undefined ? { issues, isLast: true } : { issues, nextPageToken: next, isLast: false };
}

describe("JiraClient (scripted answers)", () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1/);
  });
  afterEach(() => nock.cleanAll());

  it("resolves 250 ids in 3 chunks of at most 100, each read to its last page; unknown ids are absent", async () => {
    const bodies: SearchBody[] = [];
    // Every id but the multiples of 7 exists.
    const known = (id: string) => Number(id) % 7 !== 0;
    const scope = nock(SITE)
      .post(SEARCH, (body: SearchBody) => {
        bodies.push(body);
        return true;
      })
      .matchHeader("authorization", BASIC)
      .matchHeader("content-type", /application\/json/)
      .times(20)
      .reply(() => [200, answer(bodies.at(-1) as SearchBody, known)]);
    const ids = Array.from({ length: 250 }, (_, i) => String(10000 + i));
    const client = jira();
    const found = await client.issues([...ids, "10001", " 10002 "]);

    const chunks = bodies.filter((b) => b.nextPageToken === undefined).map((b) => b.jql.slice(7, -1).split(", "));
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 50]);
    expect(chunks.flat()).toEqual(ids);
    // 100 ids of which 85 or 86 exist → 3 pages of 40; the 50-id chunk → 2 pages.
    expect(bodies).toHaveLength(8);
    expect(bodies.every((b) => b.fields.length === 1 && b.fields[0] === "summary" && b.maxResults === 100)).toBe(true);
    expect(bodies.some((b) => "startAt" in b)).toBe(false);
    expect(bodies[1]).toMatchObject({ nextPageToken: "page-at-40" });

    expect(found.size).toBe(ids.filter(known).length);
    expect(found.get("10001")).toEqual({ id: "10001", key: "PROJ-1", summary: "Summary of 10001" });
    // 10003 = 7 × 1429: Jira does not return it, so it is not in the map.
    expect(found.has("10003")).toBe(false);
    expect(found.get("10249")?.key).toBe("PROJ-249");
    expect(client.stats().requests).toBe(8);
    expect(scope.pendingMocks()).toHaveLength(1);
  });

  it("stops on a null nextPageToken even without isLast, and sends nothing for no ids (or none that are numbers)", async () => {
    const scope = nock(SITE)
      .post(SEARCH)
      .reply(200, { issues: [{ id: "10001", key: "PROJ-1", fields: { summary: "One" } }], nextPageToken: null });
    const found = await jira().issues(["10001", "10001"]);
    expect([...found.values()]).toEqual([{ id: "10001", key: "PROJ-1", summary: "One" }]);
    expect(scope.isDone()).toBe(true);

    const client = jira();
    expect((await client.issues([])).size).toBe(0);
    expect((await client.issues(["PROJ-1", "", "10x"])).size).toBe(0);
    expect(client.stats().requests).toBe(0);
  });

  it("answered 400 for a whole query (as Jira Data Center does when JQL names a deleted issue): halves the ids until the one at fault stands alone, and resolves the rest", async () => {
    const deleted = "10007";
    const queries: string[] = [];
    const bodies: SearchBody[] = [];
    nock(SITE)
      .post(SEARCH, (body: SearchBody) => {
        bodies.push(body);
        return true;
      })
      .times(20)
      .reply(() => {
        const search = bodies.at(-1) as SearchBody;
        queries.push(search.jql);
        if (search.jql.includes(deleted)) return [400, { errorMessages: [`An issue with key '${deleted}' does not exist.`] }];
        return [200, answer(search, () => true)];
      });
    const ids = Array.from({ length: 8 }, (_, i) => String(10001 + i));
    const found = await jira().issues(ids);
    expect([...found.keys()].sort()).toEqual(ids.filter((id) => id !== deleted));
    // 8 ids: the whole, then halves of 4, 2 and 1 around the deleted one — not one query per id.
    expect(queries).toHaveLength(7);
  });

  it("turns a rejected account into one line of bad input that names the settings, never the token", async () => {
    nock(SITE)
      .post(SEARCH)
      .reply(401, { errorMessages: ["Client must be authenticated to access this resource."] });
    const error = await jira()
      .issues(["10001"])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    const message = (error as Error).message;
    expect(message).toBe(
      `Jira rejected the e-mail and API token (HTTP 401) at ${SITE}: check jira.url, ZTOQ_JIRA_EMAIL and ZTOQ_JIRA_TOKEN`,
    );
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain(BASIC.slice(6));
    expect(message).not.toContain("\n");

    nock(SITE)
      .post(SEARCH)
      .reply(403, { errorMessages: ["Forbidden"] });
    await expect(jira().issues(["10001"])).rejects.toThrow(/HTTP 403.*ZTOQ_JIRA_EMAIL and ZTOQ_JIRA_TOKEN/);
  });

  it("waits out a 429's Retry-After, and retries the search like a read after a 5xx and a dropped connection", async () => {
    const ok = { issues: [{ id: "10001", key: "PROJ-1", fields: { summary: "One" } }], isLast: true };
    const scope = nock(SITE)
      .post(SEARCH)
      .reply(429, { errorMessages: ["Rate limit exceeded"] }, { "Retry-After": "1" })
      .post(SEARCH)
      .reply(200, ok);
    const client = jira();
    const started = Date.now();
    expect((await client.issues(["10001"])).get("10001")?.key).toBe("PROJ-1");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(scope.isDone()).toBe(true);
    expect(client.stats()).toMatchObject({ requests: 2, throttled: 1, retries: 1 });

    // After the host has answered once, a 503 and a reset connection are retried: the POST only reads.
    nock(SITE)
      .post(SEARCH)
      .reply(503, {})
      .post(SEARCH)
      .replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))
      .post(SEARCH)
      .reply(200, ok);
    expect((await client.issues(["10001"])).size).toBe(1);
    expect(client.stats()).toMatchObject({ requests: 5, retries: 3, failures: 0 });
  });

  it("is made from the configuration only when it names a Jira", () => {
    const migration = { retries: 1, concurrency: 2 } as never;
    const logger = { debug: () => {} } as never;
    expect(JiraClient.fromConfig({ jira: undefined, migration }, logger)).toBeUndefined();
    const jiraSettings = { url: SITE, timeoutSeconds: 5, auth: { email: EMAIL, token: TOKEN } };
    expect(JiraClient.fromConfig({ jira: jiraSettings, migration }, logger)).toBeInstanceOf(JiraClient);
  });
});
