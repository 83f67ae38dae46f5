import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { entityTypeSchema } from "../entity-types.js";
import { requestStatsSchema } from "./request-stats.js";

/**
 * 2: entity types named as everywhere else (`testCase`, not `testCases`).
 * 3: every entity type adds to the totals, each problem once: `gated` gave way to `counted`.
 */
export const VERIFICATION_REPORT_VERSION = 3;

export const problemSchema = z.enum(["missing", "extra", "duplicated", "changed", "misplaced"]);
export type Problem = z.infer<typeof problemSchema>;

export const metricSchema = z.enum(["missing", "extra", "changed", "duplicated", "misplaced"]);

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

export const zephyrQTestCheckSchema = z.object({
  kind: z.literal("zephyr-qtest"),
  verdict: verdictSchema,
  source: z.object({ url: z.string(), projectKey: z.string() }),
  target: z.object({
    url: z.string(),
    projectId: z.number().int(),
    rootModule: z.string().describe("The module holding the migrated test design"),
    cycleRoot: z.string().describe("The test cycle holding the migrated test execution tree"),
    markerField: z.string(),
  }),
  normalization: z.record(z.string(), z.string()).describe("The comparison rules, as applied"),
  thresholds: z.array(
    z.object({ metric: metricSchema, max: count, actual: count, verdict: verdictSchema }).describe("Fails when actual > max"),
  ),
  totals: problemTotalsSchema.describe("Sums over the entity types: matched, and what each type adds (counted)"),
  entities: z.array(entityCheckSchema),
});
export type ZephyrQTestCheck = z.infer<typeof zephyrQTestCheckSchema>;

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
  failOn: z.string().describe("The thresholds applied, every metric listed"),
  totals: problemTotalsSchema.describe("Sums over all checks"),
  checks: z.array(zephyrQTestCheckSchema),
  cost: z.object({
    requests: z.object({ zephyr: requestStatsSchema, qtest: requestStatsSchema }),
    entitiesRead: z.object({
      source: count,
      target: count,
      reread: count.describe("Target objects read a second time to find the fields that differ"),
    }),
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

const MARKDOWN_SAMPLES = 10;
const CELL = 80;

/** The report's Markdown twin: verdict first, then a table per check with a row per entity type, then samples. */
export function verificationReportMarkdown(report: VerificationReport): string {
  const icon = report.status === "passed" ? "✅" : "❌";
  const t = report.totals;
  const lines = [
    `## ${icon} ZTOQ verification: ${report.status}`,
    "",
    `**${t.matched}** matched · **${t.missing}** missing · **${t.extra}** extra · **${t.changed}** changed · ` +
      `**${t.duplicated}** duplicated · **${t.misplaced}** misplaced`,
    "",
    `Run \`${report.run.id}\` · ${(report.run.durationMs / 1000).toFixed(1)} s · ZTOQ ${report.run.tool.version} · fail on \`${report.failOn}\``,
    "",
  ];
  for (const check of report.checks) {
    lines.push(
      `### ${check.verdict === "passed" ? "✅" : "❌"} ${check.source.projectKey} (Zephyr) → qTest project ${check.target.projectId}`,
      "",
      "| Threshold | Actual | Verdict |",
      "|---|---:|---|",
      ...check.thresholds.map((th) => `| ${th.metric} > ${th.max} | ${th.actual} | ${th.verdict === "passed" ? "✅" : "❌"} |`),
      "",
      "| Entity | Source | Target | Matched | Missing | Extra | Duplicated | Changed | Misplaced | Verdict |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    );
    // A count part of which another type counts shows what this type adds, with a footnote.
    let marked = false;
    const n = (shown: number, counted: number) => {
      if (counted === shown) return `${shown}`;
      marked = true;
      return `${shown} (${counted} counted) ¹`;
    };
    for (const e of check.entities) {
      const source = e.source.excluded > 0 ? `${e.source.count} (+${e.source.excluded} not mapped)` : `${e.source.count}`;
      const c = e.counted;
      lines.push(
        `| ${e.label} | ${source} | ${e.target.count} | ${e.matched} | ${n(e.missingInTarget, c.missing)} | ` +
          `${n(e.extraInTarget, c.extra)} | ${n(e.duplicated, c.duplicated)} | ${n(e.changed, c.changed)} | ` +
          `${n(e.misplaced, c.misplaced)} | ${e.verdict === "passed" ? "✅" : "❌"} |`,
      );
    }
    lines.push(
      "",
      `${marked ? "¹ " : ""}Every type adds to the totals the thresholds bound, each problem once` +
        `${marked ? "; in parentheses, what a type adds where part of its count is counted through another type" : ""}. ` +
        "A test case whose only differences are in its steps is shown as changed and counted through its steps (each " +
        "missing, extra or changed step counts); the steps of a missing, extra or duplicated test case are shown and " +
        "counted through the case.",
      "",
    );
    const mismatches = check.entities.flatMap((e) => Object.entries(e.fieldMismatches).map(([path, n]) => ({ e, path, n })));
    if (mismatches.length > 0) {
      lines.push("| Entity | Field | Changed |", "|---|---|---:|");
      for (const { e, path, n } of mismatches) lines.push(`| ${e.label} | \`${path}\` | ${n} |`);
      lines.push("");
    }
    for (const e of check.entities.filter((x) => x.samples.length > 0)) {
      const shown = e.samples.slice(0, MARKDOWN_SAMPLES);
      const more = e.samples.length - shown.length;
      lines.push(
        `<details><summary>${e.label}: ${shown.length} sample(s)${more > 0 || e.truncated ? " (more in the JSON report)" : ""}</summary>`,
        "",
        "| Key | Problem | Field | Source | Target |",
        "|---|---|---|---|---|",
      );
      for (const s of shown) {
        const rows = s.differences.length > 0 ? s.differences : [{ path: "", source: undefined, target: undefined }];
        for (const d of rows) {
          lines.push(
            `| \`${cell(s.key)}\` | ${s.problem} | ${d.path ? `\`${cell(d.path)}\`` : ""} | ${show(d.source)} | ${show(d.target)} |`,
          );
        }
      }
      lines.push("", "</details>", "");
    }
    lines.push("<details><summary>Comparison rules</summary>", "");
    for (const [name, rule] of Object.entries(check.normalization)) lines.push(`- **${name}**: ${rule}`);
    lines.push("", "</details>", "");
  }
  const { zephyr, qtest } = report.cost.requests;
  const read = report.cost.entitiesRead;
  lines.push(
    `Cost: Zephyr ${zephyr.requests} requests · qTest ${qtest.requests} requests · ${read.source} source and ${read.target} target ` +
      `entities read (${read.reread} re-read for field differences) · ${(report.cost.durationMs / 1000).toFixed(1)} s · ` +
      `peak ${Math.round(report.cost.peakRssBytes / 1024 / 1024)} MB`,
    "",
  );
  return lines.join("\n");
}

function cell(text: string): string {
  const flat = text.replaceAll("|", "\\|").replace(/\s+/g, " ");
  return flat.length > CELL ? `${flat.slice(0, CELL)}…` : flat;
}

function show(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "*(none)*";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === "" ? "*(empty)*" : cell(text);
}

/** Writes the JSON report and its Markdown twin beside it (`x.json` → `x.md`). */
export async function writeVerificationReport(path: string, report: VerificationReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(`${path.replace(/\.json$/i, "")}.md`, verificationReportMarkdown(report));
}
