import { describe, expect, it } from "vitest";
import { BadInputError } from "../errors.js";
import { MAX_THRESHOLD, parseFailOn } from "./fail-on.js";

describe("parseFailOn: the bound of a threshold", () => {
  it("takes the largest whole number held exactly", () => {
    expect(parseFailOn(`changed>${MAX_THRESHOLD}`).changed).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("refuses one beyond it in one line naming the part and the range", () => {
    const spec = "missing>0,changed>99999999999999999999999";
    expect(() => parseFailOn(spec)).toThrow(BadInputError);
    expect(() => parseFailOn(spec)).toThrow(
      /^--fail-on: 'changed>99999999999999999999999' is beyond the largest bound; allowed: .*\(N a whole number from 0 to 9007199254740991\)/,
    );
    expect(() => parseFailOn("extra>9007199254740993", "check 'orders' failOn")).toThrow(
      /^check 'orders' failOn: 'extra>9007199254740993' is beyond the largest bound/,
    );
  });
});
