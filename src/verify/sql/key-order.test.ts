import { describe, expect, it } from "vitest";
import { compareInteger, compareNumber, compareText, keyComparator, renderKey } from "./key-order.js";

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe("key order", () => {
  it("orders text by UTF-8 bytes, whatever a collation would say", () => {
    const keys = ["ａ", "ab", "a-b", "Å", "aB", "a_b", "😀", "b", "", "\uffff", "a"];
    expect([...keys].sort(compareText)).toEqual([...keys].sort(byBytes));
    expect([...keys].sort(compareText)).toEqual(["", "a", "a-b", "aB", "a_b", "ab", "b", "Å", "ａ", "\uffff", "😀"]);
  });

  it("puts characters beyond U+FFFF after U+E000–FFFF, as their bytes do (UTF-16 would not)", () => {
    expect(compareText("😀", "ａ")).toBeGreaterThan(0);
    expect("😀" < "ａ").toBe(true);
    expect(compareText("\ud7ff", "😀")).toBeLessThan(0);
  });

  it("orders integers of any length by value", () => {
    const keys = ["10", "9", "-1", "-10", "0", "123456789012345678901234567890", "-123456789012345678901234567890"];
    expect([...keys].sort(compareInteger)).toEqual([
      "-123456789012345678901234567890",
      "-10",
      "-1",
      "0",
      "9",
      "10",
      "123456789012345678901234567890",
    ]);
  });

  it("orders numbers by value, NaN last", () => {
    expect(["2.5", "NaN", "-1e3", "10", "Infinity"].sort(compareNumber)).toEqual(["-1e3", "2.5", "10", "Infinity", "NaN"]);
  });

  it("compares compound keys column by column, NULL first", () => {
    const compare = keyComparator(["text", "integer"]);
    const keys = [
      ["b", "1"],
      ["a", "10"],
      ["a", "9"],
      [null, "5"],
      ["a", null],
    ];
    expect(keys.sort(compare)).toEqual([
      [null, "5"],
      ["a", null],
      ["a", "9"],
      ["a", "10"],
      ["b", "1"],
    ]);
  });

  it("names a row by its key columns", () => {
    expect(renderKey(["id"], ["42"])).toBe("id=42");
    expect(renderKey(["tenant", "id"], ["a", "7"])).toBe("tenant=a, id=7");
    expect(renderKey(["id"], [null])).toBe("id=NULL");
  });
});
