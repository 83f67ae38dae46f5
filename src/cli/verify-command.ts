import { join } from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../config/load.js";
import { settings } from "../config/settings.js";
import { createLogger } from "../log/logger.js";
import { verificationReportMarkdown } from "../report/verification-report.js";
import { verify } from "../verify/run.js";
import { settingOption } from "./setting-option.js";

interface VerifyFlags {
  config?: string;
  report?: string;
  failOn?: string;
}

export function registerVerifyCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("verify")
    .description("Compare the Zephyr Scale source with the qTest target, both read live; exit 1 when a threshold is exceeded")
    .addOption(settingOption(settings.config, "verify"))
    .addOption(settingOption(settings.report, "verify"))
    .addOption(settingOption(settings.failOn, "verify"))
    .action(async (flags: VerifyFlags) => {
      const config = await loadConfig({ ...(flags.config && { path: flags.config }) });
      const log = createLogger({ component: "verify" });
      const { report, exitCode } = await verify({
        config,
        failOn: flags.failOn,
        reportPath: flags.report ?? join(config.report.dir, "verification-report.json"),
        log,
      });
      process.stdout.write(`${verificationReportMarkdown(report)}\n`);
      setExitCode(exitCode);
    });
}
