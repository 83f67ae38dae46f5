import { describe, expect, it } from "vitest";
import { BadInputError } from "../errors.js";
import { DEFAULT_FAIL_ON, formatFailOn, judge, MAX_THRESHOLD, METRICS, parseFailOn } from "./fail-on.js";

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

describe("notCarried: what the source holds that qTest did not receive", () => {
  const clean = { missing: 0, extra: 0, changed: 0, duplicated: 0, misplaced: 0 };

  it("is not gated by default: the default text and rows stay as they were, and any total passes", () => {
    const thresholds = parseFailOn(undefined);
    expect(thresholds.notCarried).toBeUndefined();
    expect(formatFailOn(thresholds)).toBe(DEFAULT_FAIL_ON);
    const judged = judge({ ...clean, notCarried: 1_000 }, thresholds);
    expect(judged.verdict).toBe("passed");
    expect(judged.rows.map((r) => r.metric)).toEqual([...METRICS]);
    expect(formatFailOn(parseFailOn("changed>5"))).toBe("missing>0,extra>0,changed>5,duplicated>0,misplaced>0");
  });

  it("fails on one when bounded by notCarried>0, with its row among the others", () => {
    const thresholds = parseFailOn("notCarried>0");
    expect(formatFailOn(thresholds)).toBe(`${DEFAULT_FAIL_ON},notCarried>0`);
    const judged = judge({ ...clean, notCarried: 1 }, thresholds);
    expect(judged).toMatchObject({ verdict: "failed", notCarriedFailed: true });
    expect(judged.failed.size).toBe(0);
    expect(judged.rows.at(-1)).toEqual({ metric: "notCarried", max: 0, actual: 1, verdict: "failed" });
    expect(judge({ ...clean, notCarried: 0 }, thresholds).verdict).toBe("passed");
  });

  it("passes up to its bound, counts a check without a section as 0, and takes the name in any case", () => {
    const thresholds = parseFailOn("NotCarried>3, changed>1");
    expect(thresholds).toMatchObject({ notCarried: 3, changed: 1, missing: 0 });
    expect(judge({ ...clean, notCarried: 3 }, thresholds).verdict).toBe("passed");
    expect(judge({ ...clean, notCarried: 4 }, thresholds).verdict).toBe("failed");
    expect(judge(clean, thresholds).rows.at(-1)).toEqual({ metric: "notCarried", max: 3, actual: 0, verdict: "passed" });
  });

  it("is named in the message that refuses a threshold, and cannot be bounded twice", () => {
    expect(() => parseFailOn("lost>0")).toThrow(/allowed: missing>N, .*misplaced>N, notCarried>N \(unbounded unless named\)/);
    expect(() => parseFailOn("notCarried>0,notcarried>2")).toThrow(/'notCarried' is bounded twice/);
  });
});
