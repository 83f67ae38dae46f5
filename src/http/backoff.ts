/** Retry timing: exponential backoff with jitter, and the server's `Retry-After`. */

export interface BackoffOptions {
  /** The delay before the first retry, before jitter. */
  baseMs: number;
  /** No delay exceeds this. */
  maxMs: number;
  random?: () => number;
}

/**
 * The delays both API clients retry with unless told otherwise: the request layer's retries and the
 * qTest client's looks before re-posting a create.
 */
export const RETRY_BACKOFF = { baseMs: 500, maxMs: 30_000 } as const;

/**
 * The delay before retry number `retry` (1 for the first): `baseMs · 2^(retry-1)`, capped, with
 * "equal jitter" (a random point in the upper half), so simultaneous failures spread out without
 * any retry coming back immediately.
 */
export function backoffDelay(retry: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, retry - 1));
  return exponential / 2 + random() * (exponential / 2);
}

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date. Undefined when absent or
 * unreadable. A value of 0 is honoured as "retry now".
 */
export function parseRetryAfter(value: string | null | undefined, now: () => number = Date.now): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now());
}

/** A promise that resolves after `ms`, or rejects when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
