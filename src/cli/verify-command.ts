import type { Command } from "commander";
import { loadConfig } from "../config/load.js";
import { settings } from "../config/settings.js";
import { createLogger } from "../log/logger.js";
import { verificationReportMarkdown } from "../report/verification-markdown.js";
import { verificationReportText } from "../report/verification-text.js";
import { verify } from "../verify/run.js";
import { settingOption } from "./setting-option.js";

interface VerifyFlags {
  config?: string;
  report?: string;
  failOn?: string;
  checks?: string;
  logFormat?: "json" | "text";
  logFile?: string;
}

export function registerVerifyCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("verify")
    .description(
      "Compare the Zephyr Scale source with the qTest target, both read live — or run the checks of a checks file (sql, http, script); exit 1 when a threshold is exceeded",
    )
    .addOption(settingOption(settings.config, "verify"))
    .addOption(settingOption(settings.report, "verify"))
    .addOption(settingOption(settings.failOn, "verify"))
    .addOption(settingOption(settings.checks, "verify"))
    .addOption(settingOption(settings.logFormat, "verify"))
    .addOption(settingOption(settings.logFile, "verify"))
    .action(async (flags: VerifyFlags) => {
      const load = () => loadConfig({ ...(flags.config && { path: flags.config }) });
      const log = createLogger({ component: "verify" }, undefined, { format: flags.logFormat, file: flags.logFile });
      const { report, exitCode } = await verify({
        // A checks file without a zephyr-qtest check needs no ZTOQ configuration at all.
        config: flags.checks ? load : await load(),
        checksFile: flags.checks,
        failOn: flags.failOn,
        reportPath: flags.report,
        log,
      });
      // A person reads a terminal; whatever reads a pipe (a job summary, a file) gets the Markdown.
      process.stdout.write(`${process.stdout.isTTY ? verificationReportText(report) : verificationReportMarkdown(report)}\n`);
      setExitCode(exitCode);
    });
}
