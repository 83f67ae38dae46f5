import { describe, expect, it } from "vitest";
import { TEST_CASE_FIELDS } from "../plan/managed-fields.js";
import { FieldDataType } from "../qtest/field-data-type.js";
import type { Field } from "../qtest/schemas.js";
import type { TestCase } from "../zephyr/schemas.js";
import { Observations, observeCustomFields, observeManaged } from "./observed.js";

function field(id: number, label: string, data_type: number, options: string[] = []): Field {
  return {
    id,
    label,
    data_type,
    required: false,
    constrained: false,
    order: id,
    multiple: data_type === FieldDataType.multiSelect,
    searchable: true,
    system_field: false,
    original_name: label,
    is_active: true,
    allowed_values: options.map((label, i) => ({ value: id * 10 + i, label })),
  };
}

const caseFields = [
  field(1, "Status", FieldDataType.comboBox, ["New", "Approved"]),
  field(2, "Priority", FieldDataType.comboBox, ["Urgent", "Medium"]),
  field(3, "Assigned To", FieldDataType.userList),
  field(4, "Implemented", FieldDataType.comboBox, ["Yes", "No"]),
  field(5, "Platforms", FieldDataType.multiSelect, ["Web", "iOS"]),
  field(6, "Reviewer", FieldDataType.userList),
];
const users = [
  { id: 9001, username: "admin@example.com" },
  { id: 9002, username: "ana@example.com" },
];
const names = {
  testCaseStatus: new Map([[10, "Draft"]]),
  testCycleStatus: new Map<number, string>(),
  priority: new Map([[1, "Critical"]]),
  environment: new Map<number, string>(),
};

const zephyrCase = {
  key: "DEMO-T1",
  status: { id: 10 },
  priority: { id: 1 },
  owner: { accountId: "5b10a2844c20165700ede2aa" },
} as unknown as TestCase;

describe("observing what a migration made of each value", () => {
  it("reads the managed choice and user fields against the Zephyr values they derive from", () => {
    const observations = new Observations();
    const properties = [
      { field_id: 1, field_value: "10" },
      { field_id: 2, field_value: "20", field_value_name: "Urgent" },
      { field_id: 3, field_value: "9002" },
    ];
    observeManaged(observations, TEST_CASE_FIELDS, zephyrCase, properties, caseFields, { users, names });
    expect(observations.get("testCaseStatus", "Draft")).toEqual({ target: "New", uses: 1, others: [] });
    expect(observations.get("priority", "Critical")?.target).toBe("Urgent");
    expect(observations.get("user", "5b10a2844c20165700ede2aa")?.target).toBe("ana@example.com");
  });

  it("keeps the most frequent target and names the others", () => {
    const observations = new Observations();
    observations.record("environment", "iOS 18", "Safari");
    observations.record("environment", "iOS 18", "Chrome");
    observations.record("environment", "iOS 18", "Safari");
    expect(observations.get("environment", "iOS 18")).toEqual({
      target: "Safari",
      uses: 2,
      others: [{ target: "Chrome", uses: 1 }],
    });
    expect(observations.get("environment", "Chrome")).toBeUndefined();
  });

  it("reads single choices and users of same-named custom fields, not lists it cannot pair", () => {
    const observations = new Observations();
    const properties = [
      { field_id: 4, field_value: "40" },
      { field_id: 5, field_value: "[50,51]" },
      { field_id: 6, field_value: "9001" },
    ];
    const values = { Implemented: true, Platforms: ["Web", "iOS"], Reviewer: "5b10a2844c20165700ede2ab", Gone: "x" };
    observeCustomFields(observations, values, properties, caseFields, { users });
    expect(observations.get("custom:Implemented", "true")?.target).toBe("Yes");
    expect(observations.get("custom:Platforms", "Web")).toBeUndefined();
    expect(observations.get("user", "5b10a2844c20165700ede2ab")?.target).toBe("admin@example.com");

    observeCustomFields(observations, { Platforms: ["iOS"] }, [{ field_id: 5, field_value: "[51]" }], caseFields, { users });
    expect(observations.get("custom:Platforms", "iOS")?.target).toBe("iOS");
  });
});
