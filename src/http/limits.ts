/**
 * The ranges of the request settings a user can give (`rateLimit`, `timeoutSeconds`, in the config
 * file and in an http check). Both end up as timer delays, and Node runs a delay above 2^31-1 ms
 * (about 24.8 days) at once, with a warning: a rate of 1e-300 requests per second flooded the log, a
 * timeout of 1e10 seconds failed every request at once. The ranges keep every delay far below that
 * and still allow any pace or patience a real service needs.
 */
import { z } from "zod";

/** Requests per second: one every ten seconds at the slowest; above 10,000 a limit limits nothing. */
export const RATE_LIMIT_RANGE = { min: 0.1, max: 10_000 } as const;

/** Seconds one request may take: a tenth of a second to an hour. */
export const TIMEOUT_SECONDS_RANGE = { min: 0.1, max: 3600 } as const;

/** The zod schema of a number in `range`, its one message naming the range and the unit. */
export function numberInRange(range: { readonly min: number; readonly max: number }, unit: string) {
  const error = `expected a number from ${range.min} to ${range.max} (${unit})`;
  return z.number({ error }).min(range.min, { error }).max(range.max, { error });
}
