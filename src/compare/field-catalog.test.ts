import { describe, expect, it } from "vitest";
import type { Field } from "../qtest/schemas.js";
import { FieldCatalog } from "./field-catalog.js";

const field = (id: number, label: string, extra: Partial<Field> = {}) =>
  ({ id, label, data_type: 1, multiple: false, required: false, ...extra }) as Field;

describe("FieldCatalog.expected", () => {
  const catalog = new FieldCatalog(
    [
      field(1, "Notes"),
      field(2, "Type", {
        data_type: 3,
        allowed_values: [
          { value: 10, label: "Manual", is_default: true, is_active: true },
          { value: 11, label: "Automated", is_default: false, is_active: true },
        ],
      } as Partial<Field>),
    ],
    [],
  );

  it("expects a field written empty to hold what qTest sets for a field left out: its default, or nothing", () => {
    const emptied = [
      { field_id: 1, field_value: "" },
      { field_id: 2, field_value: "" },
    ];
    expect(catalog.expected(emptied, [1, 2], { defaults: true })).toEqual({ Notes: "", Type: "Manual" });
    expect(catalog.expected([], [1, 2], { defaults: true })).toEqual({ Notes: "", Type: "Manual" });
    expect(catalog.expected(emptied, [1, 2], { defaults: false })).toEqual({ Notes: "", Type: "" });
    expect(catalog.expected([{ field_id: 2, field_value: "11" }], [2], { defaults: true })).toEqual({ Type: "Automated" });
  });
});
