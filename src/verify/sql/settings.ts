/**
 * The settings of a `sql` check, as written in the checks file. The framework adds `name`,
 * `kind: "sql"` and `failOn`; everything here is this kind's own.
 */
import { z } from "zod";
import { sideProblems } from "./side.js";

const location = (side: string) =>
  z
    .string()
    .trim()
    .regex(/^(postgres(ql)?:\/\/|sqlite:|\$\{)/, `postgres://… or sqlite:PATH (or a \${VAR} holding one)`)
    .describe(
      `The ${side} database: postgres://user@host:5432/db (a password may come from PGPASSWORD or a \${VAR} reference, ` +
        "expanded from the environment and never reported) or sqlite:PATH (relative to the checks file).",
    );

const name = z.string().trim().min(1);

const columnNormalizeSchema = z
  .strictObject({
    decimals: z.number().int().min(0).max(30).optional().describe("Round both values half away from zero to this many decimals."),
    tolerance: z.number().nonnegative().optional().describe("Numbers at most this far apart are equal."),
    timestamp: z
      .enum(["s", "ms", "us"])
      .optional()
      .describe("Compare as timestamps in UTC, cut to seconds, milliseconds or microseconds (text without an offset is UTC)."),
    nullEquals: z
      .string()
      .optional()
      .describe('A value that stands for NULL on either side, e.g. "" (an empty string equals NULL).'),
    trim: z.literal(true).optional().describe("Ignore whitespace around text values."),
    caseInsensitive: z.literal(true).optional().describe("Ignore letter case."),
    json: z
      .literal(true)
      .optional()
      .describe("Compare as JSON, whatever the order of object keys (automatic for json/jsonb columns)."),
  })
  .describe("How this column's values are made comparable before comparing.");

export const sqlCheckSettingsSchema = z
  .strictObject({
    source: location("source"),
    target: location("target"),
    table: name
      .optional()
      .describe(
        "The table (or view) on both sides, schema-qualified if need be (public.orders). Or sourceTable/targetTable, or queries.",
      ),
    sourceTable: name.optional().describe("The source's table when its name differs from the target's."),
    targetTable: name.optional().describe("The target's table when its name differs from the source's."),
    sourceQuery: name
      .optional()
      .describe("A SELECT whose rows stand for the source table (no ORDER BY needed: ZTOQ orders by key)."),
    targetQuery: name.optional().describe("A SELECT whose rows stand for the target table."),
    key: z
      .union([name, z.array(name).min(1)])
      .describe(
        "The column or columns (source names) that identify a row, of any type. Rows are paired by key; a key more than once on a side is a duplicate.",
      ),
    columns: z
      .record(name, name)
      .optional()
      .describe(
        "Renamed columns, source name → target name (e.g. { total_cents: total }). Every other column both sides have by the " +
          "same name is compared too; leave columns out with ignore.",
      ),
    ignore: z.array(name).optional().describe("Columns left out of the comparison (source or target names)."),
    where: name
      .optional()
      .describe("A SQL condition applied on both sides as written, e.g. created_at >= '2024-01-01' (each side's column names)."),
    normalize: z
      .record(name, columnNormalizeSchema)
      .optional()
      .describe(
        "Per column (source name): how values are made comparable, e.g. { total: { decimals: 2 }, updated: { timestamp: ms } }.",
      ),
    method: z
      .enum(["merge", "checksum"])
      .default("merge")
      .describe(
        "merge: stream both sides in key order and compare every row (fastest when both are near). checksum: compare row counts and " +
          "checksums of key ranges, and read only the ranges that differ (when a side is far away).",
      ),
  })
  .superRefine((settings, context) => {
    for (const problem of sideProblems(settings)) context.addIssue({ code: "custom", message: problem });
  });

export type SqlCheckSettings = z.output<typeof sqlCheckSettingsSchema>;
export type SqlCheckInput = z.input<typeof sqlCheckSettingsSchema>;
