import { join } from "node:path";
import { createInterface } from "node:readline/promises";
import { type Command, Option } from "commander";
import { loadConfig } from "../config/load.js";
import { type Setting, settings } from "../config/settings.js";
import { BadInputError } from "../errors.js";
import { createLogger } from "../log/logger.js";
import { rollbackReportMarkdown } from "../rollback/report.js";
import { rollback } from "../rollback/run.js";
import { settingOption, waitSecondsFlag } from "./setting-option.js";

interface RollbackFlags {
  config?: string;
  state?: string;
  report?: string;
  dryRun?: boolean;
  yes?: boolean;
  waitSeconds?: string;
}

/** A flag exactly as the settings manifest spells and explains it. */
function manifestFlag(setting: Setting): Option {
  if (!setting.flag) throw new Error("settings.ts declares no flag for this setting");
  return new Option(setting.flag.flags, setting.flag.help);
}

export function registerRollbackCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("rollback")
    .description("Remove from the qTest project what ZTOQ created there (children first); what ZTOQ did not make stays")
    .addOption(manifestFlag(settings.config))
    .addOption(manifestFlag(settings.state))
    .addOption(manifestFlag(settings.report))
    .addOption(settingOption(settings.waitSeconds, "rollback"))
    .option("--dry-run", "list what would be removed and what stays; delete nothing")
    .option("-y, --yes", "delete without asking (needed where there is no terminal to ask on, as in CI)")
    .action(async (flags: RollbackFlags) => {
      const interactive = Boolean(process.stdin.isTTY);
      if (!flags.dryRun && !flags.yes && !interactive) {
        throw new BadInputError("rollback deletes from qTest and there is no terminal to confirm on: pass --yes (or --dry-run)");
      }
      const config = await loadConfig({
        ...(flags.config && { path: flags.config }),
        // A rollback reads nothing from Zephyr: its token may be absent.
        env: { ...process.env, ZTOQ_ZEPHYR_TOKEN: process.env.ZTOQ_ZEPHYR_TOKEN || "unused" },
        overrides: { ...(flags.state && { state: flags.state }), migration: { waitSeconds: waitSecondsFlag(flags.waitSeconds) } },
      });
      const log = createLogger({ component: "rollback" });
      const { report, exitCode } = await rollback({
        config,
        dryRun: Boolean(flags.dryRun),
        confirm: flags.yes || flags.dryRun ? undefined : ask,
        reportPath: flags.report ?? join(config.report.dir, "rollback-report.json"),
        log,
      });
      process.stdout.write(`${rollbackReportMarkdown(report)}\n`);
      if (report.error)
        process.stderr.write(`ztoq: stopped before the end: ${report.error} (re-run the same command to finish)\n`);
      setExitCode(exitCode);
    });
}

/** Asks on the terminal; only `y` or `yes` goes ahead (the default is no, and so are Ctrl-C and Ctrl-D). */
async function ask(summary: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  // An ended input or Ctrl-C closes the question, which would otherwise wait forever.
  const closed = new Promise<string>((resolve) => terminal.once("close", () => resolve("")));
  terminal.on("SIGINT", () => terminal.close());
  try {
    const answer = await Promise.race([terminal.question(`${summary} [y/N] `), closed]);
    const yes = /^\s*y(es)?\s*$/i.test(answer);
    if (!yes) process.stderr.write("Nothing deleted.\n");
    return yes;
  } finally {
    terminal.close();
  }
}
