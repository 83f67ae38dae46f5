/**
 * The Jira Cloud mock over real HTTP: the enhanced search (`/rest/api/3/search/jql`) as
 * docs/api-notes.md J and the issue 20 contract describe it — basic auth, `id in (…)`/`id = n`,
 * nextPageToken paging with a cap of 50, unknown ids absent, startAt refused, 429 with Retry-After.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { generateProject } from "../../src/mock/dataset/generate.js";
import { mockEnvironment, type RunningMocks, startMocks } from "../../src/mock/start.js";
import type { JiraIssue } from "../../src/zephyr/snapshot.js";
import { type HttpClient, type HttpResult, httpClient, withQuery } from "../support/http.js";

const searchSchema = z.strictObject({
  issues: z.array(
    z.strictObject({
      id: z.string(),
      key: z.string().optional(),
      self: z.string().optional(),
      fields: z.looseObject({ summary: z.string().optional() }).optional(),
    }),
  ),
  nextPageToken: z.string().optional(),
  isLast: z.boolean(),
});
const errorSchema = z.strictObject({ errorMessages: z.array(z.string()).min(1) });

const ISSUES: JiraIssue[] = Array.from({ length: 120 }, (_, i) => ({
  id: String(10001 + i),
  key: `PROJ-${i + 1}`,
  fields: { summary: `Issue number ${i + 1} — «ünïcödé»` },
  ...(i % 7 === 0 && { qtest: false }),
}));

function basic(email: string, token: string): string {
  return `Basic ${Buffer.from(`${email}:${token}`).toString("base64")}`;
}

describe("Jira Cloud mock: POST/GET /rest/api/3/search/jql", () => {
  let mocks: RunningMocks;
  let api: HttpClient;
  const auth = () => ({ headers: { authorization: basic(mocks.jira.email, mocks.jira.token) } });
  const search = (body: unknown): Promise<HttpResult> => api.post("/rest/api/3/search/jql", body, auth());

  beforeAll(async () => {
    const dataset = { ...generateProject({ testCases: 5, seed: 2 }), jiraIssues: ISSUES };
    mocks = await startMocks({ dataset });
    api = httpClient(mocks.jira.url, null);
  });
  afterAll(async () => {
    await mocks?.stop();
  });

  it("is described beside the other mocks and in the ZTOQ_JIRA_* variables", () => {
    const described = mocks.describe().jira;
    expect(described).toEqual({ url: mocks.jira.url, email: mocks.jira.email, token: mocks.jira.token });
    expect(mocks.jira.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const env = mockEnvironment(mocks.describe());
    expect(env).toMatchObject({
      ZTOQ_JIRA_URL: mocks.jira.url,
      ZTOQ_JIRA_EMAIL: mocks.jira.email,
      ZTOQ_JIRA_TOKEN: mocks.jira.token,
    });
    expect(mockEnvironment({ zephyr: mocks.describe().zephyr, qtest: mocks.describe().qtest })).not.toHaveProperty(
      "ZTOQ_JIRA_URL",
    );
  });

  it("pages `id in (…)` by nextPageToken, 50 at most a page; unknown ids are simply absent", async () => {
    const wanted = [...ISSUES.map((i) => i.id), "99999", "10", "5"].reverse();
    const jql = `id in (${wanted.join(", ")})`;
    const seen: string[] = [];
    let token: string | undefined;
    const sizes: number[] = [];
    do {
      const res = await search({ jql, fields: ["summary"], maxResults: 100, ...(token && { nextPageToken: token }) });
      expect(res.status).toBe(200);
      const page = searchSchema.parse(res.body);
      sizes.push(page.issues.length);
      seen.push(...page.issues.map((i) => i.id));
      expect(page.isLast).toBe(page.nextPageToken === undefined);
      token = page.nextPageToken;
    } while (token);
    expect(sizes).toEqual([50, 50, 20]);
    expect(seen).toEqual(ISSUES.map((i) => i.id));
  });

  it("answers key, self and summary when fields asks for the summary, only the id otherwise", async () => {
    const withSummary = searchSchema.parse((await search({ jql: "id = 10003", fields: ["summary"] })).body);
    expect(withSummary).toEqual({
      issues: [
        {
          id: "10003",
          key: "PROJ-3",
          self: `${mocks.jira.url}/rest/api/3/issue/10003`,
          fields: { summary: "Issue number 3 — «ünïcödé»" },
        },
      ],
      isLast: true,
    });
    const bare = searchSchema.parse((await search({ jql: "id IN (10003,10004)" })).body);
    expect(bare.issues).toEqual([{ id: "10003" }, { id: "10004" }]);
  });

  it("GET takes the same query in parameters, and a small maxResults pages smaller", async () => {
    const jql = "id in (10001, 10002, 10003, 10004, 10005)";
    const first = await api.get(withQuery("/rest/api/3/search/jql", { jql, fields: "summary", maxResults: 2 }), auth());
    expect(first.status).toBe(200);
    const page = searchSchema.parse(first.body);
    expect(page.issues.map((i) => i.key)).toEqual(["PROJ-1", "PROJ-2"]);
    const second = await api.get(
      withQuery("/rest/api/3/search/jql", { jql, fields: "summary", maxResults: 2, nextPageToken: page.nextPageToken }),
      auth(),
    );
    expect(searchSchema.parse(second.body).issues.map((i) => i.key)).toEqual(["PROJ-3", "PROJ-4"]);
  });

  it("refuses startAt in the body, other JQL and a token of another query with 400 {errorMessages}", async () => {
    for (const body of [
      { jql: "id in (10001)", startAt: 0 },
      { jql: "project = PROJ" },
      { jql: "id in ()" },
      { jql: "id = 10001", nextPageToken: "garbage" },
    ]) {
      const res = await search(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      errorSchema.parse(res.body);
    }
    const page = searchSchema.parse((await search({ jql: "id in (10001, 10002)", maxResults: 1 })).body);
    const other = await search({ jql: "id in (10003, 10004)", maxResults: 1, nextPageToken: page.nextPageToken });
    expect(other.status).toBe(400);
  });

  it("answers 401 {errorMessages} without basic auth, with a wrong token, or with a bearer token", async () => {
    for (const authorization of [
      undefined,
      basic(mocks.jira.email, "wrong"),
      basic("someone@example.com", mocks.jira.token),
      `Bearer ${mocks.jira.token}`,
    ]) {
      const res = await api.post(
        "/rest/api/3/search/jql",
        { jql: "id = 10001" },
        authorization ? { headers: { authorization } } : {},
      );
      expect(res.status).toBe(401);
      errorSchema.parse(res.body);
      expect(JSON.stringify(res.body)).not.toContain(mocks.jira.token);
    }
  });

  it("answers 429 with Retry-After in seconds above its rate limit, and counts it", async () => {
    const before = mocks.jira.stats.throttled;
    mocks.jira.rateLimit.set(2);
    try {
      const replies = await Promise.all(Array.from({ length: 8 }, () => search({ jql: "id = 10001" })));
      const throttled = replies.filter((r) => r.status === 429);
      expect(throttled.length).toBeGreaterThan(0);
      for (const r of throttled) {
        expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        errorSchema.parse(r.body);
      }
      expect(mocks.jira.stats.throttled - before).toBe(throttled.length);
    } finally {
      mocks.jira.rateLimit.set(undefined);
    }
    expect((await search({ jql: "id = 10001" })).status).toBe(200);
  });
});

describe("Jira Cloud mock: the generated project's issues", () => {
  let mocks: RunningMocks;
  beforeAll(async () => {
    mocks = await startMocks({ generate: 60, seed: 5 });
  });
  afterAll(async () => {
    await mocks?.stop();
  });

  it("knows the generated jiraIssues and not the linked ids the dataset leaves out", async () => {
    const snapshot = generateProject({ testCases: 60, seed: 5, baseUrl: mocks.zephyr.url });
    const linked = new Set<number>();
    for (const t of snapshot.testCases) for (const l of t.links?.issues ?? []) linked.add(l.issueId);
    const known = new Set((snapshot.jiraIssues ?? []).map((i) => i.id));
    const unknown = [...linked].filter((id) => !known.has(String(id)));
    expect(unknown.length).toBeGreaterThan(0);
    const api = httpClient(mocks.jira.url, null);
    const res = await api.post(
      "/rest/api/3/search/jql",
      { jql: `id in (${[...linked].join(",")})`, fields: ["summary"], maxResults: 50 },
      { headers: { authorization: basic(mocks.jira.email, mocks.jira.token) } },
    );
    const ids = searchSchema.parse(res.body).issues.map((i) => i.id);
    expect(ids.length).toBe(Math.min(50, [...linked].filter((id) => known.has(String(id))).length));
    for (const id of unknown) expect(ids).not.toContain(String(id));
  });
});
