import { describe, expect, it } from "vitest";
import type { ValueType } from "./column-types.js";
import { type ColumnNormalize, describeRule, valueEquality, valueRule } from "./compare-values.js";

const equal = (source: ValueType, target: ValueType, normalize?: ColumnNormalize) =>
  valueEquality(valueRule(source, target, normalize));

describe("comparing two values of a column", () => {
  it("takes NULL as equal to NULL only, unless nullEquals names its stand-in", () => {
    const text = equal("text", "text");
    expect(text(null, null)).toBe(true);
    expect(text(null, "")).toBe(false);
    expect(text("", null)).toBe(false);
    const blankIsNull = equal("text", "text", { nullEquals: "" });
    expect(blankIsNull("", null)).toBe(true);
    expect(blankIsNull(null, "x")).toBe(false);
    expect(equal("text", "text", { nullEquals: "", trim: true })("  ", null)).toBe(true);
  });

  it("compares a NUMERIC and a REAL by value", () => {
    const numbers = equal("decimal", "float");
    expect(numbers("12.50", "12.5")).toBe(true);
    expect(numbers("0.1", "0.1")).toBe(true);
    expect(numbers("1e+20", "100000000000000000000")).toBe(true);
    expect(numbers("-0", "0")).toBe(true);
    expect(numbers("12.5", "12.51")).toBe(false);
    expect(equal("decimal", "decimal")("123456789012345678901.5", "123456789012345678901.6")).toBe(false);
  });

  it("rounds to decimals and allows a tolerance", () => {
    expect(equal("float", "decimal", { decimals: 2 })("12.345", "12.35")).toBe(true);
    expect(equal("float", "decimal", { decimals: 2 })("12.344", "12.35")).toBe(false);
    expect(equal("float", "float", { tolerance: 0.1 })("1.1", "1.0")).toBe(true);
    expect(equal("float", "float", { tolerance: 0.1 })("1.2", "1.0")).toBe(false);
    expect(equal("text", "text", { tolerance: 0.5 })("10", "10.4")).toBe(true);
  });

  it("compares timestamptz with ISO text in UTC, at the precision asked for", () => {
    const at = equal("timestamp", "text");
    expect(at("2024-05-01 10:00:00.123+00", "2024-05-01T12:00:00.123+02:00")).toBe(true);
    expect(at("2024-05-01 10:00:00.123456+00", "2024-05-01T10:00:00.123Z")).toBe(false);
    expect(equal("timestamp", "text", { timestamp: "ms" })("2024-05-01 10:00:00.123456+00", "2024-05-01T10:00:00.123Z")).toBe(
      true,
    );
    expect(at("infinity", "infinity")).toBe(true);
    expect(at("infinity", "2024-05-01")).toBe(false);
  });

  it("compares a boolean with 0/1", () => {
    const flag = equal("boolean", "integer");
    expect(flag("t", "1")).toBe(true);
    expect(flag("f", "0")).toBe(true);
    expect(flag("t", "0")).toBe(false);
  });

  it("compares JSON whatever its key order, on either side", () => {
    expect(equal("json", "text")('{"a": 1, "b": [1, 2]}', '{"b":[1,2],"a":1}')).toBe(true);
    expect(equal("text", "text", { json: true })('{"a":1}', '{"a":2}')).toBe(false);
    expect(equal("json", "text")("{not json", "{not json")).toBe(true);
  });

  it("trims and ignores case when asked", () => {
    expect(equal("text", "text", { trim: true, caseInsensitive: true })(" Alice ", "alice")).toBe(true);
    expect(equal("text", "text")(" Alice ", "Alice")).toBe(false);
  });

  it("says what a rule does, and nothing when values must read alike", () => {
    expect(describeRule(valueRule("text", "text"))).toBeUndefined();
    expect(describeRule(valueRule("decimal", "float", { decimals: 2 }))).toMatch(/numbers by value.*2 decimals/);
    expect(describeRule(valueRule("timestamp", "text", { timestamp: "ms" }))).toMatch(/UTC to the millisecond/);
    expect(describeRule(valueRule("text", "text", { nullEquals: "" }))).toBe('"" equals NULL');
  });
});
