/**
 * The error every API call fails with once the request layer has given up, and the questions a
 * caller asks of it: what went wrong (`kind`), and may a write have been applied (`isAmbiguous`).
 */
import type { z } from "zod";

export type ApiErrorKind = "auth" | "notFound" | "badRequest" | "throttled" | "server" | "network" | "timeout" | "other";

export interface ApiErrorInit {
  /** The HTTP status, or null when no response arrived (network error, timeout). */
  status: number | null;
  method: string;
  /** The request URL; secrets in it are redacted by the constructor. */
  url: string;
  /** The start of the response body, if any. */
  body?: string;
  kind?: ApiErrorKind;
  /** How many attempts were made before giving up. */
  attempts?: number;
  cause?: unknown;
}

const EXCERPT_LENGTH = 300;

export class ApiError extends Error {
  readonly status: number | null;
  readonly method: string;
  readonly url: string;
  readonly bodyExcerpt: string;
  readonly kind: ApiErrorKind;
  readonly attempts: number;

  constructor(init: ApiErrorInit) {
    const url = redactUrl(init.url);
    const kind = init.kind ?? kindOfStatus(init.status);
    const bodyExcerpt = excerpt(init.body ?? "");
    const what = init.status === null ? (kind === "timeout" ? "timed out" : "network error") : `HTTP ${init.status} (${kind})`;
    const tail = bodyExcerpt === "" ? "" : `: ${bodyExcerpt}`;
    super(`${init.method} ${url} failed: ${what}${tail}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "ApiError";
    this.status = init.status;
    this.method = init.method;
    this.url = url;
    this.bodyExcerpt = bodyExcerpt;
    this.kind = kind;
    this.attempts = init.attempts ?? 1;
  }
}

/** The kind an HTTP status maps to. */
export function kindOfStatus(status: number | null): ApiErrorKind {
  if (status === null) return "network";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "notFound";
  if (status === 429) return "throttled";
  if (status === 400 || status === 409 || status === 413 || status === 422) return "badRequest";
  if (status >= 500) return "server";
  return "other";
}

/**
 * True when a write that failed this way may nevertheless have been applied: the connection broke,
 * the client stopped waiting, or the server failed somewhere along the way. A 4xx (429 included)
 * means the server refused the request, so it was not applied.
 */
export function isAmbiguous(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.kind === "network" || error.kind === "timeout" || error.kind === "server";
}

/** A 2xx response whose body is not what the API documents. */
export class UnexpectedResponseError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    detail: string,
  ) {
    super(`${method} ${redactUrl(url)} returned an unexpected body: ${detail}`);
    this.name = "UnexpectedResponseError";
  }
}

/** Parses `data` with `schema`, naming the first problems and the request on failure. */
export function parseResponse<S extends z.ZodType>(schema: S, data: unknown, method: string, url: string): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue.message}`)
    .join("; ");
  throw new UnexpectedResponseError(method, url, issues);
}

/** Query parameter names whose values must never be shown. */
const SECRET_PARAM = /token|passw|secret|signature|api[-_]?key|auth|credential|session|sig$/i;

/** The URL without user info and with the values of secret-looking query parameters replaced. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.replace(/\?.*$/, "");
  }
  url.username = "";
  url.password = "";
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) url.searchParams.set(name, "redacted");
  }
  return url.toString();
}

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH)}…` : flat;
}
