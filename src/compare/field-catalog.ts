import type { User } from "../qtest/client.js";
import { FieldDataType, isMultiValued } from "../qtest/field-data-type.js";
import type { Field, Property, PropertyInput } from "../qtest/schemas.js";
import { numberText, richText, timestamp, valueList } from "./normalize.js";

interface FieldInfo {
  label: string;
  dataType: number;
  multiple: boolean;
  /** Allowed-value id → label, for choice fields. */
  choices: Map<string, string>;
  /** What qTest sets when a write leaves the field out (single-choice fields with a default). */
  defaultValue: string | undefined;
}

/** The target's field settings of one object type, and how each field's values are normalized. */
export class FieldCatalog {
  readonly #fields = new Map<number, FieldInfo>();
  readonly #users: Map<string, string>;

  constructor(fields: readonly Field[], users: readonly User[]) {
    this.#users = new Map(users.map((u) => [String(u.id), u.username]));
    for (const f of fields) {
      const choices = new Map((f.allowed_values ?? []).map((v) => [String(v.value), v.label]));
      const fallback = f.multiple ? undefined : f.allowed_values?.find((v) => v.is_default && v.is_active !== false);
      this.#fields.set(f.id, {
        label: f.label,
        dataType: f.data_type,
        multiple: f.multiple || isMultiValued(f.data_type),
        choices,
        defaultValue: fallback ? String(fallback.value) : undefined,
      });
    }
  }

  label(fieldId: number): string {
    return this.#fields.get(fieldId)?.label ?? `field ${fieldId}`;
  }

  /** A stored value in comparable form: labels for choices and users, numbers, instants, rich text. */
  value(fieldId: number, raw: string | null | undefined): string | string[] {
    const field = this.#fields.get(fieldId);
    const text = raw ?? "";
    if (!field) return richText(text);
    if (field.choices.size > 0 || field.multiple) {
      const labels = valueList(field.multiple ? text : `[${text}]`).map((v) => field.choices.get(v) ?? `#${v}`);
      return field.multiple ? labels.sort() : (labels[0] ?? "");
    }
    switch (field.dataType) {
      case FieldDataType.userList:
        return text.trim() === "" ? "" : (this.#users.get(text.trim()) ?? `#${text.trim()}`);
      case FieldDataType.datePicker:
      case FieldDataType.dateTimePicker:
        return timestamp(text);
      case FieldDataType.number:
        return numberText(text);
      default:
        return richText(text);
    }
  }

  /**
   * The properties of `fieldIds` a planned write sets, by label; a field left out or written empty holds
   * its default (or nothing).
   */
  expected(input: readonly PropertyInput[], fieldIds: readonly number[], options: { defaults: boolean }): Properties {
    const given = new Map(input.flatMap((p) => (p.field_value === "" ? [] : [[p.field_id, p.field_value] as const])));
    return this.#byLabel(fieldIds, (id) => given.get(id) ?? (options.defaults ? this.#fields.get(id)?.defaultValue : undefined));
  }

  /** The properties of `fieldIds` as read from the target, by label. */
  actual(properties: readonly Property[] | null | undefined, fieldIds: readonly number[]): Properties {
    const read = new Map((properties ?? []).map((p) => [p.field_id, p.field_value]));
    return this.#byLabel(fieldIds, (id) => read.get(id));
  }

  #byLabel(fieldIds: readonly number[], stored: (id: number) => string | undefined): Properties {
    const out: Properties = {};
    for (const id of fieldIds) {
      const label = this.label(id);
      out[label in out ? `${label} (${id})` : label] = this.value(id, stored(id));
    }
    return out;
  }
}

export type Properties = Record<string, string | string[]>;
