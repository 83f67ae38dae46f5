/**
 * The qTest mock's traceability objects (issue 20) over real HTTP: requirement and release field
 * settings, requirements (with those qTest's Jira integration imported at load), releases, search,
 * and object links — symmetric, idempotent, at most 100 ids, gone with either end.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { generateProject } from "../../src/mock/dataset/generate.js";
import { type RunningMocks, startMocks } from "../../src/mock/start.js";
import { fieldSchema, moduleSchema, propertySchema } from "../../src/qtest/schemas.js";
import type { JiraIssue } from "../../src/zephyr/snapshot.js";
import { type HttpClient, type HttpResult, httpClient, withQuery } from "../support/http.js";

const requirementSchema = z.strictObject({
  links: z.array(z.looseObject({ rel: z.string(), href: z.string() })),
  id: z.number(),
  pid: z.string().regex(/^RQ-\d+$/),
  name: z.string(),
  order: z.number(),
  parent_id: z.number(),
  properties: z.array(propertySchema),
  web_url: z.string(),
  created_date: z.string(),
  last_modified_date: z.string(),
  external_properties: z.strictObject({ id: z.string(), link: z.string(), unique_id: z.string() }).optional(),
});
const releaseSchema = z.strictObject({
  links: z.array(z.looseObject({ rel: z.string(), href: z.string() })),
  id: z.number(),
  pid: z.string().regex(/^RL-\d+$/),
  name: z.string(),
  order: z.number(),
  properties: z.array(propertySchema),
  web_url: z.string(),
  description: z.string(),
  note: z.string(),
  start_date: z.string().nullable(),
  end_date: z.string().nullable(),
  created_date: z.string(),
  last_modified_date: z.string(),
});
const containerSchema = z.strictObject({
  id: z.number(),
  pid: z.string(),
  objects: z.array(z.strictObject({ id: z.number(), pid: z.string(), link_type: z.string(), self: z.string() })),
});
const searchPage = <S extends z.ZodType>(item: S) =>
  z.looseObject({ page: z.number(), page_size: z.number(), total: z.number(), items: z.array(item) });

const ISSUES: JiraIssue[] = [
  { id: "10001", key: "PROJ-1", fields: { summary: "Sign-in works" } },
  { id: "10002", key: "PROJ-2", fields: { summary: "Checkout — «totals»" }, qtest: true },
  { id: "10003", key: "PROJ-3", fields: { summary: "Not in qTest yet" }, qtest: false },
];

describe("qTest mock: requirements, releases and object links", () => {
  let mocks: RunningMocks;
  let api: HttpClient;
  const project = () => `/api/v3/projects/${mocks.qtest.projectId}`;
  const get = (path: string) => api.get(`${project()}${path}`);
  const post = (path: string, body: unknown) => api.post(`${project()}${path}`, body);
  const put = (path: string, body: unknown) => api.put(`${project()}${path}`, body);
  const del = (path: string, body?: unknown) => api.request("DELETE", `${project()}${path}`, { body });
  const ok = (res: HttpResult, status = 200) => {
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(status);
    return res.body;
  };
  const search = async <S extends z.ZodType>(objectType: string, query: string, item: S) =>
    searchPage(item).parse(ok(await post("/search", { object_type: objectType, fields: ["*"], query }))).items;

  let moduleId = 0;
  let caseIds: number[] = [];
  let runId = 0;

  beforeAll(async () => {
    mocks = await startMocks({ dataset: { ...generateProject({ testCases: 3, seed: 1 }), jiraIssues: ISSUES } });
    api = httpClient(mocks.qtest.url, mocks.qtest.token);
    const { store } = mocks.qtest;
    moduleId = store.createModule({ name: "Zephyr requirements" }, undefined).id as number;
    caseIds = [1, 2, 3].map((n) => store.createTestCase({ name: `Case ${n}`, properties: [], parent_id: moduleId }).id as number);
    const cycle = store.createTestCycle({ name: "Cycle" }, undefined, undefined);
    runId = store.createTestRun(
      { name: "Run", test_case: { id: caseIds[0] as number }, properties: [] },
      cycle.id as number,
      "test-cycle",
    ).id as number;
  });
  afterAll(async () => {
    await mocks?.stop();
  });

  it("serves field settings for requirements and releases, and creates fields on both", async () => {
    const requirementFields = z.array(fieldSchema).parse(ok(await get("/settings/requirements/fields")));
    expect(requirementFields.map((f) => f.label)).toEqual(["Status", "Priority", "Type", "Assigned To", "Description"]);
    const releaseFields = z.array(fieldSchema).parse(ok(await get("/settings/releases/fields")));
    expect(releaseFields.map((f) => f.label)).toEqual(["Status", "Description"]);
    for (const type of ["requirements", "releases"]) {
      const created = fieldSchema.parse(ok(await post(`/settings/${type}/fields`, { label: "Zephyr Key", data_type: 1 }), 201));
      expect(created.system_field).toBe(false);
      expect((await post(`/settings/${type}/fields`, { label: "Zephyr Key", data_type: 1 })).status).toBe(400);
    }
  });

  it("holds one requirement per Jira issue qTest already has, under a top-level 'Jira' requirement module", async () => {
    const imported = await search("requirements", "'Name' is 'not empty'", requirementSchema);
    expect(imported.map((r) => r.name)).toEqual(["PROJ-1 Sign-in works", "PROJ-2 Checkout — «totals»"]);
    expect(imported.map((r) => r.external_properties)).toEqual([
      { id: "10001", link: `${mocks.jira.url}/browse/PROJ-1`, unique_id: "10001" },
      { id: "10002", link: `${mocks.jira.url}/browse/PROJ-2`, unique_id: "10002" },
    ]);
    const jira = mocks.qtest.store.requirementModules().find((m) => m.name === "Jira");
    expect(imported.every((r) => r.parent_id === jira?.id)).toBe(true);
    // The Requirements tab's tree is not the test design tree.
    const modules = z.array(moduleSchema).parse(ok(await get("/modules")));
    expect(modules.map((m) => m.name)).not.toContain("Jira");

    const plain = z.array(requirementSchema).parse(ok(await get(withQuery("/requirements", { parentId: jira?.id }))));
    expect(plain.every((r) => r.external_properties === undefined)).toBe(true);
    const paged = await get(
      withQuery("/requirements", { parentId: jira?.id, size: 1, page: 2, includeExternalProperties: true }),
    );
    expect(
      z
        .array(requirementSchema)
        .parse(ok(paged))
        .map((r) => r.external_properties?.id),
    ).toEqual(["10002"]);
  });

  it("creates, reads, finds, updates and deletes a requirement under a module", async () => {
    const [marker] = z
      .array(fieldSchema)
      .parse(ok(await get("/settings/requirements/fields")))
      .filter((f) => f.label === "Zephyr Key");
    const body = { name: "PROJ-3 Not in qTest yet", properties: [{ field_id: marker?.id, field_value: "QA-JIRA-10003" }] };
    const created = requirementSchema.parse(ok(await post(withQuery("/requirements", { parentId: moduleId }), body), 201));
    expect(created.parent_id).toBe(moduleId);
    expect(created.web_url).toBe(
      `${mocks.qtest.url}/p/${mocks.qtest.projectId}/portal/project#tab=requirements&object=5&id=${created.id}`,
    );
    expect(requirementSchema.parse(ok(await get(`/requirements/${created.id}`)))).toEqual(created);

    const found = await search("requirements", "'Zephyr Key' = 'QA-JIRA-10003'", requirementSchema);
    expect(found.map((r) => r.id)).toEqual([created.id]);

    const renamed = requirementSchema.parse(ok(await put(`/requirements/${created.id}`, { name: "Renamed" })));
    expect(renamed.name).toBe("Renamed");
    expect(renamed.properties.find((p) => p.field_id === marker?.id)?.field_value).toBe("QA-JIRA-10003");

    expect((await post(withQuery("/requirements", { parentId: 987654 }), body)).status).toBe(404);
    expect((await post("/requirements", body)).status).toBe(400);
    expect((await post(withQuery("/requirements", { parentId: moduleId }), { name: "" })).status).toBe(400);
    expect((await post(withQuery("/requirements", { parentId: moduleId }), { name: "x".repeat(501) })).status).toBe(400);

    ok(await del(`/requirements/${created.id}`));
    expect((await get(`/requirements/${created.id}`)).status).toBe(404);
    expect((await del(`/requirements/${created.id}`)).status).toBe(404);
  });

  it("creates, lists, finds, updates and deletes a release", async () => {
    const created = releaseSchema.parse(
      ok(
        await post("/releases", { name: "Release plan 1", description: "From QA-P1", start_date: "2025-03-01T00:00:00.000Z" }),
        201,
      ),
    );
    expect(created.web_url).toBe(
      `${mocks.qtest.url}/p/${mocks.qtest.projectId}/portal/project#tab=testplan&object=8&id=${created.id}`,
    );
    const listed = z.array(releaseSchema).parse(ok(await get(withQuery("/releases", { includeClosed: true }))));
    expect(listed.map((r) => r.id)).toContain(created.id);
    expect((await search("releases", "'Name' = 'Release plan 1'", releaseSchema)).map((r) => r.id)).toEqual([created.id]);
    const updated = releaseSchema.parse(ok(await put(`/releases/${created.id}`, { name: "Release plan one", note: "n" })));
    expect(updated).toMatchObject({ name: "Release plan one", note: "n", description: "From QA-P1" });
    ok(await del(`/releases/${created.id}`));
    expect((await get(`/releases/${created.id}`)).status).toBe(404);
  });

  it("links a requirement to test cases both ways: is_covered_by under it, covers under each case; again changes nothing", async () => {
    const requirement = requirementSchema.parse(
      ok(await post(withQuery("/requirements", { parentId: moduleId }), { name: "Covered" }), 201),
    );
    const targets = [caseIds[0], caseIds[1], 424242];
    const first = z.array(containerSchema).parse(ok(await post(`/requirements/${requirement.id}/link?type=test-cases`, targets)));
    expect(first).toHaveLength(1);
    expect(first[0]?.pid).toBe(requirement.pid);
    expect(first[0]?.objects.map((o) => [o.id, o.link_type])).toEqual([
      [caseIds[0], "is_covered_by"],
      [caseIds[1], "is_covered_by"],
    ]);
    expect(first[0]?.objects[0]?.self).toBe(
      `${mocks.qtest.url}/p/${mocks.qtest.projectId}/portal/project#tab=testdesign&object=1&id=${caseIds[0]}`,
    );
    const again = z.array(containerSchema).parse(ok(await post(`/requirements/${requirement.id}/link?type=test-cases`, targets)));
    expect(again).toEqual(first);

    const fromCases = z
      .array(containerSchema)
      .parse(ok(await get(`/linked-artifacts?type=test-cases&ids=${caseIds[0]}&ids=${caseIds[1]}&ids=${caseIds[2]}&ids=424242`)));
    expect(fromCases.map((c) => c.id)).toEqual(caseIds);
    expect(fromCases[0]?.objects).toEqual([
      {
        id: requirement.id,
        pid: requirement.pid,
        link_type: "covers",
        self: `${mocks.qtest.url}/p/${mocks.qtest.projectId}/portal/project#tab=requirements&object=5&id=${requirement.id}`,
      },
    ]);
    expect(fromCases[2]?.objects).toEqual([]);
    const commaForm = z
      .array(containerSchema)
      .parse(ok(await get(`/linked-artifacts?type=test-cases&ids=${caseIds[0]},${caseIds[1]}`)));
    expect(commaForm).toEqual(fromCases.slice(0, 2));

    ok(await del(`/requirements/${requirement.id}/link?type=test-cases`, [caseIds[1]]));
    const after = z.array(containerSchema).parse(ok(await get(`/linked-artifacts?type=requirements&ids=${requirement.id}`)));
    expect(after[0]?.objects.map((o) => o.id)).toEqual([caseIds[0]]);
  });

  it("links a release to requirements and test runs, read from either end", async () => {
    const release = releaseSchema.parse(ok(await post("/releases", { name: "Linked release" }), 201));
    const requirement = requirementSchema.parse(
      ok(await post(withQuery("/requirements", { parentId: moduleId }), { name: "In a release" }), 201),
    );
    ok(await post(`/releases/${release.id}/link?type=requirements`, [requirement.id]));
    ok(await post(`/releases/${release.id}/link?type=test-runs`, [runId]));
    // The same pair linked from its other end is the same link.
    ok(await post(`/requirements/${requirement.id}/link?type=releases`, [release.id]));
    const fromRelease = z.array(containerSchema).parse(ok(await get(`/linked-artifacts?type=releases&ids=${release.id}`)));
    expect(fromRelease[0]?.objects.map((o) => [o.pid.slice(0, 2), o.link_type])).toEqual([
      ["RQ", "relates_to"],
      ["TR", "relates_to"],
    ]);
    const fromRun = z.array(containerSchema).parse(ok(await get(`/linked-artifacts?type=test-runs&ids=${runId}`)));
    expect(fromRun[0]?.objects).toEqual([
      {
        id: release.id,
        pid: release.pid,
        link_type: "is_related_to",
        self: `${mocks.qtest.url}/p/${mocks.qtest.projectId}/portal/project#tab=testplan&object=8&id=${release.id}`,
      },
    ]);
    const fromRequirement = z
      .array(containerSchema)
      .parse(ok(await get(`/linked-artifacts?type=requirements&ids=${requirement.id}`)));
    expect(fromRequirement[0]?.objects.map((o) => [o.id, o.link_type])).toEqual([[release.id, "is_related_to"]]);
  });

  it("refuses more than 100 ids, unknown source types and types with 400, an unknown source with 404", async () => {
    const requirement = requirementSchema.parse(
      ok(await post(withQuery("/requirements", { parentId: moduleId }), { name: "Limits" }), 201),
    );
    const ids = Array.from({ length: 101 }, (_, i) => i + 1);
    expect((await post(`/requirements/${requirement.id}/link?type=test-cases`, ids)).status).toBe(400);
    expect((await post(`/requirements/${requirement.id}/link?type=test-cases`, ids.slice(0, 100))).status).toBe(200);
    expect((await post(`/requirements/${requirement.id}/link?type=widgets`, [caseIds[0]])).status).toBe(400);
    expect((await post(`/test-cases/${caseIds[0]}/link?type=requirements`, [requirement.id])).status).toBe(400);
    expect((await post(`/requirements/${requirement.id}/link?type=test-cases`, ["x"])).status).toBe(400);
    expect((await post(`/requirements/987654/link?type=test-cases`, [caseIds[0]])).status).toBe(404);
    expect((await get("/linked-artifacts?type=widgets&ids=1")).status).toBe(400);
  });

  it("deleting a test case, test run, requirement or release removes every link it had", async () => {
    const { store } = mocks.qtest;
    const caseId = store.createTestCase({ name: "Doomed case", properties: [], parent_id: moduleId }).id as number;
    const cycle = store.createTestCycle({ name: "Doomed cycle" }, undefined, undefined);
    const run = store.createTestRun(
      { name: "Doomed run", test_case: { id: caseId }, properties: [] },
      cycle.id as number,
      "test-cycle",
    );
    const release = releaseSchema.parse(ok(await post("/releases", { name: "Doomed release" }), 201));
    const requirement = requirementSchema.parse(
      ok(await post(withQuery("/requirements", { parentId: moduleId }), { name: "Doomed" }), 201),
    );
    ok(await post(`/requirements/${requirement.id}/link?type=test-cases`, [caseId]));
    ok(await post(`/releases/${release.id}/link?type=requirements`, [requirement.id]));
    ok(await post(`/releases/${release.id}/link?type=test-runs`, [run.id]));
    const objectsOf = async (type: string, id: number) =>
      z
        .array(containerSchema)
        .parse(ok(await get(`/linked-artifacts?type=${type}&ids=${id}`)))[0]
        ?.objects.map((o) => o.id);

    // The case goes, and its run with it (qTest deletes a case's runs).
    ok(await del(`/test-cases/${caseId}`));
    expect(await objectsOf("requirements", requirement.id)).toEqual([release.id]);
    expect(await objectsOf("releases", release.id)).toEqual([requirement.id]);
    ok(await del(`/requirements/${requirement.id}`));
    expect(await objectsOf("releases", release.id)).toEqual([]);

    const other = requirementSchema.parse(
      ok(await post(withQuery("/requirements", { parentId: moduleId }), { name: "Survivor" }), 201),
    );
    ok(await post(`/releases/${release.id}/link?type=requirements`, [other.id]));
    ok(await del(`/releases/${release.id}`));
    expect(await objectsOf("requirements", other.id)).toEqual([]);
    expect((await get(`/linked-artifacts?type=releases&ids=${release.id}`)).body).toEqual([]);
  });
});

describe("qTest mock: the generated project's Jira requirements", () => {
  let mocks: RunningMocks;
  beforeAll(async () => {
    mocks = await startMocks({ generate: 60, seed: 5 });
  });
  afterAll(async () => {
    await mocks?.stop();
  });

  it("imports exactly the generated issues marked as in qTest", async () => {
    const snapshot = generateProject({ testCases: 60, seed: 5 });
    const expected = (snapshot.jiraIssues ?? []).filter((i) => i.qtest !== false).map((i) => i.id);
    const all = mocks.qtest.store.requirements(undefined, true);
    expect(all.map((r) => r.external_properties?.id)).toEqual(expected);
    expect((snapshot.jiraIssues ?? []).some((i) => i.qtest === false)).toBe(true);
  });
});
