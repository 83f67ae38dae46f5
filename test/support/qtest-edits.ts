/**
 * Edits made in qTest by hand, through its API: what people do to a migrated project between runs
 * (delete, move, rename, copy), for tests of what a run or a reconcile does about them.
 */

import { type HttpClient, type HttpResult, httpClient } from "./http.js";
import type { MigrationFixture } from "./migration-fixture.js";

export interface Marked {
  id: number;
  name: string;
  parent_id?: number;
  parentId?: number;
  parentType?: string;
  test_run_id?: number;
  test_case?: { id: number };
  properties: { field_id: number; field_name: string; field_value: string }[];
  test_steps?: { id: number; description: string; expected: string; order: number }[];
}

export interface Container {
  id: number;
  name: string;
  children?: Container[];
  "test-cycles"?: Container[];
  "test-suites"?: Container[];
}

export const markerOf = (o: Marked) => o.properties.find((p) => p.field_name === "Zephyr Key")?.field_value ?? "";

/** The qTest project of a fixture, over HTTP. */
export function qtestProject(f: MigrationFixture): HttpClient {
  return httpClient(`${f.mocks.qtest.url}/api/v3/projects/${f.mocks.qtest.projectId}`, f.mocks.qtest.token);
}

/** The body of a 2xx answer; anything else fails the test with what was asked. */
export async function ok(result: Promise<HttpResult>, what: string): Promise<unknown> {
  const { status, body } = await result;
  if (status >= 300) throw new Error(`${what}: HTTP ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Every object of a type that carries a marker. */
export async function search(qtest: HttpClient, objectType: string): Promise<Marked[]> {
  const body = (await ok(
    qtest.post("/search?pageSize=999", { object_type: objectType, fields: ["*"], query: "'Zephyr Key' is 'not empty'" }),
    `search ${objectType}`,
  )) as { items: Marked[] };
  return body.items;
}

/** The module tree and the test cycle tree (suites included). */
export async function trees(qtest: HttpClient): Promise<{ modules: Container[]; cycles: Container[] }> {
  const [modules, cycles] = await Promise.all([
    ok(qtest.get("/modules?expand=descendants"), "modules"),
    ok(qtest.get("/test-cycles?parentId=0&parentType=root&expand=descendants"), "cycles"),
  ]);
  return { modules: modules as Container[], cycles: cycles as Container[] };
}

/** How many objects of a type carry each marker more than once. */
export async function duplicatedMarkers(qtest: HttpClient, objectType: string): Promise<string[]> {
  const counts = new Map<string, number>();
  for (const o of await search(qtest, objectType)) counts.set(markerOf(o), (counts.get(markerOf(o)) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([marker]) => marker);
}
