import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { registerVerifyCommand } from "../../src/cli/verify-command.js";
import type { EntityType } from "../../src/entity-types.js";
import { BadInputError, ZtoqError } from "../../src/errors.js";
import type { ZephyrStore } from "../../src/mock/zephyr/store.js";
import { coveredIssueIds } from "../../src/plan/coverage.js";
import { migrationCheck, type VerificationReport, verificationReportSchema } from "../../src/report/verification-report.js";
import { closedPort, writeYamlConfig } from "../support/cli.js";
import type { HttpClient } from "../support/http.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import {
  entity,
  findCase,
  findRun,
  markerOf,
  migrated,
  type QCase,
  type QLog,
  recreateRun,
  runVerify,
  STATUS_NAMES,
  threshold,
} from "./harness.js";

/**
 * `verify` against the in-process mocks after a real migration (`fixture.run()`), everything over
 * HTTP. Each sabotage gets a fresh fixture, changed through the qTest API as a person would.
 */

/** The counts of the dataset the Zephyr mock serves, computed here from its store, not by the engine. */
function sourceCounts(store: ZephyrStore): Record<EntityType, number> {
  const cases = store.testCases();
  let steps = 0;
  for (const c of cases) {
    try {
      steps += store.testSteps(c.key).length;
    } catch {
      steps += 1; // a plain or BDD script becomes one step
    }
  }
  const cycleKeys = new Map(store.testCycles().map((c) => [c.id, c.key]));
  const executions = store.testExecutions();
  const runKeys = new Set(
    executions.map((e) => `${e.testCycle ? cycleKeys.get(e.testCycle.id) : "ad-hoc"}/${store.executionTestCaseKey(e)}`),
  );
  const adHoc = executions.some((e) => !e.testCycle) ? 1 : 0;
  // Coverage: one per case and Jira issue; linked where qTest holds the issue's requirement (no Jira lookup needed).
  const inQTest = new Set(store.jiraIssues.filter((i) => i.qtest !== false).map((i) => i.id));
  const coverage = cases.flatMap((c) => coveredIssueIds(c.links));
  return {
    module: store.folders("TEST_CASE").length + 1,
    testCase: cases.length,
    testStep: steps,
    testCycle: store.folders("TEST_CYCLE").length + 1,
    testSuite: store.testCycles().length + adHoc,
    testRun: runKeys.size,
    testLog: executions.filter((e) => e.actualEndDate).length,
    release: store.testPlans().length,
    requirement: coverage.filter((id) => inQTest.has(id)).length,
  };
}

describe("a complete migration", () => {
  let f: MigrationFixture;
  let report: VerificationReport;
  let exitCode: number;
  let writes: { zephyr: number; qtest: number };

  beforeAll(async () => {
    ({ f } = await migrated());
    const before = { zephyr: f.mocks.zephyr.stats.writes, qtest: f.mocks.qtest.stats.writes };
    ({ report, exitCode } = await runVerify(f));
    writes = { zephyr: f.mocks.zephyr.stats.writes - before.zephyr, qtest: f.mocks.qtest.stats.writes - before.qtest };
  }, 60_000);
  afterAll(async () => {
    await f?.close();
  });

  it("verifies passed with exit code 0 and no problem of any kind", () => {
    expect(exitCode).toBe(0);
    expect(report.status).toBe("passed");
    expect(migrationCheck(report)?.verdict).toBe("passed");
    expect(report.totals).toMatchObject({ missing: 0, extra: 0, changed: 0, duplicated: 0, misplaced: 0 });
    for (const e of migrationCheck(report)?.entities ?? []) {
      expect({ type: e.type, samples: e.samples, verdict: e.verdict }).toEqual({ type: e.type, samples: [], verdict: "passed" });
    }
  });

  it("writes nothing to either side", () => {
    expect(writes).toEqual({ zephyr: 0, qtest: 0 });
  });

  it("counts exactly what the mocks hold, on both sides", () => {
    const expected = sourceCounts(f.mocks.zephyr.store);
    const target = f.mocks.qtest.store.counts();
    const targetOf: Record<EntityType, number> = {
      module: target.modules,
      testCase: target.testCases,
      testStep: expected.testStep,
      testCycle: target.testCycles,
      testSuite: target.testSuites,
      testRun: target.testRuns,
      testLog: target.testLogs,
      release: expected.release,
      requirement: expected.requirement,
    };
    const steps = (f.mocks.qtest.store.testCases(undefined, { expandSteps: true }) as unknown as QCase[]).reduce(
      (sum, c) => sum + c.test_steps.length,
      0,
    );
    expect(steps).toBe(expected.testStep);
    const counts = Object.fromEntries(
      (migrationCheck(report)?.entities ?? []).map((e) => [
        e.type,
        { source: e.source.count, target: e.target.count, matched: e.matched },
      ]),
    );
    expect(counts).toEqual(
      Object.fromEntries(
        Object.entries(expected).map(([type, n]) => [type, { source: n, target: targetOf[type as EntityType], matched: n }]),
      ),
    );
    // Every type adds to the totals, test steps too.
    expect(report.totals.matched).toBe(Object.values(expected).reduce((sum, n) => sum + n, 0));
  });

  it("reports its cost from what it did, and re-reads nothing when everything is equal", async () => {
    expect(report.cost.requests?.qtest.requests).toBeGreaterThan(0);
    expect(report.cost.requests?.zephyr.requests).toBeGreaterThan(0);
    expect(report.cost.entitiesRead?.reread).toBe(0);
    const counts = sourceCounts(f.mocks.zephyr.store);
    expect(report.cost.entitiesRead?.target).toBe(
      counts.module + counts.testCase + counts.testCycle + counts.testSuite + counts.testRun + counts.testLog + counts.release,
    );
    expect(report.cost.peakRssBytes).toBeGreaterThan(0);
    expect(report.run.configHash).toMatch(/^[0-9a-f]{16}$/);
    const migration = JSON.parse(await readFile(join(f.dir, "migration-report.json"), "utf8")) as { run: { configHash: string } };
    expect(report.run.configHash).toBe(migration.run.configHash);
  });

  it("writes the JSON report and its Markdown twin, verdict first", async () => {
    const json = JSON.parse(await readFile(join(f.dir, "verification-report.json"), "utf8"));
    expect(verificationReportSchema.parse(json)).toEqual(report);
    const markdown = await readFile(join(f.dir, "verification-report.md"), "utf8");
    expect(markdown.split("\n")[0]).toBe("## ✅ ZTOQ verification: passed");
    expect(markdown).toContain("| Test cases | 60 | 60 | 60 | 0 | 0 | 0 | 0 | 0 | ✅ |");
  });

  it("runs as `ztoq verify`: Markdown on stdout, reports where --report says, exit code set", async () => {
    const config = await writeYamlConfig(f.dir, {
      zephyr: { rateLimit: 500 },
      qtest: { rateLimit: 500 },
      migration: { concurrency: 4 },
      mapping: f.config.mapping,
      report: { dir: f.dir },
    });
    for (const [name, value] of Object.entries({ ...f.env, ZTOQ_LOG_LEVEL: "silent" })) vi.stubEnv(name, value);
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const progress = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    let code = -1;
    try {
      const program = new Command("ztoq").exitOverride();
      registerVerifyCommand(program, (c) => {
        code = c;
      });
      await program.parseAsync(
        ["verify", "--config", config, "--report", join(f.dir, "cli", "v.json"), "--fail-on", "changed>3"],
        {
          from: "user",
        },
      );
    } finally {
      write.mockRestore();
      progress.mockRestore();
      vi.unstubAllEnvs();
    }
    expect(code).toBe(0);
    expect(out.join("")).toMatch(/^## ✅ ZTOQ verification: passed/);
    const written = verificationReportSchema.parse(JSON.parse(await readFile(join(f.dir, "cli", "v.json"), "utf8")));
    expect(written.failOn).toBe("missing>0,extra>0,changed>3,duplicated>0,misplaced>0");
    expect(await readFile(join(f.dir, "cli", "v.md"), "utf8")).toContain("ZTOQ verification: passed");
  });
});

describe("sabotaged targets fail verification", () => {
  let f: MigrationFixture;
  let qtest: HttpClient;

  afterEach(async () => {
    await f?.close();
  });

  it("a test case deleted in qTest is missing, by key", async () => {
    ({ f, qtest } = await migrated());
    const victim = await findCase(qtest, (c) => c.test_steps.length > 0);
    const key = markerOf(victim);
    expect((await qtest.request("DELETE", `/test-cases/${victim.id}`)).status).toBe(200);

    const { report, exitCode } = await runVerify(f);
    expect(exitCode).toBe(1);
    expect(report.status).toBe("failed");
    const cases = entity(report, "testCase");
    expect(cases).toMatchObject({ missingInTarget: 1, verdict: "failed" });
    expect(cases.samples).toContainEqual(expect.objectContaining({ key, problem: "missing" }));
    expect(entity(report, "testStep").missingInTarget).toBe(victim.test_steps.length);
    expect(migrationCheck(report)?.thresholds.find((t) => t.metric === "missing")).toMatchObject({ verdict: "failed" });
    // Its steps are shown, and counted once, through the case; its runs and logs went with it.
    expect(entity(report, "testStep").counted.missing).toBe(0);
    const runs = entity(report, "testRun").missingInTarget;
    const logs = entity(report, "testLog").missingInTarget;
    expect(report.totals.missing).toBe(1 + runs + logs);
    expect(threshold(report, "missing")).toMatchObject({ actual: 1 + runs + logs, verdict: "failed" });
  }, 30_000);

  it("one step's expected result changed in qTest is changed, naming the key and the field path", async () => {
    ({ f, qtest } = await migrated());
    const victim = await findCase(qtest, (c) => c.test_steps.length >= 4 && c.test_steps.every((s) => !s.called_test_case_id));
    const key = markerOf(victim);
    const steps = victim.test_steps.map((s, i) => ({
      id: s.id,
      description: s.description,
      expected: i === 3 ? `${s.expected} — edited in qTest` : s.expected,
      order: s.order,
    }));
    expect((await qtest.put(`/test-cases/${victim.id}`, { test_steps: steps })).status).toBe(200);

    const { report, exitCode } = await runVerify(f);
    expect(exitCode).toBe(1);
    expect(report.status).toBe("failed");
    const cases = entity(report, "testCase");
    expect(cases).toMatchObject({ changed: 1, missingInTarget: 0, fieldMismatches: { "testSteps[].expected": 1 } });
    const sample = cases.samples.find((s) => s.key === key);
    expect(sample).toMatchObject({ problem: "changed", targetIds: [victim.id] });
    expect(sample?.differences).toEqual([
      expect.objectContaining({ path: "testSteps[3].expected", target: expect.stringContaining("edited in qTest") }),
    ]);
    expect(entity(report, "testStep")).toMatchObject({ changed: 1, fieldMismatches: { expected: 1 } });
    expect(entity(report, "testStep").samples).toEqual([
      expect.objectContaining({
        key: `${key} testSteps[3]`,
        problem: "changed",
        differences: [expect.objectContaining({ path: "expected" })],
      }),
    ]);
    // One edited step counts once toward the thresholds: through the step, the case only shown as changed.
    expect(cases.counted.changed).toBe(0);
    expect(entity(report, "testStep")).toMatchObject({ counted: { changed: 1 }, verdict: "failed" });
    expect(report.totals.changed).toBe(1);
    expect(threshold(report, "changed")).toMatchObject({ actual: 1, verdict: "failed" });
    // Its logs were made against the version before the edit, and still match.
    expect(entity(report, "testLog")).toMatchObject({ changed: 0, matched: entity(report, "testLog").source.count });
    expect(report.cost.entitiesRead?.reread).toBe(1);
  }, 30_000);

  it("a test run deleted in qTest takes its logs with it: missing run and logs", async () => {
    ({ f, qtest } = await migrated());
    const found = await findRun(qtest, (logs) => logs.length > 0);
    const victim = { id: found.run.id, marker: markerOf(found.run), logs: found.logs.map(markerOf) };
    expect((await qtest.request("DELETE", `/test-runs/${victim.id}`)).status).toBe(200);

    const { report, exitCode } = await runVerify(f);
    expect(exitCode).toBe(1);
    expect(report.status).toBe("failed");
    expect(entity(report, "testRun")).toMatchObject({ missingInTarget: 1 });
    expect(entity(report, "testRun").samples).toContainEqual(expect.objectContaining({ key: victim.marker, problem: "missing" }));
    const logs = entity(report, "testLog");
    expect(logs.missingInTarget).toBe(victim.logs.length);
    expect(logs.samples.map((s) => s.key).sort()).toEqual([...victim.logs].sort());
  }, 30_000);

  it("a second qTest test case carrying an existing marker is duplicated", async () => {
    ({ f, qtest } = await migrated());
    const original = await findCase(qtest, () => true);
    const key = markerOf(original);
    const marker = original.properties.find((p) => p.field_name === "Zephyr Key");
    const copy = await qtest.post("/test-cases", {
      name: original.name,
      parent_id: original.parent_id,
      description: original.description,
      properties: [{ field_id: marker?.field_id, field_value: key }],
    });
    expect(copy.status).toBe(200);

    const { report, exitCode } = await runVerify(f);
    expect(exitCode).toBe(1);
    expect(report.status).toBe("failed");
    const cases = entity(report, "testCase");
    expect(cases).toMatchObject({ duplicated: 1, missingInTarget: 0, extraInTarget: 0, changed: 0, verdict: "failed" });
    expect(cases.target.count).toBe(cases.source.count + 1);
    expect(cases.samples).toEqual([
      expect.objectContaining({ key, problem: "duplicated", targetIds: [original.id, (copy.body as { id: number }).id] }),
    ]);
    expect(migrationCheck(report)?.thresholds.find((t) => t.metric === "duplicated")).toMatchObject({
      actual: 1,
      verdict: "failed",
    });
  }, 30_000);

  it("changed>1 tolerates one changed test case; the default does not", async () => {
    ({ f, qtest } = await migrated());
    const victim = await findCase(qtest, () => true);
    expect((await qtest.put(`/test-cases/${victim.id}`, { description: "Rewritten in qTest" })).status).toBe(200);

    const tolerant = await runVerify(f, "changed>1");
    expect(tolerant.exitCode).toBe(0);
    expect(tolerant.report.status).toBe("passed");
    expect(tolerant.report.failOn).toBe("missing>0,extra>0,changed>1,duplicated>0,misplaced>0");
    expect(entity(tolerant.report, "testCase")).toMatchObject({
      changed: 1,
      fieldMismatches: { description: 1 },
      verdict: "passed",
    });
    expect(migrationCheck(tolerant.report)?.thresholds.find((t) => t.metric === "changed")).toEqual({
      metric: "changed",
      max: 1,
      actual: 1,
      verdict: "passed",
    });

    const strict = await runVerify(f);
    expect(strict.exitCode).toBe(1);
    expect(entity(strict.report, "testCase").samples[0]).toMatchObject({
      key: markerOf(victim),
      problem: "changed",
      differences: [{ path: "description", target: "Rewritten in qTest" }],
    });
    const markdown = await readFile(join(f.dir, "verification-report.md"), "utf8");
    expect(markdown.split("\n")[0]).toBe("## ❌ ZTOQ verification: failed");
    expect(markdown).toContain("| changed > 0 | 1 | ❌ |");
  }, 30_000);
  it("a test case moved to another module is misplaced; a changed property is named by its field", async () => {
    ({ f, qtest } = await migrated());
    const moved = await findCase(qtest, () => true);
    const other = await findCase(qtest, (c) => c.parent_id !== moved.parent_id);
    expect((await qtest.put(`/test-cases/${moved.id}`, { parent_id: other.parent_id })).status).toBe(200);
    const changed = await findCase(qtest, (c) => c.id !== moved.id && c.id !== other.id);
    const priority = changed.properties.find((p) => p.field_name === "Priority");
    const urgent = priority?.field_value === "711" ? "714" : "711";
    expect(
      (await qtest.put(`/test-cases/${changed.id}`, { properties: [{ field_id: priority?.field_id, field_value: urgent }] }))
        .status,
    ).toBe(200);

    const { report, exitCode } = await runVerify(f);
    expect(exitCode).toBe(1);
    const cases = entity(report, "testCase");
    expect(cases).toMatchObject({
      misplaced: 1,
      changed: 1,
      matched: cases.source.count - 2,
      fieldMismatches: { "properties.Priority": 1 },
    });
    expect(cases.samples).toContainEqual(
      expect.objectContaining({
        key: markerOf(moved),
        problem: "misplaced",
        differences: [expect.objectContaining({ path: "module" })],
      }),
    );
    expect(cases.samples).toContainEqual(
      expect.objectContaining({
        key: markerOf(changed),
        problem: "changed",
        differences: [expect.objectContaining({ path: "properties.Priority", target: urgent === "711" ? "Urgent" : "Low" })],
      }),
    );
    expect(migrationCheck(report)?.thresholds.find((t) => t.metric === "misplaced")).toMatchObject({
      actual: 1,
      verdict: "failed",
    });
  }, 30_000);

  it("a test log re-created with another status is changed, its step logs still paired by position", async () => {
    ({ f, qtest } = await migrated());
    const victim = await findRun(qtest, (logs) => logs.length === 1 && (logs[0]?.test_step_logs.length ?? 0) > 1);
    const [log] = victim.logs as [QLog];
    const status = log.status.id === 601 ? 602 : 601;
    await recreateRun(qtest, victim.run, [{ ...log, status: { id: status } }]);

    const { report, exitCode } = await runVerify(f);
    expect(exitCode).toBe(1);
    expect(entity(report, "testRun")).toMatchObject({ matched: entity(report, "testRun").source.count, missingInTarget: 0 });
    const logs = entity(report, "testLog");
    expect(logs).toMatchObject({ changed: 1, missingInTarget: 0, extraInTarget: 0, fieldMismatches: { status: 1 } });
    const key = markerOf(log);
    expect(logs.samples).toEqual([
      expect.objectContaining({
        key,
        problem: "changed",
        differences: [{ path: "status", source: STATUS_NAMES[log.status.id], target: STATUS_NAMES[status] }],
      }),
    ]);
  }, 30_000);
});

describe("bad input and an unreachable target", () => {
  let f: MigrationFixture;
  beforeAll(async () => {
    f = await migrationFixture({ generate: 10, seed: 2 });
  }, 30_000);
  afterAll(async () => {
    await f?.close();
  });

  it("a wrong qTest token is bad input", async () => {
    const config = { ...f.config, qtest: { ...f.config.qtest, auth: { kind: "token" as const, token: "wrong" } } };
    const error = await runVerify(f, undefined, config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as Error).message).toMatch(/qTest rejected the token/);
  });

  it("an invalid --fail-on is bad input naming the allowed metrics, before any request", async () => {
    const before = f.mocks.qtest.stats.requests + f.mocks.zephyr.stats.requests;
    for (const spec of ["changes>1", "missing>-1", "missing", "", "missing>0,missing>2"]) {
      const error = await runVerify(f, spec).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadInputError);
      expect((error as Error).message).toContain("missing>N, extra>N, changed>N, duplicated>N, misplaced>N");
    }
    expect(f.mocks.qtest.stats.requests + f.mocks.zephyr.stats.requests).toBe(before);
  });

  it("a qTest that cannot be reached stops with exit code 3", async () => {
    const port = await closedPort();
    const config = {
      ...f.config,
      migration: { ...f.config.migration, retries: 0 },
      qtest: { ...f.config.qtest, url: `http://127.0.0.1:${port}` },
    };
    const error = await runVerify(f, undefined, config).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZtoqError);
    expect(error).not.toBeInstanceOf(BadInputError);
    expect((error as ZtoqError).exitCode).toBe(3);
  });
});
