import { describe, expect, it } from "vitest";
import { compileJsonRules } from "./json-compare.js";
import { judge } from "./judge.js";
import { type CapturedResponse, compareResponses, type ResponseRules } from "./response-compare.js";

const rules: ResponseRules = { compareHeaders: ["x-version"], json: compileJsonRules([], {}) };

function answer(status: number, headers: Record<string, string>, body: string | Uint8Array = ""): CapturedResponse {
  return { status, headers: new Headers(headers), body: typeof body === "string" ? new TextEncoder().encode(body) : body };
}
const json = (value: unknown, status = 200, headers: Record<string, string> = {}) =>
  answer(status, { "content-type": "application/json", ...headers }, JSON.stringify(value));

describe("compareResponses", () => {
  it("finds nothing between the same answers, whatever the spacing of their JSON or content type", () => {
    const a = answer(200, { "content-type": "application/json; charset=utf-8" }, '{"a": 1, "b": [1,2]}');
    const b = answer(200, { "content-type": "Application/JSON;charset=UTF-8" }, '{"b":[1,2],"a":1}');
    expect(compareResponses(a, b, rules)).toEqual([]);
  });

  it("names the status, the content type and each compared header", () => {
    const a = json({}, 200, { "x-version": "1", "x-other": "a" });
    const b = answer(404, { "content-type": "text/plain", "x-other": "b" }, "{}");
    expect(compareResponses(a, b, rules)).toEqual([
      { path: "status", source: 200, target: 404 },
      { path: "header.content-type", source: "application/json", target: "text/plain" },
      { path: "header.x-version", source: "1", target: undefined },
    ]);
  });

  it("compares JSON bodies field by field and other bodies as text", () => {
    expect(compareResponses(json({ a: 1, b: 2 }), json({ a: 1, b: 3 }), rules)).toEqual([{ path: "$.b", source: 2, target: 3 }]);
    const html = (text: string) => answer(200, { "content-type": "text/html" }, text);
    expect(compareResponses(html("<p>old</p>"), html("<p>new</p>"), rules)).toEqual([
      { path: "body", source: "<p>old</p>", target: "<p>new</p>" },
    ]);
  });

  it("compares a body that claims JSON but does not parse as text", () => {
    const broken = answer(200, { "content-type": "application/json" }, "{oops");
    expect(compareResponses(json({ a: 1 }), broken, rules)).toEqual([{ path: "body", source: '{"a":1}', target: "{oops" }]);
  });

  it("shows binary bodies by size and digest", () => {
    const png = (bytes: number[]) => answer(200, { "content-type": "image/png" }, new Uint8Array(bytes));
    const [d] = compareResponses(png([1, 2, 3]), png([1, 2, 4]), rules);
    expect(d?.path).toBe("body");
    expect(d?.source).toMatch(/^\(3 bytes, sha256 [0-9a-f]{16}\)$/);
    expect(compareResponses(png([1, 2]), png([1, 2]), rules)).toEqual([]);
  });
});

describe("judge", () => {
  const ok = (response: CapturedResponse) => ({ ok: true as const, response });
  const failed = (error: string) => ({ ok: false as const, error });

  it("makes a failure on one side one difference at error", () => {
    const verdict = judge({ id: "r", source: ok(json({})), target: failed("connection refused") }, rules);
    expect(verdict).toEqual({
      differences: [{ path: "error", source: "HTTP 200", target: "connection refused" }],
      noise: [],
      unanswered: false,
    });
  });

  it("marks a request neither side answered", () => {
    expect(
      judge({ id: "r", source: failed("timed out after 1 s"), target: failed("connection refused") }, rules).unanswered,
    ).toBe(true);
  });

  it("subtracts what differed between the source's two answers, headers included", () => {
    const source = ok(json({ at: 1, id: "a", n: 1 }, 200, { "x-version": "r1" }));
    const repeat = ok(json({ at: 2, id: "a", n: 1 }, 200, { "x-version": "r2" }));
    const target = ok(json({ at: 3, id: "b", n: 1 }, 200, { "x-version": "r3" }));
    expect(judge({ id: "r", source, target, repeat }, rules)).toEqual({
      differences: [{ path: "$.id", source: "a", target: "b" }],
      noise: ["header.x-version", "$.at"],
      unanswered: false,
    });
  });

  it("keeps every difference when the second source call failed", () => {
    const verdict = judge(
      { id: "r", source: ok(json({ at: 1 })), target: ok(json({ at: 2 })), repeat: failed("connection reset") },
      rules,
    );
    expect(verdict.differences).toEqual([{ path: "$.at", source: 1, target: 2 }]);
  });
});
