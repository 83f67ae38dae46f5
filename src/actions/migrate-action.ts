import { join } from "node:path";
import * as core from "@actions/core";
import { loadConfig } from "../config/load.js";
import { settings } from "../config/settings.js";
import { annotate } from "../github/annotations.js";
import { artifactUrl } from "../github/context.js";
import { writeJobSummary } from "../github/summary.js";
import { createLogger } from "../log/logger.js";
import { migrate } from "../migrate/run.js";
import { parseShard } from "../migrate/shard.js";
import { migrationReportMarkdown } from "../report/migration-report.js";
import { sqliteFile, uploadFiles } from "./artifacts.js";
import { connectionInputs, inputOrDefault, inputValue } from "./inputs.js";
import { runAction } from "./run-action.js";

/** The migrate action (`action.yml`): a migration run, its outputs, summary, artifact and annotations. */
export function migrateAction(): Promise<void> {
  return runAction(async () => {
    const { configPath, overrides } = connectionInputs("migrate");
    const mode = inputOrDefault(settings.mode, "migrate");
    const dryRun = inputOrDefault(settings.dryRun, "migrate");
    const prune = inputOrDefault(settings.prune, "migrate");
    const reconcile = inputOrDefault(settings.reconcile, "migrate");
    const shard = parseShard(inputValue(settings.shard), `Input ${settings.shard.input.name}`);
    const retentionDays = inputValue(settings.retentionDays);
    const reportName = inputOrDefault(settings.reportName, "migrate");
    const config = await loadConfig({ path: configPath, overrides });
    const reportPath = join(config.report.dir, "migration-report.json");
    const { report, exitCode } = await migrate({
      config,
      mode,
      dryRun,
      prune,
      reconcile,
      shard,
      reportPath,
      log: createLogger({ component: "migrate" }),
    });

    core.setOutput("status", report.status);
    core.setOutput("created", report.totals.created);
    core.setOutput("updated", report.totals.updated);
    core.setOutput("unchanged", report.totals.unchanged);
    core.setOutput("failed", report.totals.failed);
    core.setOutput("report-path", reportPath);

    const state = sqliteFile(config.state);
    const artifact = await uploadFiles(
      reportName,
      [reportPath, reportPath.replace(/\.json$/, ".md"), ...(state ? [state] : [])],
      retentionDays,
    );
    if (artifact) core.setOutput("artifact-id", artifact.id);
    const link = artifact
      ? `\n[Report${state ? " and state file" : ""} (artifact ${reportName})](${artifactUrl(artifact.id)})\n`
      : "";
    await writeJobSummary(`${migrationReportMarkdown(report)}${link}`);
    annotate(
      report.entities.flatMap((e) =>
        e.reasons
          .filter((r) => r.outcome === "failed")
          .map((r) => ({ level: "error" as const, title: `ZTOQ: ${e.type} ${r.key} failed`, message: r.reason })),
      ),
      // GitHub shows ten errors per step: eight failures, the "…and N more" line and the failure itself.
      8,
    );
    const failure =
      report.status === "incomplete"
        ? `Migration stopped before the end: ${report.error} — re-run to resume.`
        : `${report.totals.failed} entities failed; see the report.`;
    return { exitCode, failure };
  });
}
