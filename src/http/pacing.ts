import type { Logger } from "pino";
import { RateGate } from "./rate-gate.js";
import type { HttpClientOptions } from "./request.js";

/** How an API client paces and retries the requests to its host: the same for Zephyr and qTest. */
export interface PacingOptions {
  /** Requests per second, a ceiling; absent, the gate finds the server's limit (adaptive). */
  rateLimit?: number | undefined;
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
 * The requests per second an adaptive gate starts at, and so the rate a time estimate can promise
 * before the server has been heard.
 */
export const ADAPTIVE_START_RATE = 10;

/**
 * The pacing a run's configuration gives the client of one service: that service's rate limit and
 * timeout, the run's retries and concurrency, and the one gate of that host in this process — every
 * client of a host (migrate's, verify's, the demo's) spends the same allowance, so they must share
 * what is learned about it.
 */
export function configuredPacing(
  service: { url?: string | undefined; rateLimit?: number | undefined; timeoutSeconds: number },
  run: { retries: number; concurrency: number },
  logger: Logger,
): PacingOptions {
  const pacing: PacingOptions = {
    rateLimit: service.rateLimit,
    timeoutMs: service.timeoutSeconds * 1000,
    retries: run.retries,
    concurrency: run.concurrency,
    logger,
  };
  if (service.url) pacing.gate = hostGate(service.url, pacing);
  return pacing;
}

/** The `HttpClient` options those pacing options mean for `baseUrl`. */
export function pacedHttpOptions(
  baseUrl: string,
  options: PacingOptions,
): Pick<HttpClientOptions, "baseUrl" | "gate" | "timeoutMs" | "retries" | "retryBaseMs" | "logger"> {
  return {
    baseUrl,
    gate: options.gate ?? newGate(options),
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    retryBaseMs: options.retryBaseMs,
    logger: options.logger,
  };
}

function newGate(options: Pick<PacingOptions, "rateLimit" | "concurrency">): RateGate {
  return options.rateLimit === undefined
    ? new RateGate({ adaptive: { startRate: ADAPTIVE_START_RATE }, concurrency: options.concurrency })
    : new RateGate({ ratePerSecond: options.rateLimit, hardCeiling: true, concurrency: options.concurrency });
}

/** One gate per host and pacing, for the life of the process. */
const gates = new Map<string, RateGate>();
/** The gate last handed out per host, which is the one `hostPace` reports. */
const latest = new Map<string, RateGate>();

/**
 * The process's gate for the host of `url`. Pacing that differs (another rate limit or concurrency)
 * gets a gate of its own: it is another configuration, not another worker of the same run.
 */
export function hostGate(url: string, options: Pick<PacingOptions, "rateLimit" | "concurrency">): RateGate {
  const host = new URL(url).host;
  const key = `${host} ${options.rateLimit ?? "adaptive"} ${options.concurrency}`;
  let gate = gates.get(key);
  if (!gate) {
    gate = newGate(options);
    gates.set(key, gate);
  }
  latest.set(host, gate);
  return gate;
}

export interface HostPace {
  /** Requests per second sent over the last few seconds. */
  sent: number;
  /** Requests per second the gate allows now (`Infinity` when unpaced). */
  allowed: number;
}

/** The pace towards the host of `url`, or undefined when no client of this process has talked to it. */
export function hostPace(url: string): HostPace | undefined {
  const gate = latest.get(new URL(url).host);
  return gate && { sent: gate.recentRate(), allowed: gate.currentRate() };
}

/**
 * A short line for the progress display, e.g. `Zephyr 31/s (pace 50/s) · qTest 48/s (pace 49/s)`:
 * what was sent lately and what the gate allows now, per labelled host.
 */
export function formatPace(hosts: Record<string, string>): string | undefined {
  const parts: string[] = [];
  for (const [label, url] of Object.entries(hosts)) {
    const pace = hostPace(url);
    if (!pace) continue;
    const allowed = Number.isFinite(pace.allowed) ? ` (pace ${Math.round(pace.allowed)}/s)` : "";
    parts.push(`${label} ${Math.round(pace.sent)}/s${allowed}`);
  }
  return parts.length > 0 ? parts.join(" · ") : undefined;
}
