import { describe, expect, it } from "vitest";
import { canonicalBoolean, canonicalJson } from "./canonical.js";

describe("canonical JSON and booleans", () => {
  it("sorts object keys at every depth, keeps array order", () => {
    expect(canonicalJson('{"b": 1, "a": {"d": [2, 1], "c": null}}')).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(canonicalJson('{"a":{"c":null,"d":[2,1]},"b":1}')).toBe(canonicalJson('{"b":1,"a":{"d":[2,1],"c":null}}'));
    expect(canonicalJson("not json")).toBeUndefined();
  });

  it("reads PostgreSQL's t/f and SQLite's 1/0 alike", () => {
    expect(["t", "true", "1", "TRUE", " yes "].map(canonicalBoolean)).toEqual(Array(5).fill("true"));
    expect(["f", "false", "0", "off"].map(canonicalBoolean)).toEqual(Array(4).fill("false"));
    expect(canonicalBoolean("maybe")).toBeUndefined();
  });
});
