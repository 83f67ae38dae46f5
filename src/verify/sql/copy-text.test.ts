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
    // Cut inside "Å" (two bytes) and inside "ｂ" (three bytes); two chunks come before a take.
    splitter.write(text.subarray(0, 3));
    lines.push(...texts(splitter.take()));
    splitter.write(text.subarray(3, 9));
    splitter.write(text.subarray(9, 10));
    lines.push(...texts(splitter.take()));
    splitter.write(text.subarray(10));
    lines.push(...texts(splitter.take()));
    lines.push(...texts(splitter.end()));
    expect(lines).toEqual(["1\tÅsa", "2\tｂ", "3\tc"]);
  });

  it("keeps a last line without a newline", () => {
    const splitter = new LineSplitter();
    splitter.write(Buffer.from("a\nb"));
    expect(texts(splitter.take())).toEqual(["a"]);
    expect(texts(splitter.end())).toEqual(["b"]);
    expect(splitter.end()).toBeUndefined();
  });

  it("reuses the buffer of a batch handed back, the lines of the next batch intact", () => {
    const splitter = new LineSplitter();
    splitter.write(Buffer.from("a\tone\nb\tt"));
    const first = splitter.take() as LineBatch;
    expect(texts(first)).toEqual(["a\tone"]);
    splitter.release(first);
    splitter.write(Buffer.from("wo\nc\tthree\n"));
    splitter.take();
    splitter.write(Buffer.from("d\n"));
    const third = splitter.take();
    expect(third?.buf).toBe(first.buf);
    expect(texts(third)).toEqual(["d"]);
  });

  it("grows its buffer for a line longer than it", () => {
    const splitter = new LineSplitter();
    const long = "x".repeat(1 << 20);
    splitter.write(Buffer.from(long.slice(0, 1000)));
    splitter.write(Buffer.from(`${long.slice(1000)}\ny\n`));
    expect(texts(splitter.take()).map((l) => l.length)).toEqual([1 << 20, 1]);
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
