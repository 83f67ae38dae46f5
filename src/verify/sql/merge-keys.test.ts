import { describe, expect, it } from "vitest";
import { type KeyCodec, keyCodec } from "./merge-keys.js";

/** The codec's parse of a whole line, as the merge calls it. */
const parser = (codec: KeyCodec) => (line: string) => {
  const buf = Buffer.from(line);
  return codec.parse(buf, 0, buf.length);
};

describe("keys as the merge holds them", () => {
  const integer = keyCodec({ names: ["id"], orders: ["integer"], canonical: [undefined] });
  const parseInteger = parser(integer);

  it("reads one integer key as a number, a long one as text, NULL as null", () => {
    expect(parseInteger("42\tx")).toBe(42);
    expect(parseInteger("-7\tx")).toBe(-7);
    expect(parseInteger("42")).toBe(42);
    expect(parseInteger("1234567890123456789\tx")).toBe("1234567890123456789");
    expect(parseInteger("\\N\tx")).toBeNull();
  });

  it("compares numbers and long integers alike", () => {
    const keys = ["9\ta", "1234567890123456789\tb", "\\N\tc", "-3\td", "-1234567890123456789\te"].map(parseInteger);
    const sorted = [...keys].sort(integer.compare).map((k) => integer.render(k));
    expect(sorted).toEqual(["id=NULL", "id=-1234567890123456789", "id=-3", "id=9", "id=1234567890123456789"]);
    expect(integer.toKey(42)).toEqual(["42"]);
  });

  it("reads a text key unescaped", () => {
    const text = keyCodec({ names: ["code"], orders: ["text"], canonical: [undefined] });
    const parseText = parser(text);
    expect(parseText("a\\tb\tx")).toBe("a\tb");
    expect(text.compare(parseText("ａ\t1"), parseText("Å\t1"))).toBeGreaterThan(0);
    expect(text.render("a-b")).toBe("code=a-b");
  });

  it("reads compound keys, and makes canonical the columns that need it", () => {
    const codec = keyCodec({ names: ["tenant", "at"], orders: ["text", "text"], canonical: [undefined, (v) => v.toUpperCase()] });
    const parse = parser(codec);
    const key = parse("a\tx\trest");
    expect(key).toEqual(["a", "X"]);
    expect(codec.render(key)).toBe("tenant=a, at=X");
    expect(codec.compare(parse("a\ty"), parse("a\tX"))).toBeGreaterThan(0);
  });
});
