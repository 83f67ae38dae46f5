import type { ResolvedConfig } from "../config/load.js";
import type { CustomFieldType } from "../config/schema.js";
import { CHOICE_LISTS } from "../plan/resolution.js";
import { FieldDataType } from "../qtest/field-data-type.js";
import type { Field } from "../qtest/schemas.js";
import {
  CHOICE_SETTINGS,
  choicesOf,
  choiceTypes,
  conversionFor,
  findField,
  itemUses,
  listField,
  type SourceNames,
  type TargetSettings,
} from "./resolve.js";
import type { SourceUsage } from "./source-usage.js";
import { matchChoice } from "./value-matching.js";

type Mapping = ResolvedConfig["mapping"];
type FieldObjectType = keyof TargetSettings["fields"];

/** A qTest field the configuration asks preflight to create (`create: true` on a custom field). */
export interface FieldToCreate {
  objectType: FieldObjectType;
  label: string;
  type: CustomFieldType;
  dataType: FieldDataType;
  /** For choice types: the labels of the options the values in use need. */
  allowedValues: string[];
}

/** Allowed values to add to a field qTest has (`mapping.createMissingValues: true`). */
export interface ValuesToAdd {
  objectType: FieldObjectType;
  fieldId: number;
  fieldLabel: string;
  labels: string[];
}

export interface SettingsToCreate {
  fields: FieldToCreate[];
  values: ValuesToAdd[];
}

/** The data type a created field gets for the conversion it is configured with. */
export const DATA_TYPE_OF: Record<CustomFieldType, FieldDataType> = {
  text: FieldDataType.textArea,
  richtext: FieldDataType.richText,
  number: FieldDataType.number,
  date: FieldDataType.datePicker,
  datetime: FieldDataType.dateTimePicker,
  checkbox: FieldDataType.checkBox,
  select: FieldDataType.comboBox,
  multiselect: FieldDataType.multiSelect,
  user: FieldDataType.userList,
  url: FieldDataType.url,
};

/**
 * What qTest lacks that the configuration says to create: custom fields marked `create: true` that
 * the project does not have (with the options their values need), and — with `createMissingValues` —
 * every status, priority, environment or select option in use that matches no allowed value. Pure:
 * preflight creates these (or, in a dry run, reports them), then resolves the mapping against the
 * result, so what is created is exactly what resolution would otherwise report as unmapped.
 * Execution statuses are not field values in qTest and are never created.
 */
export function settingsToCreate(
  usage: SourceUsage,
  names: SourceNames,
  target: TargetSettings,
  mapping: Mapping,
): SettingsToCreate {
  const fields: FieldToCreate[] = [];
  const values: ValuesToAdd[] = [];
  const add = (objectType: FieldObjectType, field: Field, labels: string[]) => {
    const unique = [...new Map(labels.map((l) => [l.toLowerCase(), l])).values()];
    if (unique.length > 0) values.push({ objectType, fieldId: field.id, fieldLabel: field.label, labels: unique });
  };

  if (mapping.createMissingValues) {
    for (const list of CHOICE_LISTS) {
      const field = listField(list, target);
      if (!field) continue;
      const configured = CHOICE_SETTINGS[list].configured(mapping);
      const missing: string[] = [];
      for (const id of usage.choices[list].keys()) {
        const name = names.choices[list].find((s) => String(s.id) === id)?.name;
        if (name === undefined) continue;
        if (!matchChoice(name, choicesOf(field), configured[name])) missing.push(configured[name] ?? name);
      }
      add(objectTypeOf(list), field, missing);
    }
  }

  for (const [name, uses] of usage.customFields) {
    const configured = mapping.customFields[name];
    if (configured && "ignore" in configured) continue;
    const label = configured?.field ?? name;
    const existing = findField(target.fields["test-cases"], label);
    const wanted = (field: Field | undefined) =>
      [...itemUses(uses).keys()].flatMap((item) =>
        matchChoice(item, choicesOf(field), configured?.values?.[item]) ? [] : [configured?.values?.[item] ?? item],
      );
    if (!existing) {
      if (!configured?.create) continue;
      fields.push({
        objectType: "test-cases",
        label,
        type: configured.type,
        dataType: DATA_TYPE_OF[configured.type],
        allowedValues: choiceTypes.has(configured.type) ? [...new Set(wanted(undefined))] : [],
      });
    } else if (mapping.createMissingValues && choiceTypes.has(configured?.type ?? conversionFor(existing.data_type))) {
      add("test-cases", existing, wanted(existing));
    }
  }
  return { fields, values };
}

function objectTypeOf(list: (typeof CHOICE_LISTS)[number]): FieldObjectType {
  return list === "testCycleStatus" ? "test-suites" : list === "environment" ? "test-runs" : "test-cases";
}

/**
 * The target as it will be once `settings` are created — what a dry run resolves against. Created
 * fields and values get negative ids, which no real qTest object has.
 */
export function withSettings(target: TargetSettings, settings: SettingsToCreate): TargetSettings {
  let next = -1;
  const fields = Object.fromEntries(
    Object.entries(target.fields).map(([objectType, list]) => [
      objectType,
      list.map((f) => ({ ...f, allowed_values: f.allowed_values && [...f.allowed_values] })),
    ]),
  ) as Record<FieldObjectType, Field[]>;
  for (const { objectType, fieldId, labels } of settings.values) {
    const field = fields[objectType].find((f) => f.id === fieldId);
    for (const label of labels) field?.allowed_values?.push({ value: next--, label, is_active: true });
  }
  for (const created of settings.fields) {
    fields[created.objectType].push({
      id: next--,
      label: created.label,
      data_type: created.dataType,
      allowed_values: created.allowedValues.map((label) => ({ value: next--, label, is_active: true })),
      required: false,
      constrained: false,
      order: 0,
      multiple: created.type === "multiselect" || created.type === "checkbox",
      searchable: true,
      system_field: false,
    } as Field);
  }
  return { ...target, fields };
}

/** One line per creation, as reports and the dry run list them. */
export function describeSettings(settings: SettingsToCreate): { fields: string[]; values: string[] } {
  return {
    fields: settings.fields.map(
      (f) =>
        `${f.objectType}: ${f.label} (${f.type}${f.allowedValues.length > 0 ? `; options ${f.allowedValues.join(", ")}` : ""})`,
    ),
    values: settings.values.flatMap((v) => v.labels.map((label) => `${v.objectType}: ${v.fieldLabel} = ${label}`)),
  };
}
