import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../config/load.js";
import { FieldDataType } from "../qtest/field-data-type.js";
import type { Field } from "../qtest/schemas.js";
import { resolveValues, type TargetSettings } from "./resolve.js";
import { describeSettings, settingsToCreate, withSettings } from "./settings-to-create.js";
import { countCustomFields, emptyUsage } from "./source-usage.js";

type Mapping = ResolvedConfig["mapping"];

function field(id: number, label: string, dataType: number, allowed: string[] = []): Field {
  return {
    id,
    label,
    required: false,
    constrained: false,
    order: 0,
    allowed_values: allowed.map((value, index) => ({ value: id * 10 + index, label: value, is_active: true })),
    multiple: false,
    data_type: dataType,
    searchable: true,
    system_field: false,
    original_name: label,
    is_active: true,
  };
}

const target: TargetSettings = {
  fields: {
    "test-cases": [
      field(1, "Priority", FieldDataType.comboBox, ["High", "Medium"]),
      field(2, "Category", FieldDataType.comboBox, ["UI"]),
    ],
    "test-suites": [],
    "test-runs": [field(3, "Environment", FieldDataType.comboBox, ["Staging"])],
  },
  executionStatuses: [],
  users: [],
};
const names = {
  choices: {
    testCaseStatus: [],
    testCycleStatus: [],
    priority: [
      { id: 1, name: "High" },
      { id: 2, name: "Blocker" },
    ],
    environment: [
      { id: 5, name: "staging" },
      { id: 6, name: "Production" },
    ],
  },
  executionStatuses: [],
};

function mapping(overrides: Partial<Mapping> = {}): Mapping {
  return {
    markerField: "Zephyr Key",
    statuses: { testCase: {}, testCycle: {}, testExecution: {} },
    priorities: {},
    environments: {},
    users: {},
    unmappedUsers: "fail",
    createMissingValues: false,
    customFields: {},
    requirements: { create: false, module: "Jira Requirements" },
    ...overrides,
  };
}

function usage() {
  const u = emptyUsage();
  u.choices.priority = new Map([
    ["1", 3],
    ["2", 1],
  ]);
  u.choices.environment = new Map([
    ["5", 2],
    ["6", 1],
  ]);
  countCustomFields(u, { Category: "UI", Platforms: ["Web", "iOS"] });
  countCustomFields(u, { Category: "API", Platforms: ["Web"] });
  return u;
}

describe("what preflight creates in qTest", () => {
  it("creates nothing unless the configuration says so", () => {
    expect(settingsToCreate(usage(), names, target, mapping())).toEqual({ fields: [], values: [] });
  });

  it("adds the values no allowed value matches (same name in any case counts), and the options a created field needs", () => {
    const settings = settingsToCreate(
      usage(),
      names,
      target,
      mapping({
        createMissingValues: true,
        priorities: { Blocker: "Showstopper" },
        customFields: { Platforms: { field: "Platforms", type: "multiselect", create: true, values: { iOS: "iPhone" } } },
      }),
    );
    expect(describeSettings(settings)).toEqual({
      fields: ["test-cases: Platforms (multiselect; options Web, iPhone)"],
      values: ["test-cases: Priority = Showstopper", "test-runs: Environment = Production", "test-cases: Category = API"],
    });
    expect(settings.fields[0]?.dataType).toBe(FieldDataType.multiSelect);
  });

  it("resolves, against the target as it will be, everything it creates (what a dry run promises)", () => {
    const m = mapping({
      createMissingValues: true,
      customFields: { Platforms: { field: "Platforms", type: "multiselect", create: true } },
    });
    const before = resolveValues(usage(), names, target, m);
    expect(before.problems.map((p) => p.value).sort()).toEqual(["API", "Blocker", "Platforms", "Production"]);
    const after = resolveValues(usage(), names, withSettings(target, settingsToCreate(usage(), names, target, m)), m);
    expect(after.problems).toEqual([]);
    expect(after.values.custom.get("Platforms")?.values.size).toBe(2);
    // The target given is left as it was.
    expect(target.fields["test-cases"]).toHaveLength(2);
  });
});
