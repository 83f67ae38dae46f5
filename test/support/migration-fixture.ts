import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type ResolvedConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/log/logger.js";
import { migrate } from "../../src/migrate/run.js";
import { generateProject } from "../../src/mock/dataset/generate.js";
import { demoMapping, provisionDemoTarget } from "../../src/mock/demo-target.js";
import { type MockOptions, mockEnvironment, type RunningMocks, startMocks } from "../../src/mock/start.js";
import { Progress } from "../../src/progress/progress.js";
import type { VerificationReport } from "../../src/report/verification-report.js";
import { verify } from "../../src/verify/run.js";
import type { Snapshot } from "../../src/zephyr/snapshot.js";

export interface MigrationFixture {
  mocks: RunningMocks;
  dir: string;
  statePath: string;
  config: ResolvedConfig;
  /** Environment variables that point the CLI at these mocks (for child-process runs). */
  env: Record<string, string>;
  /** `verify` of this fixture's source and target, in process, its report written in the fixture's directory. */
  verify(): Promise<VerificationReport>;
  run(options?: {
    mode?: "full" | "incremental";
    prune?: boolean;
    dryRun?: boolean;
    reconcile?: boolean;
  }): ReturnType<typeof migrate>;
  close(): Promise<void>;
}

/**
 * Mocks with a generated project, a provisioned qTest target, a temp dir with the SQLite state.
 * `into`: another fixture whose qTest mock this one migrates into — a second Zephyr project (give it a
 * `projectKey` of its own) with its own state and Zephyr mock, one qTest project for both. Its own
 * qTest mock then stands idle.
 */
export async function migrationFixture(
  options: MockOptions & { rateLimit?: number; concurrency?: number; into?: MigrationFixture } = {},
): Promise<MigrationFixture> {
  const own = await startMocks({ generate: 60, seed: 5, ...options });
  const shared = options.into?.mocks;
  const mocks: RunningMocks = shared
    ? {
        ...own,
        qtest: shared.qtest,
        describe: () => ({ zephyr: own.describe().zephyr, qtest: shared.describe().qtest, jira: own.describe().jira }),
      }
    : own;
  await provisionDemoTarget(mocks);
  const dir = await mkdtemp(join(tmpdir(), "ztoq-migrate-"));
  const statePath = join(dir, "state.db");
  const env = {
    ...mockEnvironment(mocks),
    ZTOQ_STATE: statePath,
  };
  const config = await loadConfig({
    cwd: dir,
    env,
    overrides: {
      mapping: await demoMapping(mocks),
      migration: { concurrency: options.concurrency ?? 4, retries: 6 },
      zephyr: { rateLimit: options.rateLimit ?? 500, timeoutSeconds: 5 },
      qtest: { rateLimit: options.rateLimit ?? 500, timeoutSeconds: 5 },
      report: { dir },
    },
  });
  const log = createLogger({ test: true });
  log.level = "warn";
  return {
    mocks,
    dir,
    statePath,
    config,
    env,
    run: (run = {}) =>
      migrate({
        config,
        mode: run.mode ?? "full",
        dryRun: run.dryRun ?? false,
        prune: run.prune ?? false,
        reconcile: run.reconcile ?? false,
        reportPath: join(dir, "migration-report.json"),
        log,
        progress: new Progress({ quiet: true }),
      }),
    verify: async () =>
      (
        await verify({
          config,
          reportPath: join(dir, "verification-report.json"),
          log,
          progress: new Progress({ quiet: true }),
        })
      ).report,
    close: async () => {
      await own.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A generated project in which Zephyr gave some executions no key — every one outside a cycle and every
 * fifth — so their logs are marked `<project key>-execution-<id>`. Execution ids do not depend on the
 * project key: two such projects share them, and only the project key tells their logs apart.
 */
export function keylessExecutions(options: { testCases: number; seed: number; projectKey: string }): Snapshot {
  const snapshot = generateProject(options);
  for (const [i, execution] of snapshot.testExecutions.entries()) {
    if (!execution.testCycle || i % 5 === 0) execution.key = null;
  }
  return snapshot;
}
