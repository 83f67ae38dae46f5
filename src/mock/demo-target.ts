import type { RunningMocks } from "./start.js";

/**
 * What a qTest administrator does before migrating the generated demo project: create the custom
 * fields its Zephyr custom fields map onto. Done over the API, as an admin's script would.
 */
export async function provisionDemoTarget(mocks: RunningMocks): Promise<void> {
  const fields = [
    { label: "Build Number", data_type: 7 },
    { label: "Release Date", data_type: 4 },
    { label: "Pre-Condition(s)", data_type: 6 },
    { label: "Implemented", data_type: 3, allowed_values: [{ label: "Yes" }, { label: "No" }] },
    {
      label: "Category",
      data_type: 3,
      allowed_values: ["Functional", "Security", "Performance", "Usability"].map((label) => ({ label })),
    },
    {
      label: "Platforms",
      data_type: 17,
      multiple: true,
      allowed_values: ["Web", "Android", "iOS", "Desktop"].map((label) => ({ label })),
    },
    { label: "Reviewer", data_type: 5 },
    { label: "Effort (days)", data_type: 7 },
  ];
  const existing = (await call(mocks, "GET", "/settings/test-cases/fields")) as { label: string }[];
  for (const field of fields) {
    if (existing.some((f) => f.label === field.label)) continue;
    await call(mocks, "POST", "/settings/test-cases/fields", { ...field, required: false });
  }
}

/** The mapping the generated demo project needs: users, and the few values qTest names otherwise. */
export async function demoMapping(mocks: RunningMocks) {
  const users = (await call(mocks, "GET", "/users")) as { id: number; username: string }[];
  const accountIds = new Set<string>();
  for (const t of mocks.zephyr.store.testCases()) if (t.owner?.accountId) accountIds.add(t.owner.accountId);
  for (const c of mocks.zephyr.store.testCycles()) if (c.owner?.accountId) accountIds.add(c.owner.accountId);
  for (const t of mocks.zephyr.store.testCases()) {
    const reviewer = t.customFields?.Reviewer;
    if (typeof reviewer === "string") accountIds.add(reviewer);
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

async function call(mocks: RunningMocks, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${mocks.qtest.url}/api/v3/projects/${mocks.qtest.projectId}${path}`, {
    method,
    headers: { authorization: `bearer ${mocks.qtest.token}`, "content-type": "application/json" },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}
