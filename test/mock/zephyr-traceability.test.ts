/**
 * The Zephyr mock's test plans and links (issue 20), over real HTTP: `/testplans` offset paging, a
 * plan–cycle link seen from both ends, issue links added and removed, and each change moving its
 * owner's `updatedAfter` time (the mock's documented invention).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type RunningMocks, startMocks } from "../../src/mock/start.js";
import {
  createdResourceSchema,
  errorSchema,
  pagedListSchema,
  type TestPlan,
  testCaseLinksSchema,
  testCycleSchema,
  testPlanSchema,
} from "../../src/zephyr/schemas.js";
import { type HttpClient, httpClient, withQuery } from "../support/http.js";

const cycleLinksSchema = testCycleSchema.shape.links.unwrap();
const idsPage = z.looseObject({ values: z.array(z.looseObject({ id: z.number() })), nextStartAtId: z.number().nullable() });

function zephyrDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits into the next whole second and returns it as a watermark: nothing written before counts as after it. */
async function watermark(): Promise<string> {
  const next = Math.ceil((Date.now() + 1) / 1000) * 1000;
  while (Date.now() <= next) await sleep(next + 1 - Date.now());
  return zephyrDateTime(next);
}

describe("Zephyr mock: test plans and links", () => {
  let mocks: RunningMocks;
  let api: HttpClient;
  let pk: string;

  const ids = async (path: string, after: string): Promise<number[]> => {
    const res = await api.get(withQuery(path, { projectKey: pk, updatedAfter: after, limit: 1000 }));
    expect(res.status).toBe(200);
    return idsPage.parse(res.body).values.map((v) => v.id);
  };

  beforeAll(async () => {
    mocks = await startMocks({ generate: 300, seed: 3, projectKey: "QA" });
    api = httpClient(mocks.zephyr.url, mocks.zephyr.token);
    pk = mocks.zephyr.projectKey;
  });
  afterAll(async () => {
    await mocks?.stop();
  });

  it("GET /testplans pages by startAt/maxResults like the other offset lists, and checks projectKey", async () => {
    const seen: TestPlan[] = [];
    for (let startAt = 0; ; startAt += 1) {
      const res = await api.get(withQuery("/testplans", { projectKey: pk, startAt, maxResults: 1 }));
      expect(res.status).toBe(200);
      const page = pagedListSchema(testPlanSchema).parse(res.body);
      expect(page.maxResults).toBe(1);
      seen.push(...page.values);
      if (page.isLast) {
        expect(page.total).toBe(seen.length);
        break;
      }
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.map((p) => p.key)).toEqual(seen.map((_, i) => `QA-P${i + 1}`));
    const bad = await api.get(withQuery("/testplans", { projectKey: "NOPE" }));
    expect(bad.status).toBe(400);
    errorSchema.parse(bad.body);
  });

  it("GET /testplans/{idOrKey} answers by id and by key; a plan's statuses are of type TEST_PLAN", async () => {
    const byKey = testPlanSchema.parse((await api.get("/testplans/QA-P1")).body);
    const byId = testPlanSchema.parse((await api.get(`/testplans/${byKey.id}`)).body);
    expect(byId).toEqual(byKey);
    expect(byKey.links?.testCycles?.length).toBeGreaterThan(0);
    expect(byKey.links?.webLinks?.length).toBe(1);
    const planStatuses = await api.get(withQuery("/statuses", { projectKey: pk, statusType: "TEST_PLAN", maxResults: 100 }));
    const statusIds = pagedListSchema(z.looseObject({ id: z.number() }))
      .parse(planStatuses.body)
      .values.map((s) => s.id);
    expect(statusIds).toContain(byKey.status.id);
    expect((await api.get("/testplans/QA-P999")).status).toBe(404);
  });

  it("a cycle in two plans lists both in GET /testcycles/{id}/links, with the plan's link ids", async () => {
    const plans = [1, 2].map(async (n) => testPlanSchema.parse((await api.get(`/testplans/QA-P${n}`)).body));
    const [first, second] = await Promise.all(plans);
    const shared = first?.links?.testCycles?.find((l) => second?.links?.testCycles?.some((m) => m.testCycleId === l.testCycleId));
    expect(shared, "a cycle in both plans").toBeDefined();
    const links = cycleLinksSchema.parse((await api.get(`/testcycles/${shared?.testCycleId}/links`)).body);
    expect(links.testPlans?.map((l) => l.testPlanId).sort()).toEqual([first?.id, second?.id].sort());
    expect(links.testPlans?.map((l) => l.id)).toContain(shared?.id);
  });

  it("an issue link added to a test case shows in its links and moves it past updatedAfter; deleting it does too", async () => {
    const before = await watermark();
    expect(await ids("/testcases/nextgen", before)).toEqual([]);
    const added = await api.post("/testcases/QA-T5/links/issues", { issueId: 20777 });
    expect(added.status).toBe(201);
    const created = createdResourceSchema.parse(added.body);
    const links = testCaseLinksSchema.parse((await api.get("/testcases/QA-T5/links")).body);
    expect(links.issues?.find((l) => l.id === created.id)).toMatchObject({
      issueId: 20777,
      type: "COVERAGE",
      target: "https://example.atlassian.net/rest/api/2/issue/20777",
    });
    expect(await ids("/testcases/nextgen", before)).toEqual([1005]);

    const later = await watermark();
    expect(await ids("/testcases/nextgen", later)).toEqual([]);
    const removed = await api.request("DELETE", `/links/${created.id}`);
    expect(removed.status).toBe(200);
    const after = testCaseLinksSchema.parse((await api.get("/testcases/QA-T5/links")).body);
    expect(after.issues?.some((l) => l.id === created.id)).toBe(false);
    expect(await ids("/testcases/nextgen", later)).toEqual([1005]);
    expect((await api.request("DELETE", `/links/${created.id}`)).status).toBe(404);
  });

  it("POST /testcycles/{k}/links/issues and /testplans/{k}/links/issues add issue links; only the owner is touched", async () => {
    const before = await watermark();
    const onCycle = await api.post("/testcycles/QA-R3/links/issues", { issueId: 20011 });
    expect(onCycle.status).toBe(201);
    const onPlan = await api.post("/testplans/QA-P2/links/issues", { issueId: 20012 });
    expect(onPlan.status).toBe(201);
    const cycle = testCycleSchema.parse((await api.get("/testcycles/QA-R3")).body);
    expect(cycle.links?.issues?.map((l) => l.issueId)).toContain(20011);
    const plan = testPlanSchema.parse((await api.get("/testplans/QA-P2")).body);
    expect(plan.links?.issues?.map((l) => l.issueId)).toContain(20012);
    expect(await ids("/testcycles/nextgen", before)).toEqual([cycle.id]);
    expect(await ids("/testcases/nextgen", before)).toEqual([]);
    expect(mocks.zephyr.store.testPlans({ updatedAfter: Date.parse(before) }).map((p) => p.key)).toEqual(["QA-P2"]);
  });

  it("a plan–cycle link is made once and seen from both ends; DELETE /links/{id} removes both", async () => {
    const before = await watermark();
    const res = await api.post("/testplans/QA-P1/links/testcycles", { testCycleIdOrKey: "QA-R7" });
    expect(res.status).toBe(201);
    const { id } = createdResourceSchema.parse(res.body);
    const cycle = testCycleSchema.parse((await api.get("/testcycles/QA-R7")).body);
    const plan = testPlanSchema.parse((await api.get("/testplans/QA-P1")).body);
    expect(plan.links?.testCycles?.find((l) => l.id === id)?.testCycleId).toBe(cycle.id);
    expect(cycle.links?.testPlans?.find((l) => l.id === id)?.testPlanId).toBe(plan.id);
    expect(await ids("/testcycles/nextgen", before)).toEqual([cycle.id]);

    expect((await api.request("DELETE", `/links/${id}`)).status).toBe(200);
    const cycleAfter = testCycleSchema.parse((await api.get("/testcycles/QA-R7")).body);
    const planAfter = testPlanSchema.parse((await api.get("/testplans/QA-P1")).body);
    expect(cycleAfter.links?.testPlans?.some((l) => l.id === id)).toBe(false);
    expect(planAfter.links?.testCycles?.some((l) => l.id === id)).toBe(false);
  });

  it("refuses bad link bodies (400) and unknown owners (404)", async () => {
    expect((await api.post("/testcases/QA-T1/links/issues", { issueId: "x" })).status).toBe(400);
    expect((await api.post("/testcases/QA-T1/links/issues", {})).status).toBe(400);
    expect((await api.post("/testplans/QA-P1/links/testcycles", { testCycleIdOrKey: "nonsense" })).status).toBe(400);
    expect((await api.post("/testplans/QA-P1/links/testcycles", { testCycleIdOrKey: "QA-R999" })).status).toBe(404);
    expect((await api.post("/testcases/QA-T99999/links/issues", { issueId: 20001 })).status).toBe(404);
    expect((await api.request("DELETE", "/links/abc")).status).toBe(400);
  });

  it("the store's link methods do what the API does, for tests that change the source between runs", async () => {
    const link = mocks.zephyr.store.addIssueLink({ type: "testcase", idOrKey: "QA-T9" }, 20100, "BLOCKS");
    expect(mocks.zephyr.store.testCase("QA-T9").links?.issues?.find((l) => l.id === link.id)?.type).toBe("BLOCKS");
    mocks.zephyr.store.removeLink(link.id);
    expect(mocks.zephyr.store.testCase("QA-T9").links?.issues?.some((l) => l.id === link.id)).toBe(false);
  });
});
