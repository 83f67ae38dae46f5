import type { ManagedField } from "../plan/managed-fields.js";
import { TEST_CASE_FIELDS, TEST_LOG_FIELDS, TEST_SUITE_FIELDS } from "../plan/managed-fields.js";
import type { ChoiceList } from "../plan/resolution.js";
import type { ZephyrClient } from "../zephyr/client.js";

/** A source value in use, and how often: each unmapped one is reported once, with its weight. */
export type Uses = Map<string, number>;

/** The accounts in use: how often each appears, and where (for the message that names an unmapped one). */
export type UserUses = Map<string, { uses: number; places: Set<string> }>;

/**
 * A custom field's values in use, whole (a multi-select's list is one value), keyed by `valueKey`: how
 * often each appears, and the value as Zephyr gave it, so preflight converts exactly what the run will.
 */
export type ValueUses = Map<string, { uses: number; value: unknown }>;

/** The source values every write will carry, counted; what preflight resolves against the target. */
export interface SourceUsage {
  choices: Record<ChoiceList, Uses>;
  executionStatuses: Uses;
  /** The accounts the managed user fields carry (owners → Assigned To); see `usersInUse` for all of them. */
  users: UserUses;
  /** Custom field name → its values. */
  customFields: Map<string, ValueUses>;
  counts: { testCases: number; testCycles: number; testExecutions: number };
  /** What the executions become: distinct cycle items (test runs) and executions that ran (test logs). */
  executionTargets: { testRuns: number; testLogs: number };
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

function count(uses: Uses, value: string | number | null | undefined): void {
  if (isEmpty(value)) return;
  uses.set(String(value), (uses.get(String(value)) ?? 0) + 1);
}

function countUser(users: UserUses, accountId: string | undefined, place: string, times = 1): void {
  if (accountId === undefined || accountId === "") return;
  const use = users.get(accountId) ?? { uses: 0, places: new Set<string>() };
  use.uses += times;
  use.places.add(place);
  users.set(accountId, use);
}

/** How a custom field value is keyed and named in messages: text as it is, anything else as JSON. */
export function valueKey(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The items of a value: each entry of a list (a multi-select, a checkbox group), else the value itself. */
export function itemsOf(value: unknown): unknown[] {
  return (Array.isArray(value) ? value : [value]).filter((item) => !isEmpty(item));
}

export function emptyUsage(): SourceUsage {
  return {
    choices: { testCaseStatus: new Map(), testCycleStatus: new Map(), priority: new Map(), environment: new Map() },
    executionStatuses: new Map(),
    users: new Map(),
    customFields: new Map(),
    counts: { testCases: 0, testCycles: 0, testExecutions: 0 },
    executionTargets: { testRuns: 0, testLogs: 0 },
  };
}

/** Counts what the managed fields will take from one source entity: their choices and users. */
export function countFields<S>(usage: SourceUsage, fields: readonly ManagedField<S>[], source: S): void {
  for (const field of fields) {
    const { derive } = field;
    if (derive.kind === "choice") count(usage.choices[derive.list], derive.of(source));
    else if (derive.kind === "user") countUser(usage.users, derive.of(source), `${field.label} of ${field.objectType}`);
  }
}

/** Counts one entity's custom field values (whole values; nothing for an empty one, which is not written). */
export function countCustomFields(usage: SourceUsage, values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) {
    const uses = usage.customFields.get(name) ?? new Map();
    usage.customFields.set(name, uses);
    if (isEmpty(value)) continue;
    const key = valueKey(value);
    const use = uses.get(key) ?? { uses: 0, value };
    use.uses++;
    uses.set(key, use);
  }
}

/**
 * Every account a write will carry: those of the managed user fields, and each item of the custom
 * fields that go to a qTest user field (`userFields`, known once the custom fields are resolved
 * against the target), which the run converts through the same user mapping.
 */
export function usersInUse(usage: SourceUsage, userFields: Iterable<string>): UserUses {
  const users: UserUses = new Map([...usage.users].map(([id, use]) => [id, { uses: use.uses, places: new Set(use.places) }]));
  for (const name of userFields) {
    for (const { uses, value } of usage.customFields.get(name)?.values() ?? []) {
      for (const item of itemsOf(value)) countUser(users, String(item), `custom field '${name}'`, uses);
    }
  }
  return users;
}

/**
 * Streams the source's test cases, cycles and executions once, a page at a time, counting the values
 * in use. Execution steps carry execution statuses too, but reading them all would double the work:
 * `executionStatuses` holds what the executions use, and preflight adds every other execution status.
 */
export async function readSourceUsage(zephyr: ZephyrClient): Promise<SourceUsage> {
  const usage = emptyUsage();
  for await (const page of zephyr.testCases()) {
    for (const testCase of page) {
      usage.counts.testCases++;
      countFields(usage, TEST_CASE_FIELDS, testCase);
      countCustomFields(usage, testCase.customFields ?? {});
    }
  }
  for await (const page of zephyr.testCycles()) {
    for (const cycle of page) {
      usage.counts.testCycles++;
      countFields(usage, TEST_SUITE_FIELDS, cycle);
    }
  }
  const runs = new Set<string>();
  for await (const page of zephyr.testExecutions()) {
    for (const execution of page) {
      usage.counts.testExecutions++;
      runs.add(`${execution.testCycle?.id ?? ""}/${execution.testCase.self ?? ""}`);
      if (execution.actualEndDate) usage.executionTargets.testLogs++;
      count(usage.executionStatuses, execution.testExecutionStatus.id);
      countFields(usage, TEST_LOG_FIELDS, execution);
    }
  }
  usage.executionTargets.testRuns = runs.size;
  return usage;
}
