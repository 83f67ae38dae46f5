import type { RecordedType } from "../entity-types.js";

/**
 * What a rollback reads before it decides anything: the qTest project's containers and the objects
 * that could be ZTOQ's, each reduced to id, name, place and marker, plus what the state store
 * recorded. Plain data, so the plan (`plan.ts`) is a pure function of it.
 */

/** A place in qTest's test execution tree (`parentType` / `parentId`; the root has id 0). */
export interface ExecutionParent {
  type: "root" | "release" | "test-cycle" | "test-suite";
  id: number;
}

export interface ModuleNode {
  id: number;
  name: string;
  /** null for a top-level module. */
  parentId: number | null;
}

export interface CaseNode {
  id: number;
  name: string;
  moduleId: number;
  /** The marker field's value; null when the object carries none (not made by ZTOQ). */
  marker: string | null;
}

export interface CycleNode {
  id: number;
  name: string;
  parent: ExecutionParent;
}

export interface SuiteNode {
  id: number;
  name: string;
  parent: ExecutionParent;
  marker: string | null;
}

export interface RunNode {
  id: number;
  name: string;
  parent: ExecutionParent;
  testCaseId: number;
  marker: string | null;
}

export interface LogNode {
  id: number;
  runId: number;
  marker: string | null;
}

/** A release or a requirement carrying a marker: objects with no children ZTOQ made. */
export interface MarkedNode {
  id: number;
  name: string;
  marker: string | null;
}

/** A state record, as far as a rollback needs it: its key and the qTest object it names (null: none yet). */
export interface RecordRef {
  key: string;
  targetId: number | null;
}

export interface ProjectSnapshot {
  /** The Zephyr project rolled back: the markers of its objects name it. */
  projectKey: string;
  /** The label of the marker field (`mapping.markerField`). */
  markerField: string;
  /** Names of ZTOQ's top-level module and test cycle (`mapping.rootModule`, `mapping.cycleRoot.name`). */
  rootModuleName: string;
  rootCycleName: string;
  /** Every module of the project. */
  modules: ModuleNode[];
  /** The modules whose test cases were all listed: ZTOQ's area and the subtrees of recorded modules. */
  listedModules: number[];
  /** The test cases of the listed modules, and every test case carrying a marker wherever it is. */
  testCases: CaseNode[];
  /** Every test cycle under the project root. */
  cycles: CycleNode[];
  /** The suites of those cycles, and every suite carrying a marker wherever it is. */
  suites: SuiteNode[];
  /** Every test run of the project (a test case goes with its runs, wherever they are). */
  runs: RunNode[];
  /** The logs of every run that carries a marker. */
  logs: LogNode[];
  /** Every release and every requirement carrying a marker (test plans, and the Jira issues ZTOQ made requirements for). */
  releases: MarkedNode[];
  requirements: MarkedNode[];
  /** Whether there is a state store; without one, `state` is empty and ownership is decided without it. */
  stateStore: boolean;
  /** The state store's records per type (empty when there is no state). */
  state: Record<RecordedType, RecordRef[]>;
}

export function emptyState(): Record<RecordedType, RecordRef[]> {
  return { module: [], testCase: [], testCycle: [], testSuite: [], testRun: [], testLog: [], release: [], requirement: [] };
}
