import { describe, expect, it } from "vitest";
import {
  batchOfLines,
  escapeField,
  joinFields,
  type LineBatch,
  LineSplitter,
  leadingFields,
  lineCount,
  lineText,
  splitFields,
  unescapeField,
} from "./copy-text.js";

describe("COPY text lines", () => {
  const texts = (batch: LineBatch | undefined) =>
    batch ? Array.from({ length: lineCount(batch) }, (_, i) => lineText(batch, i)) : [];

  it("cuts chunks into whole lines, a line or a UTF-8 character cut by a chunk waiting for the next", () => {
    const text = Buffer.from("1\tÅsa\n2\tｂ\n3\tc\n");
    const splitter = new LineSplitter();
    const lines: string[] = [];
    // Cut inside "Å" (two bytes) and inside "ｂ" (three bytes); two chunks arrive at once.
    lines.push(...texts(splitter.push([text.subarray(0, 3)])));
    lines.push(...texts(splitter.push([text.subarray(3, 9), text.subarray(9, 10)])));
    lines.push(...texts(splitter.push([text.subarray(10)])));
    lines.push(...texts(splitter.end()));
    expect(lines).toEqual(["1\tÅsa", "2\tｂ", "3\tc"]);
  });

  it("keeps a last line without a newline", () => {
    const splitter = new LineSplitter();
    expect(texts(splitter.push([Buffer.from("a\nb")]))).toEqual(["a"]);
    expect(texts(splitter.end())).toEqual(["b"]);
    expect(splitter.end()).toBeUndefined();
  });

  it("makes a batch of lines", () => {
    expect(texts(batchOfLines(["x", "", "ｙ"]))).toEqual(["x", "", "ｙ"]);
    expect(lineCount(batchOfLines([]))).toBe(0);
  });

  it("reads NULL, escapes and plain text", () => {
    expect(unescapeField("\\N")).toBeNull();
    expect(unescapeField("a\\tb\\nc\\\\d")).toBe("a\tb\nc\\d");
    expect(unescapeField("\\\\x0a0b")).toBe("\\x0a0b");
    expect(unescapeField("plain")).toBe("plain");
  });

  it("writes what it reads", () => {
    for (const value of ["", "a\tb", "back\\slash", "line\nbreak\r", "\\N", null]) {
      expect(unescapeField(escapeField(value))).toBe(value);
    }
    expect(escapeField(null)).toBe("\\N");
    expect(escapeField("\\N")).toBe("\\\\N");
  });

  it("splits a line into values, or only its first ones", () => {
    const line = joinFields(["7", "a\tb", null, ""]);
    expect(line).toBe("7\ta\\tb\t\\N\t");
    expect(splitFields(line)).toEqual(["7", "a\tb", null, ""]);
    expect(leadingFields(line, 2)).toEqual(["7", "a\tb"]);
    expect(leadingFields("42", 1)).toEqual(["42"]);
  });
});
