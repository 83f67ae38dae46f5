import type { Logger } from "pino";
import { RateGate } from "./rate-gate.js";
import type { HttpClientOptions } from "./request.js";

/** How an API client paces and retries the requests to its host: the same for Zephyr and qTest. */
export interface PacingOptions {
  /** Requests per second. */
  rateLimit: number;
  /** Per attempt. */
  timeoutMs: number;
  /** Retries of idempotent requests after 5xx, timeouts and network errors. */
  retries: number;
  /** Requests in flight at once. */
  concurrency: number;
  logger?: Logger | undefined;
  /** A gate shared with other clients of the same host; by default the client makes its own. */
  gate?: RateGate | undefined;
  /** First retry delay (default 500 ms). */
  retryBaseMs?: number | undefined;
}

/**
 * The pacing a run's configuration gives the client of one service: that service's rate limit and
 * timeout, the run's retries and concurrency.
 */
export function configuredPacing(
  service: { rateLimit: number; timeoutSeconds: number },
  run: { retries: number; concurrency: number },
  logger: Logger,
): PacingOptions {
  return {
    rateLimit: service.rateLimit,
    timeoutMs: service.timeoutSeconds * 1000,
    retries: run.retries,
    concurrency: run.concurrency,
    logger,
  };
}

/** The `HttpClient` options those pacing options mean for `baseUrl`. */
export function pacedHttpOptions(
  baseUrl: string,
  options: PacingOptions,
): Pick<HttpClientOptions, "baseUrl" | "gate" | "timeoutMs" | "retries" | "retryBaseMs" | "logger"> {
  return {
    baseUrl,
    gate: options.gate ?? new RateGate({ ratePerSecond: options.rateLimit, concurrency: options.concurrency }),
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    retryBaseMs: options.retryBaseMs,
    logger: options.logger,
  };
}
