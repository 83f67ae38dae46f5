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

/** The qTest read API, as a person would check the result: through HTTP. */
function qtestOf(f: MigrationFixture): QTestClient {
  return QTestClient.fromConfig(f.config, log);
}

/** Marker → id of every object of a type carrying a marker, through `POST /search`. */
async function marked(f: MigrationFixture, qtest: QTestClient, objectType: "test-cases" | "test-runs"): Promise<Map<string, number>> {
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
    const first = await run(f, config);
    expect(first.report.error).toBeNull();
    expect(first.exitCode).toBe(0);

    const zephyr = f.mocks.zephyr.store;
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
    const notCarried = first.report.notCarried.items.filter((i) => i.field === "links.issues (coverage)");
    expect(notCarried.every((i) => /Jira does not know this issue id/.test(i.reason))).toBe(true);
    expect(notCarried.reduce((n, i) => n + i.count, 0)).toBe(unresolvable);

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
        (containers.find((c) => c.id === release?.id)?.objects ?? []).filter((o) => o.objectType === "test-runs").map((o) => o.id),
      );
      for (const link of plan.links?.testCycles ?? []) {
        const cycle = zephyr.testCycles().find((c) => c.id === link.testCycleId);
        const cycleRuns = [...runsByMarker].filter(([marker]) => marker.startsWith(`${cycle?.key}/`));
        for (const [marker, id] of cycleRuns) expect(runs.has(id), `${plan.key} → ${marker}`).toBe(true);
      }
      expect(scopeIssueIds(plan.links).length).toBeGreaterThanOrEqual(0);
    }

    const report = (await verifyWith(f, config)).report;
    expect(problems(report)).toEqual([]);
    const writes = f.mocks.qtest.stats.writes;
    const second = await run(f, config);
    expect(second.exitCode).toBe(0);
    expect(f.mocks.qtest.stats.writes - writes).toBe(0);
  });
});
