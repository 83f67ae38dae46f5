import { z } from "zod";

/**
 * The facts a migrated object's record keeps for later phases and runs, per entity type; read back
 * through these schemas, so a record ZTOQ cannot use is an error, never a guess.
 */

/** A test case: what its runs and logs are made against. */
export const testCaseDataSchema = z.object({
  name: z.string(),
  versionId: z.number(),
  /** qTest step ids of the steps made from Zephyr inline steps, in order: execution steps pair with them. */
  stepIds: z.array(z.number()),
  /**
   * `callToTest: inline`: the cases its steps were made from (or looked for), at any depth. An
   * incremental run that sees one of them change plans this case again, though it did not change.
   */
  inlined: z.array(z.string()).optional(),
});
export type TestCaseData = z.infer<typeof testCaseDataSchema>;

/**
 * A test run: the test case version it was made with, which its logs are made against, and the suite
 * it was last seen in (absent in records made before ZTOQ kept it).
 */
export const testRunDataSchema = z.object({ versionId: z.number(), parentId: z.number().optional() });
export type TestRunData = z.infer<typeof testRunDataSchema>;

/**
 * A test log: the run it is on (qTest reads a log through its run), and how many step logs it holds —
 * an update addresses step logs by order and can neither add nor remove one. Absent in records made
 * before ZTOQ kept it: read from the log when needed.
 */
export const testLogDataSchema = z.object({ runId: z.number(), stepLogs: z.number().int().min(0).optional() });
export type TestLogData = z.infer<typeof testLogDataSchema>;
