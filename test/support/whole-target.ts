import { expect } from "vitest";
import type { ResolvedConfig } from "../../src/config/load.js";
import type { RunningMocks } from "../../src/mock/start.js";
import {
  adHocSuiteMarker,
  compareTarget,
  expectedCounts,
  runMarker,
  type SourceProject,
  targetCounts,
} from "./expected-target.js";
import { duplicates, qtestRead, readTarget, searchMarked } from "./qtest-target.js";

/**
 * The target holds the whole source exactly once and right: per object type exactly the source's
 * count (in the mock's own store and through the read API), every marker exactly once through the
 * search API, and every entity field by field.
 */
export async function expectWholeTargetOnce(mocks: RunningMocks, source: SourceProject, config: ResolvedConfig): Promise<void> {
  const target = await readTarget(mocks.qtest);
  const expected = expectedCounts(source);
  expect(targetCounts(target)).toEqual(expected);
  expect(mocks.qtest.store.counts()).toMatchObject({
    modules: expected.module,
    testCases: expected.testCase,
    testCycles: expected.testCycle,
    testSuites: expected.testSuite,
    testRuns: expected.testRun,
    testLogs: expected.testLog,
  });
  const markers = {
    "test-cases": source.cases.map((c) => c.testCase.key),
    "test-suites": [...source.cycles.map((c) => c.cycle.key), adHocSuiteMarker(source.projectKey)],
    "test-runs": [...new Set(source.executions.map(runMarker))],
    "test-logs": source.executions.map((e) => e.marker),
  } as const;
  for (const [objectType, expectedMarkers] of Object.entries(markers)) {
    const found = (await searchMarked(mocks.qtest, objectType as keyof typeof markers)).map((h) => h.marker);
    expect({ objectType, duplicates: duplicates(found) }).toEqual({ objectType, duplicates: {} });
    expect({ objectType, markers: [...found].sort() }).toEqual({ objectType, markers: [...expectedMarkers].sort() });
  }
  const qtestUsers = (await qtestRead(mocks.qtest, "GET", "/users")) as { id: number; username: string }[];
  const { problems } = compareTarget(source, target, { users: config.mapping.users, qtestUsers });
  expect(problems).toEqual([]);
}
