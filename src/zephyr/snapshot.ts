import { z } from "zod";
import {
  environmentSchema,
  folderSchema,
  prioritySchema,
  projectSchema,
  statusSchema,
  statusTypeSchema,
  testCaseSchema,
  testCycleSchema,
  testExecutionSchema,
  testExecutionStepSchema,
  testPlanSchema,
  testScriptSchema,
  testStepSchema,
} from "./schemas.js";

/**
 * A Jira issue as Jira's search returns it. `qtest` (default true) says whether qTest already holds a
 * requirement for it, as qTest's own Jira integration would have imported it. An issue id a Zephyr
 * link uses but no entry names is one Jira cannot resolve (deleted, or not visible).
 */
export const jiraIssueSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.object({ summary: z.string() }),
  qtest: z.boolean().optional(),
});
export type JiraIssue = z.infer<typeof jiraIssueSchema>;

/**
 * A Zephyr Scale project as one JSON document: every list exactly as the API returns its items,
 * plus steps, scripts and execution steps keyed by their owner. The mock serves it; a future
 * `ztoq export` writes it.
 */
export const snapshotSchema = z.object({
  project: projectSchema,
  folders: z.array(folderSchema),
  statuses: z.array(statusSchema),
  priorities: z.array(prioritySchema),
  environments: z.array(environmentSchema),
  testCases: z.array(testCaseSchema),
  testCycles: z.array(testCycleSchema),
  testExecutions: z.array(testExecutionSchema),
  testSteps: z.record(z.string(), z.array(testStepSchema)),
  testScripts: z.record(z.string(), testScriptSchema),
  testExecutionSteps: z.record(z.string(), z.array(testExecutionStepSchema)),
  /** Not in the API: status objects do not say their type, which only the `statusType` filter reveals. */
  statusTypes: z.record(z.string(), statusTypeSchema).optional(),
  /** As `GET /testplans` returns them; optional, so snapshots from before test plans still load. */
  testPlans: z.array(testPlanSchema).optional(),
  /** Not in the Zephyr API: the Jira issues the Jira mock knows (see `jiraIssueSchema`). */
  jiraIssues: z.array(jiraIssueSchema).optional(),
});

export type Snapshot = z.infer<typeof snapshotSchema>;
