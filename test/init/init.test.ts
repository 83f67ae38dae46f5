import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { type ConfigFile, configFileSchema } from "../../src/config/schema.js";
import { demoMapping } from "../../src/mock/demo-target.js";
import { mockEnvironment, type RunningMocks, startMocks } from "../../src/mock/start.js";
import { messageLines, runCli } from "../support/cli.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";

/**
 * `ztoq init` as a user runs it: against the mocks, through the bundled CLI, and then the file it
 * wrote, unedited, used by `ztoq migrate` and `ztoq verify`.
 */

beforeAll(() => {
  // The child processes run the bundle: it must be the current source (`npm run build`).
  expect(existsSync(join(import.meta.dirname, "..", "..", "dist", "cli.js")), "dist/cli.js: run `npm run build` first").toBe(
    true,
  );
});

async function readProposal(path: string): Promise<{ text: string; config: ConfigFile }> {
  const text = await readFile(path, "utf8");
  return { text, config: configFileSchema.parse(YAML.parse(text)) };
}

describe("ztoq init on a qTest project nobody prepared", () => {
  let mocks: RunningMocks;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    // No provisionDemoTarget: qTest has none of the generated project's custom fields.
    mocks = await startMocks({ generate: 30, seed: 1 });
    dir = await mkdtemp(join(tmpdir(), "ztoq-init-"));
    env = { ...mockEnvironment(mocks), ZTOQ_STATE: join(dir, "state.db") };
  });
  afterAll(async () => {
    await mocks?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes a complete configuration that migrate and verify take unedited", { timeout: 180_000 }, async () => {
    const init = await runCli(["init"], env, { cwd: dir });
    expect(messageLines(init.stderr)).toEqual([]);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^wrote ztoq\.config\.yml; .*8 custom field\(s\) preflight creates; 8 account\(s\)/);
    const file = join(dir, "ztoq.config.yml");
    const { text, config } = await readProposal(file);
    expect(config.zephyr).toMatchObject({ url: mocks.zephyr.url, projectKey: mocks.zephyr.projectKey });
    expect(config.qtest).toMatchObject({ url: mocks.qtest.url, projectId: mocks.qtest.projectId });
    expect(text).not.toContain(mocks.zephyr.token);
    expect(text).not.toContain(mocks.qtest.token);
    expect(config.mapping.customFields).toEqual({
      "Build Number": { field: "Build Number", type: "number", create: true },
      "Release Date": { field: "Release Date", type: "date", create: true },
      "Pre-Condition(s)": { field: "Pre-Condition(s)", type: "richtext", create: true },
      Implemented: { field: "Implemented", type: "checkbox", create: true },
      Category: { field: "Category", type: "select", create: true },
      Platforms: { field: "Platforms", type: "multiselect", create: true },
      Reviewer: { field: "Reviewer", type: "user", create: true },
      "Effort (days)": { field: "Effort (days)", type: "number", create: true },
    });
    // Zephyr names only account ids, and no qTest user carries one.
    expect(config.mapping.unmappedUsers).toBe("keep");
    expect(config.mapping.users).toEqual({});
    expect(text.match(/^ {2}# {3}"5b10a2844c20165700ede2[0-9a-f]{2}": ""/gm)).toHaveLength(8);
    // qTest's Environment has no 'iOS 18', and nothing is close: preflight adds it.
    expect(config.mapping.createMissingValues).toBe(true);
    expect(config.mapping.environments).not.toHaveProperty("iOS 18");
    expect(text).toMatch(/# 'iOS 18' \(used \d+×\): no close value in Environment of test-runs; left out, so preflight adds it/);
    expect(config.mapping.priorities).toEqual({ Critical: "Urgent", High: "High", Normal: "Medium", Low: "Low" });
    expect(config.mapping.statuses.testExecution).toEqual({
      "Not Executed": "Unexecuted",
      "In Progress": "Incomplete",
      Pass: "Passed",
      Fail: "Failed",
      Blocked: "Blocked",
    });

    const migrate = await runCli(["migrate", "--config", file], env, { cwd: dir });
    expect(migrate.stderr).not.toMatch(/\n\s+at /);
    expect(migrate.code, messageLines(migrate.stderr).join("\n")).toBe(0);
    const verify = await runCli(["verify", "--config", file], env, { cwd: dir });
    expect(verify.code, verify.stdout).toBe(0);
  });

  it("refuses to overwrite an existing file without --force, and overwrites it with", { timeout: 60_000 }, async () => {
    const file = join(dir, "mine.yml");
    await writeFile(file, "# mine\n");
    const refused = await runCli(["init", "--output", "mine.yml"], env, { cwd: dir });
    expect(refused.code).toBe(2);
    expect(messageLines(refused.stderr)).toEqual(["ztoq: mine.yml already exists; pass --force to overwrite it"]);
    expect(await readFile(file, "utf8")).toBe("# mine\n");

    const forced = await runCli(["init", "--output", "mine.yml", "--force"], env, { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect((await readProposal(file)).config.zephyr.projectKey).toBe(mocks.zephyr.projectKey);
  });
});

describe("ztoq init on a qTest project ZTOQ already migrated into", () => {
  let f: MigrationFixture;
  beforeAll(async () => {
    // Provisioned and migrated with the demo's mapping, whose cycle status, environment and users no name matches.
    f = await migrationFixture();
    const run = await f.run();
    expect(run.exitCode).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it("reproduces the statuses, priorities, environments and users the migration used", { timeout: 120_000 }, async () => {
    const init = await runCli(["init"], f.env, { cwd: f.dir });
    expect(messageLines(init.stderr)).toEqual([]);
    expect(init.code).toBe(0);
    const file = join(f.dir, "ztoq.config.yml");
    const { text, config } = await readProposal(file);
    const demo = await demoMapping(f.mocks);
    const { mapping } = config;
    expect(mapping.statuses.testCycle["Not Executed"]).toBe(demo.statuses.testCycle["Not Executed"]);
    expect(mapping.environments["iOS 18"]).toBe(demo.environments["iOS 18"]);
    expect(mapping.users).toEqual(demo.users);
    expect(mapping.statuses.testCase).toEqual({ Draft: "New", Approved: "Approved", Deprecated: "Obsolete" });
    expect(mapping.priorities).toEqual({ Critical: "Urgent", High: "High", Normal: "Medium", Low: "Low" });
    expect(mapping.unmappedUsers).toBe("fail");
    expect(mapping.createMissingValues).toBe(false);
    expect(text).toMatch(/Not Executed: New # as migrated \(\d+×\)/);
    expect(text).toMatch(/"as migrated": what the 60 test cases, \d+ test suites and \d+ test logs ZTOQ/);
    // The fields the demo provisioned are used, none created.
    expect(Object.values(mapping.customFields).some((c) => "create" in c)).toBe(false);
    expect(mapping.customFields.Implemented).toEqual({ field: "Implemented", type: "select" });

    // The migrated project is exactly what this configuration expects.
    const verify = await runCli(["verify", "--config", file], f.env, { cwd: f.dir });
    expect(verify.code, verify.stdout).toBe(0);
  });
});
