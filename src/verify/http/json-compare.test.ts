import { describe, expect, it } from "vitest";
import { compareJson, compileJsonRules } from "./json-compare.js";
import { withoutNoise } from "./noise.js";
import { canonicalPattern, compilePattern, fieldPath, isWithin } from "./paths.js";

const paths = (diffs: { path: string }[]) => diffs.map((d) => d.path);

describe("paths", () => {
  it("writes fields as .name, odd names quoted, elements by index", () => {
    expect(fieldPath("$", "price")).toBe("$.price");
    expect(fieldPath("$.a", "x.y")).toBe('$.a["x.y"]');
    expect(compareJson({ a: [{ b: 1 }] }, { a: [{ b: 2 }] })).toEqual([{ path: "$.a[0].b", source: 1, target: 2 }]);
  });

  it("reads patterns with or without $., [] or [*] for any index", () => {
    expect(canonicalPattern("items[].updatedAt")).toBe("$.items[].updatedAt");
    expect(canonicalPattern("$.items[*].id")).toBe("$.items[].id");
    expect(canonicalPattern("[].id")).toBe("$[].id");
    const m = compilePattern("items[].tags[1]");
    expect(m("$.items[12].tags[1]")).toBe(true);
    expect(m("$.items[12].tags[2]")).toBe(false);
    expect(m("$.items.tags[1]")).toBe(false);
    expect(compilePattern('$["x.y"]')('$["x.y"]')).toBe(true);
  });

  it("knows what lies beneath a path", () => {
    expect(isWithin("$.a.b", "$.a")).toBe(true);
    expect(isWithin("$.a[3]", "$.a")).toBe(true);
    expect(isWithin("$.a", "$.a")).toBe(true);
    expect(isWithin("$.ab", "$.a")).toBe(false);
  });
});

describe("compareJson", () => {
  it("finds nothing between equal documents, whatever their field order", () => {
    expect(compareJson({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 })).toEqual([]);
  });

  it("reports a field added or removed, even against null, with the missing side left out", () => {
    expect(compareJson({ a: null, b: 1 }, { b: 1, c: "new" })).toEqual([
      { path: "$.a", source: null, target: undefined },
      { path: "$.c", source: undefined, target: "new" },
    ]);
  });

  it("reports a changed type at the node, not beneath it", () => {
    expect(compareJson({ a: { b: 1 } }, { a: [1] })).toEqual([{ path: "$.a", source: { b: 1 }, target: [1] }]);
    expect(compareJson([1], { x: 1 })).toEqual([{ path: "$", source: [1], target: { x: 1 } }]);
  });

  it("compares arrays without a key position by position: one insert cascades", () => {
    const diffs = compareJson({ items: [{ id: 1 }, { id: 2 }] }, { items: [{ id: 0 }, { id: 1 }, { id: 2 }] });
    expect(paths(diffs)).toEqual(["$.items[0].id", "$.items[1].id", "$.items[2]"]);
  });

  describe("arrayKeys", () => {
    const rules = compileJsonRules([], { items: "id", "$.items[].lines": "sku" });
    const items = [
      {
        id: 1,
        price: 10,
        lines: [
          { sku: "a", n: 1 },
          { sku: "b", n: 2 },
        ],
      },
      { id: 2, price: 20, lines: [] },
      { id: 3, price: 30, lines: [] },
    ];

    it("makes a reordering no difference", () => {
      const reordered = [items[2], items[0], items[1]].map((item) =>
        item?.id === 1 ? { ...item, lines: [...item.lines].reverse() } : item,
      );
      expect(compareJson({ items }, { items: reordered }, rules)).toEqual([]);
    });

    it("reports one inserted element as one difference, at its target index", () => {
      const inserted = { id: 9, price: 90, lines: [] };
      expect(compareJson({ items }, { items: [inserted, ...items] }, rules)).toEqual([
        { path: "$.items[0]", source: undefined, target: inserted },
      ]);
    });

    it("reports a removed element at its source index and a change inside a paired one at the source's", () => {
      const target = [{ ...items[2], price: 31 }, items[0]];
      expect(compareJson({ items }, { items: target }, rules)).toEqual([
        { path: "$.items[1]", source: items[1], target: undefined },
        { path: "$.items[2].price", source: 30, target: 31 },
      ]);
    });

    it("pairs repeated keys and elements without the key in order", () => {
      const r = compileJsonRules([], { $: "k" });
      expect(
        compareJson([{ k: 1, v: "a" }, { k: 1, v: "b" }, { v: "x" }], [{ v: "x" }, { k: 1, v: "a" }, { k: 1, v: "c" }], r),
      ).toEqual([{ path: "$[1].v", source: "b", target: "c" }]);
    });
  });

  describe("ignore", () => {
    it("skips a path and everything beneath it, at any index with []", () => {
      const rules = compileJsonRules(["$.meta", "items[].updatedAt"], {});
      const source = {
        meta: { requestId: "x" },
        items: [
          { id: 1, updatedAt: "t1" },
          { id: 2, updatedAt: "t1" },
        ],
      };
      const target = {
        meta: { requestId: "y", extra: 1 },
        items: [
          { id: 1, updatedAt: "t2" },
          { id: 3, updatedAt: "t2" },
        ],
      };
      expect(compareJson(source, target, rules)).toEqual([{ path: "$.items[1].id", source: 2, target: 3 }]);
    });

    it("skips a field present on one side only, and a whole element when it is ignored", () => {
      const rules = compileJsonRules(["$.requestId", "$.items[0]"], {});
      expect(compareJson({ items: [1] }, { requestId: "r", items: [2] }, rules)).toEqual([]);
    });
  });
});

describe("noise", () => {
  it("drops the differences at or beneath the paths where the source differed from itself", () => {
    const rules = compileJsonRules([], {});
    const first = { at: "10:00:01", id: "u-1", meta: { trace: "a" }, total: 3 };
    const second = { at: "10:00:02", id: "u-2", meta: { trace: "b" }, total: 3 };
    const target = { at: "10:00:03", id: "u-3", meta: "gone", total: 4 };
    const noise = compareJson(first, second, rules);
    expect(paths(noise)).toEqual(["$.at", "$.id", "$.meta.trace"]);
    // `$.meta` changed shape in the target: not noise, the source only ever varied beneath it.
    expect(paths(withoutNoise(compareJson(first, target, rules), noise))).toEqual(["$.meta", "$.total"]);
  });

  it("leaves the differences alone when the source is stable", () => {
    const diffs = compareJson({ a: 1 }, { a: 2 });
    expect(withoutNoise(diffs, [])).toEqual(diffs);
  });
});
