/**
 * A night of edits in Zephyr, as a team makes them while a migration syncs every night: cases renamed
 * and moved, every kind of field emptied, steps removed from cases that were executed, a cycle emptied
 * and moved, an execution's comment and step results cleared, folders moved and renamed, a case deleted. Made through the Zephyr
 * mock's store (the API's own operations), chosen from the generated project by the seed's data.
 */
import type { ZephyrStore } from "../../src/mock/zephyr/store.js";
import type { TestCase, TestCaseUpdate, TestCycle, TestCycleUpdate } from "../../src/zephyr/schemas.js";

export interface MixedNight {
  renamed: string[];
  emptied: string[];
  stepsEmptied: string[];
  moved: string[];
  stepRemoved: string[];
  cycles: string[];
  executions: string[];
  folders: string[];
  deleted: string[];
}

export function applyMixedNight(store: ZephyrStore, projectKey: string): MixedNight {
  const night: MixedNight = {
    renamed: [],
    emptied: [],
    stepsEmptied: [],
    moved: [],
    stepRemoved: [],
    cycles: [],
    executions: [],
    folders: [],
    deleted: [],
  };
  const cases = store.testCases();
  const executions = store.testExecutions();
  const executedKeys = new Set(executions.filter((e) => e.actualEndDate).flatMap((e) => store.executionTestCaseKey(e) ?? []));
  const called = new Set(
    cases.flatMap((t) => stepsOf(store, t.key).flatMap((s) => (s.testCase ? [s.testCase.testCaseKey] : []))),
  );
  const inlineOnly = (t: TestCase, min: number) => {
    const steps = stepsOf(store, t.key);
    return steps.length >= min && steps.every((s) => s.inline);
  };
  const used = new Set<string>();
  const take = (predicate: (t: TestCase) => boolean): TestCase | undefined => {
    const found = cases.find((t) => !used.has(t.key) && predicate(t));
    if (found) used.add(found.key);
    return found;
  };
  const update = (t: TestCase, change: Partial<TestCase>) =>
    store.updateTestCase(t.key, { ...t, ...change } as unknown as TestCaseUpdate);

  // Renamed: an executed case (its runs carry its name) and one never executed.
  for (const executed of [true, false]) {
    const t = take((c) => executedKeys.has(c.key) === executed);
    if (!t) continue;
    update(t, { name: `${t.name} (renamed)` });
    night.renamed.push(t.key);
  }

  // Every field a case has, emptied: objective, precondition, labels, owner, estimate, component, custom fields.
  const full = take(
    (c) =>
      !!c.objective &&
      !!c.owner &&
      (c.labels?.length ?? 0) > 0 &&
      c.estimatedTime != null &&
      Object.values(c.customFields ?? {}).some((v) => v !== null && v !== false && !(Array.isArray(v) && v.length === 0)),
  );
  if (full) {
    const customFields = Object.fromEntries(
      Object.entries(full.customFields ?? {}).map(([name, value]) => [name, Array.isArray(value) ? [] : null]),
    );
    update(full, {
      objective: null,
      precondition: null,
      labels: [],
      owner: null,
      estimatedTime: null,
      component: null,
      customFields,
    });
    night.emptied.push(full.key);
  }

  // A step's test data and expected result emptied.
  const withData = take(
    (c) => inlineOnly(c, 2) && stepsOf(store, c.key).some((s) => s.inline?.testData || s.inline?.expectedResult),
  );
  if (withData) {
    const steps = stepsOf(store, withData.key).map((s) => ({
      inline: { description: s.inline?.description ?? "" },
    }));
    store.addTestSteps(withData.key, { mode: "OVERWRITE", items: steps });
    night.stepsEmptied.push(withData.key);
  }

  // Moved: into another folder, and out of every folder.
  const caseFolders = store.folders("TEST_CASE");
  const inFolder = take((c) => !!c.folder && !called.has(c.key));
  if (inFolder) {
    const other = caseFolders.find((f) => f.id !== inFolder.folder?.id);
    if (other) {
      update(inFolder, { folder: { id: other.id, self: "" } });
      night.moved.push(inFolder.key);
    }
  }
  const toRoot = take((c) => !!c.folder);
  if (toRoot) {
    update(toRoot, { folder: null });
    night.moved.push(toRoot.key);
  }

  // A step removed from a case that was executed with step results.
  const executedWithSteps = take((c) => executedKeys.has(c.key) && inlineOnly(c, 2));
  if (executedWithSteps) {
    const kept = stepsOf(store, executedWithSteps.key).slice(1);
    store.addTestSteps(executedWithSteps.key, {
      mode: "OVERWRITE",
      items: kept.map((s) => ({
        inline: {
          description: s.inline?.description ?? "",
          ...(s.inline?.testData && { testData: s.inline.testData }),
          ...(s.inline?.expectedResult && { expectedResult: s.inline.expectedResult }),
        },
      })),
    });
    night.stepRemoved.push(executedWithSteps.key);
  }

  // A cycle with executions: description and owner emptied, moved to another folder.
  const cycleFolders = store.folders("TEST_CYCLE");
  const cycle = store.testCycles().find((c) => (c.description || c.owner) && executions.some((e) => e.testCycle?.id === c.id));
  if (cycle) {
    const other = cycleFolders.find((f) => f.id !== cycle.folder?.id);
    updateCycle(store, cycle, { description: null, owner: null, folder: other ? { id: other.id, self: "" } : null });
    night.cycles.push(cycle.key);
  }

  // An execution's comment and step results emptied.
  const execution = executions.find(
    (e) => e.actualEndDate && e.comment && store.testExecutionSteps(String(e.id)).some((s) => s.inline.actualResult),
  );
  if (execution) {
    store.updateTestExecution(String(execution.id), { comment: "" });
    const steps = store.testExecutionSteps(String(execution.id));
    store.updateTestExecutionSteps(
      String(execution.id),
      steps.map(() => ({ actualResult: "" })),
    );
    night.executions.push(execution.key ?? String(execution.id));
  }

  // Folders moved and renamed in Zephyr's UI: the modules and test cycles follow.
  for (const type of ["TEST_CASE", "TEST_CYCLE"] as const) {
    const tree = store.folders(type);
    const nested = tree.find((f) => f.parentId !== null);
    if (nested) {
      store.changeFolder(nested.id, { parentId: null });
      night.folders.push(`${type} ${nested.id} moved to the top`);
    }
    const top = tree.find((f) => f.parentId === null && f.id !== nested?.id);
    if (top) {
      store.changeFolder(top.id, { name: `${top.name} (renamed)` });
      night.folders.push(`${type} ${top.id} renamed`);
    }
  }

  // A case deleted (never executed, called by none): `--prune` removes it from qTest.
  const doomed = take((c) => !executedKeys.has(c.key) && !called.has(c.key));
  if (doomed) {
    store.removeTestCase(doomed.key);
    night.deleted.push(doomed.key);
  }
  void projectKey;
  return night;
}

function stepsOf(store: ZephyrStore, key: string) {
  try {
    return store.testSteps(key);
  } catch {
    // A case with a script has no steps.
    return [];
  }
}

function updateCycle(store: ZephyrStore, cycle: TestCycle, change: Partial<TestCycle>): void {
  store.updateTestCycle(cycle.key, { ...cycle, ...change } as unknown as TestCycleUpdate);
}
