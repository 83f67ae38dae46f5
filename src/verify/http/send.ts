/**
 * Sending one request to one service and reading the whole answer, whatever its status. The shared
 * `HttpClient` is not used: it turns a 4xx or 5xx into an error and retries 5xx, and here a 503 from
 * the new service is exactly what the check must see. What is shared is the host's `RateGate` (pace
 * and concurrency) and its handling of 429, which is flow control rather than an answer: the gate
 * pauses and the request goes again, a few times, before the 429 is compared like any other status.
 * Redirects are not followed, so a 301 on one side and a 200 on the other is a difference.
 */
import { parseRetryAfter } from "../../http/backoff.js";
import { RateGate } from "../../http/rate-gate.js";
import type { CapturedResponse } from "./response-compare.js";

/** What one service did with one request: answered, or failed without an answer (the reason, no URL or header in it). */
export type Exchange = { ok: true; response: CapturedResponse } | { ok: false; error: string };

export interface Outgoing {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const THROTTLE_RETRIES = 5;

/** One gate per host (`host:port`), shared by every request to it, source and target apart. */
export class HostGates {
  readonly #gates = new Map<string, RateGate>();

  constructor(
    readonly ratePerSecond: number,
    readonly concurrency: number,
  ) {}

  for(url: string): RateGate {
    const host = new URL(url).host;
    let gate = this.#gates.get(host);
    if (!gate) {
      gate = new RateGate({ ratePerSecond: this.ratePerSecond, concurrency: this.concurrency });
      this.#gates.set(host, gate);
    }
    return gate;
  }
}

export async function exchange(gates: HostGates, request: Outgoing, timeoutMs: number): Promise<Exchange> {
  const gate = gates.for(request.url);
  for (let throttled = 0; ; throttled++) {
    const permit = await gate.acquire();
    let response: CapturedResponse;
    try {
      response = await sendOnce(request, timeoutMs);
    } catch (error) {
      permit.release();
      return { ok: false, error: failureReason(error, timeoutMs) };
    }
    if (response.status === 429 && throttled < THROTTLE_RETRIES) {
      gate.throttled(permit, parseRetryAfter(response.headers.get("retry-after")));
      permit.release();
      continue;
    }
    gate.responded(permit);
    permit.release();
    return { ok: true, response };
  }
}

async function sendOnce(request: Outgoing, timeoutMs: number): Promise<CapturedResponse> {
  // One signal for the headers and the body alike: a body that trickles in times out too.
  const signal = AbortSignal.timeout(timeoutMs);
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
    redirect: "manual",
    signal,
  });
  const body = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body };
}

/** Why no answer came, in words fit for a report. */
export function failureReason(error: unknown, timeoutMs: number): string {
  const name = (error as Error | undefined)?.name;
  if (name === "TimeoutError" || name === "AbortError") return `timed out after ${timeoutMs / 1000} s`;
  const code = networkCode(error);
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return "connection reset";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found";
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
    case "ETIMEDOUT":
      return `timed out after ${timeoutMs / 1000} s`;
    default:
      return `network error (${code ?? innermostMessage(error)})`;
  }
}

/** The message of the error at the bottom of the cause chain (`bad port`), any URL in it left out. */
function innermostMessage(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error && current.cause instanceof Error; depth++) current = current.cause;
  const message = current instanceof Error ? current.message : String(current);
  return message.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, "(url)").slice(0, 120) || "unknown";
}

/** undici wraps the socket's error (`fetch failed` ← `connect ECONNREFUSED`), sometimes twice. */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === "string") return code;
    const aggregate = current instanceof AggregateError ? current.errors[0] : undefined;
    current = aggregate ?? current.cause;
  }
  return undefined;
}
