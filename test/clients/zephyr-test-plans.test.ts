/** ZephyrClient's traceability reads against scripted answers (nock): test plans (offset pages) and a test case's links. */
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ZephyrClient } from "../../src/zephyr/client.js";

const HOST = "http://zephyr.test";

function zephyr(): ZephyrClient {
  return new ZephyrClient({
    baseUrl: `${HOST}/v2`,
    token: "t0k.e.n",
    projectKey: "QA",
    rateLimit: 1000,
    timeoutMs: 5000,
    retries: 2,
    concurrency: 8,
    retryBaseMs: 5,
  });
}

const plan = (id: number) => ({
  id,
  key: `QA-P${id}`,
  name: `Plan ${id}`,
  objective: null,
  project: { id: 1, self: `${HOST}/v2/projects/1` },
  status: { id: 30, self: `${HOST}/v2/statuses/30` },
  folder: null,
  owner: { self: "https://jira.test/rest/api/2/user?accountId=a1", accountId: "a1" },
  customFields: {},
  labels: ["release"],
  links: {
    self: `${HOST}/v2/testplans/${id}/links`,
    webLinks: [],
    issues: [
      { self: `${HOST}/v2/links/7`, id: 7, issueId: 10001, target: "https://jira.test/rest/api/2/issue/10001", type: "COVERAGE" },
    ],
    testCycles: [{ self: `${HOST}/v2/links/8`, id: 8, testCycleId: 42, target: `${HOST}/v2/testcycles/42`, type: "RELATED" }],
  },
});

describe("test plans and test case links (scripted answers)", () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1/);
  });
  afterEach(() => nock.cleanAll());

  it("reads every test plan of the project page by page, links to issues and cycle ids included", async () => {
    const asked: string[] = [];
    const scope = nock(HOST)
      .get("/v2/testplans")
      .query((q) => {
        asked.push(`${q.projectKey} ${q.startAt}/${q.maxResults}`);
        return q.startAt === "0";
      })
      // The server caps a page at 2, below the 1000 asked for.
      .reply(200, { startAt: 0, maxResults: 2, total: 3, isLast: false, values: [plan(1), plan(2)] })
      .get("/v2/testplans")
      .query((q) => {
        asked.push(`${q.projectKey} ${q.startAt}/${q.maxResults}`);
        return q.startAt === "2";
      })
      .reply(200, { startAt: 2, maxResults: 2, total: 3, isLast: true, values: [plan(3)] });
    const plans = await zephyr().testPlans();
    expect(scope.isDone()).toBe(true);
    expect(asked).toEqual(["QA 0/1000", "QA 2/1000"]);
    expect(plans.map((p) => p.key)).toEqual(["QA-P1", "QA-P2", "QA-P3"]);
    expect(plans[0]?.links?.testCycles?.[0]?.testCycleId).toBe(42);
    expect(plans[0]?.links?.issues?.[0]).toMatchObject({ issueId: 10001, type: "COVERAGE" });
  });

  it("refuses a plan without its key (the schema holds the contract's required fields)", async () => {
    const { key: _, ...keyless } = plan(1);
    nock(HOST)
      .get("/v2/testplans")
      .query(true)
      .reply(200, { startAt: 0, maxResults: 1000, isLast: true, values: [keyless] });
    await expect(zephyr().testPlans()).rejects.toThrow(/values\.0\.key/);
  });
});
