import { describe, expect, it } from "vitest";
import { FieldCatalog } from "../../src/compare/field-catalog.js";
import { numberText, plainText, richText, timestamp } from "../../src/compare/normalize.js";
import { BadInputError } from "../../src/errors.js";
import { folderPaths } from "../../src/plan/folder-tree.js";
import { verificationReportJsonSchema } from "../../src/report/verification-report.js";
import { align } from "../../src/verify/align.js";
import { diff, fieldOf } from "../../src/verify/diff.js";
import { DEFAULT_FAIL_ON, formatFailOn, parseFailOn } from "../../src/verify/fail-on.js";
import { ComparisonTally, SAMPLE_CAP } from "../../src/verify/tally.js";

describe("normalization", () => {
  it("treats rich text as equal across <br> spellings, whitespace, &nbsp; and tag case", () => {
    expect(richText("a<br>b")).toBe(richText("a<br/>b"));
    expect(richText("a<BR />b")).toBe(richText("a\nb"));
    expect(richText("  a \t b  ")).toBe("a b");
    expect(richText("a&nbsp;b")).toBe("a b");
    expect(richText("<B>x</B>")).toBe("<b>x</b>");
    expect(richText("a <br> <br> b")).toBe("a\nb");
    expect(richText(null)).toBe("");
    expect(richText("a b")).not.toBe(richText("a\nb"));
    expect(richText("<b>x</b>")).not.toBe(richText("x"));
  });

  it("compares names, numbers and instants the stated way", () => {
    expect(plainText("  Login \n form ")).toBe("Login form");
    expect(numberText("2.50")).toBe("2.5");
    expect(numberText("n/a")).toBe("n/a");
    expect(timestamp("2025-01-06T09:00:00.123Z")).toBe("2025-01-06T09:00:00Z");
    expect(timestamp("2025-01-06T10:00:00+01:00")).toBe("2025-01-06T09:00:00Z");
    expect(timestamp("2025-01-06")).toBe("2025-01-06T00:00:00Z");
    expect(timestamp("soon")).toBe("soon");
    expect(timestamp(null)).toBe("");
  });

  it("shows choice values by label, compares multi-value fields as sets, expects a default where the write left one out", () => {
    const field = (id: number, label: string, data_type: number, extra: object = {}) => ({
      id,
      label,
      data_type,
      required: false,
      constrained: false,
      order: 1,
      multiple: false,
      searchable: true,
      system_field: false,
      original_name: label,
      is_active: true,
      ...extra,
    });
    const catalog = new FieldCatalog(
      [
        field(1, "Priority", 3, {
          allowed_values: [
            { value: 11, label: "High" },
            { value: 12, label: "Medium", is_default: true },
          ],
        }),
        field(2, "Platforms", 17, {
          multiple: true,
          allowed_values: [
            { value: 21, label: "Web" },
            { value: 22, label: "iOS" },
          ],
        }),
        field(3, "Owner", 5),
        field(4, "Effort", 7),
      ],
      [{ id: 7, username: "ana@example.com" }],
    );
    expect(catalog.value(1, "11")).toBe("High");
    expect(catalog.value(1, "99")).toBe("#99");
    expect(catalog.value(2, "[22, 21]")).toEqual(catalog.value(2, "[21,22]"));
    expect(catalog.value(2, "[21,22]")).toEqual(["Web", "iOS"]);
    expect(catalog.value(3, "7")).toBe("ana@example.com");
    expect(catalog.value(4, "2.50")).toBe("2.5");
    expect(catalog.expected([{ field_id: 4, field_value: "3" }], [1, 2, 3, 4], { defaults: true })).toEqual({
      Priority: "Medium",
      Platforms: [],
      Owner: "",
      Effort: "3",
    });
    expect(catalog.expected([], [1], { defaults: false })).toEqual({ Priority: "" });
  });
});

describe("thresholds", () => {
  it("defaults to failing on any problem", () => {
    expect(formatFailOn(parseFailOn(undefined))).toBe(DEFAULT_FAIL_ON);
  });

  it("bounds the named metrics and keeps the others at >0", () => {
    expect(parseFailOn("changed>5")).toEqual({ missing: 0, extra: 0, changed: 5, duplicated: 0, misplaced: 0 });
    expect(parseFailOn(" Missing > 2 , extra>10")).toMatchObject({ missing: 2, extra: 10, changed: 0 });
  });

  it("refuses anything else, naming the allowed metrics", () => {
    for (const spec of ["", "changes>1", "missing>=1", "missing<3", "missing>1.5", "missing>-1", "missing>1,missing>2"]) {
      expect(() => parseFailOn(spec)).toThrow(BadInputError);
      expect(() => parseFailOn(spec)).toThrow(/missing>N, extra>N, changed>N, duplicated>N, misplaced>N/);
    }
  });
});

describe("field differences", () => {
  it("names every differing field by path, array positions included", () => {
    const source = { name: "a", testSteps: [{ expected: "x" }, { expected: "y" }], properties: { Status: "New" } };
    const target = {
      name: "a",
      testSteps: [{ expected: "x" }, { expected: "z" }, { expected: "w" }],
      properties: { Status: "Done" },
    };
    expect(diff(source, target)).toEqual([
      { path: "properties.Status", source: "New", target: "Done" },
      { path: "testSteps[1].expected", source: "y", target: "z" },
      { path: "testSteps[2]", source: null, target: { expected: "w" } },
    ]);
    expect(fieldOf("testSteps[12].expected")).toBe("testSteps[].expected");
    expect(diff(source, structuredClone(source))).toEqual([]);
  });

  it("counts every problem but keeps a capped number of samples", () => {
    const tally = new ComparisonTally("testCase");
    for (let i = 0; i < SAMPLE_CAP + 5; i++) tally.problem("missing", `K-${i}`, []);
    tally.paired("K-x", [1], { changed: [{ path: "testSteps[3].expected", source: "a", target: "b" }] });
    tally.paired("K-y", [2], {});
    expect(tally).toMatchObject({ missing: SAMPLE_CAP + 5, changed: 1, matched: 1, truncated: true });
    expect(tally.samples).toHaveLength(SAMPLE_CAP);
    expect(Object.fromEntries(tally.fieldMismatches)).toEqual({ "testSteps[].expected": 1 });
  });
});

describe("pairing steps by identity", () => {
  const pairs = (expected: string, target: string) =>
    align([...expected], [...target], (x) => x).map((p) =>
      p.kind === "missing"
        ? `-${p.expected}`
        : p.kind === "extra"
          ? `+${p.target}`
          : `${p.kind === "equal" ? "=" : "~"}${p.expected}:${p.target}`,
    );

  it("reads one deletion as one missing item, one insertion as one extra, one edit as one changed", () => {
    expect(pairs("ABCD", "ACD")).toEqual(["=0:0", "-1", "=2:1", "=3:2"]);
    expect(pairs("ABCD", "AXBCD")).toEqual(["=0:0", "+1", "=1:2", "=2:3", "=3:4"]);
    expect(pairs("ABCD", "ABXD")).toEqual(["=0:0", "=1:1", "~2:2", "=3:3"]);
    expect(pairs("ABCD", "ABCD")).toEqual(["=0:0", "=1:1", "=2:2", "=3:3"]);
  });

  it("pairs the leftovers between two equal items in order, the rest missing or extra", () => {
    expect(pairs("ABCDE", "AXE")).toEqual(["=0:0", "~1:1", "-2", "-3", "=4:2"]);
    expect(pairs("AB", "XYZB")).toEqual(["~0:0", "+1", "+2", "=1:3"]);
    expect(pairs("", "XY")).toEqual(["+0", "+1"]);
    expect(pairs("XY", "")).toEqual(["-0", "-1"]);
    expect(pairs("ABC", "CAB")).toEqual(["+0", "=0:1", "=1:2", "-2"]);
  });

  it("keeps repeated items apart: each is paired once", () => {
    const aligned = align([..."AAAB"], [..."AAB"], (x) => x);
    expect(aligned.filter((p) => p.kind === "equal")).toHaveLength(3);
    expect(aligned.filter((p) => p.kind === "missing")).toHaveLength(1);
    expect(new Set(aligned.flatMap((p) => ("target" in p ? [p.target] : []))).size).toBe(3);
  });
});

describe("counting each problem once", () => {
  it("shows a problem counted through another type, without adding it to what the type counts", () => {
    const steps = new ComparisonTally("testStep");
    steps.problem("missing", "K-1", [1], 4, [], { countedElsewhere: true });
    steps.problem("missing", "K-2 testSteps[1]", [2]);
    steps.add("duplicated", 3, { countedElsewhere: true });
    const cases = new ComparisonTally("testCase");
    cases.paired("K-2", [2], { changed: [{ path: "testSteps[1]", source: {}, target: null }] }, { countedElsewhere: true });
    cases.paired("K-3", [3], {
      misplaced: [{ path: "module", source: "a", target: "b" }],
      changed: [{ path: "name", source: "a", target: "b" }],
    });
    expect({ missing: steps.missing, duplicated: steps.duplicated }).toEqual({ missing: 5, duplicated: 3 });
    expect({ missing: steps.counted("missing"), duplicated: steps.counted("duplicated") }).toEqual({ missing: 1, duplicated: 0 });
    expect({ changed: cases.changed, counted: cases.counted("changed"), misplaced: cases.counted("misplaced") }).toEqual({
      changed: 2,
      counted: 1,
      misplaced: 1,
    });
  });
});

describe("folder paths", () => {
  it("mirror the migration: a folder whose parent is unknown hangs under the root", () => {
    const folder = (id: number, parentId: number | null, name: string) => ({
      id,
      parentId,
      name,
      index: 0,
      folderType: "TEST_CASE" as const,
    });
    const paths = folderPaths([folder(1, null, "A"), folder(2, 1, "B"), folder(3, 2, "C"), folder(4, 99, "Orphan")]);
    expect(Object.fromEntries(paths)).toEqual({ 1: ["A"], 2: ["A", "B"], 3: ["A", "B", "C"], 4: ["Orphan"] });
  });
});

describe("the report's JSON Schema", () => {
  it("is generated from the zod schema, ready to publish", () => {
    const schema = verificationReportJsonSchema();
    expect(schema).toMatchObject({ $id: "urn:ztoq:schema:verification-report", type: "object" });
    expect(Object.keys((schema as { properties: object }).properties)).toEqual([
      "schemaVersion",
      "kind",
      "status",
      "run",
      "failOn",
      "totals",
      "checks",
      "cost",
    ]);
  });
});
