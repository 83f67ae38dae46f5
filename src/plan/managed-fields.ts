import { FieldDataType } from "../qtest/field-data-type.js";
import type { PropertyInput } from "../qtest/schemas.js";
import type { TestCase, TestCycle, TestExecution } from "../zephyr/schemas.js";
import { executionMarker } from "./markers.js";
import type { ChoiceList, Resolution } from "./resolution.js";

/**
 * The registry of the qTest fields ZTOQ writes: for each, the qTest object type and label, whether
 * qTest has it already or ZTOQ creates it, and how its value derives from the Zephyr entity. Preflight
 * reads the source values to resolve and the fields to check or create from here; plans write the
 * properties from here; verification compares exactly these fields. A field added here is migrated,
 * resolved and verified; a derivation changed here changes all three. Custom fields are the one
 * dynamic set, resolved from the configuration (`mapping.customFields`).
 */

/** The qTest object types whose field settings ZTOQ reads (test logs use the test-run fields). */
export type ManagedObjectType = "test-cases" | "test-suites" | "test-runs";

/** How a field's value derives from the source entity. */
export type Derivation<S> =
  /** Text written as it is. */
  | { kind: "text"; of: (source: S, resolution: Resolution) => string | undefined }
  /** A Zephyr id translated through one of the choice lists preflight resolves. */
  | { kind: "choice"; list: ChoiceList; of: (source: S) => number | undefined }
  /** An Atlassian account id translated to a qTest user through `mapping.users`. */
  | { kind: "user"; of: (source: S) => string | undefined }
  /**
   * The accounts of the entity's user fields (field label, account id) that have no qTest user, one
   * per line: kept in text when `mapping.unmappedUsers` is `keep`, so nothing is lost.
   */
  | { kind: "unmappedUsers"; of: (source: S, resolution: Resolution) => readonly (readonly [string, string])[] };

export interface ManagedField<S> {
  /** Unique; keys `Resolution.fieldIds`. */
  id: string;
  objectType: ManagedObjectType;
  /** qTest's label; null for the marker field, whose label is configured (`mapping.markerField`). */
  label: string | null;
  /** `system`: every qTest project has it, and preflight stops without it; `ztoq`: created by preflight when missing. */
  origin: "system" | "ztoq";
  /** The data type ZTOQ creates the field with (`ztoq` fields). */
  dataType: FieldDataType;
  /**
   * Only created, written and compared when preflight kept unmapped users (`mapping.unmappedUsers:
   * keep` and some account has no qTest user); otherwise the field is left out altogether.
   */
  onlyWhenUsersKept?: true;
  derive: Derivation<S>;
}

const marker = <S>(
  id: string,
  objectType: ManagedObjectType,
  of: (source: S, resolution: Resolution) => string,
): ManagedField<S> => ({
  id,
  objectType,
  label: null,
  origin: "ztoq",
  dataType: FieldDataType.textBox,
  derive: { kind: "text", of },
});

const system = <S>(id: string, objectType: ManagedObjectType, label: string, derive: Derivation<S>): ManagedField<S> => ({
  id,
  objectType,
  label,
  origin: "system",
  dataType: FieldDataType.textBox,
  derive,
});

/** A text field ZTOQ keeps a Zephyr-only fact in. */
const zephyrText = <S>(
  id: string,
  label: string,
  dataType: FieldDataType,
  of: (source: S) => string | undefined,
): ManagedField<S> => ({ id, objectType: "test-cases", label, origin: "ztoq", dataType, derive: { kind: "text", of } });

/** The label of the field that keeps the accounts with no qTest user (`mapping.unmappedUsers: keep`). */
export const UNMAPPED_USERS_LABEL = "Zephyr Unmapped Users";

const unmappedUsers = <S>(
  id: string,
  objectType: ManagedObjectType,
  of: (source: S, resolution: Resolution) => readonly (readonly [string, string])[],
): ManagedField<S> => ({
  id,
  objectType,
  label: UNMAPPED_USERS_LABEL,
  origin: "ztoq",
  dataType: FieldDataType.textArea,
  onlyWhenUsersKept: true,
  derive: { kind: "unmappedUsers", of },
});

/** A test case's accounts: its owner, and each item of its custom fields that go to a qTest user field. */
function testCaseAccounts(t: TestCase, resolution: Resolution): (readonly [string, string])[] {
  const accounts: (readonly [string, string])[] = t.owner?.accountId ? [["Assigned To", t.owner.accountId]] : [];
  for (const [name, target] of resolution.custom) {
    if (target.type !== "user") continue;
    const value = t.customFields?.[name];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== null && item !== undefined && item !== "") accounts.push([name, String(item)]);
    }
  }
  return accounts;
}

/** Test case → test case properties, in the order they are written (the content hash depends on it). */
export const TEST_CASE_FIELDS: readonly ManagedField<TestCase>[] = [
  marker("testCase.marker", "test-cases", (t) => t.key),
  system("testCase.status", "test-cases", "Status", { kind: "choice", list: "testCaseStatus", of: (t) => t.status.id }),
  system("testCase.priority", "test-cases", "Priority", { kind: "choice", list: "priority", of: (t) => t.priority.id }),
  system("testCase.assignedTo", "test-cases", "Assigned To", { kind: "user", of: (t) => t.owner?.accountId ?? undefined }),
  zephyrText("testCase.labels", "Zephyr Labels", FieldDataType.textBox, (t) =>
    t.labels?.length ? t.labels.join(", ") : undefined,
  ),
  zephyrText("testCase.component", "Zephyr Component", FieldDataType.textBox, (t) =>
    t.component ? String(t.component.id) : undefined,
  ),
  zephyrText("testCase.estimatedTime", "Zephyr Estimated Time", FieldDataType.textBox, (t) =>
    t.estimatedTime != null ? formatDuration(t.estimatedTime) : undefined,
  ),
  zephyrText("testCase.links", "Zephyr Links", FieldDataType.textArea, formatLinks),
  unmappedUsers("testCase.unmappedUsers", "test-cases", testCaseAccounts),
];

/** Test cycle → test suite properties. */
export const TEST_SUITE_FIELDS: readonly ManagedField<TestCycle>[] = [
  marker("testSuite.marker", "test-suites", (c) => c.key),
  system("testSuite.status", "test-suites", "Status", { kind: "choice", list: "testCycleStatus", of: (c) => c.status?.id }),
  system("testSuite.plannedStart", "test-suites", "Planned Start Date", {
    kind: "text",
    of: (c) => c.plannedStartDate ?? undefined,
  }),
  system("testSuite.plannedEnd", "test-suites", "Planned End Date", { kind: "text", of: (c) => c.plannedEndDate ?? undefined }),
  system("testSuite.assignedTo", "test-suites", "Assigned To", { kind: "user", of: (c) => c.owner?.accountId ?? undefined }),
  // qTest suites have no description in their body, only fields: the site's "Description" when it has
  // one, else a field ZTOQ creates.
  {
    id: "testSuite.description",
    objectType: "test-suites",
    label: "Description",
    origin: "ztoq",
    dataType: FieldDataType.textArea,
    derive: { kind: "text", of: (c) => c.description ?? undefined },
  },
  unmappedUsers("testSuite.unmappedUsers", "test-suites", (c) =>
    c.owner?.accountId ? [["Assigned To", c.owner.accountId] as const] : [],
  ),
];

/** Cycle item (its run key) → test run properties. */
export const TEST_RUN_FIELDS: readonly ManagedField<{ runKey: string }>[] = [
  marker("testRun.marker", "test-runs", (r) => r.runKey),
];

/** Execution → test log properties (qTest checks log properties against the test-run fields). */
export const TEST_LOG_FIELDS: readonly ManagedField<TestExecution>[] = [
  marker("testLog.marker", "test-runs", (e, resolution) => executionMarker(e, resolution.projectKey)),
  system("testLog.environment", "test-runs", "Environment", {
    kind: "choice",
    list: "environment",
    of: (e) => e.environment?.id,
  }),
];

/** Every managed field, of every object type. */
export function allManagedFields(): readonly ManagedField<never>[] {
  return [...TEST_CASE_FIELDS, ...TEST_SUITE_FIELDS, ...TEST_RUN_FIELDS, ...TEST_LOG_FIELDS] as readonly ManagedField<never>[];
}

/** The label a field has in qTest. */
export function labelOf(field: ManagedField<never>, markerField: string): string {
  return field.label ?? markerField;
}

/** The field's qTest id, as preflight resolved it. */
export function fieldIdOf(field: ManagedField<never>, resolution: Resolution): number {
  const id = resolution.fieldIds.get(field.id);
  if (id === undefined) throw new Error(`field ${field.id} was not resolved`);
  return id;
}

/** The value a field gets for a source entity; undefined leaves it out of the write. */
export function fieldValue<S>(field: ManagedField<S>, source: S, resolution: Resolution): string | undefined {
  const { derive } = field;
  switch (derive.kind) {
    case "text":
      return derive.of(source, resolution);
    case "choice": {
      const id = derive.of(source);
      return id === undefined ? undefined : resolution.choices[derive.list].get(id);
    }
    case "user": {
      const accountId = derive.of(source);
      return accountId ? resolution.users.get(accountId) : undefined;
    }
    case "unmappedUsers": {
      const lines = derive
        .of(source, resolution)
        .filter(([, accountId]) => !resolution.users.has(accountId))
        .map(([label, accountId]) => `${label}: ${accountId}`);
      return lines.length > 0 ? lines.join("\n") : undefined;
    }
  }
}

/** Whether this run writes the field: always, but for the unmapped-users field when none was kept. */
function inUse(field: ManagedField<never>, resolution: Resolution): boolean {
  return !field.onlyWhenUsersKept || resolution.fieldIds.has(field.id);
}

/**
 * The properties a write carries for these fields: every field in use, a field with no value as the
 * empty value — so an update clears what was emptied in Zephyr instead of leaving the old value.
 */
export function managedProperties<S>(fields: readonly ManagedField<S>[], source: S, resolution: Resolution): PropertyInput[] {
  return fields.flatMap((field) => {
    if (!inUse(field as ManagedField<never>, resolution)) return [];
    const value = fieldValue(field, source, resolution);
    return [{ field_id: fieldIdOf(field as ManagedField<never>, resolution), field_value: value ?? EMPTY }];
  });
}

/** What a property holds when its field has no value (qTest's own rendering of an unset field). */
export const EMPTY = "";

/**
 * A body as ZTOQ planned it before empty values were written: empty fields left out. Its hash is how
 * an entity migrated by that ZTOQ is recognised as unchanged rather than rewritten once for nothing.
 */
export function withoutEmptyProperties<T extends { properties?: readonly PropertyInput[] | null }>(input: T): T {
  return { ...input, properties: input.properties?.filter((p) => p.field_value !== EMPTY) };
}

/** The id of the marker field among these fields. */
function markerFieldId(fields: readonly ManagedField<never>[], resolution: Resolution): number {
  const marker = fields.find((f) => f.label === null);
  if (!marker) throw new Error("these fields have no marker");
  return fieldIdOf(marker, resolution);
}

/** The ids of the fields verification compares: every managed field but the marker, which pairs rather than compares. */
function comparedFieldIds(fields: readonly ManagedField<never>[], resolution: Resolution): number[] {
  const markers = new Set(fields.filter((f) => f.label === null).map((f) => fieldIdOf(f, resolution)));
  const compared = fields.filter((f) => f.label !== null && inUse(f, resolution));
  return [...new Set(compared.map((f) => fieldIdOf(f, resolution)))].filter((id) => !markers.has(id));
}

/** The marker field's id per kind of object (runs and logs share the test-run field). */
export function markerFieldIds(resolution: Resolution): {
  testCase: number;
  testSuite: number;
  testRun: number;
  testLog: number;
} {
  const id = (fields: readonly ManagedField<never>[]) => markerFieldId(fields, resolution);
  return {
    testCase: id(TEST_CASE_FIELDS as readonly ManagedField<never>[]),
    testSuite: id(TEST_SUITE_FIELDS as readonly ManagedField<never>[]),
    testRun: id(TEST_RUN_FIELDS as readonly ManagedField<never>[]),
    testLog: id(TEST_LOG_FIELDS as readonly ManagedField<never>[]),
  };
}

/**
 * The fields compared per kind of object, when verification checks the target and when a run adopts
 * what it finds there: the managed fields but the markers, and (test cases) the custom fields.
 */
export function comparedFields(resolution: Resolution): { testCase: number[]; testSuite: number[]; testLog: number[] } {
  const caseFields = TEST_CASE_FIELDS as readonly ManagedField<never>[];
  const marker = markerFieldId(caseFields, resolution);
  return {
    testCase: [
      ...new Set([...comparedFieldIds(caseFields, resolution), ...[...resolution.custom.values()].map((c) => c.fieldId)]),
    ].filter((id) => id !== marker),
    testSuite: comparedFieldIds(TEST_SUITE_FIELDS as readonly ManagedField<never>[], resolution),
    testLog: comparedFieldIds(TEST_LOG_FIELDS as readonly ManagedField<never>[], resolution),
  };
}

/** Zephyr keeps estimates in milliseconds; qTest has no such field, so it is text a person can read. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`;
}

function formatLinks(testCase: TestCase): string | undefined {
  const issues = (testCase.links?.issues ?? []).map((l) => `${l.type ?? "RELATED"} issue ${l.issueId}`);
  const web = (testCase.links?.webLinks ?? []).map(
    (l) => `${l.type ?? "RELATED"} ${l.url}${l.description ? ` (${l.description})` : ""}`,
  );
  const all = [...issues, ...web];
  return all.length > 0 ? all.join("\n") : undefined;
}
