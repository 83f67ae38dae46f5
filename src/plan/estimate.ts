import { z } from "zod";

/** What a migration's size is known by before it starts: the source's counts, as preflight read them. */
export interface MigrationSize {
  testCases: number;
  testCycles: number;
  testExecutions: number;
  /** Distinct cycle items (a test case in a cycle): one qTest test run each. */
  testRuns: number;
  /** Executions that ran (have an end date): one qTest test log each. */
  testLogs: number;
  /** Test case folders (qTest modules) and cycle folders (qTest test cycles). */
  caseFolders: number;
  cycleFolders: number;
}

const apiEstimateSchema = z.object({
  requests: z.number().int().describe("Requests a full migration sends to this API (reads and writes)"),
  seconds: z.number().describe("How long they take at the configured rate limit"),
});

export const estimateSchema = z
  .object({
    zephyr: apiEstimateSchema,
    qtest: apiEstimateSchema,
    seconds: z.number().describe("The slower API's time: both are read and written at once"),
  })
  .describe("A full migration's requests per API and time at the configured rates, from the source's counts");
export type Estimate = z.infer<typeof estimateSchema>;

/**
 * Reads of one listing: its pages, and the empty page that ends it. The server may hand out fewer
 * than asked (Zephyr), so a hundred per page is assumed, the least either API gives by default.
 */
function listing(items: number): number {
  return Math.ceil(items / 100) + 1;
}

/**
 * The requests a full migration of this size makes, per API, and how long that takes at the
 * configured rates. What each phase sends:
 * - Zephyr: preflight's reference reads and listings of cases, cycles and executions; then the
 *   phases list them again, read each case's steps (a tenth of cases are scripts, a second read) and
 *   each execution's steps.
 * - qTest: preflight's settings reads; a bulk read of what the target holds per object type; one
 *   create per module, test case, test cycle, suite, run and log, and a read per module level.
 * Updates and retries are not in it: a first migration makes none, a re-run makes fewer requests.
 */
export function estimateMigration(size: MigrationSize, rates: { zephyr: number; qtest: number }): Estimate {
  const zephyr =
    10 +
    2 * (listing(size.testCases) + listing(size.testCycles) + listing(size.testExecutions)) +
    2 * listing(size.caseFolders + size.cycleFolders) +
    Math.ceil(size.testCases * 1.1) +
    size.testExecutions;
  const bulkReads = listing(size.testCases) + listing(size.testCycles) + 2 * listing(size.testRuns) + 2;
  const qtest =
    14 +
    bulkReads +
    2 * size.caseFolders +
    size.testCases +
    2 * size.cycleFolders +
    size.testCycles +
    size.testRuns +
    size.testLogs;
  const seconds = (requests: number, rate: number) => Math.round((requests / rate) * 10) / 10;
  const z = { requests: zephyr, seconds: seconds(zephyr, rates.zephyr) };
  const q = { requests: qtest, seconds: seconds(qtest, rates.qtest) };
  return { zephyr: z, qtest: q, seconds: Math.max(z.seconds, q.seconds) };
}

/** "about 12 min" — the estimate as a person reads it. */
export function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
