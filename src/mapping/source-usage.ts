import type { ManagedField } from "../plan/managed-fields.js";
import { TEST_CASE_FIELDS, TEST_LOG_FIELDS, TEST_SUITE_FIELDS } from "../plan/managed-fields.js";
import type { ChoiceList } from "../plan/resolution.js";
import type { ZephyrClient } from "../zephyr/client.js";

/** A source value in use, and how often: each unmapped one is reported once, with its weight. */
export type Uses = Map<string, number>;

/** The source values every write will carry, counted; what preflight resolves against the target. */
export interface SourceUsage {
  choices: Record<ChoiceList, Uses>;
  executionStatuses: Uses;
  users: Uses;
  /** Custom field name → its values (items of a multi-value field counted one by one). */
  customFields: Map<string, Uses>;
  counts: { testCases: number; testCycles: number; testExecutions: number };
}

function count(uses: Uses, value: string | number | null | undefined): void {
  if (value === null || value === undefined || value === "") return;
  uses.set(String(value), (uses.get(String(value)) ?? 0) + 1);
}

export function emptyUsage(): SourceUsage {
  return {
    choices: { testCaseStatus: new Map(), testCycleStatus: new Map(), priority: new Map(), environment: new Map() },
    executionStatuses: new Map(),
    users: new Map(),
    customFields: new Map(),
    counts: { testCases: 0, testCycles: 0, testExecutions: 0 },
  };
}

/** Counts what the managed fields will take from one source entity: their choices and users. */
export function countFields<S>(usage: SourceUsage, fields: readonly ManagedField<S>[], source: S): void {
  for (const { derive } of fields) {
    if (derive.kind === "choice") count(usage.choices[derive.list], derive.of(source));
    else if (derive.kind === "user") count(usage.users, derive.of(source));
  }
}

/**
 * Streams the source's test cases, cycles and executions once, a page at a time, counting the values
 * in use. Execution steps carry execution statuses too, but reading them all would double the work:
 * `executionStatuses` holds what the executions use, and preflight adds every non-archived status.
 */
export async function readSourceUsage(zephyr: ZephyrClient): Promise<SourceUsage> {
  const usage = emptyUsage();
  for await (const page of zephyr.testCases()) {
    for (const testCase of page) {
      usage.counts.testCases++;
      countFields(usage, TEST_CASE_FIELDS, testCase);
      for (const [name, value] of Object.entries(testCase.customFields ?? {})) {
        const uses = usage.customFields.get(name) ?? new Map<string, number>();
        for (const item of Array.isArray(value) ? value : [value]) count(uses, item as string | number | null | undefined);
        usage.customFields.set(name, uses);
      }
    }
  }
  for await (const page of zephyr.testCycles()) {
    for (const cycle of page) {
      usage.counts.testCycles++;
      countFields(usage, TEST_SUITE_FIELDS, cycle);
    }
  }
  for await (const page of zephyr.testExecutions()) {
    for (const execution of page) {
      usage.counts.testExecutions++;
      count(usage.executionStatuses, execution.testExecutionStatus.id);
      countFields(usage, TEST_LOG_FIELDS, execution);
    }
  }
  return usage;
}
