import { describe, expect, it } from "vitest";
import type { ResolvedConfig } from "../../src/config/load.js";
import { NotCarriedTally, REASONS } from "../../src/plan/not-carried.js";
import { type MigrationReport, migrationReportMarkdown, migrationReportSchema } from "../../src/report/migration-report.js";
import { migrationReportText } from "../../src/report/migration-text.js";
import { NOTHING_NOT_CARRIED, type NotCarriedSection } from "../../src/report/not-carried-section.js";
import { verificationReportMarkdown } from "../../src/report/verification-markdown.js";
import {
  type VerificationReport,
  verificationReportSchema,
  type ZephyrQTestCheck,
} from "../../src/report/verification-report.js";
import { verificationReportText } from "../../src/report/verification-text.js";
import { parseFailOn } from "../../src/verify/fail-on.js";
import { withNotCarried } from "../../src/verify/run.js";
import { ComparisonTally } from "../../src/verify/tally.js";
import { zephyrQTestReport } from "../../src/verify/zephyr-qtest/report-check.js";

/** 23 test cases with attachments, one with an unknown field, one BLOCKS link. */
function section(): NotCarriedSection {
  const tally = new NotCarriedTally();
  for (let i = 1; i <= 23; i++) {
    tally.add({ entity: "testCase", field: "attachments", reason: REASONS.attachments, key: `QA-T${i}` });
  }
  tally.add({ entity: "testCase", field: "foo", reason: REASONS.notRead, key: "QA-T7" });
  tally.add({ entity: "testCase", field: "links.issues", reason: REASONS.issueLink("BLOCKS"), key: "QA-T3" });
  return tally.section();
}

const requests = { requests: 10, retries: 0, throttled: 0, failures: 0 };

function migrationReport(notCarried?: NotCarriedSection): MigrationReport {
  return migrationReportSchema.parse({
    schemaVersion: 1,
    kind: "ztoq-migration",
    status: "succeeded",
    run: {
      id: "run-1",
      mode: "full",
      dryRun: false,
      prune: false,
      reconcile: false,
      shard: null,
      tool: { name: "ztoq", version: "dev" },
      startedAt: "2026-01-01T00:00:00.000Z",
      finishedAt: "2026-01-01T00:00:01.000Z",
      durationMs: 1000,
      configHash: "abc",
      updatedAfter: null,
      peakRssBytes: 1,
    },
    source: { url: "http://zephyr.test/v2", projectKey: "QA" },
    target: { url: "http://qtest.test", projectId: 7 },
    preflight: {
      fieldsCreated: [],
      valuesCreated: [],
      usersKept: [],
      estimate: null,
      sourceCounts: { testCases: 23, testCycles: 0, testExecutions: 0 },
    },
    entities: [],
    totals: { created: 23, updated: 0, unchanged: 0, failed: 0, skipped: 0, disappeared: 0, pruned: 0 },
    links: null,
    notCarried: notCarried ?? { total: 0, items: [] },
    requests: { zephyr: requests, qtest: requests },
    error: null,
  });
}

describe("the migration report's not-carried section", () => {
  it("is a table of entity, field or relation, reason, count and up to 20 keys, in Markdown", () => {
    const markdown = migrationReportMarkdown(migrationReport(section()));
    expect(markdown).toContain("### Not carried to qTest: 25");
    expect(markdown).toContain("| Entity | Field or relation | Reason | Count | Keys (up to 20) |");
    const keys = Array.from({ length: 20 }, (_, i) => `\`QA-T${i + 1}\``).join(", ");
    expect(markdown).toContain(`| Test case | \`attachments\` | ${REASONS.attachments} | 23 | ${keys}, … |`);
    expect(markdown).toContain(`| Test case | \`foo\` | ${REASONS.notRead} | 1 | \`QA-T7\` |`);
    expect(markdown).not.toContain("`QA-T21`");
  });

  it("is a plain-text table on a terminal", () => {
    const text = migrationReportText(migrationReport(section()));
    expect(text).toContain("Not carried to qTest: 25");
    expect(text).toMatch(
      /\nTest case +links\.issues +Jira issue link of type BLOCKS: kept as text in 'Zephyr Links', qTest links only coverage +1 {2}QA-T3\n/,
    );
    expect(text).toMatch(/\nTest case +attachments +.* 23 {2}QA-T1, QA-T2, .*…\n/);
  });

  it("is one line saying nothing when the source holds nothing qTest did not receive", () => {
    const report = migrationReport({ total: 0, items: [] });
    expect(migrationReportMarkdown(report)).toContain(NOTHING_NOT_CARRIED);
    expect(migrationReportMarkdown(report)).not.toContain("| Field or relation |");
    expect(migrationReportText(report)).toContain(NOTHING_NOT_CARRIED);
  });
});

describe("the verification report's not-carried section", () => {
  const config = {
    zephyr: { url: "http://zephyr.test/v2", projectKey: "QA" },
    qtest: { url: "http://qtest.test", projectId: 7 },
    mapping: { markerField: "Zephyr Key" },
  } as ResolvedConfig;

  function check(failOn: string | undefined, notCarried: NotCarriedSection | undefined): ZephyrQTestCheck {
    const thresholds = parseFailOn(failOn);
    const tally = new ComparisonTally("testCase");
    tally.sourceCount = 23;
    tally.targetCount = 23;
    tally.matched = 23;
    return withNotCarried(
      zephyrQTestReport({ name: "zephyr-qtest", config, thresholds, tallies: [tally] }),
      notCarried,
      thresholds,
    );
  }

  function report(c: ZephyrQTestCheck): VerificationReport {
    return verificationReportSchema.parse({
      schemaVersion: 4,
      kind: "ztoq-verification",
      status: c.verdict,
      run: {
        id: "run-2",
        tool: { name: "ztoq", version: "dev" },
        startedAt: "2026-01-01T00:00:00.000Z",
        finishedAt: "2026-01-01T00:00:01.000Z",
        durationMs: 1000,
        configHash: "abc",
      },
      failOn: c.failOn,
      totals: { ...c.totals, notCarried: c.notCarried?.total ?? 0 },
      checks: [c],
      cost: { requests: null, entitiesRead: null, durationMs: 1000, peakRssBytes: 1 },
    });
  }

  it("does not fail a check by default, and shows no notCarried threshold", () => {
    const c = check(undefined, section());
    expect(c.verdict).toBe("passed");
    expect(c.thresholds.map((t) => t.metric)).not.toContain("notCarried");
    const markdown = verificationReportMarkdown(report(c));
    expect(markdown).toContain("· **25** not carried");
    expect(markdown).toContain("#### Not carried to qTest: 25");
    expect(markdown).not.toContain("notCarried >");
  });

  it("fails the check under notCarried>0, the threshold row shown with the others", () => {
    const c = check("notCarried>0", section());
    expect(c.verdict).toBe("failed");
    expect(c.failOn).toBe("missing>0,extra>0,changed>0,duplicated>0,misplaced>0,notCarried>0");
    expect(c.thresholds.at(-1)).toEqual({ metric: "notCarried", max: 0, actual: 25, verdict: "failed" });
    expect(verificationReportMarkdown(report(c))).toContain("| notCarried > 0 | 25 | ❌ |");
    const text = verificationReportText(report(c));
    expect(text).toMatch(/notCarried > 0 +25 {2}FAILED/);
    expect(text).toContain("Not carried to qTest: 25");
  });

  it("passes under notCarried>0 when the section is empty, saying so in one line", () => {
    const c = check("notCarried>0", { total: 0, items: [] });
    expect(c.verdict).toBe("passed");
    expect(verificationReportMarkdown(report(c))).toContain(NOTHING_NOT_CARRIED);
    expect(verificationReportText(report(c))).toContain(NOTHING_NOT_CARRIED);
  });

  it("leaves a check that judged nothing as it was: no section, no words about it", () => {
    const c = check(undefined, undefined);
    expect(c.notCarried).toBeUndefined();
    const markdown = verificationReportMarkdown(report(c));
    expect(markdown).not.toContain("Not carried");
    expect(markdown).not.toContain("not carried");
  });
});
