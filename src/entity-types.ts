import { z } from "zod";

/**
 * The kinds of qTest objects ZTOQ makes from Zephyr, named once for the state store, progress, the
 * migration report and the verification report.
 */
export const entityTypeSchema = z.enum([
  "module",
  "testCase",
  "testStep",
  "testCycle",
  "testSuite",
  "testRun",
  "testLog",
  "release",
  "requirement",
]);
export type EntityType = z.infer<typeof entityTypeSchema>;

/** The types the state store keeps a record of: a test step lives inside its test case's record. */
export const recordedTypeSchema = entityTypeSchema.exclude(["testStep"]);
export type RecordedType = z.infer<typeof recordedTypeSchema>;

/** How progress lines and migration summaries name a type: what is counted. */
export const ENTITY_NAMES: Record<EntityType, string> = {
  module: "modules",
  testCase: "test cases",
  testStep: "test steps",
  testCycle: "test cycles",
  testSuite: "test suites",
  testRun: "test runs",
  testLog: "executions",
  release: "releases",
  requirement: "requirements",
};

/** How verification names a type: what in Zephyr became what in qTest. */
export const ENTITY_MAPPINGS: Record<EntityType, string> = {
  module: "Test case folders → modules",
  testCase: "Test cases",
  testStep: "Test steps",
  testCycle: "Cycle folders → test cycles",
  testSuite: "Test cycles → test suites",
  testRun: "Cycle items → test runs",
  testLog: "Executions → test logs",
  release: "Test plans → releases",
  requirement: "Jira coverage → requirement links",
};
