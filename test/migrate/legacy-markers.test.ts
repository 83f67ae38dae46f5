/**
 * A project migrated by an earlier ZTOQ, whose ad-hoc suite is marked `ad-hoc` and whose logs of
 * executions without a key `execution-<id>` — markers that name no project — migrated again by this
 * one: it adopts those objects (with its old state, and with none), duplicates nothing, rewrites their
 * markers to the forms that name the project, and never takes another project's `ad-hoc` suite.
 * Through real parts: the mocks over HTTP, real SQLite states, verification.
 */
import { rm } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/errors.js";
import { FieldDataType } from "../../src/qtest/field-data-type.js";
import { createStateStore } from "../../src/state/open-store.js";
import { qtestApi, stateRecords } from "../rollback/support.js";
import { readSource } from "../support/expected-target.js";
import { keylessExecutions, type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import { propertyValue, readTarget, searchMarked } from "../support/qtest-target.js";
import { expectWholeTargetOnce } from "../support/whole-target.js";

const fixtures: MigrationFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

type Q = MigrationFixture["mocks"]["qtest"];
const MARKER = "Zephyr Key";

async function markerFieldId(q: Q, objectType: "test-suites" | "test-runs"): Promise<number> {
  const fields = (await qtestApi(q, "GET", `/settings/${objectType}/fields`)) as { id: number; label: string }[];
  const id = fields.find((f) => f.label === MARKER)?.id;
  if (id === undefined) throw new Error(`no ${MARKER} field for ${objectType}`);
  return id;
}

/**
 * Turns what this ZTOQ made into what an earlier one did: the ad-hoc suite marked `ad-hoc`, keyless
 * executions' logs `execution-<id>` — in qTest, and (unless the state is to be lost) in the state's keys.
 * Returns how many objects were turned.
 */
async function makeLegacy(f: MigrationFixture, inState: boolean): Promise<{ suites: number; logs: number }> {
  const q = f.mocks.qtest;
  const target = await readTarget(q);
  const suiteField = await markerFieldId(q, "test-suites");
  const runField = await markerFieldId(q, "test-runs");
  const rekeyed: { type: "testSuite" | "testLog"; from: string; to: string }[] = [];
  for (const suite of target.suites) {
    if (propertyValue(suite.properties, MARKER) !== "DEMO-ad-hoc") continue;
    await qtestApi(q, "PUT", `/test-suites/${suite.id}`, { properties: [{ field_id: suiteField, field_value: "ad-hoc" }] });
    rekeyed.push({ type: "testSuite", from: "DEMO-ad-hoc", to: "ad-hoc" });
  }
  for (const log of target.logs) {
    const marker = propertyValue(log.properties, MARKER) ?? "";
    const legacy = /^DEMO-(execution-\d+)$/.exec(marker)?.[1];
    if (!legacy) continue;
    await qtestApi(q, "PUT", `/test-runs/${log.runId}/test-logs/${log.id}`, {
      status: { id: log.status.id },
      exe_start_date: log.exe_start_date,
      exe_end_date: log.exe_end_date,
      properties: [{ field_id: runField, field_value: legacy }],
    });
    rekeyed.push({ type: "testLog", from: marker, to: legacy });
  }
  if (inState) {
    const store = createStateStore(f.statePath);
    await store.open();
    try {
      for (const { type, from, to } of rekeyed) {
        const record = await store.get(type, from);
        if (!record || record.targetId === null) throw new Error(`no state record ${type} ${from}`);
        await store.recordDone(type, to, {
          targetId: record.targetId,
          hash: record.hash,
          data: record.data,
          runId: record.runId,
        });
        await store.remove(type, from);
      }
    } finally {
      await store.close();
    }
  }
  return {
    suites: rekeyed.filter((r) => r.type === "testSuite").length,
    logs: rekeyed.filter((r) => r.type === "testLog").length,
  };
}

describe("markers an earlier ZTOQ wrote without naming the project", () => {
  it("are verified, then adopted and rewritten by a migration with its old state or none, with no duplicates", async () => {
    const f = await migrationFixture({ dataset: keylessExecutions({ testCases: 20, seed: 7, projectKey: "DEMO" }) });
    fixtures.push(f);
    const q = f.mocks.qtest;
    const source = readSource(f.mocks.zephyr.store);
    expect(source.executions.some((e) => e.execution.key == null && e.cycleKey === null)).toBe(true);
    expect(source.executions.some((e) => e.execution.key == null && e.cycleKey !== null)).toBe(true);

    // Another project's ad-hoc suite, marked `ad-hoc` by an earlier ZTOQ before this project came: older,
    // so first among the suites so marked, but in another project's root test cycle.
    await qtestApi(q, "POST", "/settings/test-suites/fields", {
      label: MARKER,
      data_type: FieldDataType.textBox,
      required: false,
    });
    const other = (await qtestApi(q, "POST", "/test-cycles?parentId=0&parentType=root", { name: "QX" })) as { id: number };
    const otherSuite = (await qtestApi(q, "POST", `/test-suites?parentId=${other.id}&parentType=test-cycle`, {
      name: "Ad hoc executions",
      properties: [{ field_id: await markerFieldId(q, "test-suites"), field_value: "ad-hoc" }],
    })) as { id: number };

    expect((await f.run()).exitCode).toBe(ExitCode.ok);
    const made = q.store.counts();

    for (const inState of [true, false]) {
      const turned = await makeLegacy(f, inState);
      expect(turned.suites).toBe(1);
      expect(turned.logs).toBeGreaterThan(1);
      // Verification pairs the legacy markers in this project's area.
      const verified = await f.verify();
      expect({ inState, status: verified.status, totals: verified.totals }).toMatchObject({
        inState,
        status: "passed",
        totals: { missing: 0, extra: 0, changed: 0, duplicated: 0, misplaced: 0 },
      });
      if (!inState) await rm(f.statePath);

      const again = await f.run();
      expect({ inState, exitCode: again.exitCode }).toEqual({ inState, exitCode: ExitCode.ok });
      // Nothing made twice; the legacy-marked objects were rewritten, each an update.
      expect(q.store.counts()).toEqual(made);
      const updated = Object.fromEntries(again.report.entities.map((e) => [e.type, e.updated]));
      expect({ inState, suites: updated.testSuite, logs: updated.testLog }).toEqual({
        inState,
        suites: turned.suites,
        logs: turned.logs,
      });
      for (const objectType of ["test-suites", "test-logs"] as const) {
        const markers = (await searchMarked(q, objectType)).map((h) => h.marker).filter((m) => m !== "ad-hoc");
        expect({ inState, objectType, once: new Set(markers).size === markers.length }).toEqual({
          inState,
          objectType,
          once: true,
        });
        expect(markers.filter((m) => /^execution-/.test(m))).toEqual([]);
      }
      expect((await f.verify()).status).toBe("passed");
      // The state names each object once, under the marker that names the project.
      const records = await stateRecords(f.statePath);
      const keys = [...records.testSuite, ...records.testLog].map((r) => r.key);
      expect(keys.filter((k) => k === "ad-hoc" || /^execution-/.test(k))).toEqual([]);
      expect(keys).toContain("DEMO-ad-hoc");
    }

    // The other project's suite was never taken: still its marker, its place, and alone in it.
    const suites = await searchMarked(q, "test-suites");
    expect(suites.filter((s) => s.marker === "ad-hoc")).toEqual([{ id: otherSuite.id, marker: "ad-hoc" }]);
    expect((await qtestApi(q, "GET", `/test-suites/${otherSuite.id}`)) as { parentId: number }).toMatchObject({
      parentId: other.id,
    });
    // Without it, the project holds this one's migration exactly once, field by field, every marker naming DEMO.
    await qtestApi(q, "DELETE", `/test-suites/${otherSuite.id}`);
    await qtestApi(q, "DELETE", `/test-cycles/${other.id}`);
    await expectWholeTargetOnce(f.mocks, source, f.config);
  }, 120_000);
});
