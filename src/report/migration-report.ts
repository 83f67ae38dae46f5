import { z } from "zod";
import { recordedTypeSchema } from "../entity-types.js";
import { estimateSchema, formatSeconds } from "../plan/estimate.js";
import { type NotCarriedSection, notCarriedMarkdown, notCarriedSectionSchema } from "./not-carried-section.js";
import { requestStatsSchema } from "./request-stats.js";

export const MIGRATION_REPORT_VERSION = 1;

const outcomeCountsSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  disappeared: z.number().int(),
  pruned: z.number().int(),
});

export const migrationReportSchema = z.object({
  schemaVersion: z.literal(MIGRATION_REPORT_VERSION),
  kind: z.literal("ztoq-migration"),
  status: z
    .enum(["succeeded", "failed", "incomplete", "dry-run"])
    .describe("failed: some entities failed; incomplete: the run stopped early"),
  run: z.object({
    id: z.string(),
    mode: z.enum(["full", "incremental"]),
    dryRun: z.boolean(),
    prune: z.boolean(),
    reconcile: z.boolean().describe("Every migrated object was compared with the target and repaired"),
    shard: z.string().nullable().describe("i/n when this run was one shard of a sharded migration"),
    tool: z.object({ name: z.literal("ztoq"), version: z.string() }),
    startedAt: z.string(),
    finishedAt: z.string(),
    durationMs: z.number(),
    configHash: z.string(),
    updatedAfter: z.string().nullable().describe("Incremental runs: only source entities changed after this were read in full"),
    peakRssBytes: z.number().int().describe("Peak resident memory of the migrating process"),
  }),
  source: z.object({ url: z.string(), projectKey: z.string() }),
  target: z.object({ url: z.string(), projectId: z.number().int() }),
  preflight: z.object({
    fieldsCreated: z.array(z.string()).describe("qTest fields created (a dry run: to create), as `object type: label`"),
    valuesCreated: z
      .array(z.string())
      .describe("Allowed values added to qTest fields (a dry run: to add), as `object type: field = label`"),
    usersKept: z
      .array(z.object({ accountId: z.string(), uses: z.number().int(), usedIn: z.array(z.string()) }))
      .describe("Accounts with no qTest user, kept in 'Zephyr Unmapped Users' (mapping.unmappedUsers: keep)"),
    estimate: estimateSchema.nullable(),
    sourceCounts: z.object({ testCases: z.number().int(), testCycles: z.number().int(), testExecutions: z.number().int() }),
  }),
  entities: z.array(
    z.object({
      type: recordedTypeSchema,
      ...outcomeCountsSchema.shape,
      durationMs: z.number(),
      reasons: z.array(z.object({ key: z.string(), outcome: z.string(), reason: z.string() })),
    }),
  ),
  totals: outcomeCountsSchema,
  links: z
    .object({
      linksAdded: z.number().int().describe("Requirement links made: test case → requirement, release → requirement or test run"),
      linksRemoved: z.number().int().describe("Links removed because Zephyr no longer has them"),
      writes: z.number().int().describe("The qTest link and unlink requests that made and removed them"),
    })
    .nullable()
    .describe("Traceability links this run carried; null when it carried none (dry run, shard, stopped before)"),
  notCarried: notCarriedSectionSchema
    .nullable()
    .describe(
      "What the source entities this run read hold that qTest did not receive, per entity, field or relation, and why; null for a dry run, which reads no entity in full",
    ),
  requests: z.object({ zephyr: requestStatsSchema, qtest: requestStatsSchema, jira: requestStatsSchema.optional() }),
  error: z.string().nullable().describe("Why the run stopped early, when it did"),
});
export type MigrationReport = z.infer<typeof migrationReportSchema>;
/** What `buildReport` passes as `notCarried`: `NotCarriedTally.section()`. */
export type MigrationNotCarried = NotCarriedSection;

export const LABELS: Record<string, string> = {
  module: "Modules (test case folders)",
  testCase: "Test cases",
  testCycle: "Test cycles (cycle folders)",
  testSuite: "Test suites (cycles)",
  testRun: "Test runs",
  testLog: "Test logs (executions)",
  release: "Releases (test plans)",
  requirement: "Requirements (Jira issues)",
};

/** The report's Markdown twin: verdict first, then a table per entity type. */
export function migrationReportMarkdown(report: MigrationReport): string {
  const icon = { succeeded: "✅", failed: "❌", incomplete: "⚠️", "dry-run": "🔍" }[report.status];
  const lines = [
    `## ${icon} ZTOQ migration: ${report.status}`,
    "",
    `${report.source.projectKey} (${report.source.url}) → qTest project ${report.target.projectId} (${report.target.url})`,
    "",
    `Run \`${report.run.id}\` · ${report.run.mode}${report.run.shard ? ` · shard ${report.run.shard}` : ""}` +
      `${report.run.dryRun ? " · dry run" : ""}${report.run.prune ? " · prune" : ""}${report.run.reconcile ? " · reconcile" : ""} · ` +
      `${(report.run.durationMs / 1000).toFixed(1)} s · ZTOQ ${report.run.tool.version}`,
    "",
  ];
  if (report.error) lines.push(`> **Stopped early:** ${report.error}`, "");
  const { fieldsCreated, valuesCreated, usersKept, estimate } = report.preflight;
  if (fieldsCreated.length > 0) {
    lines.push(`Fields ${report.run.dryRun ? "to create" : "created"} in qTest: ${fieldsCreated.join(", ")}`, "");
  }
  if (valuesCreated.length > 0) {
    lines.push(`Allowed values ${report.run.dryRun ? "to add" : "added"} in qTest: ${valuesCreated.join(", ")}`, "");
  }
  if (usersKept.length > 0) {
    const uses = usersKept.reduce((sum, u) => sum + u.uses, 0);
    lines.push(
      `Accounts with no qTest user, kept in 'Zephyr Unmapped Users': ${usersKept.length} (${uses} uses): ${usersKept.map((u) => u.accountId).join(", ")}`,
      "",
    );
  }
  if (estimate) {
    lines.push(
      `Estimate for the full migration: Zephyr ${estimate.zephyr.requests} requests (${formatSeconds(estimate.zephyr.seconds)} at its rate limit), ` +
        `qTest ${estimate.qtest.requests} requests (${formatSeconds(estimate.qtest.seconds)}) — about ${formatSeconds(estimate.seconds)}; ` +
        "past an hour or two, shard it (--shard i/n).",
      "",
    );
  }
  lines.push(
    "| Entity | Created | Updated | Unchanged | Failed | Skipped | Disappeared | Pruned |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const e of report.entities) {
    lines.push(
      `| ${LABELS[e.type] ?? e.type} | ${e.created} | ${e.updated} | ${e.unchanged} | ${e.failed} | ${e.skipped} | ${e.disappeared} | ${e.pruned} |`,
    );
  }
  const t = report.totals;
  lines.push(
    `| **Total** | ${t.created} | ${t.updated} | ${t.unchanged} | ${t.failed} | ${t.skipped} | ${t.disappeared} | ${t.pruned} |`,
    "",
  );
  const reasons = report.entities.flatMap((e) => e.reasons.map((r) => ({ ...r, type: e.type })));
  if (reasons.length > 0) {
    lines.push(
      "<details><summary>Failed, skipped and disappeared entities</summary>",
      "",
      "| Entity | Key | Outcome | Reason |",
      "|---|---|---|---|",
    );
    for (const r of reasons)
      lines.push(`| ${r.type} | \`${r.key}\` | ${r.outcome} | ${r.reason.replaceAll("|", "\\|").replaceAll("\n", " ")} |`);
    lines.push("", "</details>", "");
  }
  if (report.notCarried) lines.push(...notCarriedMarkdown(report.notCarried));
  const { zephyr, qtest, jira } = report.requests;
  if (report.links) {
    lines.push(
      `Links: ${report.links.linksAdded} made, ${report.links.linksRemoved} removed (coverage, release scope, release runs)`,
      "",
    );
  }
  lines.push(
    `Requests: Zephyr ${zephyr.requests} (${zephyr.retries} retries, ${zephyr.throttled} throttled) · ` +
      `qTest ${qtest.requests} (${qtest.retries} retries, ${qtest.throttled} throttled)` +
      (jira ? ` · Jira ${jira.requests} (${jira.retries} retries, ${jira.throttled} throttled)` : ""),
    "",
  );
  return lines.join("\n");
}
