/**
 * Reads a migrated qTest project back through the qTest Manager v3 HTTP API, the way a person or a
 * verification would: the module tree, every test case with its steps, the test cycle tree, every
 * suite, run (paged) and log (paged). Reads only (GET, and POST /search, which is a read), each
 * retried on 429, 5xx and dropped connections, so it works against mocks under faults and rate limits.
 */

export interface QTestEndpoint {
  url: string;
  token: string;
  projectId: number;
}

export interface Property {
  field_id: number;
  field_name?: string | null;
  field_value?: string | null;
  field_value_name?: string | null;
}

export interface TargetModule {
  id: number;
  name: string;
  parent_id: number | null;
  /** Names from the top-level module down to this one. */
  path: string[];
}

export interface TargetStep {
  id: number;
  description: string;
  expected: string;
  order: number;
  called_test_case_id?: number | null;
  parameter_values?: unknown;
}

export interface TargetTestCase {
  id: number;
  name: string;
  description: string;
  precondition: string;
  parent_id: number;
  /** Path of the module it was listed in. */
  modulePath: string[];
  properties: Property[];
  test_steps: TargetStep[];
  test_case_version_id?: number | null;
}

export interface TargetCycle {
  id: number;
  name: string;
  /** Names from the top-level test cycle down to this one. */
  path: string[];
}

export interface TargetSuite {
  id: number;
  name: string;
  /** Path of the test cycle holding it (empty: directly under the project root). */
  cyclePath: string[];
  properties: Property[];
}

export interface TargetRun {
  id: number;
  name: string;
  suiteId: number;
  test_case: { id: number };
  test_case_version_id?: number | null;
  properties: Property[];
}

export interface TargetStepLog {
  test_step_id?: number | null;
  status: { id: number; name?: string | null };
  actual_result?: string | null;
  order?: number | null;
}

export interface TargetLog {
  id: number;
  runId: number;
  status: { id: number; name?: string | null };
  exe_start_date: string;
  exe_end_date: string;
  note?: string | null;
  properties: Property[];
  test_step_logs: TargetStepLog[];
  /** The case version the log was made against; its step logs point at that version's steps. */
  test_case_version_id?: number | null;
}

export interface QTestTarget {
  modules: TargetModule[];
  testCases: TargetTestCase[];
  cycles: TargetCycle[];
  suites: TargetSuite[];
  runs: TargetRun[];
  logs: TargetLog[];
  /** Releases and requirements carrying a marker (test plans, Jira issues ZTOQ made requirements for). */
  releases: { id: number; marker: string }[];
  requirements: { id: number; marker: string }[];
  /** Every test run in the project (root, all descendants), to catch runs outside any suite. */
  allRunIds: number[];
  /** Where two listings of the same thing disagreed (the cycle tree's suites against `GET /test-suites`). */
  inconsistencies: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One read against the qTest API, retried while the server throttles, fails or drops the connection. */
export async function qtestRead(endpoint: QTestEndpoint, method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
  const url = `${endpoint.url}/api/v3/projects/${endpoint.projectId}${path}`;
  for (let attempt = 1; ; attempt++) {
    let response: Response | undefined;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `bearer ${endpoint.token}`,
          accept: "application/json",
          ...(body !== undefined && { "content-type": "application/json" }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (error) {
      if (attempt >= 40) throw error;
    }
    if (response && response.status !== 429 && response.status < 500) {
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
      return JSON.parse(text);
    }
    await response?.arrayBuffer().catch(() => undefined);
    if (attempt >= 40) throw new Error(`${method} ${path}: still failing after ${attempt} attempts (HTTP ${response?.status})`);
    await sleep(Math.min(1000, 25 * attempt));
  }
}

const query = (params: Record<string, string | number | boolean>) =>
  `?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString()}`;

/** `{page, page_size, total, items}` pages, read to the end with a small page size so paging is exercised. */
async function allPaged<T>(endpoint: QTestEndpoint, path: string, params: Record<string, string | number | boolean>) {
  const all: T[] = [];
  const pageSize = 25;
  for (let page = 1; ; page++) {
    const body = (await qtestRead(endpoint, "GET", `${path}${query({ ...params, page, pageSize })}`)) as {
      items: T[];
      total: number;
    };
    all.push(...body.items);
    if (body.items.length < pageSize || all.length >= body.total) return all;
  }
}

/** The whole migrated project, read through the API. */
export async function readTarget(endpoint: QTestEndpoint): Promise<QTestTarget> {
  type RawModule = { id: number; name: string; parent_id?: number | null; children?: RawModule[] };
  const modules: TargetModule[] = [];
  const walkModules = (items: RawModule[], parentPath: string[]) => {
    for (const m of items) {
      const path = [...parentPath, m.name];
      modules.push({ id: m.id, name: m.name, parent_id: m.parent_id ?? null, path });
      walkModules(m.children ?? [], path);
    }
  };
  walkModules((await qtestRead(endpoint, "GET", `/modules${query({ expand: "descendants" })}`)) as RawModule[], []);

  const testCases: TargetTestCase[] = [];
  for (const module of modules) {
    const size = 10;
    for (let page = 1; ; page++) {
      const items = (await qtestRead(
        endpoint,
        "GET",
        `/test-cases${query({ parentId: module.id, expandSteps: true, page, size })}`,
      )) as Omit<TargetTestCase, "modulePath">[];
      for (const item of items) testCases.push({ ...item, modulePath: module.path, test_steps: item.test_steps ?? [] });
      if (items.length < size) break;
    }
  }

  type RawCycle = {
    id: number;
    name: string;
    "test-cycles"?: RawCycle[];
    "test-suites"?: { id: number; name: string; properties?: Property[] }[];
  };
  const cycles: TargetCycle[] = [];
  const suites: TargetSuite[] = [];
  const topCycles: RawCycle[] = [];
  for (let page = 1; ; page++) {
    const items = (await qtestRead(
      endpoint,
      "GET",
      `/test-cycles${query({ parentId: 0, parentType: "root", expand: "descendants", page, pageSize: 50 })}`,
    )) as RawCycle[];
    topCycles.push(...items);
    if (items.length < 50) break;
  }
  const inTree = new Map<number, number[]>();
  const walkCycles = (items: RawCycle[], parentPath: string[]) => {
    for (const c of items) {
      const path = [...parentPath, c.name];
      cycles.push({ id: c.id, name: c.name, path });
      inTree.set(c.id, (c["test-suites"] ?? []).map((s) => s.id).sort());
      walkCycles(c["test-cycles"] ?? [], path);
    }
  };
  walkCycles(topCycles, []);
  // The suites of each test cycle, listed on their own; the expanded tree must show the same ones.
  const inconsistencies: string[] = [];
  type RawSuite = { id: number; name: string; properties?: Property[] };
  const listSuites = async (parentId: number, parentType: "root" | "test-cycle") =>
    (await qtestRead(endpoint, "GET", `/test-suites${query({ parentId, parentType })}`)) as RawSuite[];
  for (const cycle of cycles) {
    const listed = await listSuites(cycle.id, "test-cycle");
    for (const s of listed) suites.push({ id: s.id, name: s.name, cyclePath: cycle.path, properties: s.properties ?? [] });
    const ids = JSON.stringify(listed.map((s) => s.id).sort());
    if (ids !== JSON.stringify(inTree.get(cycle.id))) {
      inconsistencies.push(
        `test cycle ${cycle.path.join(" / ")}: suites ${ids} listed, ${JSON.stringify(inTree.get(cycle.id))} in the tree`,
      );
    }
  }
  // Suites directly under the project root, which the cycle tree does not show.
  for (const s of await listSuites(0, "root"))
    suites.push({ id: s.id, name: s.name, cyclePath: [], properties: s.properties ?? [] });

  const runs: TargetRun[] = [];
  for (const suite of suites) {
    const items = await allPaged<Omit<TargetRun, "suiteId">>(endpoint, "/test-runs", {
      parentId: suite.id,
      parentType: "test-suite",
    });
    for (const run of items) runs.push({ ...run, suiteId: suite.id, properties: run.properties ?? [] });
  }
  const allRuns = await allPaged<{ id: number }>(endpoint, "/test-runs", {
    parentId: 0,
    parentType: "root",
    expand: "descendants",
  });

  const logs: TargetLog[] = [];
  for (const run of runs) {
    const items = await allPaged<Omit<TargetLog, "runId">>(endpoint, `/test-runs/${run.id}/test-logs`, {});
    for (const log of items) {
      logs.push({ ...log, runId: run.id, properties: log.properties ?? [], test_step_logs: log.test_step_logs ?? [] });
    }
  }
  const [releases, requirements] = [await searchMarked(endpoint, "releases"), await searchMarked(endpoint, "requirements")];
  return {
    modules,
    testCases,
    cycles,
    suites,
    runs,
    logs,
    releases,
    requirements,
    allRunIds: allRuns.map((r) => r.id),
    inconsistencies,
  };
}

/** Every object of a type whose marker field is set, through `POST /search` (all pages). */
export async function searchMarked(
  endpoint: QTestEndpoint,
  objectType: "test-cases" | "test-suites" | "test-runs" | "test-logs" | "releases" | "requirements",
  markerField = "Zephyr Key",
): Promise<{ id: number; marker: string }[]> {
  const hits: { id: number; marker: string }[] = [];
  const pageSize = 100;
  for (let page = 1; ; page++) {
    const body = (await qtestRead(endpoint, "POST", `/search${query({ page, pageSize })}`, {
      object_type: objectType,
      fields: ["*"],
      query: `'${markerField}' is 'not empty'`,
    })) as { items: { id: number; properties?: Property[] }[]; total: number };
    for (const item of body.items) hits.push({ id: item.id, marker: propertyValue(item.properties ?? [], markerField) ?? "" });
    if (body.items.length < pageSize || hits.length >= body.total) return hits;
  }
}

/** The stored value of the property labelled `label` (undefined when the object has no such field). */
export function propertyValue(properties: readonly Property[], label: string): string | undefined {
  const property = properties.find((p) => p.field_name === label);
  return property ? String(property.field_value ?? "") : undefined;
}

/** The display value (an allowed value's label, a user's name) of the property labelled `label`. */
export function propertyName(properties: readonly Property[], label: string): string | undefined {
  const property = properties.find((p) => p.field_name === label);
  return property ? String(property.field_value_name ?? property.field_value ?? "") : undefined;
}

/** Markers that occur more than once, with how often. */
export function duplicates(markers: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const m of markers) counts.set(m, (counts.get(m) ?? 0) + 1);
  return Object.fromEntries([...counts].filter(([, n]) => n > 1));
}
