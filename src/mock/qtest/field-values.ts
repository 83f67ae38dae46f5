import { FieldDataType } from "../../qtest/field-data-type.js";
import type { Field, Property, PropertyInput } from "../../qtest/schemas.js";
import { QTestApiError } from "./errors.js";
import { attributeTypeOf, type FieldSeed } from "./system-fields.js";

/** What checking a field value needs beyond the field itself. */
export interface FieldContext {
  users: readonly { id: number; first_name: string; last_name: string }[];
  projectId: number;
  /** Fields qTest computes itself; a write that sets one is refused. */
  readOnly: ReadonlySet<number>;
}

export function fieldFromSeed(seed: FieldSeed, system: boolean): Field {
  const allowed = seed.allowed_values ?? [];
  return {
    links: [],
    id: seed.id,
    label: seed.label,
    attribute_type: attributeTypeOf[seed.data_type] ?? "ShortText",
    required: seed.required ?? false,
    constrained: allowed.length > 0,
    order: seed.id % 100,
    multiple: seed.data_type === FieldDataType.checkBox || seed.data_type === FieldDataType.multiSelect,
    data_type: seed.data_type,
    searchable: true,
    free_text_search: seed.data_type === FieldDataType.textBox || seed.data_type === FieldDataType.textArea,
    search_key: seed.search_key,
    system_field: system,
    original_name: seed.original_name,
    is_active: true,
    ...(allowed.length > 0 && {
      allowed_values: allowed.map((v, i) => ({
        links: [],
        value: v.value,
        label: v.label,
        order: i + 1,
        is_default: v.is_default ?? false,
        is_active: true,
        ...(v.color && { color: v.color }),
      })),
    }),
  } as Field;
}

/**
 * Validates and merges `properties` as qTest does: an unknown field id, a value outside the
 * allowed values or of the wrong type is a 400; required fields must end up with a value; combo
 * boxes fall back to their default value. `partial` skips the last two (a test log's properties).
 */
export function mergeProperties(
  objectType: string,
  fields: readonly Field[],
  input: readonly PropertyInput[],
  current: ReadonlyMap<number, string>,
  context: FieldContext,
  options: { partial?: boolean } = {},
): Map<number, string> {
  const next = new Map(current);
  for (const [i, property] of input.entries()) {
    const field = fields.find((f) => f.id === property.field_id);
    if (!field) throw new QTestApiError(400, `properties[${i}]: field_id ${property.field_id} is not a field of ${objectType}.`);
    if (context.readOnly.has(field.id) && !options.partial) {
      throw new QTestApiError(
        400,
        `properties[${i}]: field '${field.label}' (${field.id}) is computed by qTest and cannot be set.`,
      );
    }
    const value = property.field_value == null ? "" : String(property.field_value);
    if (value !== "") checkValue(field, value, `properties[${i}] (${field.label})`, context);
    next.set(field.id, value);
  }
  if (options.partial) return next;
  for (const field of fields) {
    if (next.get(field.id)) continue;
    const fallback = field.allowed_values?.find((v) => v.is_default);
    if (fallback && !field.multiple) next.set(field.id, String(fallback.value));
    else if (field.required) throw new QTestApiError(400, `Field '${field.label}' (${field.id}) is required.`);
  }
  return next;
}

/** qTest lists every field of the object, set or not, with the value's display name beside it. */
export function renderProperties(
  fields: readonly Field[],
  props: ReadonlyMap<number, string>,
  users: FieldContext["users"],
): Property[] {
  return fields.map((field) => {
    const value = props.get(field.id) ?? "";
    return { field_id: field.id, field_name: field.label, field_value: value, field_value_name: valueName(field, value, users) };
  });
}

function valueName(field: Field, value: string, users: FieldContext["users"]): string {
  if (value === "") return "";
  if (field.data_type === FieldDataType.userList) {
    const user = users.find((u) => String(u.id) === value);
    return user ? `${user.first_name} ${user.last_name}` : value;
  }
  if (!field.allowed_values || field.allowed_values.length === 0) return value;
  const label = (v: string) => field.allowed_values?.find((a) => String(a.value) === v)?.label ?? v;
  if (field.multiple) return `[${parseList(value).map(label).join(", ")}]`;
  return label(value);
}

function checkValue(field: Field, value: string, where: string, context: FieldContext): void {
  const allowed = field.allowed_values ?? [];
  if (field.data_type === FieldDataType.userList) {
    if (!context.users.some((u) => String(u.id) === value)) {
      throw new QTestApiError(400, `${where}: '${value}' is not a user of project ${context.projectId}.`);
    }
    return;
  }
  if (allowed.length > 0) {
    const values = field.multiple ? parseList(value) : [value];
    for (const v of values) {
      if (!allowed.some((a) => String(a.value) === v && a.is_active !== false)) {
        const choices = allowed.map((a) => `${a.value} (${a.label})`).join(", ");
        throw new QTestApiError(400, `${where}: value '${v}' is not allowed; allowed values: ${choices}.`);
      }
    }
    return;
  }
  if (field.data_type === FieldDataType.number && !Number.isFinite(Number(value))) {
    throw new QTestApiError(400, `${where}: '${value}' is not a number.`);
  }
  const isDate = field.data_type === FieldDataType.datePicker || field.data_type === FieldDataType.dateTimePicker;
  if (isDate && Number.isNaN(Date.parse(value))) throw new QTestApiError(400, `${where}: '${value}' is not a date.`);
}

/** Multi-value fields carry their values as `[1,2,3]` in one string. */
function parseList(value: string): string[] {
  return value
    .replace(/^\[|\]$/g, "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}
