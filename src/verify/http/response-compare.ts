/**
 * What "the same answer" means for one request: the same status, the same content type, the same
 * values of the headers the check names, and the same body (see body.ts). Every difference carries
 * its path: `status`, `header.<name>`, `body` or a `$` path into a JSON body.
 */
import type { Difference } from "../../report/verification-report.js";
import { compareBodies } from "./body.js";
import type { JsonRules } from "./json-compare.js";

/** A response as read: status, headers, and the whole body. */
export interface CapturedResponse {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

export interface ResponseRules {
  /** Lower-case header names compared besides the content type. */
  compareHeaders: readonly string[];
  json: JsonRules;
}

export const STATUS_PATH = "status";

export function headerPath(name: string): string {
  return `header.${name.toLowerCase()}`;
}

export function compareResponses(source: CapturedResponse, target: CapturedResponse, rules: ResponseRules): Difference[] {
  const out: Difference[] = [];
  if (source.status !== target.status) out.push({ path: STATUS_PATH, source: source.status, target: target.status });
  const sourceType = source.headers.get("content-type");
  const targetType = target.headers.get("content-type");
  if (mediaType(sourceType) !== mediaType(targetType)) {
    out.push({ path: headerPath("content-type"), source: sourceType ?? undefined, target: targetType ?? undefined });
  }
  for (const name of rules.compareHeaders) {
    if (name === "content-type") continue;
    const a = source.headers.get(name);
    const b = target.headers.get(name);
    if (a !== b) out.push({ path: headerPath(name), source: a ?? undefined, target: b ?? undefined });
  }
  out.push(
    ...compareBodies(
      { contentType: sourceType, bytes: source.body },
      { contentType: targetType, bytes: target.body },
      rules.json,
    ),
  );
  return out;
}

/** `Application/JSON; charset=UTF-8` and `application/json;charset=utf-8` are one type; spacing and case are no difference. */
function mediaType(value: string | null): string | null {
  return value === null ? null : value.toLowerCase().replace(/\s+/g, "");
}
