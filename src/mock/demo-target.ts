import { FieldDataType } from "../qtest/field-data-type.js";
import type { QTestStore } from "./qtest/store.js";
import type { ZephyrStore } from "./zephyr/store.js";

/**
 * What a qTest administrator prepares before migrating the generated demo project, and the mapping
 * that project needs. Over HTTP, they serve mocks in this process or in another; `ztoq mock
 * --demo-config` and `ztoq demo` work on the stores of the mocks they started, where no
 * `--fault-rate` or `--rate-limit` stands between them and the data.
 */
export interface MockEndpoints {
  zephyr: { url: string; token: string };
  qtest: { url: string; token: string; projectId: number };
}

/** The stores of mocks running in this process (`startMocks`). */
export interface MockStores {
  zephyr: { store: ZephyrStore };
  qtest: { store: QTestStore };
}

/** The custom fields the generated project's Zephyr custom fields map onto. */
const DEMO_FIELDS = [
  { label: "Build Number", data_type: FieldDataType.number },
  { label: "Release Date", data_type: FieldDataType.datePicker },
  { label: "Pre-Condition(s)", data_type: FieldDataType.richText },
  { label: "Implemented", data_type: FieldDataType.comboBox, allowed_values: [{ label: "Yes" }, { label: "No" }] },
  {
    label: "Category",
    data_type: FieldDataType.comboBox,
    allowed_values: ["Functional", "Security", "Performance", "Usability"].map((label) => ({ label })),
  },
  {
    label: "Platforms",
    data_type: FieldDataType.multiSelect,
    multiple: true,
    allowed_values: ["Web", "Android", "iOS", "Desktop"].map((label) => ({ label })),
  },
  { label: "Reviewer", data_type: FieldDataType.userList },
  { label: "Effort (days)", data_type: FieldDataType.number },
];

const TEST_CASES = "test-cases";

/** Creates the demo fields over HTTP. */
export async function provisionDemoTarget(mocks: MockEndpoints): Promise<void> {
  // Re-read after each round: under --fault-rate a POST may fail before or after taking effect.
  for (let round = 0; round < 10; round++) {
    const existing = (await qtest(mocks, "GET", `/settings/${TEST_CASES}/fields`)) as { label: string }[];
    const missing = DEMO_FIELDS.filter((field) => !existing.some((f) => f.label === field.label));
    if (missing.length === 0) return;
    for (const field of missing) await qtest(mocks, "POST", `/settings/${TEST_CASES}/fields`, { ...field, required: false });
  }
  throw new Error("could not provision the demo fields in qTest");
}

/** Creates the demo fields in the store of a mock in this process. */
export function provisionDemoStore(mocks: MockStores): void {
  const { store } = mocks.qtest;
  for (const field of DEMO_FIELDS) {
    if (!store.fields(TEST_CASES).some((f) => f.label === field.label)) {
      store.createField(TEST_CASES, { ...field, required: false });
    }
  }
}

/** The mapping the generated project needs, read from the stores of mocks in this process. */
export function demoMappingFromStores(mocks: MockStores) {
  const { store } = mocks.zephyr;
  return demoMappingOf(mocks.qtest.store.users, store.testCases(), store.testCycles());
}

/** The mapping the generated project needs, read over HTTP. */
export async function demoMapping(mocks: MockEndpoints) {
  const users = (await qtest(mocks, "GET", "/users")) as { username: string }[];
  const testCases: unknown[] = [];
  for await (const item of zephyrItems(mocks, "/testcases/nextgen")) testCases.push(item);
  const testCycles: unknown[] = [];
  for await (const item of zephyrItems(mocks, "/testcycles/nextgen")) testCycles.push(item);
  return demoMappingOf(users, testCases, testCycles);
}

/** The mapping: its users, and the few values qTest names otherwise. */
function demoMappingOf(users: readonly { username: string }[], testCases: Iterable<unknown>, testCycles: Iterable<unknown>) {
  const accountIds = new Set<string>();
  for (const item of testCases) {
    const testCase = item as { owner?: { accountId?: string } | null; customFields?: Record<string, unknown> | null };
    if (testCase.owner?.accountId) accountIds.add(testCase.owner.accountId);
    const reviewer = testCase.customFields?.Reviewer;
    if (typeof reviewer === "string") accountIds.add(reviewer);
  }
  for (const item of testCycles) {
    const cycle = item as { owner?: { accountId?: string } | null };
    if (cycle.owner?.accountId) accountIds.add(cycle.owner.accountId);
  }
  const userMap = Object.fromEntries([...accountIds].sort().map((id, i) => [id, users[i % users.length]?.username ?? ""]));
  return {
    statuses: { testCase: {}, testCycle: { "Not Executed": "New" }, testExecution: {} },
    priorities: {},
    environments: { "iOS 18": "Safari" },
    users: userMap,
    customFields: {
      "Pre-Condition(s)": { field: "Pre-Condition(s)", type: "richtext" as const },
      Implemented: { field: "Implemented", type: "select" as const, values: { true: "Yes", false: "No" } },
    },
  };
}

async function* zephyrItems(mocks: MockEndpoints, path: string): AsyncGenerator<unknown> {
  let startAtId: number | null = 0;
  while (startAtId !== null) {
    const page = (await request(
      `${mocks.zephyr.url}${path}?limit=1000&startAtId=${startAtId}`,
      `Bearer ${mocks.zephyr.token}`,
    )) as {
      values: unknown[];
      nextStartAtId: number | null;
    };
    yield* page.values;
    startAtId = page.nextStartAtId;
  }
}

function qtest(mocks: MockEndpoints, method: string, path: string, body?: unknown): Promise<unknown> {
  return request(
    `${mocks.qtest.url}/api/v3/projects/${mocks.qtest.projectId}${path}`,
    `bearer ${mocks.qtest.token}`,
    method,
    body,
  );
}

/**
 * Patient with a mock under `--rate-limit` or `--fault-rate`: waits out 429s and retries server
 * errors (a field POST that failed after being applied is found by the existence check next time).
 */
async function request(url: string, authorization: string, method = "GET", body?: unknown): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const retry = () => new Promise((resolve) => setTimeout(resolve, Math.min(2000, 50 * (attempt + 1))));
    const response = await fetch(url, {
      method,
      headers: { authorization, "content-type": "application/json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }).catch((error: unknown) => {
      if (attempt >= 50) throw error;
      return undefined;
    });
    if (!response || ((response.status === 429 || response.status >= 500) && attempt < 50)) {
      await response?.arrayBuffer();
      await retry();
      // A POST is never sent twice: it may have taken effect; the caller re-reads and decides.
      if (method === "POST" && (!response || response.status >= 500)) return undefined;
      continue;
    }
    if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  }
}
