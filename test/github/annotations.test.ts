import { describe, expect, it } from "vitest";
import { type AnnotationItem, annotate } from "../../src/github/annotations.js";
import { captureStdout, commands } from "./helpers.js";

function run(items: AnnotationItem[], cap?: number) {
  const out = captureStdout();
  try {
    const counts = annotate(items, cap);
    return { counts, lines: out.lines() };
  } finally {
    out.restore();
  }
}

describe("annotate", () => {
  it("emits at most `cap` per level, then one '…and N more' per level that overflowed", () => {
    const items: AnnotationItem[] = [
      ...Array.from({ length: 14 }, (_, i) => ({
        level: "error" as const,
        title: `TC-${i} failed`,
        message: `HTTP 500 for TC-${i}`,
      })),
      ...Array.from({ length: 3 }, (_, i) => ({ level: "warning" as const, title: `w${i}`, message: `slow ${i}` })),
      ...Array.from({ length: 12 }, (_, i) => ({ level: "notice" as const, title: `n${i}`, message: `note ${i}` })),
    ];
    const { counts, lines } = run(items);
    const errors = commands(lines, "error");
    expect(errors).toHaveLength(11);
    expect(errors[0]).toBe("::error title=TC-0 failed::HTTP 500 for TC-0");
    expect(errors[9]).toBe("::error title=TC-9 failed::HTTP 500 for TC-9");
    expect(errors[10]).toMatch(/^::error title=4 more errors::…and 4 more \(see the report\)$/);
    expect(commands(lines, "warning")).toHaveLength(3);
    expect(commands(lines, "notice")).toHaveLength(11);
    expect(commands(lines, "notice").at(-1)).toContain("…and 2 more (see the report)");
    expect(counts).toEqual({
      error: { emitted: 10, dropped: 4 },
      warning: { emitted: 3, dropped: 0 },
      notice: { emitted: 10, dropped: 2 },
    });
  });

  it("honours a custom cap and escapes newlines and colons in titles", () => {
    const items: AnnotationItem[] = Array.from({ length: 5 }, (_, i) => ({
      level: "warning" as const,
      title: `case: ${i}`,
      message: `line one\nline two ${i}`,
    }));
    const { lines } = run(items, 2);
    const warnings = commands(lines, "warning");
    expect(warnings).toEqual([
      "::warning title=case%3A 0::line one%0Aline two 0",
      "::warning title=case%3A 1::line one%0Aline two 1",
      "::warning title=3 more warnings::…and 3 more (see the report)",
    ]);
  });

  it("emits nothing for no items", () => {
    expect(run([]).lines).toEqual([]);
  });
});
