import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { demoMapping, provisionDemoTarget } from "../../src/mock/demo-target.js";
import { mockEnvironment, type RunningMocks, startMocks } from "../../src/mock/start.js";
import { FieldDataType } from "../../src/qtest/field-data-type.js";
import type { MigrationReport } from "../../src/report/migration-report.js";
import type { VerificationReport } from "../../src/report/verification-report.js";
import { messageLines, runCli, writeYamlConfig } from "../support/cli.js";

/**
 * Preflight creates what qTest lacks when the configuration says so — custom fields marked
 * `create: true`, missing allowed values with `mapping.createMissingValues` — keeps accounts with no
 * qTest user with `mapping.unmappedUsers: keep`, and says in a dry run what it would create and how
 * long the migration will take. All through the CLI, against a qTest project nobody prepared.
 */

/** The generated project's custom fields, each to a qTest field of its own type, created by preflight. */
const CUSTOM_FIELDS = {
  "Build Number": { field: "Build Number", type: "number", create: true },
  "Release Date": { field: "Release Date", type: "date", create: true },
  "Pre-Condition(s)": { field: "Pre-Condition(s)", type: "richtext", create: true },
  Implemented: { field: "Implemented", type: "checkbox", create: true },
  Category: { field: "Category", type: "select", create: true },
  Platforms: { field: "Platforms", type: "multiselect", create: true },
  Reviewer: { field: "Reviewer", type: "user", create: true },
  "Effort (days)": { field: "Effort (days)", type: "number", create: true },
} as const;

const DATA_TYPES = {
  "Build Number": FieldDataType.number,
  "Release Date": FieldDataType.datePicker,
  "Pre-Condition(s)": FieldDataType.richText,
  Implemented: FieldDataType.checkBox,
  Category: FieldDataType.comboBox,
  Platforms: FieldDataType.multiSelect,
  Reviewer: FieldDataType.userList,
  "Effort (days)": FieldDataType.number,
};

interface Bare {
  mocks: RunningMocks;
  dir: string;
  env: Record<string, string>;
  config: (mapping?: Record<string, unknown>) => Promise<string>;
  report: () => Promise<MigrationReport>;
}

const opened: Bare[] = [];
afterEach(async () => {
  for (const bare of opened.splice(0)) {
    await bare.mocks.stop();
    await rm(bare.dir, { recursive: true, force: true });
  }
});

async function bareProject(seed = 3): Promise<Bare> {
  const mocks = await startMocks({ generate: 30, seed });
  const dir = await mkdtemp(join(tmpdir(), "ztoq-preflight-settings-"));
  const bare: Bare = {
    mocks,
    dir,
    env: { ...mockEnvironment(mocks), ZTOQ_STATE: join(dir, "state.db") },
    config: (mapping = {}) =>
      writeYamlConfig(dir, {
        zephyr: { rateLimit: 500, timeoutSeconds: 5 },
        qtest: { rateLimit: 500, timeoutSeconds: 5 },
        migration: { concurrency: 4, retries: 1 },
        mapping: { customFields: CUSTOM_FIELDS, createMissingValues: true, unmappedUsers: "keep", ...mapping },
        report: { dir },
      }),
    report: async () => JSON.parse(await readFile(join(dir, "migration-report.json"), "utf8")) as MigrationReport,
  };
  opened.push(bare);
  return bare;
}

/** Every account Zephyr holds: owners of cases and cycles, and the "Reviewer" custom field. */
function accounts(mocks: RunningMocks): Set<string> {
  const found = new Set<string>();
  const { store } = mocks.zephyr;
  for (const item of [...store.testCases(), ...store.testCycles()]) if (item.owner?.accountId) found.add(item.owner.accountId);
  for (const testCase of store.testCases()) {
    const reviewer = testCase.customFields?.Reviewer;
    if (typeof reviewer === "string") found.add(reviewer);
  }
  return found;
}

describe("a qTest project nobody prepared", () => {
  it("dry run: lists the fields and values it would create and the estimate, and writes nothing", async () => {
    const bare = await bareProject();
    const file = await bare.config();
    const result = await runCli(["migrate", "--config", file, "--dry-run"], bare.env);
    expect(result.code, result.stderr).toBe(0);
    expect(bare.mocks.qtest.stats.writes).toBe(0);
    const report = await bare.report();
    for (const label of Object.keys(CUSTOM_FIELDS)) {
      expect(report.preflight.fieldsCreated.some((line) => line.startsWith(`test-cases: ${label} (`))).toBe(true);
    }
    expect(report.preflight.fieldsCreated).toContain("test-cases: Zephyr Unmapped Users");
    expect(report.preflight.usersKept.map((u) => u.accountId).sort()).toEqual([...accounts(bare.mocks)].sort());
    expect(report.preflight.estimate?.zephyr.requests).toBeGreaterThan(report.preflight.sourceCounts.testCases);
    expect(result.stdout).toMatch(/Fields to create in qTest: .*Category \(select; options /);
    expect(result.stdout).toMatch(/Estimate for the full migration: Zephyr \d+ requests/);
  });

  it("migrate creates the fields with their types, keeps every account, and verify passes; again: nothing created", async () => {
    const bare = await bareProject();
    const file = await bare.config();
    const migrated = await runCli(["migrate", "--config", file], bare.env);
    expect(migrated.code, migrated.stderr).toBe(0);
    const report = await bare.report();
    expect(report.status).toBe("succeeded");

    // Missing allowed values (an environment, a status the bare project lacks) were added where they belong.
    expect(report.preflight.valuesCreated.length).toBeGreaterThan(0);
    for (const line of report.preflight.valuesCreated) {
      const [, objectType, field, label] = /^([a-z-]+): (.+) = (.+)$/.exec(line) ?? [];
      const target = bare.mocks.qtest.store.fields(objectType as string).find((f) => f.label === field);
      expect({ line, present: target?.allowed_values?.some((v) => v.label === label) }).toEqual({ line, present: true });
    }
    const fields = bare.mocks.qtest.store.fields("test-cases");
    for (const [label, dataType] of Object.entries(DATA_TYPES)) {
      expect({ label, dataType: fields.find((f) => f.label === label)?.data_type }).toEqual({ label, dataType });
    }
    const category = fields.find((f) => f.label === "Category");
    const used = new Set(
      bare.mocks.zephyr.store.testCases().flatMap((t) => (t.customFields?.Category ? [t.customFields.Category] : [])),
    );
    expect(new Set(category?.allowed_values?.map((v) => v.label))).toEqual(used);

    // The accounts are in the text field, one line per user field, and no user field is filled.
    const kept = accounts(bare.mocks);
    const unmappedField = fields.find((f) => f.label === "Zephyr Unmapped Users");
    expect(unmappedField).toBeDefined();
    const texts = bare.mocks.qtest.store
      .testCases(undefined, { expandSteps: false })
      .flatMap((c) => (c.properties ?? []).filter((p) => p.field_id === unmappedField?.id).map((p) => p.field_value));
    const seen = new Set(
      texts.filter((text) => text !== "").flatMap((text) => text.split("\n").map((line) => line.split(": ")[1])),
    );
    for (const accountId of report.preflight.usersKept.map((u) => u.accountId)) expect(kept.has(accountId)).toBe(true);
    expect(seen.size).toBeGreaterThan(0);
    expect([...seen].filter((accountId) => !kept.has(accountId as string))).toEqual([]);

    const verified = await runCli(["verify", "--config", file], bare.env);
    const verification = JSON.parse(await readFile(join(bare.dir, "verification-report.json"), "utf8")) as VerificationReport;
    expect({ code: verified.code, status: verification.status }, verified.stderr).toEqual({ code: 0, status: "passed" });

    const again = await runCli(["migrate", "--config", file], bare.env);
    expect(again.code, again.stderr).toBe(0);
    const second = await bare.report();
    expect(second.preflight.fieldsCreated).toEqual([]);
    expect(second.preflight.valuesCreated).toEqual([]);
    expect(second.totals.created).toBe(0);
  });

  it("a user without project-admin rights: exit 2 naming the permission, nothing written", async () => {
    const bare = await bareProject();
    bare.mocks.qtest.store.manageFields = false;
    const file = await bare.config();
    const result = await runCli(["migrate", "--config", file], bare.env);
    expect(result.code).toBe(2);
    const lines = messageLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/HTTP 403.*project-admin permission/);
    expect(bare.mocks.qtest.stats.writes).toBe(0);
    expect(bare.mocks.qtest.store.counts()).toMatchObject({ testCases: 0 });
  });

  it("without keep, an account with no qTest user stops preflight naming it and the way out", async () => {
    const bare = await bareProject();
    const file = await bare.config({ unmappedUsers: "fail" });
    const result = await runCli(["migrate", "--config", file, "--dry-run"], bare.env);
    expect(result.code).toBe(2);
    const [someone] = [...accounts(bare.mocks)];
    expect(result.stderr).toContain(`set mapping.users.${someone} (or mapping.unmappedUsers: keep)`);
  });
});

describe("attachments: upload", () => {
  it("is refused before anything is read or written, in one line saying why", async () => {
    const bare = await bareProject();
    const file = await writeYamlConfig(bare.dir, { migration: { attachments: "upload" }, report: { dir: bare.dir } });
    const result = await runCli(["migrate", "--config", file], bare.env);
    expect(result.code).toBe(2);
    expect(messageLines(result.stderr)).toEqual([
      expect.stringMatching(/migration\.attachments: "upload" is refused: ZTOQ does not migrate attachments .*; use "skip"$/),
    ]);
    expect(bare.mocks.qtest.stats.requests + bare.mocks.zephyr.stats.requests).toBe(0);
  });
});

describe("the dry run's estimate", () => {
  it("is within a tenth of the requests the migration then makes, per API", async () => {
    const mocks = await startMocks({ generate: 80, seed: 4 });
    const dir = await mkdtemp(join(tmpdir(), "ztoq-estimate-"));
    opened.push({ mocks, dir } as Bare);
    await provisionDemoTarget(mocks);
    const env = { ...mockEnvironment(mocks), ZTOQ_STATE: join(dir, "state.db") };
    const file = await writeYamlConfig(dir, {
      zephyr: { rateLimit: 500 },
      qtest: { rateLimit: 500 },
      mapping: await demoMapping(mocks),
      report: { dir },
    });
    expect((await runCli(["migrate", "--config", file, "--dry-run"], env)).code).toBe(0);
    const { estimate } = (JSON.parse(await readFile(join(dir, "migration-report.json"), "utf8")) as MigrationReport).preflight;
    expect((await runCli(["migrate", "--config", file], env)).code).toBe(0);
    const { requests } = JSON.parse(await readFile(join(dir, "migration-report.json"), "utf8")) as MigrationReport;
    for (const api of ["zephyr", "qtest"] as const) {
      const ratio = (estimate?.[api].requests ?? 0) / requests[api].requests;
      expect({ api, ratio: Math.abs(ratio - 1) < 0.1 }).toEqual({ api, ratio: true });
    }
    expect(estimate?.seconds).toBeCloseTo(
      Math.max((estimate?.zephyr.requests ?? 0) / 500, (estimate?.qtest.requests ?? 0) / 500),
      0,
    );
  });
});
