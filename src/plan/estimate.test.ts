import { describe, expect, it } from "vitest";
import { estimateMigration, formatSeconds } from "./estimate.js";

const size = {
  testCases: 2000,
  testCycles: 80,
  testExecutions: 2000,
  testRuns: 1800,
  testLogs: 1900,
  caseFolders: 60,
  cycleFolders: 10,
};

describe("the migration estimate", () => {
  it("grows with every kind of entity and takes the slower API's time", () => {
    const base = estimateMigration(size, { zephyr: 10, qtest: 10 });
    for (const key of Object.keys(size) as (keyof typeof size)[]) {
      const bigger = estimateMigration({ ...size, [key]: size[key] + 500 }, { zephyr: 10, qtest: 10 });
      expect({ key, grows: bigger.zephyr.requests + bigger.qtest.requests > base.zephyr.requests + base.qtest.requests }).toEqual(
        {
          key,
          grows: true,
        },
      );
    }
    const slowQTest = estimateMigration(size, { zephyr: 100, qtest: 5 });
    expect(slowQTest.seconds).toBe(slowQTest.qtest.seconds);
    expect(slowQTest.qtest.seconds).toBeCloseTo(slowQTest.qtest.requests / 5, 1);
  });

  it("reads as a person would say it", () => {
    expect([formatSeconds(0.2), formatSeconds(75), formatSeconds(600), formatSeconds(3 * 3600 + 20 * 60)]).toEqual([
      "1 s",
      "75 s",
      "10 min",
      "3 h 20 min",
    ]);
  });
});
