/**
 * How a response body is compared: JSON field by field when both sides send JSON (by content type,
 * and the body parses), otherwise as text under the path `body`; bodies of a non-text type are
 * summarized by size and digest rather than shown.
 */
import { createHash } from "node:crypto";
import type { Difference } from "../../report/verification-report.js";
import { compareJson, type JsonRules } from "./json-compare.js";

export const BODY_PATH = "body";

type Body = { kind: "json"; value: unknown } | { kind: "text"; text: string } | { kind: "binary"; bytes: Uint8Array };

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b|^text\/json\b/i;
const TEXT_TYPE =
  /^text\/|^application\/(?:[\w.+-]+\+)?(?:json|xml)\b|^application\/(?:javascript|x-www-form-urlencoded|graphql)\b/i;

/** The differences between two bodies, each with the content type it was sent with. */
export function compareBodies(
  source: { contentType: string | null; bytes: Uint8Array },
  target: { contentType: string | null; bytes: Uint8Array },
  rules: JsonRules,
): Difference[] {
  // Equal bytes are equal under any rule, and most bodies are: no parse, no walk.
  if (sameBytes(source.bytes, target.bytes)) return [];
  const a = readBody(source.contentType, source.bytes);
  const b = readBody(target.contentType, target.bytes);
  if (a.kind === "json" && b.kind === "json") return compareJson(a.value, b.value, rules);
  const [shownA, shownB] = [shown(a), shown(b)];
  return shownA === shownB ? [] : [{ path: BODY_PATH, source: shownA, target: shownB }];
}

function readBody(contentType: string | null, bytes: Uint8Array): Body {
  const type = contentType?.trim() ?? "";
  if (type !== "" && !TEXT_TYPE.test(type)) return { kind: "binary", bytes };
  const text = new TextDecoder().decode(bytes);
  if (JSON_TYPE.test(type) && text.trim() !== "") {
    try {
      return { kind: "json", value: JSON.parse(text) };
    } catch {
      // A body that claims JSON but does not parse is still compared, as the text it is.
    }
  }
  return { kind: "text", text };
}

function shown(body: Body): string {
  switch (body.kind) {
    case "json":
      return JSON.stringify(body.value);
    case "text":
      return body.text;
    case "binary":
      return `(${body.bytes.byteLength} bytes, sha256 ${createHash("sha256").update(body.bytes).digest("hex").slice(0, 16)})`;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}
