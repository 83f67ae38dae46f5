import { join } from "node:path";
import { type Command, Option } from "commander";
import { loadConfig } from "../config/load.js";
import { createLogger } from "../log/logger.js";
import { migrate } from "../migrate/run.js";
import { parseShard } from "../migrate/shard.js";
import { migrationReportMarkdown } from "../report/migration-report.js";

interface MigrateFlags {
  config?: string;
  state?: string;
  mode: "full" | "incremental";
  dryRun?: boolean;
  prune?: boolean;
  report?: string;
  shard?: string;
}

export function registerMigrateCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("migrate")
    .description("Run or resume a migration from Zephyr Scale Cloud to qTest")
    .option("-c, --config <file>", "configuration file (default: ZTOQ_CONFIG or ./ztoq.config.yml if present)")
    .option("--state <location>", "state store: a SQLite path, sqlite:PATH or postgres://… (default .ztoq/state.db)")
    .addOption(
      new Option("--mode <mode>", "full reads everything; incremental only what changed since the last complete run")
        .choices(["full", "incremental"])
        .default("full"),
    )
    .option("--dry-run", "resolve every mapping against qTest and report; write nothing")
    .option("--prune", "delete from qTest the test cases that no longer exist in Zephyr")
    .option("--report <file>", "where to write the JSON report (a Markdown twin goes beside it)")
    .option("--shard <i/n>", "run shard i of n (e.g. 2/4) against a state store all shards share (PostgreSQL)")
    .action(async (flags: MigrateFlags) => {
      const config = await loadConfig({
        ...(flags.config && { path: flags.config }),
        overrides: { ...(flags.state && { state: flags.state }) },
      });
      const log = createLogger({ component: "migrate" });
      const { report, exitCode } = await migrate({
        config,
        mode: flags.mode,
        dryRun: Boolean(flags.dryRun),
        prune: Boolean(flags.prune),
        shard: parseShard(flags.shard),
        reportPath: flags.report ?? join(config.report.dir, "migration-report.json"),
        log,
      });
      process.stdout.write(`${migrationReportMarkdown(report)}\n`);
      if (report.error)
        process.stderr.write(`ztoq: stopped before the end: ${report.error} (re-run the same command to resume)\n`);
      setExitCode(exitCode);
    });
}
