import { type RecordedType, recordedTypeSchema } from "../../src/entity-types.js";
import type { RunningMocks } from "../../src/mock/start.js";
import { createStateStore } from "../../src/state/open-store.js";
import type { EntityRecord } from "../../src/state/store.js";

type QTest = RunningMocks["qtest"];

/** One request to the qTest mock under `/api/v3/projects/{id}`, answered 2xx, its JSON body returned. */
export async function qtestApi(q: QTest, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${q.url}/api/v3/projects/${q.projectId}${path}`, {
    method,
    headers: { authorization: `bearer ${q.token}`, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  return text === "" ? undefined : JSON.parse(text);
}

export async function exists(q: QTest, path: string): Promise<boolean> {
  const response = await fetch(`${q.url}/api/v3/projects/${q.projectId}${path}`, {
    headers: { authorization: `bearer ${q.token}` },
  });
  await response.arrayBuffer();
  if (response.status !== 200 && response.status !== 404) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response.status === 200;
}

/** The top-level module of this name (ZTOQ's root module is named after the Zephyr project key). */
export async function topModule(q: QTest, name: string): Promise<{ id: number; name: string }> {
  const modules = (await qtestApi(q, "GET", "/modules")) as { id: number; name: string }[];
  const found = modules.find((m) => m.name === name);
  if (!found) throw new Error(`no top-level module ${name}`);
  return found;
}

export interface HandMade {
  /** A module inside ZTOQ's root module, holding a test case; neither carries a marker. */
  inside: { moduleId: number; caseId: number };
  /** A top-level module of its own with a test case. */
  outside: { moduleId: number; caseId: number };
}

/** What a person made in the project by hand, next to and inside what ZTOQ made. */
export async function makeByHand(q: QTest, rootModuleName: string): Promise<HandMade> {
  const root = await topModule(q, rootModuleName);
  const make = async (name: string, parentId?: number) => {
    const module = (await qtestApi(q, "POST", `/modules${parentId === undefined ? "" : `?parentId=${parentId}`}`, {
      name,
    })) as { id: number };
    const testCase = (await qtestApi(q, "POST", "/test-cases", {
      name: `${name}: a case written by hand`,
      parent_id: module.id,
      properties: [],
      test_steps: [{ description: "do it by hand", expected: "it works" }],
    })) as { id: number };
    return { moduleId: module.id, caseId: testCase.id };
  };
  return { inside: await make("Made by hand", root.id), outside: await make("Team's own module") };
}

/** Every record of the SQLite state, per type (the store is opened and closed again). */
export async function stateRecords(path: string): Promise<Record<RecordedType, EntityRecord[]>> {
  const store = createStateStore(path);
  await store.open();
  try {
    const all = {} as Record<RecordedType, EntityRecord[]>;
    for (const type of recordedTypeSchema.options) {
      all[type] = [];
      for await (const record of store.list(type)) all[type].push(record);
    }
    return all;
  } finally {
    await store.close();
  }
}
