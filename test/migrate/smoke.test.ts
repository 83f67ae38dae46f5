import { describe, expect, it } from "vitest";
import { migrationFixture } from "../support/migration-fixture.js";

describe("smoke", () => {
  it("migrates", async () => {
    const f = await migrationFixture({ generate: 40, seed: 5 });
    try {
      const { report, exitCode } = await f.run();
      console.log(
        JSON.stringify(
          report.entities.map((e) => [e.type, e.created, e.failed, e.skipped, e.reasons.slice(0, 3)]),
          null,
          1,
        ),
        report.error,
      );
      console.log(f.mocks.qtest.store.counts(), f.mocks.qtest.stats.requests, f.mocks.zephyr.stats.requests);
      expect(exitCode).toBe(0);
      const again = await f.run();
      console.log(again.report.totals, f.mocks.qtest.stats.writes);
    } finally {
      await f.close();
    }
  });
});
