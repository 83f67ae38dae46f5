import { formatSeconds } from "../plan/estimate.js";
import { LABELS, type MigrationReport } from "./migration-report.js";
import { notCarriedText } from "./not-carried-section.js";
import { textCell, textTable } from "./table-text.js";

/** Reasons shown on a terminal; the JSON and Markdown reports keep them all. */
const TEXT_REASONS = 20;

/** The closing summary of a migration on a terminal: what the Markdown twin says, as plain text. */
export function migrationReportText(report: MigrationReport): string {
  const { run } = report;
  const lines = [
    `ZTOQ migration: ${report.status}`,
    `${report.source.projectKey} (${report.source.url}) → qTest project ${report.target.projectId} (${report.target.url})`,
    [
      `run ${run.id}`,
      run.mode,
      run.shard && `shard ${run.shard}`,
      run.dryRun && "dry run",
      run.prune && "prune",
      run.reconcile && "reconcile",
      `${(run.durationMs / 1000).toFixed(1)} s`,
      `ZTOQ ${run.tool.version}`,
    ]
      .filter(Boolean)
      .join(" · "),
    "",
  ];
  if (report.error) lines.push(`Stopped early: ${report.error}`, "");
  const { fieldsCreated, valuesCreated, usersKept, estimate } = report.preflight;
  const verb = (dry: string, done: string) => (run.dryRun ? dry : done);
  if (fieldsCreated.length > 0) lines.push(`Fields ${verb("to create", "created")} in qTest: ${fieldsCreated.join(", ")}`);
  if (valuesCreated.length > 0) lines.push(`Allowed values ${verb("to add", "added")} in qTest: ${valuesCreated.join(", ")}`);
  if (usersKept.length > 0) {
    const uses = usersKept.reduce((sum, u) => sum + u.uses, 0);
    lines.push(`Accounts with no qTest user, kept in 'Zephyr Unmapped Users': ${usersKept.length} (${uses} uses)`);
  }
  if (estimate) {
    lines.push(
      `Estimate for the full migration: Zephyr ${estimate.zephyr.requests} requests (${formatSeconds(estimate.zephyr.seconds)}), ` +
        `qTest ${estimate.qtest.requests} requests (${formatSeconds(estimate.qtest.seconds)}) — about ${formatSeconds(estimate.seconds)}`,
    );
  }
  if (lines.at(-1) !== "") lines.push("");
  const counts = (c: MigrationReport["totals"]) =>
    [c.created, c.updated, c.unchanged, c.failed, c.skipped, c.disappeared, c.pruned].map(String);
  lines.push(
    ...textTable(
      ["Entity", "Created", "Updated", "Unchanged", "Failed", "Skipped", "Disappeared", "Pruned"],
      [...report.entities.map((e) => [LABELS[e.type] ?? e.type, ...counts(e)]), ["Total", ...counts(report.totals)]],
      ["left", ...Array<"right">(7).fill("right")],
    ),
    "",
  );
  const reasons = report.entities.flatMap((e) => e.reasons.map((r) => ({ ...r, type: e.type })));
  if (reasons.length > 0) {
    const shown = reasons.slice(0, TEXT_REASONS);
    lines.push(
      "Failed, skipped and disappeared entities:",
      ...textTable(
        ["Entity", "Key", "Outcome", "Reason"],
        shown.map((r) => [r.type, r.key, r.outcome, textCell(r.reason, 100)]),
      ),
    );
    if (reasons.length > shown.length) lines.push(`… and ${reasons.length - shown.length} more in the report files`);
    lines.push("");
  }
  if (report.notCarried) lines.push(...notCarriedText(report.notCarried));
  const { zephyr, qtest } = report.requests;
  lines.push(
    `Requests: Zephyr ${zephyr.requests} (${zephyr.retries} retries, ${zephyr.throttled} throttled) · ` +
      `qTest ${qtest.requests} (${qtest.retries} retries, ${qtest.throttled} throttled)`,
  );
  return lines.join("\n");
}
