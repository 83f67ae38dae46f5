import {
  byOrder,
  byStepId,
  loggedOnEarlierVersion,
  statusNames,
  targetLog,
  targetRun,
  targetSuite,
  targetTestCase,
} from "../../compare/comparables.js";
import { FieldCatalog } from "../../compare/field-catalog.js";
import { forEachConcurrent } from "../../concurrency/pool.js";
import { contentHash } from "../../plan/content-hash.js";
import { comparedFields, markerFieldIds } from "../../plan/managed-fields.js";
import type { Parent } from "../../qtest/client.js";
import type { Module, TestCycle as QTestCycle } from "../../qtest/schemas.js";
import type { CheckContext } from "./comparison.js";
import type { CaseRecord, LogRecord, SuiteRecord, TargetIndex, TestRunRecord } from "./target-index.js";
import { pathKey, TargetSet, treePaths } from "./target-set.js";

/**
 * The migrated area of the qTest project: the root module's subtree (modules, test cases with their
 * steps) and the root test cycle's (test cycles, suites, runs, logs), each object kept as a record.
 */
export async function readTarget(context: CheckContext): Promise<TargetIndex> {
  const { qtest, config, resolution } = context;
  const concurrency = config.migration.concurrency;
  const [caseFields, suiteFields, runFields, users, executionStatuses] = await Promise.all([
    qtest.fields("test-cases"),
    qtest.fields("test-suites"),
    qtest.fields("test-runs"),
    qtest.users(),
    qtest.executionStatuses(),
  ]);
  const catalogs = {
    testCase: new FieldCatalog(caseFields, users),
    testSuite: new FieldCatalog(suiteFields, users),
    testRun: new FieldCatalog(runFields, users),
    statuses: statusNames(executionStatuses),
  };
  const marker = markerFieldIds(resolution);
  const fieldIds = comparedFields(resolution);
  let read = 0;

  // Modules: the whole tree in one request, then the subtree(s) of the root module.
  const rootModuleName = config.mapping.rootModule ?? config.zephyr.projectKey;
  const moduleRoots = (await qtest.moduleTree()).filter((m) => m.name === rootModuleName);
  const modulePaths = treePaths<Module>(moduleRoots, (m) => m.children);
  const modules = new Map([...modulePaths].map(([id, path]) => [id, pathKey(path)]));
  read += modules.size;

  // Test cases of every module in the area, with their steps; one digest each.
  const cases = new TargetSet<CaseRecord>();
  await forEachConcurrent([...modules.keys()], concurrency, async (moduleId) => {
    for await (const page of qtest.testCases(moduleId, { withSteps: true })) {
      for (const testCase of page) {
        read++;
        const comparable = targetTestCase(testCase, catalogs.testCase, fieldIds.testCase, (id) => `#${id}`);
        cases.add({
          id: testCase.id,
          marker: markerIn(testCase.properties, marker.testCase),
          moduleId,
          digest: contentHash(comparable),
          stepIds: [...(testCase.test_steps ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0)).map((s) => s.id ?? -1),
          versionId: testCase.test_case_version_id ?? null,
        });
      }
    }
  });

  // Test cycles: the tree under the project root, then the subtree(s) of the root test cycle.
  const cycleRootName = config.mapping.cycleRoot?.name ?? config.zephyr.projectKey;
  const cycleRoots = (await qtest.testCycleTree()).filter((c) => c.name === cycleRootName);
  const cyclePaths = treePaths<QTestCycle>(cycleRoots, (c) => c["test-cycles"]);
  const cycles = new Map([...cyclePaths].map(([id, path]) => [id, pathKey(path)]));
  read += cycles.size;

  // Suites of every test cycle in the area.
  const suites = new TargetSet<SuiteRecord>();
  await forEachConcurrent([...cycles.keys()], concurrency, async (cycleId) => {
    const parent: Parent = { id: cycleId, type: "test-cycle" };
    for (const suite of await qtest.testSuites(parent)) {
      read++;
      suites.add({
        id: suite.id,
        marker: markerIn(suite.properties, marker.testSuite),
        parent,
        digest: contentHash(targetSuite(suite, catalogs.testSuite, fieldIds.testSuite)),
      });
    }
  });

  // Runs anywhere under the root test cycle(s), a page at a time.
  const runs = new TargetSet<TestRunRecord>();
  for (const root of cycleRoots) {
    for await (const page of qtest.testRuns({ id: root.id, type: "test-cycle" }, { descendants: true })) {
      for (const run of page) {
        read++;
        runs.add({
          id: run.id,
          marker: markerIn(run.properties, marker.testRun),
          parentId: run.parentId,
          parentType: run.parentType,
          caseId: run.test_case.id,
          digest: contentHash(targetRun(run)),
        });
      }
    }
  }

  // Logs of every run in the area.
  const logs = new TargetSet<LogRecord>();
  await forEachConcurrent([...runs.values()], concurrency, async (run) => {
    const testCase = cases.get(run.caseId);
    const current = byStepId(testCase?.stepIds);
    for await (const page of qtest.testLogs(run.id)) {
      for (const log of page) {
        read++;
        // A log made against an earlier version of the case: its step ids may be no current step's.
        const earlier = loggedOnEarlierVersion(log, testCase?.versionId);
        logs.add({
          id: log.id,
          marker: markerIn(log.properties, marker.testLog),
          runId: run.id,
          byOrder: earlier,
          digest: contentHash(targetLog(log, catalogs.testRun, fieldIds.testLog, catalogs.statuses, earlier ? byOrder : current)),
        });
      }
    }
  });

  context.log.info(
    {
      modules: modules.size,
      testCases: cases.size,
      testCycles: cycles.size,
      suites: suites.size,
      runs: runs.size,
      logs: logs.size,
    },
    "target read",
  );
  return {
    catalogs,
    fieldIds,
    rootModuleKey: pathKey([rootModuleName]),
    rootCycleKey: pathKey([cycleRootName]),
    modules,
    cycles,
    cases,
    suites,
    runs,
    logs,
    read,
  };
}

function markerIn(properties: readonly { field_id: number; field_value: string }[] | null | undefined, fieldId: number) {
  const value = properties?.find((p) => p.field_id === fieldId)?.field_value?.trim();
  return value ? value : null;
}
