import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/log/logger.js";
import { migrate } from "../../src/migrate/run.js";
import { coveredIssueIds, scopeIssueIds } from "../../src/plan/coverage.js";
import { Progress } from "../../src/progress/progress.js";
import { QTestClient } from "../../src/qtest/client.js";
import { notEmptyQuery } from "../../src/qtest/search.js";
import { migrationCheck, type VerificationReport } from "../../src/report/verification-report.js";
import { rollback } from "../../src/rollback/run.js";
import { verify } from "../../src/verify/run.js";
import { closedPort, runCli, writeYamlConfig } from "../support/cli.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";

const log = createLogger({ test: true });
log.level = "silent";

let fixture: MigrationFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

function withRequirements(config: ResolvedConfig, create: boolean): ResolvedConfig {
  return { ...config, mapping: { ...config.mapping, requirements: { ...config.mapping.requirements, create } } };
}

function run(f: MigrationFixture, config: ResolvedConfig, options: { mode?: "full" | "incremental"; reconcile?: boolean } = {}) {
  return migrate({
    config,
    mode: options.mode ?? "full",
    dryRun: false,
    prune: false,
    reconcile: options.reconcile ?? false,
    reportPath: join(f.dir, "migration-report.json"),
    log,
    progress: new Progress({ quiet: true }),
  });
}

async function verifyWith(f: MigrationFixture, config: ResolvedConfig, failOn?: string) {
  return verify({
    config,
    reportPath: join(f.dir, "verification-report.json"),
    log,
    progress: new Progress({ quiet: true }),
    ...(failOn !== undefined && { failOn }),
  });
}

function problems(report: VerificationReport) {
  return (migrationCheck(report)?.entities ?? [])
    .filter((e) => e.samples.length > 0 || e.missingInTarget + e.extraInTarget + e.changed > 0)
    .map((e) => ({ type: e.type, samples: e.samples.map((s) => `${s.problem} ${s.key}`) }));
}

/** Properties as a create takes them back. */
function copied(properties: readonly { field_id: number; field_value?: string | null }[] | null | undefined) {
  return (properties ?? []).map((p) => ({ field_id: p.field_id, field_value: p.field_value ?? "" }));
}

/** The qTest read API, as a person would check the result: through HTTP. */
function qtestOf(f: MigrationFixture): QTestClient {
  return QTestClient.fromConfig(f.config, log);
}

/** Marker → id of every object of a type carrying a marker, through `POST /search`. */
async function marked(
  f: MigrationFixture,
  qtest: QTestClient,
  objectType: "test-cases" | "test-runs",
): Promise<Map<string, number>> {
  const markerField = f.config.mapping.markerField;
  const fieldId = (await qtest.fields(objectType)).find((x) => x.label === markerField)?.id;
  const byMarker = new Map<string, number>();
  for await (const page of qtest.search(objectType, notEmptyQuery(markerField))) {
    for (const o of page) {
      const value = o.properties?.find((p) => p.field_id === fieldId)?.field_value;
      if (value) byMarker.set(value, o.id);
    }
  }
  return byMarker;
}

/** Per case key, the requirement ids qTest links it to (read back through `linked-artifacts`). */
async function linksOfCases(f: MigrationFixture, qtest: QTestClient): Promise<Map<string, Set<number>>> {
  const byKey = await marked(f, qtest, "test-cases");
  const out = new Map<string, Set<number>>();
  const containers = await qtest.linkedArtifacts("test-cases", [...byKey.values()]);
  for (const [key, id] of byKey) {
    const container = containers.find((c) => c.id === id);
    out.set(key, new Set((container?.objects ?? []).filter((o) => o.objectType === "requirements").map((o) => o.id)));
  }
  return out;
}

describe("traceability: Jira coverage → requirement links, test plans → releases", () => {
  it("links every covered case to the requirement of each Jira issue qTest has or ZTOQ made, makes each plan a release reaching its cycles, verify passes, a second run writes nothing", async () => {
    const f = await migrationFixture({ generate: 60, seed: 5 });
    fixture = f;
    const config = withRequirements(f.config, true);
    // Coverage from a cycle too: one issue qTest holds, one it lacks (made), one Jira does not know.
    const zephyr = f.mocks.zephyr.store;
    const inQTest = zephyr.jiraIssues.find((i) => i.qtest !== false);
    const lacking = zephyr.jiraIssues.find((i) => i.qtest === false);
    const cycle = zephyr.testCycles()[0];
    for (const issueId of [inQTest?.id, lacking?.id, "29999"]) {
      zephyr.addIssueLink({ type: "testcycle", idOrKey: cycle?.key ?? "" }, Number(issueId));
    }
    const first = await run(f, config);
    expect(first.report.error).toBeNull();
    expect(first.exitCode).toBe(0);

    const known = new Map(zephyr.jiraIssues.map((i) => [i.id, i]));
    const qtest = qtestOf(f);
    const requirements = await qtest.requirements();
    const linked = await linksOfCases(f, qtest);
    let checked = 0;
    let unresolvable = 0;
    for (const testCase of zephyr.testCases()) {
      for (const issueId of coveredIssueIds(testCase.links)) {
        const issue = known.get(issueId);
        if (!issue) {
          unresolvable++;
          continue;
        }
        const requirement = requirements.find(
          (r) => r.external_properties?.id === issueId || r.name.startsWith(`${issue.key} `) || r.name === issue.key,
        );
        expect(requirement, `requirement for ${issue.key}`).toBeDefined();
        expect(linked.get(testCase.key)?.has(requirement?.id ?? -1), `${testCase.key} → ${issue.key}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(unresolvable).toBeGreaterThan(0);
    // The issues qTest lacked were made, under the module named for them; the imported ones were not copied.
    const lacked = [...known.values()].filter((i) => i.qtest === false);
    expect(lacked.length).toBeGreaterThan(0);
    const notCarried = (first.report.notCarried?.items ?? []).filter(
      (i) => i.entity === "testCase" && i.field === "links.issues (coverage)",
    );
    expect(notCarried.every((i) => /Jira does not know this issue id/.test(i.reason))).toBe(true);
    expect(notCarried.reduce((n, i) => n + i.count, 0)).toBe(unresolvable);

    // The cycle's covered requirements are linked to every run of its suite.
    const runsOfCycle = [...(await marked(f, qtest, "test-runs"))]
      .filter(([m]) => m.startsWith(`${cycle?.key}/`))
      .map(([, id]) => id);
    expect(runsOfCycle.length).toBeGreaterThan(0);
    for (const issue of [inQTest, lacking]) {
      const requirement = requirements.find(
        (r) => r.external_properties?.id === issue?.id || r.name.startsWith(`${issue?.key} `),
      );
      const [container] = await qtest.linkedArtifacts("requirements", [requirement?.id ?? 0]);
      const runs = new Set(container?.objects.filter((o) => o.objectType === "test-runs").map((o) => o.id));
      expect(
        runsOfCycle.every((id) => runs.has(id)),
        `${cycle?.key} → ${issue?.key}`,
      ).toBe(true);
    }
    expect(first.report.notCarried?.items ?? []).toContainEqual(
      expect.objectContaining({ entity: "testCycle", field: "links.issues (coverage)", keys: [`${cycle?.key} → issue 29999`] }),
    );

    // Each plan a release, its cycles reachable through their runs.
    const releases = await qtest.releases();
    const runsByMarker = await marked(f, qtest, "test-runs");
    const containers = await qtest.linkedArtifacts(
      "releases",
      releases.map((r) => r.id),
    );
    for (const plan of zephyr.testPlans()) {
      const release = releases.find((r) => r.name === plan.name);
      expect(release, plan.key).toBeDefined();
      const runs = new Set(
        (containers.find((c) => c.id === release?.id)?.objects ?? [])
          .filter((o) => o.objectType === "test-runs")
          .map((o) => o.id),
      );
      for (const link of plan.links?.testCycles ?? []) {
        const cycle = zephyr.testCycles().find((c) => c.id === link.testCycleId);
        const cycleRuns = [...runsByMarker].filter(([marker]) => marker.startsWith(`${cycle?.key}/`));
        for (const [marker, id] of cycleRuns) expect(runs.has(id), `${plan.key} → ${marker}`).toBe(true);
      }
      expect(scopeIssueIds(plan.links).length).toBeGreaterThanOrEqual(0);
    }

    // The fields made on releases and requirements are reported as preflight's are, once.
    expect(first.report.preflight.fieldsCreated).toEqual(
      expect.arrayContaining([
        "releases: Zephyr Key",
        "releases: Zephyr Status",
        "requirements: Zephyr Key",
        "requirements: Jira Issue",
      ]),
    );

    const report = (await verifyWith(f, config)).report;
    expect(problems(report)).toEqual([]);
    // Both reports judge the same source the same way: one not-carried list.
    expect(migrationCheck(report)?.notCarried).toEqual(first.report.notCarried);
    const writes = f.mocks.qtest.stats.writes;
    const second = await run(f, config);
    expect(second.exitCode).toBe(0);
    expect(f.mocks.qtest.stats.writes - writes).toBe(0);
    expect(second.report.preflight.fieldsCreated).toEqual([]);
    expect(second.report.links).toEqual({ linksAdded: 0, linksRemoved: 0, writes: 0 });

    // A summary edited in Jira: the requirement ZTOQ made for it follows, once.
    const renamed = {
      ...(lacking as NonNullable<typeof lacking>),
      fields: { summary: "Checkout survives a dropped connection" },
    };
    f.mocks.jira.issues.put(renamed);
    const third = await run(f, config);
    expect(third.report.entities.find((e) => e.type === "requirement")).toMatchObject({ updated: 1, created: 0 });
    expect((await qtest.requirements()).map((r) => r.name)).toContain(`${renamed.key} Checkout survives a dropped connection`);
    const before = f.mocks.qtest.stats.writes;
    await run(f, config);
    expect(f.mocks.qtest.stats.writes - before).toBe(0);
  });

  it("with requirements.create false and Jira out of reach: the migration completes, both reports list the links not made and why, failOn notCarried>0 exits 1", async () => {
    const f = await migrationFixture({ generate: 40, seed: 3 });
    fixture = f;
    const port = await closedPort();
    const config: ResolvedConfig = {
      ...withRequirements(f.config, false),
      migration: { ...f.config.migration, retries: 1 },
      jira: f.config.jira && { ...f.config.jira, url: `http://127.0.0.1:${port}` },
    };
    const result = await run(f, config);
    expect(result.report.error).toBeNull();
    expect(result.exitCode).toBe(0);
    const coverage = (items: { field: string; reason: string; count: number; keys: string[] }[]) =>
      items.filter((i) => i.field === "links.issues (coverage)");
    const migrated = coverage(result.report.notCarried?.items ?? []);
    expect(migrated.map((i) => i.reason)).toEqual([
      "no qTest requirement carries this Jira issue id, and Jira could not be asked for its key",
    ]);
    // Exactly the coverage links whose issue qTest holds no requirement for: those Jira knows but qTest lacks, and those nobody knows.
    const zephyr = f.mocks.zephyr.store;
    const inQTest = new Set(zephyr.jiraIssues.filter((i) => i.qtest !== false).map((i) => i.id));
    const lost = zephyr.testCases().flatMap((c) =>
      coveredIssueIds(c.links)
        .filter((id) => !inQTest.has(id))
        .map((id) => `${c.key} → issue ${id}`),
    );
    expect(lost.length).toBeGreaterThan(0);
    expect(migrated[0]?.count).toBe(lost.length);
    expect(migrated[0]?.keys).toEqual(expect.arrayContaining(lost.slice(0, 3).filter((k) => migrated[0]?.keys.includes(k))));
    const markdown = await readFile(join(f.dir, "migration-report.md"), "utf8");
    expect(markdown).toContain("Jira could not be asked for its key");

    const passing = await verifyWith(f, config);
    expect(problems(passing.report)).toEqual([]);
    expect(passing.exitCode).toBe(0);
    const check = migrationCheck(passing.report);
    expect(coverage(check?.notCarried?.items ?? []).map((i) => [i.reason, i.count])).toEqual([
      ["no qTest requirement carries this Jira issue id, and Jira could not be asked for its key", lost.length],
    ]);
    const gated = await verifyWith(f, config, "notCarried>0");
    expect(gated.exitCode).toBe(1);
    expect(gated.report.status).toBe("failed");
  });

  it("a link removed by hand in qTest: verify names the case and the Jira key, --reconcile restores it; a link removed in Zephyr goes in the next incremental run", async () => {
    const f = await migrationFixture({ generate: 40, seed: 4 });
    fixture = f;
    expect((await run(f, f.config)).exitCode).toBe(0);
    const zephyr = f.mocks.zephyr.store;
    const qtest = qtestOf(f);
    const inQTest = new Map(zephyr.jiraIssues.filter((i) => i.qtest !== false).map((i) => [i.id, i]));
    const testCase = zephyr.testCases().find((c) => coveredIssueIds(c.links).some((id) => inQTest.has(id)));
    const issueId = coveredIssueIds(testCase?.links).find((id) => inQTest.has(id)) as string;
    const issue = inQTest.get(issueId);
    const caseId = (await marked(f, qtest, "test-cases")).get(testCase?.key ?? "") as number;
    const requirement = (await qtest.requirements()).find((r) => r.external_properties?.id === issueId);
    expect(requirement).toBeDefined();
    await qtest.unlink({ type: "requirements", id: requirement?.id ?? 0 }, "test-cases", [caseId]);

    const broken = await verifyWith(f, f.config);
    expect(broken.exitCode).toBe(1);
    expect(problems(broken.report)).toEqual([{ type: "requirement", samples: [`missing ${testCase?.key} → ${issue?.key}`] }]);
    expect((await run(f, f.config, { reconcile: true })).exitCode).toBe(0);
    expect((await linksOfCases(f, qtest)).get(testCase?.key ?? "")?.has(requirement?.id ?? 0)).toBe(true);
    expect(problems((await verifyWith(f, f.config)).report)).toEqual([]);
    // A plain full run reads every case's links too: removed again by hand, put back again.
    await qtest.unlink({ type: "requirements", id: requirement?.id ?? 0 }, "test-cases", [caseId]);
    expect((await run(f, f.config)).report.links).toMatchObject({ linksAdded: 1, linksRemoved: 0 });
    expect((await linksOfCases(f, qtest)).get(testCase?.key ?? "")?.has(requirement?.id ?? 0)).toBe(true);

    // Added in Zephyr, then removed: Zephyr compares updatedAfter at whole seconds.
    const other = [...inQTest.values()].find((i) => !coveredIssueIds(testCase?.links).includes(i.id));
    const otherRequirement = (await qtest.requirements()).find((r) => r.external_properties?.id === other?.id);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    zephyr.addIssueLink({ type: "testcase", idOrKey: testCase?.key ?? "" }, Number(other?.id));
    const added = await run(f, f.config, { mode: "incremental" });
    expect(added.report.links?.linksAdded).toBe(1);
    expect((await linksOfCases(f, qtest)).get(testCase?.key ?? "")?.has(otherRequirement?.id ?? 0)).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const link = zephyr.testCase(testCase?.key ?? "").links?.issues?.find((l) => String(l.issueId) === issueId);
    zephyr.removeLink(Number(link?.id));
    const incremental = await run(f, f.config, { mode: "incremental" });
    expect(incremental.exitCode).toBe(0);
    expect(incremental.report.links?.linksRemoved).toBe(1);
    expect((await linksOfCases(f, qtest)).get(testCase?.key ?? "")?.has(requirement?.id ?? 0)).toBe(false);
    expect(problems((await verifyWith(f, f.config)).report)).toEqual([]);
    const writes = f.mocks.qtest.stats.writes;
    await run(f, f.config, { mode: "incremental" });
    expect(f.mocks.qtest.stats.writes - writes).toBe(0);
  });

  it("rollback removes the releases and the requirements ZTOQ made, and no requirement or link it did not make", async () => {
    const f = await migrationFixture({ generate: 40, seed: 6 });
    fixture = f;
    const config = withRequirements(f.config, true);
    expect((await run(f, config)).exitCode).toBe(0);
    const qtest = qtestOf(f);
    const before = await qtest.requirements();
    const imported = before.filter((r) => r.external_properties?.id);
    const made = before.filter((r) => !r.external_properties?.id);
    expect(made.length).toBeGreaterThan(0);
    expect((await qtest.releases()).length).toBe(f.mocks.zephyr.store.testPlans().length);
    // A requirement and a release made by hand, linked to each other: neither is ZTOQ's.
    // In the Requirements tab's "Jira" module, where qTest's Jira integration put what it imported.
    const module = f.mocks.qtest.store.requirementModules()[0];
    const handMade = await qtest.createRequirement({ name: "Hand-written spec", properties: [] }, module?.id ?? 0, {
      fieldName: "none",
      value: "none",
    });
    const handRelease = await qtest.createRelease({ name: "R by hand", properties: [] }, { fieldName: "none", value: "none" });
    await qtest.link({ type: "releases", id: handRelease.id }, "requirements", [handMade.id, imported[0]?.id ?? 0]);

    const result = await rollback({
      config,
      dryRun: false,
      reportPath: join(f.dir, "rollback-report.json"),
      log,
      progress: new Progress({ quiet: true }),
    });
    expect(result.report.objects.filter((o) => o.outcome !== "removed" && o.outcome !== "kept")).toEqual([]);
    expect(result.exitCode).toBe(0);
    const after = await qtest.requirements();
    expect(after.map((r) => r.id).sort()).toEqual([...imported.map((r) => r.id), handMade.id].sort());
    expect((await qtest.releases()).map((r) => r.id)).toEqual([handRelease.id]);
    const links = await qtest.linkedArtifacts("releases", [handRelease.id]);
    expect(links[0]?.objects.map((o) => o.id).sort()).toEqual([handMade.id, imported[0]?.id].sort());
  });

  it("never shows the Jira token, in any output: terminal, log file, reports — and a wrong token is one line, exit 2", async () => {
    const f = await migrationFixture({ generate: 20, seed: 2 });
    fixture = f;
    const token = f.mocks.jira.token;
    const configPath = await writeYamlConfig(f.dir, {
      mapping: await import("../../src/mock/demo-target.js").then((m) => m.demoMapping(f.mocks)),
    });
    const logFile = join(f.dir, "ztoq.log");
    const env = { ...f.env, ZTOQ_CONFIG: configPath, ZTOQ_LOG_LEVEL: "debug" };
    const migrated = await runCli(["migrate", "--log-file", logFile], env, { cwd: f.dir });
    expect(migrated.code, migrated.stderr).toBe(0);
    const verified = await runCli(["verify", "--log-file", logFile], env, { cwd: f.dir });
    expect(verified.code, verified.stderr).toBe(0);
    const reports = await Promise.all(
      ["migration-report.json", "migration-report.md", "verification-report.json", "verification-report.md"].map((name) =>
        readFile(join(f.dir, ".ztoq", "reports", name), "utf8").catch(() => ""),
      ),
    );
    const everything = [
      migrated.stdout,
      migrated.stderr,
      verified.stdout,
      verified.stderr,
      await readFile(logFile, "utf8"),
      ...reports,
    ].join("\n");
    expect(everything).toContain("Jira");
    expect(everything).not.toContain(token);
    // Nor the header it travels in.
    expect(everything).not.toContain(Buffer.from(`${f.mocks.jira.email}:${token}`).toString("base64"));

    const writes = f.mocks.qtest.stats.writes;
    const wrong = await runCli(["migrate"], { ...env, ZTOQ_JIRA_TOKEN: "not-the-token-42" }, { cwd: f.dir });
    expect(wrong.code).toBe(2);
    // Found before anything is written: the account is tried right after preflight.
    expect(f.mocks.qtest.stats.writes).toBe(writes);
    expect(`${wrong.stdout}${wrong.stderr}`).not.toContain("not-the-token-42");
    expect(wrong.stderr).toMatch(/Jira rejected|ZTOQ_JIRA_TOKEN/);
  });

  it("a plan deleted in Zephyr: its release is reported and kept, then deleted with --prune; two overlapping runs' copies of a release or requirement: one reconcile keeps the oldest", async () => {
    const f = await migrationFixture({ generate: 40, seed: 8 });
    fixture = f;
    const config = withRequirements(f.config, true);
    expect((await run(f, config)).exitCode).toBe(0);
    // What two runs started together with states of their own leave (test/migrate/overlap.test.ts shows runs
    // that share a store cannot): a second copy, with the same marker, of every release and made requirement.
    const qtest = qtestOf(f);
    const plans = [...f.mocks.zephyr.store.testPlans()];
    const releases = await qtest.releases();
    const madeBefore = (await qtest.requirements()).filter((r) => !r.external_properties);
    expect(madeBefore.length).toBeGreaterThan(0);
    const none = { fieldName: "none", value: "none" };
    for (const r of releases) {
      await qtest.createRelease({ name: r.name, description: r.description ?? "", properties: copied(r.properties) }, none);
    }
    for (const r of madeBefore) {
      await qtest.createRequirement({ name: r.name, properties: copied(r.properties) }, r.parent_id ?? 0, none);
    }
    expect(await qtest.releases()).toHaveLength(plans.length * 2);

    const repaired = await run(f, config, { reconcile: true });
    expect(repaired.exitCode).toBe(0);
    const kept = await qtest.releases();
    expect(kept.map((r) => r.id).sort()).toEqual(
      releases
        .map((r) => r.id)
        .sort()
        .slice(0, plans.length),
    );
    const made = (await qtest.requirements()).filter((r) => !r.external_properties);
    expect(made.map((r) => r.id).sort()).toEqual(madeBefore.map((r) => r.id).sort());
    expect(problems((await verifyWith(f, config)).report)).toEqual([]);

    // A run linked to a release by hand, not in its plan: verify names it, a reconcile takes it off.
    const release = kept.find((r) => r.name === plans[0]?.name);
    const planCycles = new Set((plans[0]?.links?.testCycles ?? []).map((l) => l.testCycleId));
    const outside = f.mocks.zephyr.store.testCycles().find((c) => !planCycles.has(c.id));
    const runs = await marked(f, qtest, "test-runs");
    const [stray] = [...runs].find(([marker]) => marker.startsWith(`${outside?.key}/`)) ?? [];
    await qtest.link({ type: "releases", id: release?.id ?? 0 }, "test-runs", [runs.get(stray ?? "") ?? 0]);
    expect(problems((await verifyWith(f, config)).report)).toEqual([
      { type: "release", samples: [`extra ${plans[0]?.key} → runs ${stray}`] },
    ]);
    expect((await run(f, config, { reconcile: true })).report.links).toMatchObject({ linksRemoved: 1 });
    expect(problems((await verifyWith(f, config)).report)).toEqual([]);

    const [gone] = plans;
    f.mocks.zephyr.store.removeTestPlan(gone?.key ?? "");
    const reported = await run(f, config);
    expect(reported.report.entities.find((e) => e.type === "release")).toMatchObject({ disappeared: 1, pruned: 0 });
    expect(await qtest.releases()).toHaveLength(plans.length);
    const pruned = await migrate({
      config,
      mode: "full",
      dryRun: false,
      prune: true,
      reconcile: false,
      reportPath: join(f.dir, "migration-report.json"),
      log,
      progress: new Progress({ quiet: true }),
    });
    expect(pruned.report.entities.find((e) => e.type === "release")).toMatchObject({ disappeared: 1, pruned: 1 });
    expect((await qtest.releases()).map((r) => r.name)).not.toContain(gone?.name);
    expect(problems((await verifyWith(f, config)).report)).toEqual([]);
  });
});
