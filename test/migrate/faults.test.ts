import { afterAll, describe, expect, it } from "vitest";
import { provisionDemoTarget } from "../../src/mock/demo-target.js";
import { readSource } from "../support/expected-target.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import { expectWholeTargetOnce } from "../support/whole-target.js";

/**
 * Both mocks answer 5 % of requests with a 500/502/503 or a dropped connection — half of them after
 * the request was applied — and throttle at 40 requests a second. The migration must complete
 * (re-running while it exits 3, as a workflow would) without a single duplicate: a create whose
 * answer was lost must be found by its marker, never posted twice.
 */
const FIELDS = [
  "Build Number",
  "Release Date",
  "Pre-Condition(s)",
  "Implemented",
  "Category",
  "Platforms",
  "Reviewer",
  "Effort (days)",
];

describe("a migration under faults and a rate limit", () => {
  let f: MigrationFixture | undefined;
  afterAll(async () => {
    await f?.close();
  });

  it("completes, re-run while it exits 3, with no duplicate made by a retried POST", async () => {
    const fixture = await migrationFixture({ generate: 60, seed: 5, faultRate: 0.05, rateLimitRps: 40, rateLimit: 40 });
    f = fixture;
    const { mocks } = fixture;
    // The admin's provisioning ran under the same faults: finish it as an admin would, by running it again.
    for (let i = 0; i < 10; i++) {
      const labels = mocks.qtest.store.fields("test-cases").map((field) => field.label);
      if (FIELDS.every((label) => labels.includes(label))) break;
      await provisionDemoTarget(mocks);
    }
    expect(mocks.qtest.store.fields("test-cases").map((field) => field.label)).toEqual(expect.arrayContaining(FIELDS));

    const source = readSource(mocks.zephyr.store);
    const exitCodes: number[] = [];
    const errors: (string | null)[] = [];
    for (let run = 1; run <= 5; run++) {
      const { exitCode, report } = await fixture.run();
      exitCodes.push(exitCode);
      errors.push(report.error);
      if (exitCode !== 3) break;
    }
    expect({ exitCodes, errors }).toMatchObject({ exitCodes: expect.arrayContaining([0]) });
    expect(exitCodes.at(-1)).toBe(0);
    expect(exitCodes.slice(0, -1).every((code) => code === 3)).toBe(true);

    // The faults really struck, some of them after a write had been applied.
    expect(mocks.qtest.stats.faults).toBeGreaterThan(0);
    expect(mocks.qtest.stats.faultsAfterApply).toBeGreaterThan(0);
    expect(mocks.zephyr.stats.faults).toBeGreaterThan(0);

    // Complete, every marker exactly once, and right field by field.
    await expectWholeTargetOnce(mocks, source, fixture.config);
  }, 90_000);
});
