import type { TestExecution } from "../zephyr/schemas.js";

/**
 * The marker values every created object carries in the marker field: what makes a migration
 * idempotent, what verification pairs source and target by, and what a rollback reads as ZTOQ's.
 *
 * Every marker names its Zephyr project, so that several Zephyr projects migrated into one qTest
 * project never take each other's objects: case, cycle and execution keys (`QA-T1`, `QA-R1`, `QA-E1`)
 * start with the project key; a run's marker (`QA-R1/QA-T1`, `ad-hoc/QA-T1`) ends with its case key;
 * the ad-hoc suite is `QA-ad-hoc` and a log of an execution without a key `QA-execution-<id>`.
 * Earlier ZTOQ versions wrote those two as `ad-hoc` and `execution-<id>`, naming no project: such a
 * legacy marker is only ever taken as a project's when something else ties the object to it
 * (`isProjectMarker`).
 */

/** Executions outside any cycle share one run per test case, in a suite of their own: `ad-hoc/<case key>`. */
export const AD_HOC = "ad-hoc";

/** The marker of the suite holding the runs of executions made outside any cycle: `<project key>-ad-hoc`. */
export function adHocSuiteMarker(projectKey: string): string {
  return `${projectKey}-${AD_HOC}`;
}

/**
 * A test run stands for one test case in one suite (a Zephyr "cycle item"); every execution of the
 * case in that cycle becomes a log on it. Its marker is `<cycle key>/<test case key>`.
 */
export function runKey(cycleKey: string | null, testCaseKey: string): string {
  return `${cycleKey ?? AD_HOC}/${testCaseKey}`;
}

/** The test case key a run marker (`runKey`) names. */
export function testCaseKeyOfRun(key: string): string {
  return key.slice(key.lastIndexOf("/") + 1);
}

/** The cycle key (or `AD_HOC`) a run marker (`runKey`) names. */
export function cycleKeyOfRun(key: string): string {
  return key.slice(0, key.lastIndexOf("/"));
}

/** The marker of a log: the execution key, or `<project key>-execution-<id>` where Zephyr gave it no key. */
export function executionMarker(execution: TestExecution, projectKey: string): string {
  return execution.key ?? `${projectKey}-execution-${execution.id}`;
}

const LEGACY_EXECUTION = /^execution-\d+$/;
const SCOPED_LEGACY = /^[A-Z][A-Z_0-9]+-(ad-hoc|execution-\d+)$/;
const PROJECT_PREFIX = /^([A-Z][A-Z_0-9]+)-./;

/**
 * The form an earlier ZTOQ gave the object that now carries `marker` (`QA-ad-hoc` → `ad-hoc`,
 * `QA-execution-7` → `execution-7`); undefined for a marker whose form never changed.
 */
export function legacyMarkerOf(marker: string): string | undefined {
  return SCOPED_LEGACY.exec(marker)?.[1];
}

/**
 * Whose a marker is: the Zephyr project it names (`project`), none because an earlier ZTOQ wrote it
 * without one (`legacy`: `ad-hoc`, `execution-<id>`), or not a marker ZTOQ writes at all (`unknown`:
 * a value typed by hand).
 */
export type MarkerOwner = { kind: "project"; projectKey: string } | { kind: "legacy" } | { kind: "unknown" };

export function markerOwner(marker: string): MarkerOwner {
  const value = marker.trim();
  if (value === AD_HOC || LEGACY_EXECUTION.test(value)) return { kind: "legacy" };
  // A run's marker names its project by its test case key, after the last slash.
  const named = value.includes("/") ? value.slice(value.lastIndexOf("/") + 1) : value;
  const projectKey = PROJECT_PREFIX.exec(named)?.[1];
  return projectKey === undefined ? { kind: "unknown" } : { kind: "project", projectKey };
}

/**
 * Whether an object carrying `marker` may be taken as project `projectKey`'s: its marker names that
 * project, or is a legacy one and `tied` — something other than the marker ties the object to the
 * project (its place, or the project's state recording its id; each caller says which it has).
 * The marker alone never makes an object ZTOQ's work: adoption and rollback ask more of it.
 */
export function isProjectMarker(marker: string, projectKey: string, tied: boolean): boolean {
  const owner = markerOwner(marker);
  if (owner.kind === "legacy") return tied;
  return owner.kind === "project" && owner.projectKey === projectKey;
}

/** The execution's test case reference has no key field; the key sits in its `self` URL. */
export function testCaseKeyOf(execution: TestExecution): string | undefined {
  return /\/testcases\/([^/?]+)/.exec(execution.testCase.self ?? "")?.[1];
}
