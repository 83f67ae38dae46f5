import type { ResolvedConfig } from "../config/load.js";
import type { CustomFieldType } from "../config/schema.js";
import { convertCustomField, UnmappedValue } from "../plan/custom-fields.js";
import { allManagedFields } from "../plan/managed-fields.js";
import type { ChoiceList, CustomFieldTarget, Resolution } from "../plan/resolution.js";
import type { User } from "../qtest/client.js";
import { FieldDataType } from "../qtest/field-data-type.js";
import type { ExecutionStatus, Field } from "../qtest/schemas.js";
import { itemsOf, type SourceUsage, type UserUses, type Uses, usersInUse, type ValueUses } from "./source-usage.js";
import { type Choice, matchChoice } from "./value-matching.js";

type Mapping = ResolvedConfig["mapping"];

/** A source value with no target: reported all at once, before anything is written. */
export interface MappingProblem {
  what: string;
  value: string;
  uses: number;
  allowed: string[];
  configKey: string;
  /** Where the value appears, when the value alone does not say (an account: the fields that carry it). */
  usedIn?: string[];
}

/** How each choice list is named in messages and configured. */
export const CHOICE_SETTINGS: Record<
  ChoiceList,
  { what: string; configKey: string; configured: (mapping: Mapping) => Record<string, string> }
> = {
  testCaseStatus: {
    what: "test case status",
    configKey: "mapping.statuses.testCase",
    configured: (m) => m.statuses.testCase,
  },
  testCycleStatus: {
    what: "test cycle status",
    configKey: "mapping.statuses.testCycle",
    configured: (m) => m.statuses.testCycle,
  },
  priority: { what: "priority", configKey: "mapping.priorities", configured: (m) => m.priorities },
  environment: { what: "environment", configKey: "mapping.environments", configured: (m) => m.environments },
};

/** What the target holds that a mapping resolves against. */
export interface TargetSettings {
  fields: Record<"test-cases" | "test-suites" | "test-runs", readonly Field[]>;
  executionStatuses: readonly ExecutionStatus[];
  users: readonly User[];
}

/** Zephyr names of the ids in use, per list (statuses, priorities, environments). */
export interface SourceNames {
  choices: Record<ChoiceList, readonly { id: number; name: string }[]>;
  executionStatuses: readonly { id: number; name: string }[];
}

export function findField(fields: readonly Field[], label: string): Field | undefined {
  return fields.find((f) => f.label.toLowerCase() === label.toLowerCase());
}

/** A field's active allowed values, as choices. */
export function choicesOf(field: Field | undefined): Choice[] {
  return (field?.allowed_values ?? []).filter((v) => v.is_active !== false).map((v) => ({ id: String(v.value), label: v.label }));
}

/** The field whose allowed values a choice list is translated into: the managed field that uses the list. */
export function listField(list: ChoiceList, target: TargetSettings): Field | undefined {
  const managed = allManagedFields().find((f) => f.derive.kind === "choice" && f.derive.list === list);
  return managed?.label ? findField(target.fields[managed.objectType], managed.label) : undefined;
}

/**
 * Resolves every source value in use against the target: choice lists by configured label, same name
 * or synonym; users by configuration; custom fields by configuration or same-named field. Pure: the
 * problems come back, all of them, for the caller to report at once.
 */
export function resolveValues(
  usage: SourceUsage,
  names: SourceNames,
  target: TargetSettings,
  mapping: Mapping,
): { values: Omit<Resolution, "markerField" | "projectKey" | "fieldIds">; problems: MappingProblem[]; keptUsers: UserUses } {
  const problems: MappingProblem[] = [];
  const keptUsers: UserUses = new Map();
  const resolveNamed = (
    uses: Uses,
    sources: readonly { id: number; name: string }[],
    targets: Choice[],
    settings: { what: string; configKey: string; configured: Record<string, string> },
  ): Map<number, string> => {
    const resolved = new Map<number, string>();
    for (const [id, count] of uses) {
      const name = sources.find((s) => String(s.id) === id)?.name ?? `#${id}`;
      const match = matchChoice(name, targets, settings.configured[name]);
      if (match) resolved.set(Number(id), match.id);
      else {
        problems.push({
          what: settings.what,
          value: name,
          uses: count,
          allowed: targets.map((t) => t.label),
          configKey: `${settings.configKey}.${name}`,
        });
      }
    }
    return resolved;
  };
  const choice = (list: ChoiceList) => {
    const settings = CHOICE_SETTINGS[list];
    return resolveNamed(usage.choices[list], names.choices[list], choicesOf(listField(list, target)), {
      ...settings,
      configured: settings.configured(mapping),
    });
  };
  // The order problems are listed in: statuses, priorities, environments, users, custom fields.
  const testCaseStatus = choice("testCaseStatus");
  const testCycleStatus = choice("testCycleStatus");
  const executionStatus = new Map<number, number>();
  const executionStatusChoices = target.executionStatuses.map((s) => ({ id: String(s.id), label: s.name }));
  const executionSettings = {
    what: "execution status",
    configKey: "mapping.statuses.testExecution",
    configured: mapping.statuses.testExecution,
  };
  for (const [id, value] of resolveNamed(
    usage.executionStatuses,
    names.executionStatuses,
    executionStatusChoices,
    executionSettings,
  )) {
    executionStatus.set(id, Number(value));
  }
  const choices: Record<ChoiceList, ReadonlyMap<number, string>> = {
    testCaseStatus,
    testCycleStatus,
    priority: choice("priority"),
    environment: choice("environment"),
  };

  // Custom fields first, though their problems are listed last: which of them go to a user field
  // decides which accounts must resolve.
  const customProblems: MappingProblem[] = [];
  const custom = resolveCustomFields(usage.customFields, target.fields["test-cases"], mapping, customProblems);
  const userFields = [...custom].filter(([, field]) => field.type === "user").map(([name]) => name);

  const users = new Map<string, string>();
  const userChoices = target.users.map((u) => ({ id: String(u.id), label: u.username }));
  for (const [accountId, use] of usersInUse(usage, userFields)) {
    const configured = mapping.users[accountId];
    const match =
      configured === undefined
        ? undefined
        : userChoices.find((u) => u.id === String(configured) || u.label.toLowerCase() === String(configured).toLowerCase());
    if (match) users.set(accountId, match.id);
    else if (mapping.unmappedUsers === "keep") keptUsers.set(accountId, use);
    else {
      problems.push({
        what: "user",
        value: accountId,
        uses: use.uses,
        allowed: userChoices.map((u) => u.label),
        configKey: `mapping.users.${accountId} (or mapping.unmappedUsers: keep)`,
        usedIn: [...use.places],
      });
    }
  }
  problems.push(...customProblems);
  problems.push(...conversionProblems(usage.customFields, custom, users));
  return {
    values: { choices, executionStatus, users, custom, unmappedUsers: mapping.unmappedUsers },
    problems,
    keptUsers,
  };
}

export const choiceTypes: ReadonlySet<CustomFieldType> = new Set(["select", "multiselect", "checkbox"]);

/** What a field of a type takes, for a value the conversion refuses. */
const EXPECTED: Partial<Record<CustomFieldType, string>> = {
  number: "a number",
  date: "a date (yyyy-MM-dd or ISO 8601)",
  datetime: "a date and time (ISO 8601)",
  select: "a single value",
  user: "a single user",
};

/**
 * Every custom field value in use, converted as the run will convert it (`convertCustomField`): what
 * fails here would stop the run. Values already reported (an item with no allowed value, an unmapped
 * user) are not reported twice.
 */
function conversionProblems(
  used: ReadonlyMap<string, ValueUses>,
  custom: ReadonlyMap<string, CustomFieldTarget>,
  users: ReadonlyMap<string, string>,
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  for (const [name, target] of custom) {
    for (const [key, { uses, value }] of used.get(name) ?? []) {
      const items = itemsOf(value).map(String);
      if (choiceTypes.has(target.type) && items.some((item) => !target.values.has(item))) continue;
      if (target.type === "user" && items.some((item) => !users.has(item))) continue;
      try {
        convertCustomField(value, target, users, "keep");
      } catch (error) {
        if (!(error instanceof UnmappedValue)) throw error;
        problems.push({
          what: `value of custom field '${name}' (${target.type})`,
          value: key,
          uses,
          allowed: [EXPECTED[target.type] ?? error.message],
          configKey: `mapping.customFields.${name} (map it to a field of another type, or { ignore: true })`,
        });
      }
    }
  }
  return problems;
}

function resolveCustomFields(
  used: ReadonlyMap<string, ValueUses>,
  caseFields: readonly Field[],
  mapping: Mapping,
  problems: MappingProblem[],
): Map<string, CustomFieldTarget> {
  const custom = new Map<string, CustomFieldTarget>();
  for (const [name, values] of used) {
    const configured = mapping.customFields[name];
    if (configured && "ignore" in configured) continue;
    const target = findField(caseFields, configured?.field ?? name);
    if (!target) {
      problems.push({
        what: "custom field",
        value: name,
        uses: [...values.values()].reduce((sum, use) => sum + use.uses, 0),
        allowed: caseFields.filter((f) => !f.system_field).map((f) => f.label),
        configKey: `mapping.customFields.${name} (map it to a qTest field, or { ignore: true })`,
      });
      continue;
    }
    const type: CustomFieldType = configured?.type ?? conversionFor(target.data_type);
    const valueIds = new Map<string, string>();
    if (choiceTypes.has(type)) {
      for (const [value, uses] of itemUses(values)) {
        const match = matchChoice(value, choicesOf(target), configured?.values?.[value]);
        if (match) valueIds.set(value, match.id);
        else {
          problems.push({
            what: `value of custom field '${name}'`,
            value,
            uses,
            allowed: choicesOf(target).map((c) => c.label),
            configKey: `mapping.customFields.${name}.values.${value}`,
          });
        }
      }
    }
    custom.set(name, { fieldId: target.id, type, values: valueIds });
  }
  return custom;
}

/** How often each item of the values appears (a multi-select's entries one by one). */
export function itemUses(values: ValueUses): Uses {
  const items: Uses = new Map();
  for (const { uses, value } of values.values()) {
    for (const item of itemsOf(value)) items.set(String(item), (items.get(String(item)) ?? 0) + uses);
  }
  return items;
}

/** The natural conversion for a qTest field's data type. */
export function conversionFor(dataType: number): CustomFieldType {
  switch (dataType) {
    case FieldDataType.textArea:
      return "text";
    case FieldDataType.comboBox:
      return "select";
    case FieldDataType.datePicker:
      return "date";
    case FieldDataType.userList:
      return "user";
    case FieldDataType.richText:
      return "richtext";
    case FieldDataType.number:
      return "number";
    case FieldDataType.checkBox:
      return "checkbox";
    case FieldDataType.dateTimePicker:
      return "datetime";
    case FieldDataType.url:
      return "url";
    case FieldDataType.multiSelect:
      return "multiselect";
    default:
      return "text";
  }
}

export function describeProblems(problems: readonly MappingProblem[]): string {
  const lines = problems.map(
    (p) =>
      `  - ${p.what} '${p.value}' (used ${p.uses}×${p.usedIn?.length ? ` in ${p.usedIn.join(", ")}` : ""}): set ${p.configKey}; allowed: ${p.allowed.length > 0 ? p.allowed.join(", ") : "(none)"}`,
  );
  return [`${problems.length} source value(s) have no mapping in the qTest project; nothing was written:`, ...lines].join("\n");
}
