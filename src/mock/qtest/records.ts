import { Collection, type Stamped } from "./collection.js";
import type { IdSequence } from "./ids.js";

/**
 * The stored shape of each qTest object and the collections holding them. Where an object sits
 * (its parent) is not here: the container tree keeps that. `order` is the object's place among
 * its siblings when it was created, as qTest reports it.
 */
interface Numbered extends Stamped {
  pid: string;
}
export interface ModuleRecord extends Numbered {
  name: string;
  description: string;
  order: number;
}
export interface StepRecord {
  id: number;
  description: string;
  expected: string;
  order: number;
  calledTestCaseId?: number;
  parameterValues?: unknown;
}
export interface TestCaseRecord extends Numbered {
  name: string;
  order: number;
  description: string;
  precondition: string;
  props: Map<number, string>;
  steps: StepRecord[];
  /** Every update makes a new version, with an id of its own. */
  versionId: number;
  version: number;
}
export interface CycleRecord extends Numbered {
  name: string;
  description: string;
  order: number;
}
export interface SuiteRecord extends Numbered {
  name: string;
  order: number;
  props: Map<number, string>;
}
export interface RunRecord extends Numbered {
  name: string;
  order: number;
  testCaseId: number;
  testCaseVersionId: number;
  props: Map<number, string>;
}
export interface StepLogRecord {
  id: number;
  testStepId: number | null;
  statusId: number;
  actualResult: string;
  order: number;
  description: string;
  expectedResult: string;
  exeDate: string | null;
  calledTestCaseId?: number;
  parentTestStepId?: number;
}
export interface LogRecord extends Stamped {
  statusId: number;
  exeStart: string;
  exeEnd: string;
  note: string;
  testCaseVersionId: number;
  props: Map<number, string>;
  stepLogs: StepLogRecord[];
}
/** What qTest's Jira integration records on a requirement it imported. */
export interface ExternalProperties {
  id: string;
  link: string;
  unique_id: string;
}
export interface RequirementRecord extends Numbered {
  name: string;
  order: number;
  props: Map<number, string>;
  external?: ExternalProperties;
}
export interface ReleaseRecord extends Numbered {
  name: string;
  order: number;
  props: Map<number, string>;
  description: string;
  note: string;
  startDate: string | null;
  endDate: string | null;
}
export interface AttachmentRecord extends Stamped {
  name: string;
  contentType: string;
  bytes: Uint8Array;
  objectType: string;
  objectId: number;
}

export interface Records {
  modules: Collection<ModuleRecord>;
  testCases: Collection<TestCaseRecord>;
  testCycles: Collection<CycleRecord>;
  testSuites: Collection<SuiteRecord>;
  testRuns: Collection<RunRecord>;
  testLogs: Collection<LogRecord>;
  attachments: Collection<AttachmentRecord>;
  /** The Requirements tab's own tree of modules, apart from the test design modules `/modules` serves. */
  requirementModules: Collection<ModuleRecord>;
  requirements: Collection<RequirementRecord>;
  releases: Collection<ReleaseRecord>;
}

export function createRecords(ids: IdSequence, clock: () => number): Records {
  return {
    modules: new Collection(ids, clock, { noun: "Module", pid: "MD" }),
    testCases: new Collection(ids, clock, { noun: "Test case", pid: "TC" }),
    testCycles: new Collection(ids, clock, { noun: "Test cycle", pid: "CL" }),
    testSuites: new Collection(ids, clock, { noun: "Test suite", pid: "TS" }),
    testRuns: new Collection(ids, clock, { noun: "Test run", pid: "TR" }),
    testLogs: new Collection(ids, clock, { noun: "Test log" }),
    attachments: new Collection(ids, clock, { noun: "Attachment" }),
    requirementModules: new Collection(ids, clock, { noun: "Module", pid: "MD" }),
    requirements: new Collection(ids, clock, { noun: "Requirement", pid: "RQ" }),
    releases: new Collection(ids, clock, { noun: "Release", pid: "RL" }),
  };
}
