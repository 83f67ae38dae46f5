import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { BadInputError } from "../../src/errors.js";
import { createLogger } from "../../src/log/logger.js";
import { migrate } from "../../src/migrate/run.js";
import { demoMapping, provisionDemoTarget } from "../../src/mock/demo-target.js";
import { type RunningMocks, startMocks } from "../../src/mock/start.js";
import { Progress } from "../../src/progress/progress.js";
import { verify } from "../../src/verify/run.js";
import { messageLines, runCli, writeYamlConfig } from "../support/cli.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";

/**
 * The dry run is a promise (README, `ztoq migrate`: "every status, priority, environment, user and
 * custom field value in use is resolved against the qTest project"): what it passes, the real run
 * writes without stopping on a mapping; what it refuses, the real run refuses too, before any write.
 */

const log = createLogger({ test: true });
log.level = "silent";

type Mapping = Awaited<ReturnType<typeof demoMapping>>;

/** Accounts (Atlassian account ids) as Zephyr holds them: as owners, and as the "Reviewer" user custom field. */
function accounts(mocks: RunningMocks) {
  const { store } = mocks.zephyr;
  const owners = new Set<string>();
  for (const item of [...store.testCases(), ...store.testCycles()]) if (item.owner?.accountId) owners.add(item.owner.accountId);
  const reviewers = new Set<string>();
  for (const testCase of store.testCases()) {
    const reviewer = testCase.customFields?.Reviewer;
    if (typeof reviewer === "string") reviewers.add(reviewer);
  }
  return { owners, reviewers, reviewerOnly: [...reviewers].filter((id) => !owners.has(id)).sort() };
}

const qtestWrites = (mocks: RunningMocks) => ({ writes: mocks.qtest.stats.writes, counts: mocks.qtest.store.counts() });

describe("a user who appears only in a user-type custom field", () => {
  const fixtures: MigrationFixture[] = [];
  afterEach(async () => {
    await Promise.all(fixtures.splice(0).map((f) => f.close()));
  });

  it("stops migrate --dry-run and migrate alike with exit 2 naming the user, nothing written; mapped, it migrates", async () => {
    const f = await migrationFixture({ generate: 20, seed: 5 });
    fixtures.push(f);
    const mapping = await demoMapping(f.mocks);
    const stranger = "5b10a2844c20165700edeff1";
    // Owns nothing and is no other case's reviewer: only this custom field carries the account.
    f.mocks.zephyr.store.createTestCase({
      projectKey: f.mocks.zephyr.projectKey,
      name: "Reviewed by a stranger",
      customFields: { Reviewer: stranger },
    });
    expect(accounts(f.mocks).reviewerOnly).toContain(stranger);
    const config = {
      zephyr: { rateLimit: 500, timeoutSeconds: 5 },
      qtest: { rateLimit: 500, timeoutSeconds: 5 },
      state: f.statePath,
      migration: { concurrency: 4, retries: 1 },
      mapping,
      report: { dir: f.dir },
    };
    const file = await writeYamlConfig(f.dir, config);
    const before = qtestWrites(f.mocks);

    for (const args of [["--dry-run"], []]) {
      const result = await runCli(["migrate", "--config", file, ...args], f.env);
      const message = messageLines(result.stderr).join("\n");
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(message).toMatch(
        new RegExp(`user '${stranger}' \\(used 1× in custom field 'Reviewer'\\): set mapping\\.users\\.${stranger}`),
      );
      expect(result.stderr).not.toMatch(/re-run the same command|\n\s+at /);
      expect(qtestWrites(f.mocks)).toEqual(before);
    }

    const reviewer = Object.values(mapping.users)[0] ?? "";
    await writeYamlConfig(f.dir, { ...config, mapping: { ...mapping, users: { ...mapping.users, [stranger]: reviewer } } });
    const mapped = await runCli(["migrate", "--config", file], f.env);
    expect({ code: mapped.code, stderr: messageLines(mapped.stderr) }).toEqual({ code: 0, stderr: [] });
    const users = (await (
      await fetch(`${f.mocks.qtest.url}/api/v3/projects/${f.mocks.qtest.projectId}/users`, {
        headers: { authorization: `bearer ${f.mocks.qtest.token}` },
      })
    ).json()) as { id: number; username: string }[];
    const field = f.mocks.qtest.store.fields("test-cases").find((candidate) => candidate.label === "Reviewer");
    const migrated = f.mocks.qtest.store
      .testCases(undefined, { expandSteps: false })
      .find((testCase) => testCase.name === "Reviewed by a stranger");
    expect(migrated?.properties?.find((p) => p.field_id === field?.id)?.field_value).toBe(
      String(users.find((user) => user.username === reviewer)?.id),
    );
  }, 60_000);
});

/**
 * Generated projects of every size the demo offers, seeds 1 to 10: the demo's own mapping passes the
 * dry run, and the same mapping without one account it needs fails the dry run and the real run alike,
 * naming the account, before any write. The real runs with the demo's mapping, then verification (the
 * path `ztoq demo` takes), cost seconds each: they run for every seed of the small projects, where an
 * account can hide in a single custom field value, and for the first seeds of the larger ones (the
 * whole test stays under a minute and a half on two cores).
 */
describe("the dry run's promise over generated projects", () => {
  const SEEDS = Array.from({ length: 10 }, (_, index) => index + 1);
  const REAL_RUNS: Record<number, readonly number[]> = {
    10: SEEDS,
    30: SEEDS,
    60: [1, 2, 3, 4, 5],
    100: [1, 2, 3],
    200: [1, 2, 3],
  };
  let reviewerOnlySeen = 0;

  afterAll(() => {
    // Without a project where some account is only a reviewer, the regression this guards would go untested.
    expect(reviewerOnlySeen).toBeGreaterThan(0);
  });

  it.each(Object.entries(REAL_RUNS).map(([size, real]) => [Number(size), real] as const))(
    "size %i, seeds 1-10",
    async (size, realRunSeeds) => {
      for (const seed of SEEDS) {
        const mocks = await startMocks({ generate: size, seed });
        const dir = await mkdtemp(join(tmpdir(), "ztoq-promise-"));
        try {
          await provisionDemoTarget(mocks);
          const mapping = await demoMapping(mocks);
          const run = async (runMapping: Mapping, dryRun: boolean, state: string) => {
            const config = await loadConfig({
              cwd: dir,
              env: {},
              overrides: {
                zephyr: {
                  url: mocks.zephyr.url,
                  token: mocks.zephyr.token,
                  projectKey: mocks.zephyr.projectKey,
                  rateLimit: 5000,
                },
                qtest: { url: mocks.qtest.url, token: mocks.qtest.token, projectId: mocks.qtest.projectId, rateLimit: 5000 },
                migration: { concurrency: 16 },
                state: join(dir, state),
                mapping: runMapping,
                report: { dir },
              },
            });
            const options = { config, mode: "full", dryRun, prune: false, log, progress: new Progress({ quiet: true }) } as const;
            return { config, result: await migrate({ ...options, reportPath: join(dir, `${state}.json`) }) };
          };
          const at = `size ${size}, seed ${seed}`;

          const dry = await run(mapping, true, "dry.db");
          expect({ at, code: dry.result.exitCode }).toEqual({ at, code: 0 });

          // One account the project needs, left out: a reviewer-only account when there is one.
          const { reviewerOnly } = accounts(mocks);
          if (reviewerOnly.length > 0) reviewerOnlySeen++;
          const mapped = Object.keys(mapping.users).sort();
          const missing = reviewerOnly[seed % Math.max(1, reviewerOnly.length)] ?? mapped[seed % mapped.length] ?? "";
          const { [missing]: _left, ...users } = mapping.users;
          const before = qtestWrites(mocks);
          const refusals: string[] = [];
          for (const dryRun of [true, false]) {
            const refused = await run({ ...mapping, users }, dryRun, dryRun ? "missing-dry.db" : "missing.db").then(
              () => undefined,
              (error: unknown) => error,
            );
            expect({ at, dryRun, refused: refused instanceof BadInputError }).toEqual({ at, dryRun, refused: true });
            refusals.push((refused as Error).message);
          }
          expect(refusals[0]).toContain(`user '${missing}'`);
          expect({ at, real: refusals[1] }).toEqual({ at, real: refusals[0] });
          expect({ at, qtest: qtestWrites(mocks) }).toEqual({ at, qtest: before });

          if (!realRunSeeds.includes(seed)) continue;
          const real = await run(mapping, false, "state.db");
          expect({
            at,
            code: real.result.exitCode,
            error: real.result.report.error,
            failed: real.result.report.totals.failed,
          }).toEqual({ at, code: 0, error: null, failed: 0 });
          const verification = await verify({ config: real.config, reportPath: join(dir, "verification.json"), log });
          expect({ at, verified: verification.exitCode }).toEqual({ at, verified: 0 });
        } finally {
          await mocks.stop();
          await rm(dir, { recursive: true, force: true });
        }
      }
    },
    120_000,
  );
});
