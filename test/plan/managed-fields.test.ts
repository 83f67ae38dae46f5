import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.js";
import { type Derivation, type ManagedField, TEST_CASE_FIELDS } from "../../src/plan/managed-fields.js";
import { FieldDataType } from "../../src/qtest/field-data-type.js";
import { migrationCheck, type VerificationReport } from "../../src/report/verification-report.js";
import type { TestCase } from "../../src/zephyr/schemas.js";
import { type HttpClient, httpClient } from "../support/http.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";

interface QCase {
  id: number;
  properties: { field_id: number; field_name: string; field_value: string }[];
}

const registry = TEST_CASE_FIELDS as ManagedField<TestCase>[];
const log = createLogger({ test: true });
log.level = "silent";

/** Every migrated test case as qTest returns it, by its Zephyr key. */
async function casesByKey(qtest: HttpClient): Promise<Map<string, QCase>> {
  const found = await qtest.post("/search?pageSize=999", {
    object_type: "test-cases",
    fields: ["*"],
    query: "'Zephyr Key' is 'not empty'",
  });
  expect(found.status).toBe(200);
  const cases = new Map<string, QCase>();
  for (const hit of (found.body as { items: QCase[] }).items) {
    const key = hit.properties.find((p) => p.field_name === "Zephyr Key")?.field_value;
    if (key) cases.set(key, hit);
  }
  return cases;
}

const property = (c: QCase | undefined, label: string) => c?.properties.find((p) => p.field_name === label)?.field_value;

const changedCases = (report: VerificationReport) => migrationCheck(report)?.entities.find((e) => e.type === "testCase");

describe("the managed-field registry: one place, followed by preflight, migrate and verify", () => {
  let f: MigrationFixture | undefined;
  let restore: (() => void) | undefined;
  afterEach(async () => {
    restore?.();
    restore = undefined;
    await f?.close();
    f = undefined;
  });

  it("a field added to the registry is created in qTest, written on every case, and verified", async () => {
    const added: ManagedField<TestCase> = {
      id: "testCase.zephyrName",
      objectType: "test-cases",
      label: "Zephyr Name",
      origin: "ztoq",
      dataType: FieldDataType.textBox,
      derive: { kind: "text", of: (t) => `${t.key}: ${t.name}` },
    };
    registry.push(added);
    restore = () => registry.splice(registry.indexOf(added), 1);

    f = await migrationFixture({ generate: 20, seed: 3 });
    const { exitCode, report: migration } = await f.run();
    expect(exitCode).toBe(0);
    expect(migration.preflight.fieldsCreated).toContain("test-cases: Zephyr Name");

    const qtest = httpClient(`${f.mocks.qtest.url}/api/v3/projects/${f.mocks.qtest.projectId}`, f.mocks.qtest.token);
    const cases = await casesByKey(qtest);
    const source = f.mocks.zephyr.store.testCases();
    expect(cases.size).toBe(source.length);
    for (const testCase of source)
      expect(property(cases.get(testCase.key), "Zephyr Name")).toBe(`${testCase.key}: ${testCase.name}`);

    expect((await f.verify()).status).toBe("passed");

    // Damage that one field on one case: verification names the case and the field.
    const [victimKey] = cases.keys();
    const victim = cases.get(victimKey as string) as QCase;
    const fieldId = victim.properties.find((p) => p.field_name === "Zephyr Name")?.field_id;
    const put = await qtest.put(`/test-cases/${victim.id}`, {
      properties: [{ field_id: fieldId, field_value: "edited in qTest" }],
    });
    expect(put.status).toBe(200);
    const damaged = await f.verify();
    expect(damaged.status).toBe("failed");
    expect(changedCases(damaged)).toMatchObject({ changed: 1, fieldMismatches: { "properties.Zephyr Name": 1 } });
    expect(changedCases(damaged)?.samples[0]).toMatchObject({
      key: victimKey,
      problem: "changed",
      differences: [
        {
          path: "properties.Zephyr Name",
          source: `${victimKey}: ${source.find((t) => t.key === victimKey)?.name}`,
          target: "edited in qTest",
        },
      ],
    });
  }, 60_000);

  it("a derivation changed in the registry changes what migrate writes and what verify expects", async () => {
    const labels = registry.find((field) => field.id === "testCase.labels") as ManagedField<TestCase>;
    const original = labels.derive;
    const hashTags: Derivation<TestCase> = {
      kind: "text",
      of: (t) => (t.labels?.length ? t.labels.map((l) => `#${l}`).join(" ") : undefined),
    };
    labels.derive = hashTags;
    restore = () => {
      labels.derive = original;
    };

    f = await migrationFixture({ generate: 20, seed: 3 });
    expect((await f.run()).exitCode).toBe(0);
    const qtest = httpClient(`${f.mocks.qtest.url}/api/v3/projects/${f.mocks.qtest.projectId}`, f.mocks.qtest.token);
    const cases = await casesByKey(qtest);
    const labelled = f.mocks.zephyr.store.testCases().filter((t) => (t.labels ?? []).length > 0);
    expect(labelled.length).toBeGreaterThan(0);
    for (const testCase of labelled) {
      expect(property(cases.get(testCase.key), "Zephyr Labels")).toBe((testCase.labels ?? []).map((l) => `#${l}`).join(" "));
    }
    expect((await f.verify()).status).toBe("passed");

    // Back to the shipped derivation: verification now expects the other text on every labelled case.
    labels.derive = original;
    const reverted = await f.verify();
    expect(reverted.status).toBe("failed");
    expect(changedCases(reverted)).toMatchObject({
      changed: labelled.length,
      fieldMismatches: { "properties.Zephyr Labels": labelled.length },
    });
  }, 60_000);
});
