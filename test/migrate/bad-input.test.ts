import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { demoMapping } from "../../src/mock/demo-target.js";
import { type CliResult, closedPort, messageLines, runCli, writeYamlConfig } from "../support/cli.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";

/**
 * Bad input through the bundled CLI, as a user meets it: the exit code (2 bad input, 3 could not
 * finish), one clear message on stderr naming what is wrong (and what is allowed), no stack trace,
 * and nothing written to qTest — not even the fields ZTOQ would create in preflight.
 */

const fixtures: MigrationFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

beforeAll(() => {
  expect(existsSync(join(import.meta.dirname, "..", "..", "dist", "cli.js")), "dist/cli.js: run `npm run build` first").toBe(
    true,
  );
});

interface Setup {
  f: MigrationFixture;
  /** A valid configuration; tests break one thing in it. */
  config: Record<string, unknown>;
  /** qTest as the admin left it: field labels per object type, and the writes so far. */
  before: { fields: Record<string, string[]>; writes: number };
}

const fieldLabels = (f: MigrationFixture) =>
  Object.fromEntries(
    ["test-cases", "test-suites", "test-runs"].map((type) => [
      type,
      f.mocks.qtest.store.fields(type).map((field) => field.label),
    ]),
  );

async function setUp(): Promise<Setup> {
  // Seed 5: one of the two cycles has the status "Not Executed".
  const f = await migrationFixture({ generate: 20, seed: 5 });
  fixtures.push(f);
  const config = {
    zephyr: { rateLimit: 500, timeoutSeconds: 5 },
    qtest: { rateLimit: 500, timeoutSeconds: 5 },
    state: f.statePath,
    migration: { concurrency: 4, retries: 1 },
    mapping: await demoMapping(f.mocks),
    report: { dir: f.dir },
  };
  return { f, config, before: { fields: fieldLabels(f), writes: f.mocks.qtest.stats.writes } };
}

async function migrate(setup: Setup, options: { config?: unknown; env?: Record<string, string>; args?: string[] } = {}) {
  const file = await writeYamlConfig(setup.f.dir, options.config ?? setup.config);
  return runCli(["migrate", "--config", file, ...(options.args ?? [])], { ...setup.f.env, ...options.env });
}

/** Nothing reached qTest: no object, no field, no successful write of any kind. */
function expectNothingWritten(setup: Setup) {
  const { f, before } = setup;
  expect(f.mocks.qtest.store.counts()).toEqual({
    modules: 0,
    testCases: 0,
    testCycles: 0,
    testSuites: 0,
    testRuns: 0,
    testLogs: 0,
    attachments: 0,
  });
  expect(fieldLabels(f)).toEqual(before.fields);
  expect(f.mocks.qtest.stats.writes).toBe(before.writes);
}

/** The exit code, and exactly one message line (starting `ztoq:`) matching `message`; no stack trace. */
function expectOneLineError(result: CliResult, code: number, message: RegExp): string {
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stdout).not.toMatch(/\n\s+at /);
  const lines = messageLines(result.stderr);
  expect({ code: result.code, lines }).toEqual({ code, lines: [expect.stringMatching(/^ztoq: /)] });
  const [line = ""] = lines;
  expect(line).toMatch(message);
  return line;
}

describe("bad input through the CLI", () => {
  it("an unmapped status: exit 2 naming the value and the allowed qTest values, nothing written", async () => {
    const setup = await setUp();
    const statuses = setup.f.mocks.zephyr.store.statuses();
    const used = setup.f.mocks.zephyr.store.testCycles().map((c) => statuses.find((s) => s.id === c.status.id)?.name);
    expect(used).toContain("Not Executed");

    const mapping = setup.config.mapping as { statuses: Record<string, Record<string, string>> };
    const result = await migrate(setup, {
      config: { ...setup.config, mapping: { ...mapping, statuses: { ...mapping.statuses, testCycle: {} } } },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const lines = messageLines(result.stderr);
    expect(lines[0]).toMatch(/^ztoq: /);
    const message = lines.join("\n");
    const problem = lines.find((line) => line.includes("Not Executed")) ?? "";
    expect(problem).toMatch(/test cycle status/i);
    for (const allowed of ["New", "In Progress", "Done"]) expect(problem).toContain(allowed);
    expect(message).toContain("mapping.statuses.testCycle");
    expectNothingWritten(setup);
  }, 30_000);

  it("values mapped to labels qTest does not have: all listed at once, each with the allowed values", async () => {
    const setup = await setUp();
    const mapping = setup.config.mapping as { statuses: Record<string, Record<string, string>> };
    const result = await migrate(setup, {
      config: {
        ...setup.config,
        mapping: {
          ...mapping,
          statuses: { ...mapping.statuses, testCycle: { "Not Executed": "Planned" }, testExecution: { Pass: "Succeeded" } },
        },
      },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const lines = messageLines(result.stderr);
    const cycle = lines.find((line) => line.includes("'Not Executed'") && /cycle/i.test(line)) ?? "";
    expect(cycle).toMatch(/New.*In Progress.*Done/);
    const execution = lines.find((line) => line.includes("'Pass'")) ?? "";
    expect(execution).toMatch(/Passed/);
    expect(execution).toMatch(/Unexecuted/);
    expectNothingWritten(setup);
  }, 30_000);

  it("a wrong Zephyr token: exit 2, one line naming Zephyr, the token not shown", async () => {
    const setup = await setUp();
    const token = `wrong-${randomBytes(6).toString("hex")}`;
    const result = await migrate(setup, { env: { ZTOQ_ZEPHYR_TOKEN: token } });
    const line = expectOneLineError(result, 2, /zephyr/i);
    expect(line).toMatch(/token/i);
    expect(line).not.toMatch(/qtest/i);
    expect(result.stderr + result.stdout).not.toContain(token);
    expectNothingWritten(setup);
  }, 30_000);

  it("a wrong qTest token: exit 2, one line naming qTest, the token not shown", async () => {
    const setup = await setUp();
    const token = `wrong${randomBytes(6).toString("hex")}`;
    const result = await migrate(setup, { env: { ZTOQ_QTEST_TOKEN: token } });
    const line = expectOneLineError(result, 2, /qtest/i);
    expect(line).toMatch(/token/i);
    expect(line).not.toMatch(/zephyr/i);
    expect(result.stderr + result.stdout).not.toContain(token);
    expectNothingWritten(setup);
  }, 30_000);

  it("a wrong qTest username/password: exit 2, one line naming qTest, the password not shown", async () => {
    const setup = await setUp();
    const password = `wrong-${randomBytes(6).toString("hex")}`;
    const result = await migrate(setup, {
      env: { ZTOQ_QTEST_TOKEN: "", ZTOQ_QTEST_USERNAME: setup.f.mocks.qtest.username, ZTOQ_QTEST_PASSWORD: password },
    });
    expectOneLineError(result, 2, /qtest/i);
    expect(result.stderr + result.stdout).not.toContain(password);
    expectNothingWritten(setup);
  }, 30_000);

  it("an unknown Zephyr project key: exit 2, one line naming Zephyr and the key", async () => {
    const setup = await setUp();
    const result = await migrate(setup, { env: { ZTOQ_ZEPHYR_PROJECT: "NOPE" } });
    const line = expectOneLineError(result, 2, /zephyr/i);
    expect(line).toContain("NOPE");
    expectNothingWritten(setup);
  }, 30_000);

  it("an unknown qTest project id: exit 2, one line naming qTest and the id", async () => {
    const setup = await setUp();
    const result = await migrate(setup, { env: { ZTOQ_QTEST_PROJECT: "987654" } });
    const line = expectOneLineError(result, 2, /qtest/i);
    expect(line).toContain("987654");
    expectNothingWritten(setup);
  }, 30_000);

  it("an unreachable qTest host: exit 3 (could not finish, safe to re-run)", async () => {
    const setup = await setUp();
    const port = await closedPort();
    const result = await migrate(setup, { env: { ZTOQ_QTEST_URL: `http://127.0.0.1:${port}` } });
    expectOneLineError(result, 3, new RegExp(`127\\.0\\.0\\.1:${port}`));
    expectNothingWritten(setup);
    const report = JSON.parse(await readFile(join(setup.f.dir, "migration-report.json"), "utf8")) as {
      status: string;
      error: string;
    };
    expect(report.status).toBe("incomplete");
    expect(report.error).toContain(String(port));
  }, 30_000);

  it("an unreachable Zephyr host: exit 3", async () => {
    const setup = await setUp();
    const port = await closedPort();
    const result = await migrate(setup, { env: { ZTOQ_ZEPHYR_URL: `http://127.0.0.1:${port}/v2` } });
    expectOneLineError(result, 3, new RegExp(`127\\.0\\.0\\.1:${port}`));
    expectNothingWritten(setup);
  }, 30_000);

  it("a config file with a YAML syntax error: exit 2 naming the file and the line", async () => {
    const setup = await setUp();
    const file = join(setup.f.dir, "broken.yml");
    await writeFile(file, "migration:\n  concurrency: 4\nmapping:\n  statuses: [testCase\nreport:\n  dir: x\n");
    const result = await runCli(["migrate", "--config", file], setup.f.env);
    const line = expectOneLineError(result, 2, /broken\.yml/);
    expect(line).toMatch(/line \d+/);
    expectNothingWritten(setup);
  }, 30_000);

  it("a config file with an unknown key: exit 2 naming the field", async () => {
    const setup = await setUp();
    const result = await migrate(setup, { config: { ...setup.config, migration: { concurency: 4 } } });
    const line = expectOneLineError(result, 2, /migration\.concurency/);
    expect(line).toMatch(/concurrency/);
    expectNothingWritten(setup);
  }, 30_000);

  it("a corrupt state file (random bytes): exit 2 with a clear message, the file unchanged", async () => {
    const setup = await setUp();
    const bytes = randomBytes(8192);
    await writeFile(setup.f.statePath, bytes);
    const result = await migrate(setup);
    const line = expectOneLineError(result, 2, /state/i);
    expect(line).toContain(setup.f.statePath);
    expect(Buffer.compare(await readFile(setup.f.statePath), bytes)).toBe(0);
    expectNothingWritten(setup);

    // `ztoq status` refuses it the same way.
    const status = await runCli(["status", "--state", setup.f.statePath], setup.f.env);
    expectOneLineError(status, 2, /not a readable SQLite database/);
    expect(Buffer.compare(await readFile(setup.f.statePath), bytes)).toBe(0);
  }, 30_000);

  it("a foreign SQLite file as the state: exit 2 with a clear message, the file unchanged", async () => {
    const setup = await setUp();
    const db = new DatabaseSync(setup.f.statePath);
    db.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Zoë'), ('Omar');");
    db.close();
    const bytes = await readFile(setup.f.statePath);
    const result = await migrate(setup);
    const line = expectOneLineError(result, 2, /state/i);
    expect(line).toContain(setup.f.statePath);
    expect(line).toMatch(/not a ZTOQ state/i);
    expect(Buffer.compare(await readFile(setup.f.statePath), bytes)).toBe(0);
    const check = new DatabaseSync(setup.f.statePath, { readOnly: true });
    expect(
      check
        .prepare("SELECT name FROM customers ORDER BY id")
        .all()
        .map((row) => row.name),
    ).toEqual(["Zoë", "Omar"]);
    check.close();
    expectNothingWritten(setup);

    const status = await runCli(["status", "--state", setup.f.statePath], setup.f.env);
    expectOneLineError(status, 2, /not a ZTOQ state/i);
    expect(Buffer.compare(await readFile(setup.f.statePath), bytes)).toBe(0);
  }, 30_000);

  it("--dry-run: exit 0, nothing written to qTest (not even the marker fields), a dry-run report", async () => {
    const setup = await setUp();
    const report = join(setup.f.dir, "dry-run-report.json");
    const result = await migrate(setup, { args: ["--dry-run", "--report", report] });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect({ code: result.code, messages: messageLines(result.stderr) }).toEqual({ code: 0, messages: [] });
    expectNothingWritten(setup);
    const written = JSON.parse(await readFile(report, "utf8")) as {
      status: string;
      run: { dryRun: boolean };
      preflight: { fieldsCreated: string[]; sourceCounts: Record<string, number> };
    };
    expect(written.status).toBe("dry-run");
    expect(written.run.dryRun).toBe(true);
    // What a real run would create is listed, but was not created.
    expect(written.preflight.fieldsCreated).toEqual(expect.arrayContaining(["test-cases: Zephyr Key"]));
    expect(written.preflight.sourceCounts.testCases).toBe(setup.f.mocks.zephyr.store.testCases().length);
  }, 30_000);
});
