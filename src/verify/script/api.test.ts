import { describe, expect, it } from "vitest";
import { Findings } from "../checks/findings.js";
import { scriptApi } from "./api.js";

function api() {
  const findings = new Findings();
  return { findings, ...scriptApi(findings, { options: { a: 1 }, baseDir: "/tmp" }) };
}

describe("the script check helpers", () => {
  it("compare: equal is a match, a difference is one changed item with every path that differs", () => {
    const { api: t, findings, counts } = api();
    t.compare("k1", { id: 1, lines: [{ qty: 1 }] }, { id: 1, lines: [{ qty: 1 }] });
    t.compare("k2", { id: 2, total: 10, lines: [{ qty: 1 }] }, { id: 2, total: 11, lines: [{ qty: 2 }] });
    expect({ matched: findings.matched, changed: findings.changed, counts }).toEqual({
      matched: 1,
      changed: 1,
      counts: { source: 2, target: 2 },
    });
    expect(findings.samples[0]?.differences.map((d) => d.path)).toEqual(["lines[0].qty", "total"]);
  });

  it("compare: ignored paths and the sql kind's rules take away what is no difference", () => {
    const { api: t, findings } = api();
    t.compare(
      "k",
      { total: 10.004, at: new Date("2026-01-01T00:00:00.123Z"), name: " Ann ", items: [{ updatedAt: 1 }] },
      { total: 10.001, at: "2026-01-01T00:00:00Z", name: "ann", items: [{ updatedAt: 2 }] },
      {
        ignore: ["items[].updatedAt"],
        normalize: { total: { decimals: 2 }, at: { timestamp: "s" }, name: { trim: true, caseInsensitive: true } },
      },
    );
    expect(findings.samples).toEqual([]);
    expect(findings.matched).toBe(1);
  });

  it("compare: a Date is a value, not an object with no fields", () => {
    const { api: t, findings } = api();
    t.compare("k", { at: new Date("2026-01-01T00:00:00Z") }, { at: new Date("2026-01-02T00:00:00Z") });
    expect(findings.changed).toBe(1);
  });

  it("missing, extra, duplicated, fail and pass count as the report shows them", () => {
    const { api: t, findings, counts } = api();
    t.missing("a");
    t.extra("b");
    t.duplicated("c", { source: 2, target: 1 });
    t.fail("d", "sum > 0", { expected: "> 0", actual: 0 });
    t.pass("e");
    expect([findings.missing, findings.extra, findings.duplicated, findings.changed, findings.matched]).toEqual([1, 1, 1, 1, 1]);
    expect(counts).toEqual({ source: 3, target: 3 });
    expect(findings.samples.find((s) => s.key === "d")?.differences).toEqual([{ path: "sum > 0", source: "> 0", target: 0 }]);
  });
});
