import { describe, expect, it } from "vitest";
import { inferFieldType, isAccountId } from "./infer.js";

const seen = (...values: unknown[]) => values.map((value) => ({ value, uses: 1 }));

describe("inferring a custom field's type from its values", () => {
  it("reads each Zephyr value shape as its qTest type", () => {
    expect(inferFieldType(seen(3, 250, 1.25))).toBe("number");
    expect(inferFieldType(seen("2025-03-01", "2024-12-31"))).toBe("date");
    expect(inferFieldType(seen("2025-03-01T10:00:00Z", "2025-03-01T10:00:00.000+02:00"))).toBe("datetime");
    expect(inferFieldType(seen(true, false))).toBe("checkbox");
    expect(inferFieldType(seen(["Web"], ["iOS", "Android"]))).toBe("multiselect");
    expect(inferFieldType(seen("5b10a2844c20165700ede21g", "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"))).toBe("user");
    expect(inferFieldType(seen("Step one. <br> Step two.", "<p>Hello</p>"))).toBe("richtext");
    expect(inferFieldType(seen("https://example.com/a", "http://wiki/b"))).toBe("url");
    expect(inferFieldType(seen("a free sentence", "another one"))).toBe("text");
  });

  it("takes few distinct, repeated, short texts for a pick list", () => {
    const category = [
      { value: "Functional", uses: 9 },
      { value: "Security", uses: 4 },
      { value: "Performance", uses: 2 },
    ];
    expect(inferFieldType(category)).toBe("select");
    // Every value seen once: free text, however few.
    expect(inferFieldType(seen("Functional", "Security"))).toBe("text");
    expect(inferFieldType([{ value: "x".repeat(61), uses: 5 }])).toBe("text");
    expect(inferFieldType(Array.from({ length: 21 }, (_, i) => ({ value: `v${i}`, uses: 5 })))).toBe("text");
  });

  it("widens mixed values", () => {
    expect(inferFieldType(seen("2025-03-01", "2025-03-01T10:00:00Z"))).toBe("datetime");
    expect(inferFieldType(seen("plain", "<b>bold</b>"))).toBe("richtext");
    expect(inferFieldType(seen(3, "three"))).toBe("text");
    expect(inferFieldType([])).toBe("text");
  });

  it("knows an Atlassian account id from other text", () => {
    expect(isAccountId("5b10a2844c20165700ede2aa")).toBe(true);
    expect(isAccountId("557058:f58131cb-b67d-43c7-b30d-6b58d40bd077")).toBe(true);
    expect(isAccountId("5b10a2844c2016")).toBe(false);
    expect(isAccountId("ana.silva@example.com")).toBe(false);
    expect(isAccountId("12:30")).toBe(false);
  });
});
