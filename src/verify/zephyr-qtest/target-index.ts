import type { StatusNames } from "../../compare/comparables.js";
import type { FieldCatalog } from "../../compare/field-catalog.js";
import type { Parent } from "../../qtest/client.js";
import type { TargetSet } from "./target-set.js";

/** A target test case, reduced to what pairing and comparing need. */
export interface CaseRecord {
  id: number;
  marker: string | null;
  moduleId: number;
  digest: string;
  /** Step ids in order: test step logs on the current version point at these. */
  stepIds: number[];
  /** The current version (`test_case_version_id`); a log made against another points at steps by order. */
  versionId: number | null;
}

export interface SuiteRecord {
  id: number;
  marker: string | null;
  parent: Parent;
  digest: string;
}

/** A target test run: where it is, which test case it stands for, and a digest of its name. */
export interface TestRunRecord {
  id: number;
  marker: string | null;
  parentId: number;
  parentType: Parent["type"];
  caseId: number;
  digest: string;
}

export interface LogRecord {
  id: number;
  marker: string | null;
  runId: number;
  /** Made against an earlier version of its test case: its step logs were digested `byOrder`. */
  byOrder: boolean;
  digest: string;
}

/** The migrated area of the target, reduced: container paths and compact records per object type. */
export interface TargetIndex {
  catalogs: { testCase: FieldCatalog; testSuite: FieldCatalog; testRun: FieldCatalog; statuses: StatusNames };
  /** The fields compared per object type (the managed fields but the marker, and the custom fields). */
  fieldIds: { testCase: number[]; testSuite: number[]; testLog: number[] };
  rootModuleKey: string;
  rootCycleKey: string;
  /** Module id → path key, for the modules under the root module. */
  modules: Map<number, string>;
  /** Test cycle id → path key, for the test cycles under the root test cycle. */
  cycles: Map<number, string>;
  cases: TargetSet<CaseRecord>;
  suites: TargetSet<SuiteRecord>;
  runs: TargetSet<TestRunRecord>;
  logs: TargetSet<LogRecord>;
  /** Target objects read. */
  read: number;
}
