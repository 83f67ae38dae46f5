import { describe, expect, it } from "vitest";
import { matchChoice } from "./value-matching.js";

describe("value matching", () => {
  const choices = [
    { id: "601", label: "Passed" },
    { id: "713", label: "Medium" },
  ];
  it("prefers the configured label, then the same name, then a synonym", () => {
    expect(matchChoice("Pass", choices)?.id).toBe("601");
    expect(matchChoice("normal", choices)?.id).toBe("713");
    expect(matchChoice("Pass", choices, "Medium")?.id).toBe("713");
    expect(matchChoice("Pass", choices, "Nope")).toBeUndefined();
    expect(matchChoice("Exotic", choices)).toBeUndefined();
  });
});
