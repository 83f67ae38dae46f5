/**
 * QTestClient's traceability calls against scripted answers (nock): requirements and releases
 * (read, created exactly once, deleted idempotently) and object links (chunked, read back typed).
 */
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { QTestClient } from "../../src/qtest/client.js";

const SITE = "http://qtest.test";
const API = "/api/v3/projects/1";
const MARKER = { fieldName: "Zephyr Key", value: "QA-JIRA-10001" };

function qtest(): QTestClient {
  return new QTestClient({
    baseUrl: SITE,
    auth: { kind: "token", token: "tok" },
    projectId: 1,
    rateLimit: 1000,
    timeoutMs: 5000,
    retries: 2,
    concurrency: 8,
    retryBaseMs: 5,
  });
}

const page = (items: unknown[], total = items.length, pageSize = 999) => ({
  links: [],
  page: 1,
  page_size: pageSize,
  total,
  items,
});
const requirement = (id: number, parentId = 40, marker = MARKER.value) => ({
  id,
  pid: `RQ-${id}`,
  name: `requirement ${id}`,
  order: 1,
  parent_id: parentId,
  properties: [{ field_id: 77, field_name: "Zephyr Key", field_value: marker, field_value_name: marker }],
  web_url: `${SITE}/p/1/portal/project#tab=requirements&object=5&id=${id}`,
  created_date: "2026-01-01T00:00:00.000Z",
  last_modified_date: "2026-01-01T00:00:00.000Z",
});
const release = (id: number) => ({
  id,
  pid: `RL-${id}`,
  name: `release ${id}`,
  order: id,
  properties: [{ field_id: 88, field_value: `QA-P${id}` }],
  web_url: `${SITE}/p/1/portal/project#tab=testplan&object=8&id=${id}`,
  description: "",
  note: null,
  start_date: "2026-01-01T00:00:00.000Z",
  end_date: "2026-02-01T00:00:00.000Z",
});
const requirementInput = { name: "requirement", properties: [{ field_id: 77, field_value: MARKER.value }] };

describe("requirements and releases (scripted answers)", () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1/);
  });
  afterEach(() => nock.cleanAll());

  it("reads every requirement through the search, all pages, with the Jira link qTest's integration set", async () => {
    const bodies: unknown[] = [];
    const imported = {
      ...requirement(3, 90, ""),
      properties: [],
      name: "PROJ-1 Login works",
      external_properties: { id: "10001", link: "https://jira.test/browse/PROJ-1", unique_id: "10001" },
    };
    const scope = nock(SITE)
      .post(`${API}/search`, (body) => {
        bodies.push(body);
        return true;
      })
      .query({ page: 1, pageSize: 999, includeExternalProperties: true })
      .reply(200, page([requirement(1), requirement(2)], 3, 2))
      .post(`${API}/search`)
      .query({ page: 2, pageSize: 999, includeExternalProperties: true })
      .reply(200, { ...page([imported], 3, 2), page: 2 });
    const all = await qtest().requirements();
    expect(all.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(all[2]?.external_properties).toEqual(imported.external_properties);
    expect(bodies[0]).toEqual({ object_type: "requirements", fields: ["*"], query: "'Name' is 'not empty'" });
    expect(scope.isDone()).toBe(true);
  });

  it("creates a requirement under its module; after an ambiguous 5xx finds it by marker and does not post again", async () => {
    const searches: unknown[] = [];
    const scope = nock(SITE)
      .post(`${API}/requirements`, requirementInput)
      .query({ parentId: 40 })
      .reply(502, { message: "Bad Gateway" })
      .post(`${API}/search`, (body) => {
        searches.push(body);
        return true;
      })
      .query(true)
      // The marker also sits on a requirement elsewhere (moved by hand): the one under module 40 is this create's.
      .reply(200, page([requirement(61, 40), requirement(55, 12)]));
    const again = nock(SITE).post(`${API}/requirements`).query(true).reply(200, requirement(99));
    const client = qtest();
    const created = await client.createRequirement(requirementInput, 40, MARKER);
    expect(created.id).toBe(61);
    expect(scope.isDone()).toBe(true);
    expect(again.isDone()).toBe(false);
    expect(searches).toEqual([{ object_type: "requirements", fields: ["*"], query: "'Zephyr Key' = 'QA-JIRA-10001'" }]);
    expect(client.stats().reconciled).toBe(1);

    // A plain create returns what qTest answered (the Swagger says 200, the contract 201: either is a 2xx).
    nock.cleanAll();
    nock(SITE).post(`${API}/requirements`).query({ parentId: 40 }).reply(201, requirement(62));
    expect((await client.createRequirement(requirementInput, 40, MARKER)).pid).toBe("RQ-62");
  });

  it("updates and deletes requirements and releases; a 404 on delete counts as deleted, a 400 does not", async () => {
    const scope = nock(SITE)
      .put(`${API}/requirements/5`, { name: "renamed" })
      .reply(200, { ...requirement(5), name: "renamed" })
      .put(`${API}/releases/6`, { name: "R6", end_date: "2026-03-01T00:00:00.000Z" })
      .reply(200, release(6))
      .delete(`${API}/requirements/5`)
      .reply(404, { message: "Requirement 5 does not exist" })
      .delete(`${API}/releases/6`)
      .reply(200, {})
      .delete(`${API}/releases/7`)
      .reply(404, { message: "Release 7 does not exist" });
    const client = qtest();
    expect((await client.updateRequirement(5, { name: "renamed" })).name).toBe("renamed");
    expect((await client.updateRelease(6, { name: "R6", end_date: "2026-03-01T00:00:00.000Z" })).id).toBe(6);
    await client.deleteRequirement(5);
    await client.deleteRelease(6);
    await client.deleteRelease(7);
    expect(scope.isDone()).toBe(true);
    nock(SITE).delete(`${API}/releases/8`).reply(400, { message: "no" });
    await expect(client.deleteRelease(8)).rejects.toMatchObject({ status: 400 });
  });

  it("lists releases closed ones included, and creates one exactly once", async () => {
    const scope = nock(SITE)
      .get(`${API}/releases`)
      .query({ includeClosed: true })
      .reply(200, [release(1), release(2)])
      .post(`${API}/releases`, { name: "Plan", properties: [{ field_id: 88, field_value: "QA-P3" }] })
      .replyWithError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))
      .post(`${API}/search`, (body) => body.object_type === "releases" && body.query === "'Zephyr Key' = 'QA-P3'")
      .query({ page: 1, pageSize: 999 })
      .reply(200, page([]))
      .post(`${API}/releases`)
      .reply(201, release(3));
    const client = qtest();
    expect((await client.releases()).map((r) => r.pid)).toEqual(["RL-1", "RL-2"]);
    const created = await client.createRelease(
      { name: "Plan", properties: [{ field_id: 88, field_value: "QA-P3" }] },
      { fieldName: "Zephyr Key", value: "QA-P3" },
    );
    expect(created.id).toBe(3);
    expect(scope.isDone()).toBe(true);
    expect(client.stats().reconciled).toBe(0);
  });
});

describe("object links (scripted answers)", () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1/);
  });
  afterEach(() => nock.cleanAll());

  const ids = Array.from({ length: 250 }, (_, i) => i + 1);

  it("links 250 ids in 3 POSTs of at most 100, and retries a link whose answer was lost (linking twice changes nothing)", async () => {
    const bodies: number[][] = [];
    const scope = nock(SITE)
      .post(`${API}/requirements/9/link`, (body: number[]) => {
        bodies.push(body);
        return true;
      })
      .query({ type: "test-cases" })
      .times(3)
      .reply(200, [{ id: 9, pid: "RQ-9", objects: [] }])
      .post(`${API}/releases/4/link`)
      .query({ type: "requirements" })
      .reply(503, {})
      .post(`${API}/releases/4/link`, [9])
      .query({ type: "requirements" })
      // The Swagger also lists a bare 201.
      .reply(201);
    const client = qtest();
    await client.link({ type: "requirements", id: 9 }, "test-cases", ids);
    expect(bodies.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(bodies.flat()).toEqual(ids);
    await client.link({ type: "releases", id: 4 }, "requirements", [9]);
    await client.link({ type: "releases", id: 4 }, "test-runs", []);
    expect(scope.isDone()).toBe(true);
    expect(client.stats()).toMatchObject({ requests: 5, retries: 1 });
  });

  it("unlinks in chunks of at most 100 with a DELETE body; a source that is gone took its links with it", async () => {
    const bodies: number[][] = [];
    const scope = nock(SITE)
      .delete(`${API}/requirements/9/link`, (body: number[]) => {
        bodies.push(body);
        return true;
      })
      .query({ type: "test-runs" })
      .times(3)
      .reply(200, {})
      .delete(`${API}/releases/5/link`)
      .query({ type: "requirements" })
      .reply(404, { message: "Release 5 does not exist" });
    const client = qtest();
    await client.unlink({ type: "requirements", id: 9 }, "test-runs", ids);
    expect(bodies.map((b) => b.length)).toEqual([100, 100, 50]);
    await client.unlink({ type: "releases", id: 5 }, "requirements", [1, 2]);
    expect(scope.isDone()).toBe(true);
  });

  it("reads linked artifacts 100 ids per GET with a repeated `ids` parameter, and types every linked object", async () => {
    const asked: number[][] = [];
    const web = (tab: string, object: number, id: number) => `${SITE}/p/1/portal/project#tab=${tab}&object=${object}&id=${id}`;
    const scope = nock(SITE)
      .get(`${API}/linked-artifacts`)
      .query((q) => {
        // nock parses a repeated parameter into an array (`ids=1,2` would stay one string).
        if (Array.isArray(q.ids)) asked.push(q.ids.map(Number));
        return q.type === "requirements" && Array.isArray(q.ids);
      })
      .times(2)
      .reply((request: unknown) => {
        const url = new URL(typeof request === "string" ? `${SITE}${request}` : (request as Request).url);
        const first = Number(url.searchParams.getAll("ids")[0]);
        if (first !== 1) return [200, []];
        return [
          200,
          [
            {
              id: 1,
              pid: "RQ-1",
              objects: [
                { id: 11, pid: "TC-11", link_type: "is_covered_by", self: web("testdesign", 1, 11) },
                { id: 12, pid: "TR-12", link_type: "is_covered_by", self: web("testexecution", 3, 12) },
                { id: 13, pid: "RL-13", link_type: "relates_to" },
                { id: 14, pid: "DF-14", link_type: "related", self: web("defects", 6, 14) },
              ],
            },
            { id: 2, pid: "RQ-2", objects: [] },
          ],
        ];
      });
    const found = await qtest().linkedArtifacts("requirements", ids.slice(0, 150));
    expect(scope.isDone()).toBe(true);
    expect(asked.map((list) => list.length)).toEqual([100, 50]);
    expect(asked.flat()).toEqual(ids.slice(0, 150));
    expect(found.map((c) => c.id)).toEqual([1, 2]);
    expect(found[0]?.objects.map((o) => [o.id, o.objectType])).toEqual([
      [11, "test-cases"],
      [12, "test-runs"],
      [13, "releases"],
      [14, "other"],
    ]);
    expect(found[1]?.objects).toEqual([]);
  });
});
