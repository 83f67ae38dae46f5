import { describe, expect, it } from "vitest";
import { canonicalDecimal, roundDecimal } from "./decimal.js";

describe("decimal strings", () => {
  it("spells one number one way", () => {
    expect(["12.50", "12.5", "1.25e1", "+012.5", "125E-1"].map(canonicalDecimal)).toEqual(Array(5).fill("12.5"));
    expect(canonicalDecimal("-0")).toBe("0");
    expect(canonicalDecimal("-0.000")).toBe("0");
    expect(canonicalDecimal("1e+20")).toBe("100000000000000000000");
    expect(canonicalDecimal("1.5e-7")).toBe("0.00000015");
    expect(canonicalDecimal("123456789012345678901234567890.123")).toBe("123456789012345678901234567890.123");
    expect(canonicalDecimal("NaN")).toBe("NaN");
    expect(canonicalDecimal("-Infinity")).toBe("-Infinity");
  });

  it("is undefined for text that is not a number", () => {
    for (const text of ["", "abc", "1.2.3", "1e", "."]) expect(canonicalDecimal(text)).toBeUndefined();
  });

  it("rounds half away from zero, on the digits (no binary float error)", () => {
    expect(roundDecimal("1.005", 2)).toBe("1.01");
    expect(roundDecimal("-1.005", 2)).toBe("-1.01");
    expect(roundDecimal("1.004", 2)).toBe("1");
    expect(roundDecimal("9.995", 2)).toBe("10");
    expect(roundDecimal("0.4", 0)).toBe("0");
    expect(roundDecimal("-0.4", 0)).toBe("0");
    expect(roundDecimal("12.5", 3)).toBe("12.5");
    expect(roundDecimal("NaN", 2)).toBe("NaN");
  });
});
