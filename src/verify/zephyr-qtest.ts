/**
 * The `zephyr-qtest` check: counts, contents and relationships per entity type, paired by marker.
 *
 * Memory stays bounded by the number of target objects, never by their size: the target is read
 * first, each object reduced to a compact record (id, marker, container, a digest of its normalized
 * comparable form). The source is then streamed page by page; each entity is planned with the
 * migration's own transforms, normalized the same way and compared digest to digest. Only where the
 * digests differ is the target object read again and compared field by field.
 */

import { forEachConcurrent } from "../concurrency/pool.js";
import type { ResolvedConfig } from "../config/load.js";
import { ApiError } from "../http/errors.js";
import type { Logger } from "../log/logger.js";
import { testCaseKeyOf } from "../migrate/phases/test-executions.js";
import type { Progress } from "../progress/progress.js";
import type { Parent, QTestClient } from "../qtest/client.js";
import type { Module, TestCycle as QTestCycle } from "../qtest/schemas.js";
import type { Difference } from "../report/verification-report.js";
import { contentHash } from "../transform/content-hash.js";
import type { Resolution } from "../transform/resolution.js";
import { planTestCase } from "../transform/test-case.js";
import { planAdHocSuite, planTestSuite } from "../transform/test-cycle.js";
import { AD_HOC, executionMarker, planTestLog, runKey } from "../transform/test-execution.js";
import type { TestExecution } from "../zephyr/schemas.js";
import {
  expectedLog,
  expectedSuite,
  expectedTestCase,
  FieldCatalog,
  type StatusNames,
  statusNames,
  type TestCaseComparable,
  targetLog,
  targetSuite,
  targetTestCase,
} from "./comparables.js";
import { diff, EntityTally } from "./entity-tally.js";
import type { SourceReader } from "./prefetch.js";
import { folderPaths, pathKey, showPath, TargetSet, treePaths } from "./target-set.js";

export interface VerifyContext {
  config: ResolvedConfig;
  zephyr: SourceReader;
  qtest: QTestClient;
  resolution: Resolution;
  log: Logger;
  progress: Progress;
  sourceCounts: { testCases: number; testCycles: number; testExecutions: number };
}

interface CaseRecord {
  id: number;
  marker: string | null;
  moduleId: number;
  digest: string;
  /** Step ids in order: test step logs point at these. */
  stepIds: number[];
}

interface SuiteRecord {
  id: number;
  marker: string | null;
  parent: Parent;
  digest: string;
}

interface RunRecord {
  id: number;
  marker: string | null;
  parentId: number;
  parentType: string;
  caseId: number;
}

interface LogRecord {
  id: number;
  marker: string | null;
  runId: number;
  digest: string;
}

/** The target, reduced: container paths and compact records per object type. */
export interface Target {
  catalogs: { testCase: FieldCatalog; testSuite: FieldCatalog; testRun: FieldCatalog; statuses: StatusNames };
  fieldIds: { testCase: number[]; testSuite: number[]; testLog: number[] };
  rootModuleKey: string;
  rootCycleKey: string;
  /** Module id → path key, for the modules under the root module. */
  modules: Map<number, string>;
  /** Test cycle id → path key, for the test cycles under the root test cycle. */
  cycles: Map<number, string>;
  cases: TargetSet<CaseRecord>;
  suites: TargetSet<SuiteRecord>;
  runs: TargetSet<RunRecord>;
  logs: TargetSet<LogRecord>;
  read: number;
}

export interface CheckResult {
  tallies: EntityTally[];
  read: { source: number; target: number; reread: number };
}

const unique = (ids: readonly number[]) => [...new Set(ids)];

// ---- reading the target ------------------------------------------------------------------------

/**
 * The migrated area of the qTest project: the root module's subtree (modules, test cases with their
 * steps) and the root test cycle's (test cycles, suites, runs, logs), each object kept as a record.
 */
export async function readTarget(context: VerifyContext): Promise<Target> {
  const { qtest, config, resolution } = context;
  const concurrency = config.migration.concurrency;
  const [caseFields, suiteFields, runFields, users, executionStatuses] = await Promise.all([
    qtest.fields("test-cases"),
    qtest.fields("test-suites"),
    qtest.fields("test-runs"),
    qtest.users(),
    qtest.executionStatuses(),
  ]);
  const f = resolution.fields;
  const catalogs = {
    testCase: new FieldCatalog(caseFields, users),
    testSuite: new FieldCatalog(suiteFields, users),
    testRun: new FieldCatalog(runFields, users),
    statuses: statusNames(executionStatuses),
  };
  const fieldIds = {
    testCase: unique([
      f.testCase.status,
      f.testCase.priority,
      f.testCase.assignedTo,
      f.testCase.labels,
      f.testCase.component,
      f.testCase.estimatedTime,
      f.testCase.links,
      ...[...f.testCase.custom.values()].map((c) => c.fieldId),
    ]).filter((id) => id !== f.testCase.marker),
    testSuite: unique([f.testSuite.status, f.testSuite.plannedStart, f.testSuite.plannedEnd, f.testSuite.assignedTo]),
    testLog: [f.testRun.environment],
  };
  let read = 0;

  // Modules: the whole tree in one request, then the subtree(s) of the root module.
  const rootModuleName = config.mapping.rootModule ?? config.zephyr.projectKey;
  const moduleRoots = (await qtest.moduleTree()).filter((m) => m.name === rootModuleName);
  const modulePaths = treePaths<Module>(moduleRoots, (m) => m.children);
  const modules = new Map([...modulePaths].map(([id, path]) => [id, pathKey(path)]));
  read += modules.size;

  // Test cases of every module in the area, with their steps; one digest each.
  const cases = new TargetSet<CaseRecord>();
  const caseMarker = (properties: readonly { field_id: number; field_value: string }[] | null | undefined) =>
    markerIn(properties, f.testCase.marker);
  await forEachConcurrent([...modules.keys()], concurrency, async (moduleId) => {
    for await (const page of qtest.testCases(moduleId, { withSteps: true })) {
      for (const testCase of page) {
        read++;
        const comparable = targetTestCase(testCase, catalogs.testCase, fieldIds.testCase, (id) => `#${id}`);
        cases.add({
          id: testCase.id,
          marker: caseMarker(testCase.properties),
          moduleId,
          digest: contentHash(comparable),
          stepIds: [...(testCase.test_steps ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0)).map((s) => s.id ?? -1),
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
        marker: markerIn(suite.properties, f.testSuite.marker),
        parent,
        digest: contentHash(targetSuite(suite, catalogs.testSuite, fieldIds.testSuite)),
      });
    }
  });

  // Runs anywhere under the root test cycle(s), a page at a time.
  const runs = new TargetSet<RunRecord>();
  for (const root of cycleRoots) {
    for await (const page of qtest.testRuns({ id: root.id, type: "test-cycle" }, { descendants: true })) {
      for (const run of page) {
        read++;
        runs.add({
          id: run.id,
          marker: markerIn(run.properties, f.testRun.marker),
          parentId: run.parentId,
          parentType: run.parentType,
          caseId: run.test_case.id,
        });
      }
    }
  }

  // Logs of every run in the area.
  const logs = new TargetSet<LogRecord>();
  await forEachConcurrent([...runs.values()], concurrency, async (run) => {
    const stepIds = cases.get(run.caseId)?.stepIds;
    for await (const page of qtest.testLogs(run.id)) {
      for (const log of page) {
        read++;
        logs.add({
          id: log.id,
          marker: markerIn(log.properties, f.testRun.marker),
          runId: run.id,
          digest: contentHash(targetLog(log, catalogs.testRun, fieldIds.testLog, catalogs.statuses, stepIds)),
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

// ---- comparing the source with it --------------------------------------------------------------

/** Streams the Zephyr source and pairs every entity with its target record(s). */
export async function compareSource(context: VerifyContext, target: Target): Promise<CheckResult> {
  const { zephyr, qtest, config, resolution, progress } = context;
  const concurrency = config.migration.concurrency;
  const tallies = {
    modules: new EntityTally("modules"),
    testCases: new EntityTally("testCases"),
    testSteps: new EntityTally("testSteps", false),
    testCycles: new EntityTally("testCycles"),
    testSuites: new EntityTally("testSuites"),
    testRuns: new EntityTally("testRuns"),
    testLogs: new EntityTally("testLogs"),
  };
  const read = { source: 0, target: target.read, reread: 0 };

  // ---- folders → modules, cycle folders → test cycles (by path) ----
  const [caseFolders, cycleFolders] = await Promise.all([zephyr.folders("TEST_CASE"), zephyr.folders("TEST_CYCLE")]);
  read.source += caseFolders.length + cycleFolders.length;
  const rootModule = JSON.parse(target.rootModuleKey) as string[];
  const rootCycle = JSON.parse(target.rootCycleKey) as string[];
  const moduleOfFolder = new Map([...folderPaths(caseFolders)].map(([id, path]) => [id, pathKey([...rootModule, ...path])]));
  const cycleOfFolder = new Map([...folderPaths(cycleFolders)].map(([id, path]) => [id, pathKey([...rootCycle, ...path])]));
  comparePaths(tallies.modules, [target.rootModuleKey, ...moduleOfFolder.values()], target.modules);
  comparePaths(tallies.testCycles, [target.rootCycleKey, ...cycleOfFolder.values()], target.cycles);

  // ---- test cases and their steps ----
  // The keys first: a call step calls a case when that case is in the source (the migration waits for it).
  const sourceKeys = new Set<string>();
  for await (const page of zephyr.testCases()) for (const t of page) sourceKeys.add(t.key);
  /** Per case key, the positions of its own inline steps in the target case (a number n: 0…n-1). */
  const inlinePositions = new Map<string, number | number[]>();
  const cases = target.cases;
  const caseFields = target.fieldIds.testCase;
  progress.expect("testCase", context.sourceCounts.testCases);
  for await (const page of zephyr.testCases()) {
    await forEachConcurrent(page, concurrency, async (testCase) => {
      read.source++;
      const content = await zephyr.testSteps(testCase.key);
      const called = new Map<number, string>();
      const plan = planTestCase(testCase, content, {
        resolution,
        moduleId: 0,
        // A stand-in id per call, turned back into the key below: calls are compared by marker.
        migratedCaseId: (key) => {
          if (!sourceKeys.has(key)) return undefined;
          const id = -(called.size + 1);
          called.set(id, key);
          return id;
        },
      });
      const positions = plan.inlineStepPositions;
      inlinePositions.set(testCase.key, positions.every((p, i) => p === i) ? positions.length : positions);
      const expected = expectedTestCase(plan.input, target.catalogs.testCase, caseFields, (id) => called.get(id));
      const expectedModule = (testCase.folder && moduleOfFolder.get(testCase.folder.id)) || target.rootModuleKey;
      await compareTestCase(testCase.key, expected, expectedModule);
      progress.tick("testCase");
    });
  }
  progress.finish("testCase");

  async function compareTestCase(key: string, expected: TestCaseComparable, expectedModule: string): Promise<void> {
    const t = tallies.testCases;
    const s = tallies.testSteps;
    const n = expected.testSteps.length;
    t.sourceCount++;
    s.sourceCount += n;
    const [primary, ...surplus] = cases.take(key);
    if (!primary) {
      t.problem("missing", key, []);
      s.problem("missing", key, [], n);
      return;
    }
    reportSurplus(t, key, primary.id, surplus);
    s.add(
      "duplicated",
      surplus.reduce((sum, r) => sum + r.stepIds.length, 0),
    );
    const placeDiffs: Difference[] =
      target.modules.get(primary.moduleId) === expectedModule
        ? []
        : [{ path: "module", source: showPath(expectedModule), target: showPath(target.modules.get(primary.moduleId) ?? "[]") }];
    // Fast path: equal digests. Calls compare by the one target id carrying the callee's marker.
    const digestForm = {
      ...expected,
      testSteps: expected.testSteps.map((step) => {
        if (step.calledTestCase === null) return step;
        const id = cases.uniqueId(step.calledTestCase);
        return { ...step, calledTestCase: id === undefined ? `?${step.calledTestCase}` : `#${id}` };
      }),
    };
    if (contentHash(digestForm) === primary.digest) {
      t.paired(key, [primary.id], { misplaced: placeDiffs });
      s.add("matched", n);
      return;
    }
    read.reread++;
    const fresh = await orMissing(() => qtest.testCase(primary.id, { withSteps: true }));
    if (!fresh) {
      t.problem("missing", key, [primary.id], 1, [{ path: "", source: "present", target: "deleted while verifying" }]);
      s.problem("missing", key, [primary.id], n);
      return;
    }
    const actual = targetTestCase(fresh, target.catalogs.testCase, caseFields, (id) => cases.markerOf(id) ?? `#${id}`);
    const differences = diff(expected, actual);
    t.paired(key, [primary.id], { misplaced: placeDiffs, changed: differences });
    // The steps, position by position.
    const m = actual.testSteps.length;
    const shared = Math.min(n, m);
    for (let i = 0; i < shared; i++) {
      const prefix = `testSteps[${i}]`;
      const stepDiffs = differences
        .filter((d) => d.path === prefix || d.path.startsWith(`${prefix}.`))
        .map((d) => ({ ...d, path: d.path.slice(prefix.length + 1) || "step" }));
      s.paired(`${key} ${prefix}`, [primary.id], { changed: stepDiffs });
    }
    if (n > m) s.problem("missing", `${key} ${stepRange(m, n)}`, [primary.id], n - m);
    if (m > n) s.problem("extra", `${key} ${stepRange(n, m)}`, [primary.id], m - n);
  }

  tallies.testCases.targetCount = cases.size;
  for (const record of cases.values()) tallies.testSteps.targetCount += record.stepIds.length;
  for (const record of cases.leftovers()) {
    const key = record.marker ?? `(no ${config.mapping.markerField}) #${record.id}`;
    tallies.testCases.problem("extra", key, [record.id]);
    tallies.testSteps.problem("extra", key, [record.id], record.stepIds.length);
  }

  // ---- test cycles → suites ----
  const suites = target.suites;
  const cycleKeys = new Map<number, string>();
  const suiteFields = target.fieldIds.testSuite;
  for await (const page of zephyr.testCycles()) {
    for (const cycle of page) {
      read.source++;
      cycleKeys.set(cycle.id, cycle.key);
      const expected = expectedSuite(planTestSuite(cycle, resolution), target.catalogs.testSuite, suiteFields);
      const parent = (cycle.folder && cycleOfFolder.get(cycle.folder.id)) || target.rootCycleKey;
      await compareSuite(cycle.key, expected, parent);
      progress.tick("testSuite");
    }
  }

  async function compareSuite(key: string, expected: ReturnType<typeof expectedSuite>, parentKey: string): Promise<void> {
    const t = tallies.testSuites;
    t.sourceCount++;
    const [primary, ...surplus] = suites.take(key);
    if (!primary) {
      t.problem("missing", key, []);
      return;
    }
    reportSurplus(t, key, primary.id, surplus);
    const actualParent = primary.parent.type === "test-cycle" ? target.cycles.get(primary.parent.id) : undefined;
    const placeDiffs: Difference[] =
      actualParent === parentKey
        ? []
        : [
            {
              path: "testCycle",
              source: showPath(parentKey),
              target: actualParent ? showPath(actualParent) : `${primary.parent.type} #${primary.parent.id}`,
            },
          ];
    let differences: Difference[] = [];
    if (contentHash(expected) !== primary.digest) {
      read.reread++;
      const fresh = (await qtest.testSuites(primary.parent)).find((x) => x.id === primary.id);
      differences = fresh
        ? diff(expected, targetSuite(fresh, target.catalogs.testSuite, suiteFields))
        : [{ path: "", source: "present", target: "deleted while verifying" }];
    }
    t.paired(key, [primary.id], { misplaced: placeDiffs, changed: differences });
  }

  // ---- executions → runs and logs ----
  const runs = target.runs;
  const logs = target.logs;
  const expectedRuns = new Set<string>();
  let adHocNeeded = false;
  const logFields = target.fieldIds.testLog;
  progress.expect("testLog", context.sourceCounts.testExecutions);
  for await (const page of zephyr.testExecutions()) {
    await forEachConcurrent(page, concurrency, async (execution) => {
      read.source++;
      await compareExecution(execution);
      progress.tick("testLog");
    });
  }
  progress.finish("testLog");

  async function compareExecution(execution: TestExecution): Promise<void> {
    const t = tallies.testLogs;
    const caseKey = testCaseKeyOf(execution);
    const suiteKey = execution.testCycle ? cycleKeys.get(execution.testCycle.id) : AD_HOC;
    // The migration skips an execution whose test case or cycle it did not migrate.
    if (caseKey === undefined || !sourceKeys.has(caseKey) || suiteKey === undefined) {
      t.excluded++;
      return;
    }
    if (suiteKey === AD_HOC) adHocNeeded = true;
    const key = runKey(execution.testCycle ? suiteKey : null, caseKey);
    if (!expectedRuns.has(key)) {
      expectedRuns.add(key);
      compareRun(key, caseKey, suiteKey);
    }
    // Never executed: no end date, so no log.
    if (!execution.actualEndDate) {
      t.excluded++;
      return;
    }
    const marker = executionMarker(execution);
    const steps = await zephyr.testExecutionSteps(String(execution.id));
    const positions = inlinePositions.get(caseKey) ?? 0;
    const stepIds = typeof positions === "number" ? Array.from({ length: positions }, (_, i) => i) : positions;
    const input = planTestLog(execution, steps, { versionId: 0, stepIds }, resolution);
    t.sourceCount++;
    if (!input) return;
    const expected = expectedLog(input, target.catalogs.testRun, logFields, target.catalogs.statuses);
    const [primary, ...surplus] = logs.take(marker);
    if (!primary) {
      t.problem("missing", marker, []);
      return;
    }
    reportSurplus(t, marker, primary.id, surplus);
    const run = runs.get(primary.runId);
    const placeDiffs: Difference[] = [];
    if (run?.marker !== key) placeDiffs.push({ path: "testRun", source: key, target: run?.marker ?? `#${primary.runId}` });
    else placeDiffs.push(...runPlace(run, caseKey, suiteKey));
    let differences: Difference[] = [];
    if (contentHash(expected) !== primary.digest) {
      read.reread++;
      const fresh = await findLog(primary.runId, primary.id);
      const stepIdsOfCase = run ? cases.get(run.caseId)?.stepIds : undefined;
      differences = fresh
        ? diff(expected, targetLog(fresh, target.catalogs.testRun, logFields, target.catalogs.statuses, stepIdsOfCase))
        : [{ path: "", source: "present", target: "deleted while verifying" }];
    }
    t.paired(marker, [primary.id], { misplaced: placeDiffs, changed: differences });
  }

  function compareRun(key: string, caseKey: string, suiteKey: string): void {
    const t = tallies.testRuns;
    t.sourceCount++;
    const [primary, ...surplus] = runs.take(key);
    if (!primary) {
      t.problem("missing", key, []);
      return;
    }
    reportSurplus(t, key, primary.id, surplus);
    t.paired(key, [primary.id], { misplaced: runPlace(primary, caseKey, suiteKey) });
  }

  /** A run belongs in the suite of its cycle and stands for its test case, both by marker. */
  function runPlace(run: RunRecord, caseKey: string, suiteKey: string): Difference[] {
    const out: Difference[] = [];
    const suiteMarker = run.parentType === "test-suite" ? suites.markerOf(run.parentId) : undefined;
    if (suiteMarker !== suiteKey) {
      out.push({ path: "testSuite", source: suiteKey, target: suiteMarker ?? `${run.parentType} #${run.parentId}` });
    }
    const caseMarker = cases.markerOf(run.caseId);
    if (caseMarker !== caseKey) out.push({ path: "testCase", source: caseKey, target: caseMarker ?? `#${run.caseId}` });
    return out;
  }

  async function findLog(runId: number, logId: number) {
    for await (const page of qtest.testLogs(runId)) {
      const found = page.find((l) => l.id === logId);
      if (found) return found;
    }
    return undefined;
  }

  // The ad-hoc suite, when some execution ran outside any cycle; then what was never paired.
  if (adHocNeeded) {
    const input = planAdHocSuite(resolution);
    await compareSuite(AD_HOC, expectedSuite(input, target.catalogs.testSuite, suiteFields), target.rootCycleKey);
  }
  const leftovers: [EntityTally, TargetSet<{ id: number; marker: string | null }>][] = [
    [tallies.testSuites, suites],
    [tallies.testRuns, runs],
    [tallies.testLogs, logs],
  ];
  for (const [tally, set] of leftovers) {
    tally.targetCount = set.size;
    for (const record of set.leftovers()) {
      tally.problem("extra", record.marker ?? `(no ${config.mapping.markerField}) #${record.id}`, [record.id]);
    }
  }

  return { tallies: Object.values(tallies), read };
}

/** `testSteps[4]`, or `testSteps[4…9]` for steps 4 to 9. */
function stepRange(from: number, to: number): string {
  return to - from === 1 ? `testSteps[${from}]` : `testSteps[${from}…${to - 1}]`;
}

/** Target objects beyond the first that carry the same marker. */
function reportSurplus(tally: EntityTally, key: string, primaryId: number, surplus: readonly { id: number }[]): void {
  if (surplus.length === 0) return;
  tally.problem("duplicated", key, [primaryId, ...surplus.map((r) => r.id)], surplus.length, [
    { path: "count", source: 1, target: surplus.length + 1 },
  ]);
}

/**
 * Containers compared by path: each source path pairs with one target container of that path;
 * a path without one is missing, a container whose path the source lacks is extra, and more
 * containers on one path than the source has are duplicated.
 */
function comparePaths(tally: EntityTally, sourcePaths: readonly string[], target: ReadonlyMap<number, string>): void {
  const expected = new Map<string, number>();
  for (const path of sourcePaths) expected.set(path, (expected.get(path) ?? 0) + 1);
  const actual = new Map<string, number[]>();
  for (const [id, path] of target) actual.set(path, [...(actual.get(path) ?? []), id]);
  tally.sourceCount = sourcePaths.length;
  tally.targetCount = target.size;
  for (const path of new Set([...expected.keys(), ...actual.keys()])) {
    const n = expected.get(path) ?? 0;
    const ids = actual.get(path) ?? [];
    tally.add("matched", Math.min(n, ids.length));
    if (n > ids.length) tally.problem("missing", showPath(path), [], n - ids.length);
    else if (n === 0) tally.problem("extra", showPath(path), ids, ids.length);
    else if (ids.length > n) tally.problem("duplicated", showPath(path), ids, ids.length - n);
  }
}

/** The object, or undefined when it is gone (404). */
async function orMissing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}
