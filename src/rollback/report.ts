import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { type RecordedType, recordedTypeSchema } from "../entity-types.js";
import { markdownTwin } from "../report/report-file.js";
import { requestStatsSchema } from "../report/request-stats.js";

export const ROLLBACK_REPORT_VERSION = 1;

/** Children first, as they are deleted. */
export const ROLLBACK_ORDER: readonly RecordedType[] = [
  "release",
  "requirement",
  "testLog",
  "testRun",
  "testSuite",
  "testCycle",
  "testCase",
  "module",
];

const countsSchema = z.object({
  removed: z.number().int().describe("Deleted (in a dry run: would be deleted)"),
  kept: z.number().int().describe("Left in place on purpose: not ZTOQ's, or holding what is not"),
  refused: z.number().int().describe("qTest refused the deletion"),
  blocked: z.number().int().describe("Not attempted: something it holds could not be deleted"),
});

export const rollbackOutcomeSchema = z.enum(["removed", "kept", "refused", "blocked"]);

export const rollbackReportSchema = z.object({
  schemaVersion: z.literal(ROLLBACK_REPORT_VERSION),
  kind: z.literal("ztoq-rollback"),
  status: z
    .enum(["succeeded", "failed", "incomplete", "dry-run", "cancelled"])
    .describe("failed: some deletions refused; incomplete: stopped early (re-run to finish); cancelled: not confirmed"),
  run: z.object({
    id: z.string(),
    dryRun: z.boolean(),
    tool: z.object({ name: z.literal("ztoq"), version: z.string() }),
    startedAt: z.string(),
    finishedAt: z.string(),
    durationMs: z.number(),
    configHash: z.string(),
  }),
  target: z.object({
    url: z.string(),
    projectId: z.number().int(),
    zephyrProject: z.string().describe("The Zephyr project whose migration is rolled back; its markers name it"),
    rootModule: z.string(),
    rootTestCycle: z.string(),
    markerField: z.string(),
  }),
  state: z.object({
    location: z.string().nullable().describe("null when no state store existed (see `ownership`)"),
    forgotten: z.number().int().describe("Records removed: of deleted objects, and of objects already gone"),
  }),
  ownership: z
    .string()
    .describe("How the rollback decided what is ZTOQ's for this Zephyr project: by markers and the state, or markers alone"),
  entities: z.array(z.object({ type: recordedTypeSchema, ...countsSchema.shape })),
  totals: countsSchema,
  objects: z
    .array(
      z.object({
        type: recordedTypeSchema,
        id: z.number().int(),
        name: z.string(),
        marker: z.string().nullable(),
        outcome: rollbackOutcomeSchema,
        reason: z.string().nullable(),
      }),
    )
    .describe("Every object removed (or, in a dry run, to be removed), kept, refused or blocked"),
  requests: z.object({ qtest: requestStatsSchema }),
  error: z.string().nullable().describe("Why the rollback stopped early, when it did"),
});
export type RollbackReport = z.infer<typeof rollbackReportSchema>;
export type RollbackObject = RollbackReport["objects"][number];

const LABELS: Record<RecordedType, string> = {
  testLog: "Test logs (with their runs)",
  testRun: "Test runs",
  testSuite: "Test suites",
  testCycle: "Test cycles",
  testCase: "Test cases",
  module: "Modules",
  release: "Releases (test plans)",
  requirement: "Requirements (Jira issues)",
};

/** Rows of a details table in the Markdown; the JSON report lists them all. */
const MARKDOWN_ROWS = 50;

/** The report's Markdown twin, fit for a GitHub job summary: verdict first, a table per entity type. */
export function rollbackReportMarkdown(report: RollbackReport): string {
  const icon = { succeeded: "✅", failed: "❌", incomplete: "⚠️", "dry-run": "🔍", cancelled: "✋" }[report.status];
  const { target, run } = report;
  const dry = report.status === "dry-run" || report.status === "cancelled";
  const lines = [
    `## ${icon} ZTOQ rollback: ${report.status}`,
    "",
    `Zephyr project \`${target.zephyrProject}\` in qTest project ${target.projectId} (${target.url}) · root module \`${target.rootModule}\` · root test cycle ` +
      `\`${target.rootTestCycle}\` · marker field \`${target.markerField}\``,
    "",
    `Run \`${run.id}\`${run.dryRun ? " · dry run" : ""} · ${(run.durationMs / 1000).toFixed(1)} s · ZTOQ ${run.tool.version}`,
    "",
  ];
  lines.push(`What is ZTOQ's: ${report.ownership}.`, "");
  if (report.error) lines.push(`> **Stopped early:** ${report.error} — re-run the same command to finish.`, "");
  lines.push(`| Entity | ${dry ? "To remove" : "Removed"} | Kept | Refused | Blocked |`, "|---|---:|---:|---:|---:|");
  for (const e of report.entities) lines.push(`| ${LABELS[e.type]} | ${e.removed} | ${e.kept} | ${e.refused} | ${e.blocked} |`);
  const t = report.totals;
  lines.push(`| **Total** | ${t.removed} | ${t.kept} | ${t.refused} | ${t.blocked} |`, "");
  const section = (title: string, outcomes: readonly RollbackObject["outcome"][], withReason: boolean, note = "") => {
    const rows = report.objects.filter((o) => outcomes.includes(o.outcome) && (withReason || o.type !== "testLog"));
    if (rows.length === 0) return;
    lines.push(
      `<details><summary>${title} (${rows.length})${note}</summary>`,
      "",
      withReason ? "| Entity | Id | Name | Marker | Why |" : "| Entity | Id | Name | Marker |",
      withReason ? "|---|---:|---|---|---|" : "|---|---:|---|---|",
    );
    for (const o of rows.slice(0, MARKDOWN_ROWS)) {
      const cells = [o.type, String(o.id), cell(o.name), o.marker ? `\`${cell(o.marker)}\`` : ""];
      if (withReason) cells.push(cell(o.reason ?? ""));
      lines.push(`| ${cells.join(" | ")} |`);
    }
    if (rows.length > MARKDOWN_ROWS) lines.push("", `… and ${rows.length - MARKDOWN_ROWS} more in the JSON report.`);
    lines.push("", "</details>", "");
  };
  section("Refused or blocked", ["refused", "blocked"], true);
  section("Kept", ["kept"], true);
  section(dry ? "To remove" : "Removed", ["removed"], false, ` — test logs ${dry ? "go" : "went"} with their runs`);
  if (report.state.location) {
    lines.push(`State \`${report.state.location}\`: ${report.state.forgotten} records forgotten.`, "");
  } else {
    lines.push("No state store: no module or test cycle was taken as ZTOQ's, and the markers alone decided the rest.", "");
  }
  if (!dry && report.status !== "incomplete") {
    lines.push("A later `ztoq migrate` (mode full) rebuilds what was removed.", "");
  }
  const { qtest } = report.requests;
  lines.push(`Requests: qTest ${qtest.requests} (${qtest.retries} retries, ${qtest.throttled} throttled)`, "");
  return lines.join("\n");
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

export async function writeRollbackReport(path: string, report: RollbackReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdownTwin(path), rollbackReportMarkdown(report));
}
