import { join } from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../config/load.js";
import { settings } from "../config/settings.js";
import { createLogger } from "../log/logger.js";
import { migrate } from "../migrate/run.js";
import { parseShard } from "../migrate/shard.js";
import { migrationReportMarkdown } from "../report/migration-report.js";
import { migrationReportText } from "../report/migration-text.js";
import { settingOption, waitSecondsFlag } from "./setting-option.js";

interface MigrateFlags {
  config?: string;
  state?: string;
  mode: "full" | "incremental";
  dryRun?: boolean;
  prune?: boolean;
  reconcile?: boolean;
  report?: string;
  shard?: string;
  waitSeconds?: string;
  logFormat?: "json" | "text";
  logFile?: string;
}

export function registerMigrateCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("migrate")
    .description("Run or resume a migration from Zephyr Scale Cloud to qTest")
    .addOption(settingOption(settings.config, "migrate"))
    .addOption(settingOption(settings.state, "migrate"))
    .addOption(settingOption(settings.mode, "migrate"))
    .addOption(settingOption(settings.dryRun, "migrate"))
    .addOption(settingOption(settings.prune, "migrate"))
    .addOption(settingOption(settings.reconcile, "migrate"))
    .addOption(settingOption(settings.report, "migrate"))
    .addOption(settingOption(settings.shard, "migrate"))
    .addOption(settingOption(settings.waitSeconds, "migrate"))
    .addOption(settingOption(settings.logFormat, "migrate"))
    .addOption(settingOption(settings.logFile, "migrate"))
    .action(async (flags: MigrateFlags) => {
      const config = await loadConfig({
        ...(flags.config && { path: flags.config }),
        overrides: { ...(flags.state && { state: flags.state }), migration: { waitSeconds: waitSecondsFlag(flags.waitSeconds) } },
      });
      const log = createLogger({ component: "migrate" }, undefined, { format: flags.logFormat, file: flags.logFile });
      const { report, exitCode } = await migrate({
        config,
        mode: flags.mode,
        dryRun: Boolean(flags.dryRun),
        prune: Boolean(flags.prune),
        reconcile: Boolean(flags.reconcile),
        shard: parseShard(flags.shard),
        reportPath: flags.report ?? join(config.report.dir, "migration-report.json"),
        log,
      });
      // A person reads a terminal; whatever reads a pipe (a job summary, a file) gets the Markdown.
      process.stdout.write(`${process.stdout.isTTY ? migrationReportText(report) : migrationReportMarkdown(report)}\n`);
      if (report.error)
        process.stderr.write(`ztoq: stopped before the end: ${report.error} (re-run the same command to resume)\n`);
      setExitCode(exitCode);
    });
}
