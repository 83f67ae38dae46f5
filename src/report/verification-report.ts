import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { entityTypeSchema } from "../entity-types.js";
import { notCarriedSectionSchema } from "./not-carried-section.js";
import { markdownTwin } from "./report-file.js";
import { requestStatsSchema } from "./request-stats.js";
import { verificationReportMarkdown } from "./verification-markdown.js";

/**
 * 2: entity types named as everywhere else (`testCase`, not `testCases`).
 * 3: every entity type adds to the totals, each problem once: `gated` gave way to `counted`.
 * 4: checks of several kinds (`zephyr-qtest`, `sql`, `http`, `script`), each named, each with its own
 *    thresholds; `cost.requests` and `cost.entitiesRead` only when a zephyr-qtest check ran.
 */
export const VERIFICATION_REPORT_VERSION = 4;

export const problemSchema = z.enum(["missing", "extra", "duplicated", "changed", "misplaced"]);
export type Problem = z.infer<typeof problemSchema>;

export const metricSchema = z.enum(["missing", "extra", "changed", "duplicated", "misplaced", "notCarried"]);

export const differenceSchema = z.object({
  path: z
    .string()
    .describe(
      "Field path in the compared form, e.g. testSteps[3].expected (array indexes from 0; a step by its index among " +
        "the expected steps, a step only the target has by its index in the target)",
    ),
  source: z.unknown().describe("The expected value, from the source through the migration's mapping (normalized)"),
  target: z.unknown().describe("The value read from the target (normalized)"),
});
export type Difference = z.infer<typeof differenceSchema>;

export const sampleSchema = z.object({
  key: z.string().describe("The entity's key: its marker (Zephyr key, execution key, run key) or its path"),
  problem: problemSchema,
  targetIds: z.array(z.number().int()).describe("qTest ids of the target objects concerned"),
  differences: z.array(differenceSchema),
});
export type Sample = z.infer<typeof sampleSchema>;

const verdictSchema = z.enum(["passed", "failed"]);
const count = z.number().int().min(0);

const metricCountsSchema = z.object({ missing: count, extra: count, changed: count, duplicated: count, misplaced: count });

export const entityCheckSchema = z.object({
  type: entityTypeSchema,
  label: z.string(),
  source: z.object({
    count: count.describe("Source entities the mapping carries over"),
    excluded: count.describe("Source entities the mapping does not carry over (e.g. executions never run)"),
  }),
  target: z.object({ count: count.describe("Target objects of this type in the migrated area") }),
  matched: count.describe("Paired by marker, equal in content and place"),
  missingInTarget: count,
  extraInTarget: count.describe("Target objects without a marker, or with a marker the source does not have"),
  duplicated: count.describe("Surplus target objects carrying a marker another object already carries"),
  changed: count.describe("Paired, with field differences"),
  misplaced: count.describe("Paired, in the wrong container"),
  counted: metricCountsSchema.describe(
    "What this type adds to the totals the thresholds bound: its counts, less the problems counted through another " +
      "type so that each counts once (the steps of a missing, extra or duplicated test case count through the case; " +
      "a test case whose only differences are in its steps counts through its steps)",
  ),
  fieldMismatches: z.record(z.string(), count).describe("Changed entities per field path (array indexes as [])"),
  samples: z.array(sampleSchema),
  truncated: z.boolean().describe("More problems than samples were found"),
  threshold: z.string(),
  verdict: verdictSchema.describe("failed when this type adds to a metric whose total exceeds its threshold"),
});
export type EntityCheck = z.infer<typeof entityCheckSchema>;

const problemTotalsSchema = z.object({
  matched: count,
  missing: count,
  extra: count,
  changed: count,
  duplicated: count,
  misplaced: count,
});
export type ProblemTotals = z.infer<typeof problemTotalsSchema>;

const reportTotalsSchema = problemTotalsSchema.extend({
  // Defaults to 0 so a version-4 report written before the total existed still reads.
  notCarried: count
    .default(0)
    .describe("What the source holds that qTest did not receive: the sum of the checks' not-carried totals"),
});
export type ReportTotals = z.infer<typeof reportTotalsSchema>;

const thresholdsSchema = z.array(
  z
    .object({ metric: metricSchema, max: count, actual: count, verdict: verdictSchema })
    .describe("Fails when actual > max; a notCarried row only when the thresholds bound it"),
);

export const zephyrQTestCheckSchema = z.object({
  name: z.string().describe("The check's name: unique in the report"),
  kind: z.literal("zephyr-qtest"),
  verdict: verdictSchema,
  failOn: z.string().describe("The thresholds this check applies, every metric listed (notCarried only when bounded)"),
  source: z.object({ url: z.string(), projectKey: z.string() }),
  target: z.object({
    url: z.string(),
    projectId: z.number().int(),
    rootModule: z.string().describe("The module holding the migrated test design"),
    cycleRoot: z.string().describe("The test cycle holding the migrated test execution tree"),
    markerField: z.string(),
  }),
  normalization: z.record(z.string(), z.string()).describe("The comparison rules, as applied"),
  thresholds: thresholdsSchema,
  totals: problemTotalsSchema.describe("Sums over the entity types: matched, and what each type adds (counted)"),
  entities: z.array(entityCheckSchema),
  notCarried: notCarriedSectionSchema
    .optional()
    .describe("What the source holds that qTest did not receive, when the check judged it"),
});
export type ZephyrQTestCheck = z.infer<typeof zephyrQTestCheckSchema>;

export const findingSampleSchema = z.object({
  key: z
    .string()
    .describe("sql: the key columns' values (`id=42`, `tenant=a, id=7`); http: the request's id; script: the key the check gave"),
  problem: z.enum(["missing", "extra", "changed", "duplicated"]),
  differences: z
    .array(differenceSchema)
    .describe("sql: path names the column; http: a JSON path, `status` or `header.<name>`; duplicated: `(occurrences)` per side"),
});

const checkSideSchema = z.object({
  description: z.string().describe("What was read on this side, without secrets"),
  count: count.describe("Items read on this side (rows, responses, items)"),
});

/** A check of a standalone kind: rows of two databases, responses of two services, or a script's comparisons. */
function standaloneCheckSchema<K extends "sql" | "http" | "script">(kind: K) {
  return z.object({
    name: z.string().describe("The check's name: unique in the report"),
    kind: z.literal(kind),
    verdict: verdictSchema,
    failOn: z.string().describe("The thresholds this check applies, every metric listed (notCarried only when bounded)"),
    thresholds: thresholdsSchema,
    source: checkSideSchema,
    target: checkSideSchema,
    matched: count,
    missingInTarget: count,
    extraInTarget: count,
    changed: count,
    duplicated: count.describe("Surplus occurrences of keys present more than once, on either side"),
    fieldMismatches: z.record(z.string(), count).describe("Changed items per column or path (array indexes as [])"),
    samples: z.array(findingSampleSchema),
    truncated: z.boolean().describe("More problems than samples were found"),
    method: z.string().describe("How the comparison ran: merge, checksum, replay, replay+noise, script"),
    exhaustive: z.boolean().describe("Every item was compared (false when a method compared less)"),
    normalization: z.record(z.string(), z.string()).describe("The comparison rules, as applied"),
    cost: z.object({
      unit: z.enum(["rows", "requests", "items"]),
      read: z.object({ source: count, target: count }),
      durationMs: z.number(),
    }),
  });
}

export const sqlCheckSchema = standaloneCheckSchema("sql");
export const httpCheckSchema = standaloneCheckSchema("http");
export const scriptCheckSchema = standaloneCheckSchema("script");
export type StandaloneCheck =
  | z.infer<typeof sqlCheckSchema>
  | z.infer<typeof httpCheckSchema>
  | z.infer<typeof scriptCheckSchema>;

export const checkSchema = z.discriminatedUnion("kind", [
  zephyrQTestCheckSchema,
  sqlCheckSchema,
  httpCheckSchema,
  scriptCheckSchema,
]);
export type Check = z.infer<typeof checkSchema>;

export const verificationReportSchema = z.object({
  schemaVersion: z.literal(VERIFICATION_REPORT_VERSION),
  kind: z.literal("ztoq-verification"),
  status: verdictSchema,
  run: z.object({
    id: z.string(),
    tool: z.object({ name: z.literal("ztoq"), version: z.string() }),
    startedAt: z.string(),
    finishedAt: z.string(),
    durationMs: z.number(),
    configHash: z.string(),
  }),
  failOn: z
    .string()
    .describe("The default thresholds (--fail-on), for checks that set none; every metric listed (notCarried only when bounded)"),
  totals: reportTotalsSchema.describe("Sums over all checks"),
  checks: z.array(checkSchema),
  cost: z.object({
    requests: z
      .object({ zephyr: requestStatsSchema, qtest: requestStatsSchema })
      .nullable()
      .describe("Requests to Zephyr and qTest (zephyr-qtest checks)"),
    entitiesRead: z
      .object({
        source: count,
        target: count,
        reread: count.describe("Target objects read a second time to find the fields that differ"),
      })
      .nullable()
      .describe("Entities the zephyr-qtest checks read"),
    durationMs: z.number(),
    peakRssBytes: z.number().int(),
  }),
});
export type VerificationReport = z.infer<typeof verificationReportSchema>;

/** The JSON Schema to publish beside the migration report's. */
export function verificationReportJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(verificationReportSchema, { io: "output", target: "draft-2020-12" });
  return { $schema, $id: "urn:ztoq:schema:verification-report", title: "ZTOQ verification report", ...rest };
}

/** Writes the JSON report and its Markdown twin beside it (`x.json` → `x.md`). */
export async function writeVerificationReport(path: string, report: VerificationReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdownTwin(path), verificationReportMarkdown(report));
}

/** The report's first zephyr-qtest check: what `ztoq verify` without a checks file reports on. */
export function migrationCheck(report: VerificationReport): ZephyrQTestCheck | undefined {
  return report.checks.find((check): check is ZephyrQTestCheck => check.kind === "zephyr-qtest");
}

/** Whether a check of the report judged what the source holds that qTest did not receive. */
export function judgesNotCarried(report: VerificationReport): boolean {
  return report.checks.some((check) => check.kind === "zephyr-qtest" && check.notCarried !== undefined);
}
