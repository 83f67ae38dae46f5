/**
 * Creates (POST) are never retried blindly. After an ambiguous failure (5xx, timeout, dropped
 * connection: the object may exist) the client first looks for it — by its marker field for test
 * cases, suites, runs and logs, by (parent, name) for modules and test cycles, which carry no
 * custom fields — returns it when found (counted as `reconciled`), and only otherwise posts again,
 * at most `retries` times. A 429 was not applied and is retried by the request layer; a 400 is not
 * retried at all.
 */
import type { Logger } from "pino";
import { backoffDelay, RETRY_BACKOFF, sleep } from "../http/backoff.js";
import { type ApiError, isAmbiguous } from "../http/errors.js";

export interface CreatePolicy {
  /** Re-posts after a create that failed ambiguously and was not found. */
  retries: number;
  /** First delay before looking for the object. */
  retryBaseMs: number;
  logger: Logger | undefined;
  /** `reconciled` counts the creates found already applied. */
  stats: { reconciled: number };
}

/**
 * A create that is never repeated blindly: after an ambiguous failure `find` looks for what the
 * failed POST may have made; found → returned, not found → posted again, at most `retries` times
 * (the last failure is still followed by a look, so an applied write is never reported as failed).
 */
export async function createOnce<T>(
  policy: CreatePolicy,
  what: string,
  post: () => Promise<T>,
  find: () => Promise<T | undefined>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await post();
    } catch (error) {
      if (!isAmbiguous(error)) throw error;
      const { kind, status } = error as ApiError;
      policy.logger?.debug({ what, kind, status, attempt }, "create failed ambiguously; looking for it before posting again");
      await sleep(backoffDelay(attempt, { baseMs: policy.retryBaseMs, maxMs: RETRY_BACKOFF.maxMs }));
      const found = await find();
      if (found !== undefined) {
        policy.stats.reconciled++;
        return found;
      }
      // Not there: the failed POST was not applied, so posting again cannot duplicate it.
      if (attempt > policy.retries) throw error;
    }
  }
}

/** The match with the highest id (the newest), if any: the one a create that failed ambiguously made. */
export function lastBy<T extends { id: number }>(items: readonly T[], match: (item: T) => boolean): T | undefined {
  let best: T | undefined;
  for (const item of items) if (match(item) && (best === undefined || item.id > best.id)) best = item;
  return best;
}
