import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../config/load.js";
import { BadInputError, ExitCode } from "../errors.js";
import { createLogger, logLevel } from "../log/logger.js";
import { migrate } from "../migrate/run.js";
import { demoMappingFromStores, provisionDemoStore } from "../mock/demo-target.js";
import { startMocks } from "../mock/start.js";
import { migrationReportMarkdown } from "../report/migration-report.js";
import { migrationReportText } from "../report/migration-text.js";
import { verificationReportMarkdown } from "../report/verification-markdown.js";
import { verificationReportText } from "../report/verification-text.js";
import { verify } from "../verify/run.js";
import { prepareWritableFile } from "../writable-file.js";
import { MOCK_LIMITS, numberOption } from "./options.js";

interface DemoFlags {
  generate: number;
  seed: number;
  dir: string;
}

/**
 * The main job on the embedded default, with nothing to set up: the mocks with a generated project,
 * a migration with SQLite state, a verification of both live APIs, the reports left on disk.
 */
export function registerDemoCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("demo")
    .description("Start the mocks with a generated project, migrate it with SQLite state, verify it, print the summary")
    .option(
      "--generate <n>",
      "about how many test cases the generated project has",
      numberOption("--generate", MOCK_LIMITS.generate),
      200,
    )
    .option("--seed <s>", "seed of the generated project", numberOption("--seed", MOCK_LIMITS.seed), 1)
    // Under .ztoq/, with the default state and reports: one folder a repository ignores, not a new one.
    .option("--dir <dir>", "where the state file and the reports go", ".ztoq/demo")
    .action(async (flags: DemoFlags) => {
      const dir = resolve(flags.dir);
      // Before the mocks start: the state file and the reports go in this directory.
      const problem = prepareWritableFile(join(dir, "state.db"));
      if (problem) {
        const what = problem.kind === "directory" ? `${join(dir, "state.db")} is a directory, not a file` : problem.message;
        throw new BadInputError(`--dir ${flags.dir}: ${what}`);
      }
      const log = createLogger({ component: "demo" });
      log.level = logLevel(process.env.ZTOQ_LOG_LEVEL) ?? "warn";
      // A fresh store each time: the mocks start empty, so an earlier demo's state would point at nothing.
      for (const file of ["state.db", "state.db-wal", "state.db-shm"]) await rm(join(dir, file), { force: true });
      const mocks = await startMocks({ generate: flags.generate, seed: flags.seed });
      try {
        process.stderr.write(
          `Mocks: Zephyr ${mocks.zephyr.url} (project ${mocks.zephyr.projectKey}), qTest ${mocks.qtest.url}, Jira ${mocks.jira.url}\n`,
        );
        provisionDemoStore(mocks);
        const config = await loadConfig({
          cwd: dir,
          env: {},
          overrides: {
            // No rate limit: the demo paces itself as a run without one does, finding what the mocks allow.
            zephyr: { url: mocks.zephyr.url, token: mocks.zephyr.token, projectKey: mocks.zephyr.projectKey },
            qtest: { url: mocks.qtest.url, token: mocks.qtest.token, projectId: mocks.qtest.projectId },
            jira: { url: mocks.jira.url, email: mocks.jira.email, token: mocks.jira.token },
            state: join(dir, "state.db"),
            // The Jira issues qTest lacks become requirements, so every link the mocks can resolve is made.
            mapping: { ...demoMappingFromStores(mocks), requirements: { create: true } },
            report: { dir },
          },
        });
        const migration = await migrate({
          config,
          mode: "full",
          dryRun: false,
          prune: false,
          reportPath: join(dir, "migration-report.json"),
          log,
        });
        const terminal = Boolean(process.stdout.isTTY);
        process.stdout.write(`${terminal ? migrationReportText(migration.report) : migrationReportMarkdown(migration.report)}\n`);
        if (migration.exitCode !== ExitCode.ok) {
          setExitCode(migration.exitCode);
          return;
        }
        const verification = await verify({ config, reportPath: join(dir, "verification-report.json"), log });
        process.stdout.write(
          `${terminal ? verificationReportText(verification.report) : verificationReportMarkdown(verification.report)}\n`,
        );
        process.stdout.write(
          `Reports: ${join(dir, "migration-report.{json,md}")}, ${join(dir, "verification-report.{json,md}")}\n`,
        );
        setExitCode(verification.exitCode);
      } finally {
        await mocks.stop();
      }
    });
}
