import { join } from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../config/load.js";
import { createLogger } from "../log/logger.js";
import { verificationReportMarkdown } from "../report/verification-report.js";
import { DEFAULT_FAIL_ON, METRICS } from "../verify/fail-on.js";
import { verify } from "../verify/run.js";

interface VerifyFlags {
  config?: string;
  report?: string;
  failOn?: string;
}

export function registerVerifyCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("verify")
    .description("Compare the Zephyr Scale source with the qTest target, both read live; exit 1 when a threshold is exceeded")
    .option("-c, --config <file>", "configuration file (default: ZTOQ_CONFIG or ./ztoq.config.yml if present)")
    .option("--report <file>", "where to write the JSON report (a Markdown twin goes beside it)")
    .option(
      "--fail-on <spec>",
      `thresholds, comma-separated metric>N (metrics: ${METRICS.join(", ")}; unnamed ones stay >0). Default: ${DEFAULT_FAIL_ON}`,
    )
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
