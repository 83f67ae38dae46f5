import { findField } from "../mapping/resolve.js";
import { itemsOf } from "../mapping/source-usage.js";
import type { ManagedField } from "../plan/managed-fields.js";
import type { ChoiceList } from "../plan/resolution.js";
import type { User } from "../qtest/client.js";
import { FieldDataType, isMultiValued } from "../qtest/field-data-type.js";
import type { Field, Property } from "../qtest/schemas.js";

/**
 * What an earlier migration made of each Zephyr value, read from the qTest objects it created (paired
 * with their Zephyr entities by marker). A mapping a person once chose is in those objects and nowhere
 * else; `ztoq init` proposes it again rather than guessing anew.
 */

/** The lists a value is observed in: the choice lists, execution statuses, accounts, and each custom field. */
export type ObservedList = ChoiceList | "executionStatus" | "user" | `custom:${string}`;

export interface Observed {
  /** The qTest value this source value became most often. */
  target: string;
  uses: number;
  /** Other qTest values it became (an object edited by hand since, or a mapping changed between runs). */
  others: { target: string; uses: number }[];
}

export class Observations {
  readonly #lists = new Map<ObservedList, Map<string, Map<string, number>>>();
  /** Paired objects, per qTest object type. */
  readonly paired = { testCases: 0, testSuites: 0, testLogs: 0 };

  record(list: ObservedList, source: string, target: string): void {
    const values = this.#lists.get(list) ?? new Map<string, Map<string, number>>();
    this.#lists.set(list, values);
    const targets = values.get(source) ?? new Map<string, number>();
    values.set(source, targets);
    targets.set(target, (targets.get(target) ?? 0) + 1);
  }

  get(list: ObservedList, source: string): Observed | undefined {
    const targets = this.#lists.get(list)?.get(source);
    if (!targets) return undefined;
    const [best, ...others] = [...targets]
      .map(([target, uses]) => ({ target, uses }))
      .sort((a, b) => b.uses - a.uses || a.target.localeCompare(b.target));
    return best && { ...best, others };
  }

  get empty(): boolean {
    return this.#lists.size === 0;
  }
}

/** What qTest holds that the observations translate ids through. */
export interface TargetLookup {
  users: readonly User[];
}

/** Names of the Zephyr ids, per choice list (statuses, priorities, environments). */
export type SourceNameLookup = Record<ChoiceList, ReadonlyMap<number, string>>;

/** The label of a choice property: qTest sends it along, else the allowed value's label. */
function choiceLabel(property: Property, field: Field): string | undefined {
  if (property.field_value_name) return property.field_value_name;
  return field.allowed_values?.find((v) => String(v.value) === property.field_value)?.label;
}

function username(users: readonly User[], id: string): string | undefined {
  return users.find((u) => String(u.id) === id)?.username;
}

/**
 * Records, for one migrated object, what its managed choice and user fields hold against the Zephyr
 * values the registry derives them from.
 */
export function observeManaged<S>(
  observations: Observations,
  fields: readonly ManagedField<S>[],
  source: S,
  properties: readonly Property[],
  targetFields: readonly Field[],
  lookup: TargetLookup & { names: SourceNameLookup },
): void {
  for (const managed of fields) {
    if (managed.label === null) continue;
    const field = findField(targetFields, managed.label);
    const property = field && properties.find((p) => p.field_id === field.id);
    if (!field || !property?.field_value) continue;
    const { derive } = managed;
    if (derive.kind === "choice") {
      const id = derive.of(source);
      const name = id === undefined ? undefined : lookup.names[derive.list].get(id);
      const label = choiceLabel(property, field);
      if (name !== undefined && label !== undefined) observations.record(derive.list, name, label);
    } else if (derive.kind === "user") {
      const accountId = derive.of(source);
      const user = username(lookup.users, property.field_value);
      if (accountId && user) observations.record("user", accountId, user);
    }
  }
}

/**
 * Records what a migrated test case's custom fields hold against the Zephyr values: option labels
 * per value of a choice field (single values only: which item of a list became which option cannot
 * be told apart), and users per account of a user field. Only same-named fields are read; a field
 * mapped elsewhere leaves no trace init could follow without the old configuration.
 */
export function observeCustomFields(
  observations: Observations,
  customFields: Record<string, unknown>,
  properties: readonly Property[],
  targetFields: readonly Field[],
  lookup: TargetLookup,
): void {
  for (const [name, value] of Object.entries(customFields)) {
    const field = findField(targetFields, name);
    const property = field && properties.find((p) => p.field_id === field.id);
    if (!field || !property?.field_value) continue;
    const items = itemsOf(value).map(String);
    if (items.length !== 1) continue;
    const [item] = items as [string];
    if (field.data_type === FieldDataType.userList) {
      const user = username(lookup.users, property.field_value);
      if (user) observations.record("user", item, user);
      continue;
    }
    if (field.data_type !== FieldDataType.comboBox && !isMultiValued(field.data_type)) continue;
    const ids = property.field_value
      .replace(/^\[|\]$/g, "")
      .split(",")
      .map((id) => id.trim());
    if (ids.length !== 1) continue;
    const label = field.allowed_values?.find((v) => String(v.value) === ids[0])?.label;
    if (label !== undefined) observations.record(`custom:${name}`, item, label);
  }
}
