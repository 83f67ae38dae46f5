import { describe, expect, it } from "vitest";
import type { TargetSettings } from "../mapping/resolve.js";
import { countCustomFields, emptyUsage, type SourceUsage } from "../mapping/source-usage.js";
import { FieldDataType } from "../qtest/field-data-type.js";
import type { Field } from "../qtest/schemas.js";
import { Observations } from "./observed.js";
import { type ProposalInput, propose } from "./propose.js";

let nextId = 100;
function field(label: string, dataType: number, allowed: string[] = []): Field {
  const id = nextId++;
  return {
    id,
    label,
    required: false,
    constrained: false,
    order: 0,
    allowed_values: allowed.map((value, index) => ({ value: id * 10 + index, label: value, is_active: true })),
    multiple: dataType === FieldDataType.multiSelect,
    data_type: dataType,
    searchable: true,
    system_field: false,
    original_name: label,
    is_active: true,
  };
}

const ACCOUNT = "5b10a2844c20165700ede2aa";
const OTHER = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077";

function input(caseFields: Field[] = [], observed = new Observations()): ProposalInput {
  const usage: SourceUsage = emptyUsage();
  usage.choices.testCaseStatus = new Map([
    ["1", 5],
    ["2", 3],
  ]);
  usage.choices.testCycleStatus = new Map([["11", 2]]);
  usage.choices.priority = new Map([["21", 4]]);
  usage.choices.environment = new Map([["31", 1]]);
  usage.executionStatuses = new Map([
    ["41", 6],
    ["42", 1],
  ]);
  usage.users = new Map([[ACCOUNT, { uses: 4, places: new Set(["Assigned To of test-cases"]) }]]);
  for (const [effort, category, reviewer] of [
    [1, "Functional", OTHER],
    [2.5, "Functional", OTHER],
    [3, "Security", null],
    [4, "Security", ACCOUNT],
  ] as const) {
    countCustomFields(usage, { Effort: effort, Category: category, Reviewer: reviewer, Notes: null });
  }
  const target: TargetSettings = {
    fields: {
      "test-cases": [
        field("Status", FieldDataType.comboBox, ["New", "Approved", "Obsolete"]),
        field("Priority", FieldDataType.comboBox, ["Urgent", "High", "Medium"]),
        ...caseFields,
      ],
      "test-suites": [field("Status", FieldDataType.comboBox, ["New", "In Progress", "Done"])],
      "test-runs": [field("Environment", FieldDataType.comboBox, ["Chrome", "Safari"])],
    },
    executionStatuses: [
      { id: 601, name: "Passed" },
      { id: 603, name: "Incomplete" },
    ],
    users: [{ id: 7, username: "ann@example.com" }],
  };
  return {
    zephyr: { url: "https://zephyr.example/v2", projectKey: "QA" },
    qtest: { url: "https://qtest.example", projectId: 1 },
    markerField: "Zephyr Key",
    usage,
    traceability: { testPlans: 2, coverageLinks: 5, issues: 4, withoutRequirement: 1 },
    names: {
      choices: {
        testCaseStatus: [
          { id: 1, name: "Draft" },
          { id: 2, name: "Aproved" },
          { id: 3, name: "Legacy" },
        ],
        testCycleStatus: [{ id: 11, name: "Not Executed" }],
        priority: [{ id: 21, name: "Critical" }],
        environment: [{ id: 31, name: "iOS 18" }],
      },
      executionStatuses: [
        { id: 41, name: "Pass" },
        { id: 42, name: "Retest" },
        { id: 43, name: "Fail" },
      ],
    },
    target,
    observed,
  };
}

const values = (proposal: ReturnType<typeof propose>, key: string) =>
  Object.fromEntries(
    (proposal.lists.find((l) => l.key === key)?.values ?? []).map((v) => [v.source, [v.match.how, v.match.target?.label]]),
  );

describe("proposing the mapping", () => {
  it("maps each status, priority and environment by name, synonym or close spelling", () => {
    const proposal = propose(input());
    expect(values(proposal, "testCase")).toEqual({
      Draft: ["synonym", "New"],
      Aproved: ["close", "Approved"],
      Legacy: ["none", undefined],
    });
    expect(values(proposal, "priorities")).toEqual({ Critical: ["synonym", "Urgent"] });
    expect(values(proposal, "testCycle")).toEqual({ "Not Executed": ["none", undefined] });
    expect(values(proposal, "environments")).toEqual({ "iOS 18": ["none", undefined] });
  });

  it("asks preflight to add the values in use that have no match, not those unused", () => {
    expect(propose(input()).createMissingValues).toBe(true);
    const onlyUnused = input();
    onlyUnused.usage.choices.testCycleStatus = new Map();
    onlyUnused.usage.choices.environment = new Map();
    const proposal = propose(onlyUnused);
    expect(values(proposal, "testCase").Legacy).toEqual(["none", undefined]);
    expect(proposal.createMissingValues).toBe(false);
  });

  it("gives every execution status the closest, since qTest cannot add one", () => {
    expect(values(propose(input()), "testExecution")).toEqual({
      Pass: ["synonym", "Passed"],
      Retest: ["closest", "Passed"],
      Fail: ["closest", "Passed"],
    });
  });

  it("creates the custom fields qTest lacks, typed by their values", () => {
    const { customFields } = propose(input());
    expect(Object.fromEntries(customFields.map((c) => [c.name, c.mapping]))).toEqual({
      Effort: { field: "Effort", type: "number", create: true },
      Category: { field: "Category", type: "select", create: true },
      Reviewer: { field: "Reviewer", type: "user", create: true },
      Notes: { field: "Notes", type: "text", create: true },
    });
  });

  it("maps a custom field to a same-named qTest field that takes its values, listing only options preflight would not find", () => {
    const fields = [
      field("Effort", FieldDataType.number),
      field("category", FieldDataType.comboBox, ["Functionnal", "Security"]),
      field("Reviewer", FieldDataType.datePicker),
    ];
    const { customFields } = propose(input(fields));
    const byName = Object.fromEntries(customFields.map((c) => [c.name, c]));
    expect(byName.Effort?.mapping).toEqual({ field: "Effort", type: "number" });
    expect(byName.Category?.mapping).toEqual({ field: "category", type: "select", values: { Functional: "Functionnal" } });
    // Account ids are no dates: a field of its own instead.
    expect(byName.Reviewer?.mapping).toEqual({ field: "Reviewer (Zephyr)", type: "user", create: true });
  });

  it("adds an option a same-named select lacks through createMissingValues", () => {
    const fields = [field("Category", FieldDataType.comboBox, ["Functional"])];
    const proposal = propose(input(fields));
    const category = proposal.customFields.find((c) => c.name === "Category");
    expect(category?.mapping).toEqual({ field: "Category", type: "select" });
    expect(category?.options.find((o) => o.source === "Security")?.match.how).toBe("none");
  });

  it("maps an account only to a qTest user tied to it, and keeps the others", () => {
    const unmatched = propose(input());
    expect(unmatched.unmappedUsers).toBe("keep");
    expect(unmatched.users.map((u) => [u.accountId, u.how, u.uses])).toEqual([
      [ACCOUNT, "none", 5],
      [OTHER, "none", 2],
    ]);
    expect(unmatched.users[0]?.places).toEqual(["Assigned To of test-cases", "custom field 'Reviewer'"]);

    const tied = input();
    tied.target.users = [
      { id: 7, username: ACCOUNT.toUpperCase() },
      { id: 8, username: "someone", email: OTHER },
    ];
    const proposal = propose(tied);
    expect(proposal.users.map((u) => u.user)).toEqual([ACCOUNT.toUpperCase(), "someone"]);
    expect(proposal.unmappedUsers).toBe("fail");
  });

  it("prefers what a migration did over matching by name, while qTest still allows it", () => {
    const observed = new Observations();
    observed.record("testCycleStatus", "Not Executed", "New");
    observed.record("environment", "iOS 18", "Safari");
    observed.record("testCaseStatus", "Draft", "Approved");
    observed.record("testCaseStatus", "Aproved", "Retired");
    observed.record("executionStatus", "Retest", "Incomplete");
    observed.record("user", ACCOUNT, "ann@example.com");
    observed.record("custom:Category", "Functional", "Security");
    const proposal = propose(input([field("Category", FieldDataType.comboBox, ["Functional", "Security"])], observed));
    expect(values(proposal, "testCycle")).toEqual({ "Not Executed": ["observed", "New"] });
    expect(values(proposal, "environments")).toEqual({ "iOS 18": ["observed", "Safari"] });
    expect(values(proposal, "testCase")).toMatchObject({ Draft: ["observed", "Approved"], Aproved: ["close", "Approved"] });
    expect(values(proposal, "testExecution").Retest).toEqual(["observed", "Incomplete"]);
    expect(proposal.users.find((u) => u.accountId === ACCOUNT)).toMatchObject({ user: "ann@example.com", how: "observed" });
    expect(proposal.customFields.find((c) => c.name === "Category")?.mapping).toEqual({
      field: "Category",
      type: "select",
      values: { Functional: "Security" },
    });
  });
});
