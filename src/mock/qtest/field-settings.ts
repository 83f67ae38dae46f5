import type { Field, FieldInput, Property, PropertyInput } from "../../qtest/schemas.js";
import { QTestApiError } from "./errors.js";
import { type FieldContext, fieldFromSeed, mergeProperties, renderProperties } from "./field-values.js";
import type { IdSequence } from "./ids.js";
import { attributeTypeOf, OBJECT_TYPES, type ObjectType, systemFields } from "./system-fields.js";

/** The project's field settings per object type: qTest's system fields, then the custom fields created through the API. */
export class FieldSettings {
  readonly #fields = new Map<ObjectType, Field[]>();
  readonly #ids: IdSequence;
  readonly #context: FieldContext;

  constructor(ids: IdSequence, context: Omit<FieldContext, "readOnly">) {
    this.#ids = ids;
    // Fields qTest computes itself (a run's Status); writing them is refused.
    const readOnly = new Set<number>();
    for (const seed of Object.values(systemFields).flat()) if (seed.readOnly) readOnly.add(seed.id);
    this.#context = { ...context, readOnly };
    for (const type of OBJECT_TYPES)
      this.#fields.set(
        type,
        systemFields[type].map((seed) => fieldFromSeed(seed, true)),
      );
  }

  list(objectType: string, includeInactive = false): Field[] {
    const fields = this.#fields.get(this.#objectType(objectType)) ?? [];
    return includeInactive ? fields : fields.filter((f) => f.is_active !== false);
  }

  get(objectType: string, fieldId: number): Field {
    const field = this.list(objectType, true).find((f) => f.id === fieldId);
    if (!field) throw new QTestApiError(404, `Field ${fieldId} does not exist for ${objectType}.`);
    return field;
  }

  create(objectType: string, input: FieldInput): Field {
    const type = this.#objectType(objectType);
    if (type === "test-steps") throw new QTestApiError(400, "Custom fields cannot be created for test-steps.");
    const fields = this.#fields.get(type) ?? [];
    if (fields.some((f) => f.label.toLowerCase() === input.label.toLowerCase())) {
      throw new QTestApiError(400, `A field labelled '${input.label}' already exists for ${type}.`);
    }
    if (!Object.hasOwn(attributeTypeOf, input.data_type)) {
      throw new QTestApiError(400, `data_type ${input.data_type} is not a valid field type.`);
    }
    let nextValue = Math.max(1000, ...fields.flatMap((f) => (f.allowed_values ?? []).map((v) => v.value))) + 1;
    const field = fieldFromSeed(
      {
        id: this.#ids.next(),
        label: input.label,
        data_type: input.data_type,
        original_name: input.label,
        search_key: input.label,
        required: input.required ?? false,
        allowed_values: (input.allowed_values ?? []).map((v) => ({
          value: v.value ?? nextValue++,
          label: v.label,
          is_default: v.is_default ?? false,
        })),
      },
      false,
    );
    fields.push(field);
    this.#fields.set(type, fields);
    return field;
  }

  /** Adds allowed values to a choice field (`createProjectFieldAllowedValues`: at most 100 at once). */
  addAllowedValues(objectType: string, fieldId: number, input: readonly { label: string; is_active?: boolean }[]): Field {
    const field = this.get(objectType, fieldId);
    if (!field.allowed_values || ![3, 5, 8, 17].includes(field.data_type)) {
      throw new QTestApiError(400, `Field ${fieldId} is not a combo box, multi-select, check box or user list.`);
    }
    if (input.length === 0 || input.length > 100)
      throw new QTestApiError(400, "Between 1 and 100 allowed values may be created at once.");
    for (const value of input) {
      if (field.allowed_values.some((v) => v.label.toLowerCase() === value.label.toLowerCase())) {
        throw new QTestApiError(400, `Field ${fieldId} already has an allowed value '${value.label}'.`);
      }
    }
    const all = [...this.#fields.values()].flat();
    let next = Math.max(1000, ...all.flatMap((f) => (f.allowed_values ?? []).map((v) => v.value))) + 1;
    for (const value of input) {
      field.allowed_values.push({ value: next++, label: value.label, is_default: false, is_active: value.is_active ?? true });
    }
    return field;
  }

  /** Checks `input` against the object type's active fields and merges it over `current`. */
  merge(
    objectType: ObjectType,
    input: readonly PropertyInput[],
    current: Map<number, string>,
    options: { partial?: boolean } = {},
  ): Map<number, string> {
    return mergeProperties(objectType, this.list(objectType), input, current, this.#context, options);
  }

  render(objectType: ObjectType, props: Map<number, string>): Property[] {
    return renderProperties(this.list(objectType), props, this.#context.users);
  }

  #objectType(objectType: string): ObjectType {
    if (!(OBJECT_TYPES as readonly string[]).includes(objectType)) {
      throw new QTestApiError(400, `objectType '${objectType}' must be one of ${OBJECT_TYPES.join(", ")}.`);
    }
    return objectType as ObjectType;
  }
}
