/**
 * The request function both API clients stand on: one ky instance per client, a timeout on every
 * attempt, every attempt (retries too) through the host's rate gate, and retries only where
 * repeating a request cannot apply it twice.
 *
 * - GET, PUT, DELETE and HEAD are retried on 408, 429, 500, 502, 503, 504, network errors and
 *   timeouts, with jittered exponential backoff that honours `Retry-After`.
 * - Any other method (POST) is retried only after a 429, which the server refused and so did not
 *   apply. After a 5xx, a timeout or a network error it fails with an `ApiError` that
 *   `isAmbiguous()` reports, and the caller decides (the qTest client searches for the object).
 * - A 429 pauses the whole gate (see rate-gate.ts); 429 retries have their own, larger budget,
 *   because being throttled is flow control, not failure.
 * - Until the host has answered once, a refused connection, an unknown name or a rejected certificate
 *   fails at once (`isRecoverable`): retrying a wrong URL only delays the message that says so.
 */
import ky, { isTimeoutError, type KyInstance } from "ky";
import type { Logger } from "pino";
import { backoffDelay, parseRetryAfter, RETRY_BACKOFF, sleep } from "./backoff.js";
import { ApiError, isRecoverable, kindOfStatus, UnexpectedResponseError } from "./errors.js";
import type { RateGate } from "./rate-gate.js";
import { type HttpStats, newHttpStats } from "./stats.js";

export interface HttpClientOptions {
  /** Prepended to every path; no trailing slash needed. */
  baseUrl: string;
  /** The host's gate; share one instance between every client of the same host. */
  gate: RateGate;
  /** Per attempt, for the response headers and again for the body. */
  timeoutMs: number;
  /** Retries after a 5xx, 408, timeout or network error (idempotent requests only). */
  retries: number;
  /** First retry delay before jitter (default 500 ms), doubled per retry. */
  retryBaseMs?: number;
  /** Longest backoff delay (default 30 s). */
  retryMaxMs?: number;
  /** Longest `Retry-After` honoured on a 5xx (default 120 s). */
  maxRetryAfterMs?: number;
  /** Retries after a 429, counted apart from `retries` (default 30). */
  throttleRetries?: number;
  /** Sent with every request, after `user-agent: ztoq` (which they may replace). */
  headers?: Record<string, string>;
  /** Debug lines for retries and throttling; never headers or bodies. */
  logger?: Logger;
  /** Counters to add to (a client may extend them with its own); a fresh set by default. */
  stats?: HttpStats;
  random?: () => number;
}

/** An array repeats the parameter once per element (`ids=1&ids=2`, Swagger's `collectionFormat: multi`). */
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

export interface RequestOptions {
  searchParams?: Record<string, QueryValue>;
  /** A JSON body (sent as `application/json`). */
  json?: unknown;
  /** A raw body; set its Content-Type in `headers`. */
  body?: string | Uint8Array | URLSearchParams;
  headers?: Record<string, string>;
  /**
   * Whether repeating the request after an ambiguous failure is safe. Defaults to true for GET,
   * PUT, DELETE and HEAD; set it for a POST that only reads (a search) or is harmless twice (a login).
   */
  idempotent?: boolean;
  signal?: AbortSignal;
}

export interface HttpResponse {
  method: string;
  url: string;
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  text(): string;
  /** The body as JSON; undefined for an empty body. */
  json(): unknown;
}

/** Both vendors see ZTOQ under this name. */
const USER_AGENT = "ztoq";
const IDEMPOTENT = new Set(["GET", "PUT", "DELETE", "HEAD"]);
const RETRYABLE_STATUS = new Set([408, 500, 502, 503, 504]);
const REMAINING_HEADERS = ["x-ratelimit-remaining-minute", "x-ratelimit-remaining", "ratelimit-remaining"];

type Outcome = { kind: "response"; response: HttpResponse } | { kind: "failure"; error: ApiError };

export class HttpClient {
  readonly baseUrl: string;
  readonly stats: HttpStats;
  readonly gate: RateGate;
  readonly #ky: KyInstance;
  readonly #options: HttpClientOptions;
  readonly #random: () => number;
  /** Whether any response, of any status, has come back: the host is there. */
  #answered = false;

  constructor(options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.gate = options.gate;
    this.stats = options.stats ?? newHttpStats();
    this.#options = options;
    this.#random = options.random ?? Math.random;
    this.#ky = ky.create({
      timeout: options.timeoutMs,
      retry: 0,
      throwHttpErrors: false,
      headers: { "user-agent": USER_AGENT, ...options.headers },
    });
  }

  /** The absolute URL for a path (an absolute URL is kept as it is) with query parameters added. */
  url(path: string, searchParams?: Record<string, QueryValue>): string {
    const url = new URL(/^https?:\/\//.test(path) ? path : `${this.baseUrl}${path.startsWith("/") ? "" : "/"}${path}`);
    for (const [name, value] of Object.entries(searchParams ?? {})) {
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(name, String(item));
      else if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  /** Sends the request, retrying as the module comment says; resolves with a 2xx, throws `ApiError` otherwise. */
  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const verb = method.toUpperCase();
    const url = this.url(path, options.searchParams);
    const idempotent = options.idempotent ?? IDEMPOTENT.has(verb);
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    let body: string | Uint8Array | URLSearchParams | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] = "application/json";
    }
    const bodySize =
      body === undefined
        ? 0
        : typeof body === "string"
          ? Buffer.byteLength(body)
          : body instanceof URLSearchParams
            ? body.toString().length
            : body.byteLength;
    const { retries, throttleRetries = 30 } = this.#options;

    let attempt = 0;
    let failedRetries = 0;
    let throttledRetries = 0;
    for (;;) {
      attempt++;
      if (attempt > 1) this.stats.retries++;
      const permit = await this.gate.acquire(options.signal);
      let outcome: Outcome;
      try {
        this.stats.requests++;
        this.stats.bytesSent += bodySize;
        outcome = await this.#send(verb, url, headers, body, attempt, options.signal);
      } catch (error) {
        permit.release();
        throw error;
      }

      if (outcome.kind === "failure") {
        permit.release();
        const error = outcome.error;
        if (idempotent && failedRetries < retries && isRecoverable(error.connection, error.firstContact)) {
          failedRetries++;
          const delay = this.#backoff(failedRetries);
          this.#log(
            verb,
            url,
            { status: null, kind: error.kind, attempt, delayMs: Math.round(delay) },
            "retrying after a failed attempt",
          );
          await sleep(delay, options.signal);
          continue;
        }
        throw this.#fail(error, verb, url, attempt);
      }

      const response = outcome.response;
      if (response.status === 429) {
        this.stats.throttled++;
        const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
        const pause = this.gate.throttled(permit, retryAfter);
        permit.release();
        if (throttledRetries < throttleRetries) {
          throttledRetries++;
          this.#log(verb, url, { status: 429, kind: "throttled", attempt, pauseMs: Math.round(pause) }, "throttled; gate paused");
          continue;
        }
        throw this.#fail(this.#httpError(response, attempt), verb, url, attempt);
      }

      this.gate.responded(permit, remainingOf(response.headers));
      permit.release();
      if (response.status >= 200 && response.status < 300) return response;

      if (idempotent && RETRYABLE_STATUS.has(response.status) && failedRetries < retries) {
        failedRetries++;
        const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
        const delay =
          retryAfter === undefined
            ? this.#backoff(failedRetries)
            : Math.min(retryAfter, this.#options.maxRetryAfterMs ?? 120_000);
        this.#log(
          verb,
          url,
          { status: response.status, kind: kindOfStatus(response.status), attempt, delayMs: Math.round(delay) },
          "retrying after an error status",
        );
        await sleep(delay, options.signal);
        continue;
      }
      throw this.#fail(this.#httpError(response, attempt), verb, url, attempt);
    }
  }

  async #send(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: string | Uint8Array | URLSearchParams | undefined,
    attempt: number,
    signal: AbortSignal | undefined,
  ): Promise<Outcome> {
    try {
      const pending = this.#ky(url, { method, headers, body: body as RequestInit["body"], signal });
      const raw = await pending;
      this.#answered = true;
      const bytes = new Uint8Array(await pending.arrayBuffer());
      this.stats.bytesReceived += bytes.byteLength;
      return { kind: "response", response: makeResponse(method, url, raw.status, raw.headers, bytes) };
    } catch (error) {
      if (signal?.aborted) throw error;
      const kind = isTimeoutError(error) || (error as Error | undefined)?.name === "TimeoutError" ? "timeout" : "network";
      const failure = new ApiError({
        status: null,
        method,
        url,
        kind,
        attempts: attempt,
        cause: error,
        firstContact: !this.#answered,
      });
      return { kind: "failure", error: failure };
    }
  }

  #httpError(response: HttpResponse, attempts: number): ApiError {
    return new ApiError({ status: response.status, method: response.method, url: response.url, body: response.text(), attempts });
  }

  #fail(error: ApiError, method: string, url: string, attempt: number): ApiError {
    this.stats.failures++;
    this.#log(method, url, { status: error.status, kind: error.kind, attempt }, "request failed");
    return error.attempts === attempt
      ? error
      : new ApiError({
          status: error.status,
          method: error.method,
          url: error.url,
          body: error.bodyExcerpt,
          kind: error.kind,
          attempts: attempt,
          cause: error.cause,
          firstContact: error.firstContact,
        });
  }

  #backoff(retry: number): number {
    return backoffDelay(retry, {
      baseMs: this.#options.retryBaseMs ?? RETRY_BACKOFF.baseMs,
      maxMs: this.#options.retryMaxMs ?? RETRY_BACKOFF.maxMs,
      random: this.#random,
    });
  }

  /** One debug line: host, method, path (never the query, headers or body), status, attempt. */
  #log(method: string, url: string, fields: Record<string, unknown>, message: string): void {
    const logger = this.#options.logger;
    if (!logger) return;
    const { host, pathname } = new URL(url);
    logger.debug({ host, method, path: pathname, ...fields }, message);
  }
}

function makeResponse(method: string, url: string, status: number, headers: Headers, bytes: Uint8Array): HttpResponse {
  let text: string | undefined;
  const readText = () => {
    text ??= new TextDecoder().decode(bytes);
    return text;
  };
  return {
    method,
    url,
    status,
    headers,
    bytes,
    text: readText,
    json: () => {
      const body = readText();
      if (body.trim() === "") return undefined;
      try {
        return JSON.parse(body);
      } catch {
        throw new UnexpectedResponseError(method, url, "the body is not JSON");
      }
    },
  };
}

/** The smallest `x-ratelimit-remaining-*` value the server sent, if any. */
function remainingOf(headers: Headers): number | undefined {
  let least: number | undefined;
  for (const name of REMAINING_HEADERS) {
    const raw = headers.get(name);
    if (raw === null || raw.trim() === "") continue;
    const value = Number(raw);
    if (Number.isFinite(value)) least = least === undefined ? value : Math.min(least, value);
  }
  return least;
}
