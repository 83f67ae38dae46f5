import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { migrationReportSchema } from "../../src/report/migration-report.js";
import { parseWorkflowCommands } from "../support/action-runner.js";
import { createTestDatabase, postgresAvailable, type TestDatabase } from "../support/postgres.js";
import {
  describeRun,
  MIGRATE_ACTION,
  onlyArtifact,
  type Stage,
  type StepRun,
  startStage,
  targetCounts,
  VERIFY_ACTION,
} from "./harness.js";

/**
 * The README's matrix through the bundled actions: two migrate steps with `shard: i/2` against one
 * PostgreSQL state store, as two matrix jobs run them, then one verify. Each matrix job has a workspace
 * of its own; here they share one, so each shard gets a config of its own that puts its reports apart.
 */

const available = await postgresAvailable();
const required = Boolean(process.env.CI) || process.env.ZTOQ_REQUIRE_POSTGRES === "1";

describe.skipIf(!available && !required)("the migrate action as a matrix of shards", () => {
  let stage: Stage;
  let database: TestDatabase;
  let before: Record<string, number>;

  beforeAll(async () => {
    stage = await startStage({ generate: 40, seed: 7 });
    database = await createTestDatabase();
    const base = YAML.parse(await readFile(join(stage.workspace, "ztoq.config.yml"), "utf8"));
    for (const shard of [1, 2]) {
      const config = { ...base, report: { dir: `shard-${shard}` } };
      await writeFile(join(stage.workspace, `shard-${shard}.yml`), YAML.stringify(config));
    }
    before = targetCounts(stage.mocks);
  }, 60_000);
  afterAll(async () => {
    await stage?.close();
    await database?.drop();
  });

  const errors = (run: StepRun) =>
    parseWorkflowCommands(run)
      .filter((c) => c.command === "error")
      .map((c) => c.message);

  it("refuses a shard outside 1..n, and a shard without a shared state store: exit 2, nothing written", async () => {
    const outOfRange = await stage.run(MIGRATE_ACTION, { inputs: { shard: "3/2", state: database.url } });
    expect(outOfRange.exitCode, describeRun(outOfRange)).toBe(2);
    expect(errors(outOfRange)).toEqual(['Input shard takes i/n with 1 ≤ i ≤ n ≤ 1000, e.g. 2/4; got "3/2".']);

    const sqlite = await stage.run(MIGRATE_ACTION, { inputs: { shard: "1/2" } });
    expect(sqlite.exitCode, describeRun(sqlite)).toBe(2);
    expect(errors(sqlite)).toHaveLength(1);
    expect(errors(sqlite)[0]).toMatch(/^Shard 1\/2 needs a state store every shard shares: .* postgres:\/\/ URL/);
    expect(targetCounts(stage.mocks)).toEqual(before);
  }, 60_000);

  it("two shards at once migrate everything once; verify then passes", async () => {
    const runs = await Promise.all(
      [1, 2].map((shard) =>
        stage.run(MIGRATE_ACTION, {
          inputs: {
            config: `shard-${shard}.yml`,
            state: database.url,
            shard: `${shard}/2`,
            "report-name": `ztoq-migration-shard-${shard}`,
          },
        }),
      ),
    );
    for (const [i, run] of runs.entries()) {
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs.status).toBe("succeeded");
      // Reports only: a PostgreSQL state has no file to upload.
      const { artifact, files } = onlyArtifact(run);
      expect(artifact.name).toBe(`ztoq-migration-shard-${i + 1}`);
      const dir = `shard-${i + 1}`;
      expect([...files.keys()].sort()).toEqual([`${dir}/migration-report.json`, `${dir}/migration-report.md`]);
      const report = migrationReportSchema.parse(JSON.parse(files.get(`${dir}/migration-report.json`)?.toString("utf8") ?? ""));
      expect(report.run.shard).toBe(`${i + 1}/2`);
      expect(run.outputs["report-path"]).toBe(join(dir, "migration-report.json"));
    }
    // Every created entity was created by exactly one of the shards.
    const created = runs.reduce((sum, run) => sum + Number(run.outputs.created), 0);
    const after = targetCounts(stage.mocks);
    const grew = Object.entries(after).reduce((sum, [key, n]) => sum + (n - (before[key] ?? 0)), 0);
    expect(created).toBe(grew);

    const verify = await stage.run(VERIFY_ACTION);
    expect(verify.exitCode, describeRun(verify)).toBe(0);
    expect(verify.outputs.result).toBe("passed");
  }, 120_000);
});
