import { describe, expect, it } from "vitest";
import { textCell, textTable } from "./table-text.js";

describe("textTable", () => {
  it("pads columns to their widest cell, numbers to the right, with a rule under the header", () => {
    expect(
      textTable(
        ["Entity", "Created"],
        [
          ["Test cases", "12"],
          ["Total", "3"],
        ],
        ["left", "right"],
      ),
    ).toEqual(["Entity      Created", "----------  -------", "Test cases       12", "Total             3"]);
  });

  it("keeps cells on one line, cut to a length", () => {
    expect(textCell("a\n b   c", 10)).toBe("a b c");
    expect(textCell("abcdefghijk", 5)).toBe("abcd…");
  });
});
