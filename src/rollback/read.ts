import { forEachConcurrent } from "../concurrency/pool.js";
import type { ResolvedConfig } from "../config/load.js";
import { type RecordedType, recordedTypeSchema } from "../entity-types.js";
import type { Logger } from "../log/logger.js";
import { isProjectMarker } from "../plan/markers.js";
import type { FieldObjectType, QTestClient } from "../qtest/client.js";
import type { Module, TestCycle } from "../qtest/schemas.js";
import { notEmptyQuery, type SearchObjectType } from "../qtest/search.js";
import type { StateStore } from "../state/store.js";
import {
  type CaseNode,
  type CycleNode,
  emptyState,
  type LogNode,
  type ModuleNode,
  type ProjectSnapshot,
  type RunNode,
  type SuiteNode,
} from "./snapshot.js";

type Properties = readonly { field_id: number; field_value: string }[] | null | undefined;

/**
 * Reads what a rollback decides on, in bulk: the whole module tree and test cycle tree (one request
 * each, suites included), every test run of the project (one paged listing: a test case goes with
 * its runs wherever they are), the test cases of ZTOQ's modules, the test cases and suites that carry
 * a marker anywhere (a paged search each), the logs of every run whose marker names this project, and
 * the state's records.
 */
export async function readProject(input: {
  qtest: QTestClient;
  config: ResolvedConfig;
  state: StateStore | undefined;
  log: Logger;
}): Promise<ProjectSnapshot> {
  const { qtest, config, state, log } = input;
  const concurrency = config.migration.concurrency;
  const markerField = config.mapping.markerField;
  const projectKey = config.zephyr.projectKey;
  const rootModuleName = config.mapping.rootModule ?? config.zephyr.projectKey;
  const rootCycleName = config.mapping.cycleRoot?.name ?? config.zephyr.projectKey;

  const records = emptyState();
  if (state) {
    for (const type of recordedTypeSchema.options) {
      for await (const record of state.list(type)) records[type].push({ key: record.key, targetId: record.targetId });
    }
  }

  // The marker field of each object type (logs share the test-run fields); absent: nothing carries one.
  const markerIdOf = async (objectType: FieldObjectType) => {
    const fields = await qtest.fields(objectType, { includeInactive: true });
    return fields.find((f) => f.label.trim().toLowerCase() === markerField.trim().toLowerCase())?.id;
  };
  const [caseMarker, suiteMarker, runMarker] = await Promise.all([
    markerIdOf("test-cases"),
    markerIdOf("test-suites"),
    markerIdOf("test-runs"),
  ]);
  const markerIn = (properties: Properties, fieldId: number | undefined) => {
    const value = fieldId === undefined ? undefined : properties?.find((p) => p.field_id === fieldId)?.field_value?.trim();
    return value ? value : null;
  };
  const marked = <K extends SearchObjectType>(objectType: K, fieldId: number | undefined) =>
    fieldId === undefined ? [] : qtest.search(objectType, notEmptyQuery(markerField));

  // Modules: the whole tree, then the subtrees whose test cases are listed.
  const modules: ModuleNode[] = [];
  const moduleChildren = new Map<number, number[]>();
  const walkModules = (nodes: readonly Module[], parentId: number | null) => {
    for (const node of nodes) {
      modules.push({ id: node.id, name: node.name, parentId });
      if (parentId !== null) moduleChildren.set(parentId, [...(moduleChildren.get(parentId) ?? []), node.id]);
      walkModules(node.children ?? [], node.id);
    }
  };
  walkModules(await qtest.moduleTree(), null);
  const recordedModules = new Set(records.module.flatMap((r) => (r.targetId === null ? [] : [r.targetId])));
  const listed = new Set<number>();
  const addSubtree = (id: number) => {
    if (listed.has(id)) return;
    listed.add(id);
    for (const child of moduleChildren.get(id) ?? []) addSubtree(child);
  };
  for (const m of modules) {
    if ((m.parentId === null && m.name === rootModuleName) || recordedModules.has(m.id)) addSubtree(m.id);
  }

  const testCases = new Map<number, CaseNode>();
  await forEachConcurrent([...listed], concurrency, async (moduleId) => {
    for await (const page of qtest.testCases(moduleId)) {
      for (const t of page) testCases.set(t.id, { id: t.id, name: t.name, moduleId, marker: markerIn(t.properties, caseMarker) });
    }
  });
  for await (const page of marked("test-cases", caseMarker)) {
    for (const t of page) {
      const marker = markerIn(t.properties, caseMarker);
      if (marker !== null && !testCases.has(t.id)) testCases.set(t.id, { id: t.id, name: t.name, moduleId: t.parent_id, marker });
    }
  }

  // Test cycles and their suites: the whole tree under the project root.
  const cycles: CycleNode[] = [];
  const suites = new Map<number, SuiteNode>();
  const walkCycles = (nodes: readonly TestCycle[], parent: CycleNode["parent"]) => {
    for (const node of nodes) {
      cycles.push({ id: node.id, name: node.name, parent });
      const here = { type: "test-cycle", id: node.id } as const;
      for (const s of node["test-suites"] ?? []) {
        suites.set(s.id, { id: s.id, name: s.name, parent: here, marker: markerIn(s.properties, suiteMarker) });
      }
      walkCycles(node["test-cycles"] ?? [], here);
    }
  };
  walkCycles(await qtest.testCycleTree(), { type: "root", id: 0 });
  for await (const page of marked("test-suites", suiteMarker)) {
    for (const s of page) {
      const marker = markerIn(s.properties, suiteMarker);
      if (marker === null || suites.has(s.id)) continue;
      suites.set(s.id, { id: s.id, name: s.name, parent: { type: s.parentType ?? "root", id: s.parentId ?? 0 }, marker });
    }
  }

  // Every run of the project, then the logs of the runs that may be this project's (another's never go).
  const runs: RunNode[] = [];
  for await (const page of qtest.testRuns({ id: 0, type: "root" }, { descendants: true })) {
    for (const r of page) {
      runs.push({
        id: r.id,
        name: r.name,
        parent: { type: r.parentType, id: r.parentId },
        testCaseId: r.test_case.id,
        marker: markerIn(r.properties, runMarker),
      });
    }
  }
  const logs: LogNode[] = [];
  await forEachConcurrent(
    runs.filter((r) => r.marker !== null && isProjectMarker(r.marker, projectKey, false)),
    concurrency,
    async (run) => {
      for await (const page of qtest.testLogs(run.id)) {
        for (const l of page) logs.push({ id: l.id, runId: run.id, marker: markerIn(l.properties, runMarker) });
      }
    },
  );

  // Releases and requirements: only those carrying a marker can be ZTOQ's (a link goes with either end).
  const markedOf = async (objectType: "releases" | "requirements") => {
    const fieldId = await markerIdOf(objectType);
    if (fieldId === undefined) return [];
    const items = objectType === "releases" ? await qtest.releases() : await qtest.requirements();
    return items.flatMap((o) => {
      const marker = markerIn(o.properties, fieldId);
      return marker === null ? [] : [{ id: o.id, name: o.name, marker }];
    });
  };
  const [releases, requirements] = await Promise.all([markedOf("releases"), markedOf("requirements")]);

  const snapshot: ProjectSnapshot = {
    projectKey,
    markerField,
    rootModuleName,
    rootCycleName,
    modules,
    listedModules: [...listed],
    testCases: [...testCases.values()],
    cycles,
    suites: [...suites.values()],
    runs,
    logs,
    releases,
    requirements,
    stateStore: state !== undefined,
    state: records,
  };
  log.info(
    {
      modules: modules.length,
      testCases: testCases.size,
      testCycles: cycles.length,
      testSuites: suites.size,
      testRuns: runs.length,
      testLogs: logs.length,
      releases: releases.length,
      requirements: requirements.length,
      stateRecords: Object.fromEntries(recordedTypeSchema.options.map((t: RecordedType) => [t, records[t].length])),
    },
    "rollback: project read",
  );
  return snapshot;
}
