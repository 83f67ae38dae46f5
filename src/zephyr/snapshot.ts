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
  testScriptSchema,
  testStepSchema,
} from "./schemas.js";

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
});

export type Snapshot = z.infer<typeof snapshotSchema>;
