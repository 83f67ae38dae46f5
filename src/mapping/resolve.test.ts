import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../config/load.js";
import { convertCustomField } from "../plan/custom-fields.js";
import { FieldDataType } from "../qtest/field-data-type.js";
import type { Field } from "../qtest/schemas.js";
import { describeProblems, resolveValues, type TargetSettings } from "./resolve.js";
import { countCustomFields, emptyUsage, type SourceUsage } from "./source-usage.js";

type Mapping = ResolvedConfig["mapping"];

let nextId = 100;
function field(label: string, dataType: number, allowed: string[] = []): Field {
  return {
    id: nextId++,
    label,
    required: false,
    constrained: false,
    order: 0,
    allowed_values: allowed.map((value, index) => ({ value: 500 + index, label: value, is_active: true })),
    multiple: dataType === FieldDataType.multiSelect,
    data_type: dataType,
    searchable: true,
    system_field: false,
    original_name: label,
    is_active: true,
  };
}

const caseFields = [
  field("Reviewer", FieldDataType.userList),
  field("Build Number", FieldDataType.number),
  field("Release Date", FieldDataType.datePicker),
  field("Category", FieldDataType.comboBox, ["Functional", "Security"]),
  field("Platforms", FieldDataType.multiSelect, ["Web", "iOS"]),
];
const target: TargetSettings = {
  fields: { "test-cases": caseFields, "test-suites": [], "test-runs": [] },
  executionStatuses: [],
  users: [
    { id: 7, username: "ann@example.com" },
    { id: 8, username: "bob@example.com" },
  ],
};
const names = {
  choices: { testCaseStatus: [], testCycleStatus: [], priority: [], environment: [] },
  executionStatuses: [],
};

function mapping(users: Record<string, string>): Mapping {
  return {
    markerField: "Zephyr Key",
    statuses: { testCase: {}, testCycle: {}, testExecution: {} },
    priorities: {},
    environments: {},
    users,
    unmappedUsers: "fail",
    createMissingValues: false,
    customFields: {},
    requirements: { create: false, module: "Jira Requirements" },
  };
}

/** The usage of these test cases' custom fields, plus the owners of the managed "Assigned To". */
function usageOf(cases: Record<string, unknown>[], owners: string[] = []): SourceUsage {
  const usage = emptyUsage();
  for (const values of cases) countCustomFields(usage, values);
  for (const owner of owners) {
    const use = usage.users.get(owner) ?? { uses: 0, places: new Set<string>() };
    use.uses++;
    use.places.add("Assigned To of test-cases");
    usage.users.set(owner, use);
  }
  return usage;
}

describe("resolving the values in use", () => {
  it("resolves an account that only a user custom field carries, through mapping.users", () => {
    const usage = usageOf([{ Reviewer: "acc-reviewer" }, { Reviewer: "acc-owner" }], ["acc-owner"]);

    const { values, problems } = resolveValues(
      usage,
      names,
      target,
      mapping({ "acc-owner": "ann@example.com", "acc-reviewer": "8" }),
    );

    expect(problems).toEqual([]);
    expect([...values.users]).toEqual([
      ["acc-owner", "7"],
      ["acc-reviewer", "8"],
    ]);
    const reviewer = values.custom.get("Reviewer");
    expect(reviewer && convertCustomField("acc-reviewer", reviewer, values.users, "fail")).toBe("8");
  });

  it("lists an unmapped account with the fields that carry it, before the custom fields' problems", () => {
    const usage = usageOf([{ Reviewer: "acc-reviewer", "Build Number": "n/a" }, { Reviewer: "acc-owner" }], ["acc-owner"]);

    const { problems } = resolveValues(usage, names, target, mapping({}));

    expect(problems.map((p) => [p.what, p.value, p.uses, p.usedIn])).toEqual([
      ["user", "acc-owner", 2, ["Assigned To of test-cases", "custom field 'Reviewer'"]],
      ["user", "acc-reviewer", 1, ["custom field 'Reviewer'"]],
      ["value of custom field 'Build Number' (number)", "n/a", 1, undefined],
    ]);
    expect(describeProblems(problems)).toContain(
      "  - user 'acc-reviewer' (used 1× in custom field 'Reviewer'): set mapping.users.acc-reviewer (or mapping.unmappedUsers: keep); allowed: ann@example.com, bob@example.com",
    );
  });

  it("with unmappedUsers: keep, keeps the accounts no qTest user matches instead of refusing them", () => {
    const usage = usageOf([{ Reviewer: "acc-reviewer" }], ["acc-owner"]);
    const { values, problems, keptUsers } = resolveValues(usage, names, target, {
      ...mapping({ "acc-owner": "ann@example.com" }),
      unmappedUsers: "keep",
    });
    expect(problems).toEqual([]);
    expect([...values.users]).toEqual([["acc-owner", "7"]]);
    expect([...keptUsers.keys()]).toEqual(["acc-reviewer"]);
    const reviewer = values.custom.get("Reviewer");
    expect(reviewer && convertCustomField("acc-reviewer", reviewer, values.users, "keep")).toBeNull();
    expect(() => reviewer && convertCustomField("acc-reviewer", reviewer, values.users, "fail")).toThrow(/not mapped/);
  });

  it("converts every value in use as the run will, and reports what the run could not convert", () => {
    const cases = [
      { "Build Number": 12, "Release Date": "2025-03-01", Category: "Security", Platforms: ["Web", "iOS"] },
      { "Build Number": "soon", "Release Date": "next sprint", Category: ["Functional", "Security"], Platforms: ["Web"] },
      { Category: "Performance", Platforms: ["Web", "Android"] },
    ];

    const { values, problems } = resolveValues(usageOf(cases), names, target, mapping({}));

    expect(problems.map((p) => [p.what, p.value, p.uses])).toEqual([
      ["value of custom field 'Category'", "Performance", 1],
      ["value of custom field 'Platforms'", "Android", 1],
      ["value of custom field 'Build Number' (number)", "soon", 1],
      ["value of custom field 'Release Date' (date)", "next sprint", 1],
      ["value of custom field 'Category' (select)", '["Functional","Security"]', 1],
    ]);
    // Each refused value is what the run would have stopped on; every other one converts.
    const refused = new Set(problems.map((p) => p.value));
    for (const entity of cases) {
      for (const [name, value] of Object.entries(entity)) {
        const fieldTarget = values.custom.get(name);
        if (!fieldTarget) throw new Error(`${name} not resolved`);
        const key = typeof value === "string" ? value : JSON.stringify(value);
        const items = Array.isArray(value) ? value : [value];
        if (refused.has(key) || items.some((item) => refused.has(String(item)))) {
          expect(() => convertCustomField(value, fieldTarget, values.users, "fail")).toThrow();
        } else expect(() => convertCustomField(value, fieldTarget, values.users, "fail")).not.toThrow();
      }
    }
  });
});
