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
  /** True when nothing had answered through this client before: the host may never have been reachable. */
  firstContact?: boolean;
}

const EXCERPT_LENGTH = 300;

export class ApiError extends Error {
  readonly status: number | null;
  readonly method: string;
  readonly url: string;
  readonly bodyExcerpt: string;
  readonly kind: ApiErrorKind;
  readonly attempts: number;
  /** Why no response arrived, read from the cause; undefined when one did. */
  readonly connection: ConnectionFailure | undefined;
  readonly firstContact: boolean;

  constructor(init: ApiErrorInit) {
    const url = redactUrl(init.url);
    const kind = init.kind ?? kindOfStatus(init.status);
    const bodyExcerpt = excerpt(init.body ?? "");
    const connection = init.status === null ? connectionFailure(init.cause, kind) : undefined;
    const what = connection ? connection.description : `HTTP ${init.status} (${kind})`;
    const tail = bodyExcerpt === "" ? "" : `: ${bodyExcerpt}`;
    super(`${init.method} ${url} failed: ${what}${tail}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "ApiError";
    this.status = init.status;
    this.method = init.method;
    this.url = url;
    this.bodyExcerpt = bodyExcerpt;
    this.kind = kind;
    this.attempts = init.attempts ?? 1;
    this.connection = connection;
    this.firstContact = init.firstContact ?? false;
  }
}

/**
 * Why a request got no response. `refused`, `nameNotFound` and `tls` cannot mend by themselves
 * within a run: on first contact they mean a wrong URL, a host that is down, or a certificate this
 * machine does not trust.
 */
export interface ConnectionFailure {
  reason: "refused" | "nameNotFound" | "tls" | "reset" | "timeout" | "other";
  /** The system or TLS error code (ECONNREFUSED, ENOTFOUND, DEPTH_ZERO_SELF_SIGNED_CERT…), if any. */
  code: string | undefined;
  /** For a person: "connection refused", "name not found (ENOTFOUND)", "TLS certificate error: …". */
  description: string;
}

const NAME_NOT_FOUND = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_NODATA", "EAI_FAIL"]);
const RESET = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET", "UND_ERR_CLOSED"]);
const TIMEOUT = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
/** OpenSSL's verification codes and Node's own TLS ones; any `CERT_` code belongs here too. */
const TLS_CODES =
  /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY|DECRYPT)|ERR_TLS|ERR_SSL|EPROTO|ALTNAME|INVALID_CA|PATH_LENGTH_EXCEEDED|UNSPECIFIED/;

/** Reads the first system or TLS code along the cause chain (fetch wraps it: TypeError → cause, or AggregateError → errors). */
export function connectionFailure(cause: unknown, kind: ApiErrorKind): ConnectionFailure {
  const found = findCode(cause, 0);
  const code = found?.code;
  if (kind === "timeout" || (code !== undefined && TIMEOUT.has(code))) {
    return { reason: "timeout", code, description: "timed out (no answer)" };
  }
  if (code === "ECONNREFUSED") return { reason: "refused", code, description: "connection refused" };
  if (code !== undefined && NAME_NOT_FOUND.has(code)) {
    return { reason: "nameNotFound", code, description: `name not found (${code})` };
  }
  if (code !== undefined && RESET.has(code)) return { reason: "reset", code, description: `connection reset (${code})` };
  if (code !== undefined && TLS_CODES.test(code)) {
    return { reason: "tls", code, description: `TLS certificate error: ${found?.message ?? code} (${code})` };
  }
  return { reason: "other", code, description: code ? `network error (${code})` : "network error" };
}

function findCode(error: unknown, depth: number): { code: string; message: string | undefined } | undefined {
  if (depth > 5 || typeof error !== "object" || error === null) return undefined;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  // AggregateError (every address of a host refused) carries its code too, but its message is empty.
  if (typeof code === "string" && code !== "" && !code.startsWith("ERR_INVALID")) {
    return { code, message: typeof message === "string" && message !== "" ? message : undefined };
  }
  const nested = findCode(cause, depth + 1);
  if (nested) return nested;
  if (Array.isArray(errors)) {
    for (const inner of errors) {
      const found = findCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Whether repeating a request that failed this way can help: not when the host refused, was not
 * found or presented a certificate this machine rejects before it ever answered. Once it has answered,
 * a refusal or a lookup failure is taken for a restart or a blip and retried; a certificate never mends.
 */
export function isRecoverable(failure: ConnectionFailure | undefined, firstContact: boolean): boolean {
  if (!failure) return true;
  if (failure.reason === "tls") return false;
  if (failure.reason === "refused" || failure.reason === "nameNotFound") return !firstContact;
  return true;
}

export interface Service {
  /** "qTest", "Zephyr Scale". */
  name: string;
  url: string;
  /** The setting that holds `url`, named in the hint: "qtest.url". */
  setting: string;
}

/**
 * One line for a host that never answered: the service, host:port and the cause, e.g.
 * `qTest at 127.0.0.1:9 is unreachable: connection refused (nothing answered; check qtest.url)`.
 * Undefined for any other error, which the caller reports as it is.
 */
export function unreachableMessage(error: unknown, services: readonly Service[]): string | undefined {
  if (!(error instanceof ApiError) || !error.connection || !error.firstContact) return undefined;
  let target: URL;
  try {
    target = new URL(error.url);
  } catch {
    return undefined;
  }
  const service = services.find((s) => sameHost(s.url, target));
  const name = service?.name ?? "The host";
  const setting = service ? `check ${service.setting}` : "check the URL";
  const where = hostPort(target);
  const { reason, description } = error.connection;
  const tries = error.attempts > 1 ? `${error.attempts} attempts` : "";
  const hint =
    reason === "refused"
      ? `nothing answered; ${setting}`
      : reason === "nameNotFound"
        ? `no such host in DNS; ${setting}`
        : reason === "tls"
          ? `${setting}, or trust its certificate authority with NODE_EXTRA_CA_CERTS`
          : [tries, setting].filter(Boolean).join("; ");
  return `${name} at ${where} is unreachable: ${description} (${hint})`;
}

function sameHost(raw: string, target: URL): boolean {
  try {
    return hostPort(new URL(raw)) === hostPort(target);
  } catch {
    return false;
  }
}

/** host:port with the scheme's default port spelled out, so the reader sees exactly what was dialled. */
function hostPort(url: URL): string {
  const port = url.port || (url.protocol === "https:" ? "443" : url.protocol === "http:" ? "80" : "");
  return port ? `${url.hostname}:${port}` : url.hostname;
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
