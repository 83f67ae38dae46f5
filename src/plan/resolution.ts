import type { CustomFieldType } from "../config/schema.js";

/**
 * What preflight resolved against the target: every qTest field id and allowed value a plan needs,
 * keyed by the Zephyr side. Plans are pure functions of a source entity and this.
 */
export interface Resolution {
  /** The label of the field carrying each object's Zephyr key. */
  markerField: string;
  /** The Zephyr project migrated: the markers that carry no Zephyr key name it (`src/plan/markers.ts`). */
  projectKey: string;
  /** qTest field id of every managed field, by the field's id in the registry (`testCase.status`, …). */
  fieldIds: ReadonlyMap<string, number>;
  /** Zephyr custom field name → where its values go. */
  custom: ReadonlyMap<string, CustomFieldTarget>;
  /** Per choice list: Zephyr id (status, priority, environment) → qTest allowed-value id (a string, as qTest wants it). */
  choices: Readonly<Record<ChoiceList, ReadonlyMap<number, string>>>;
  /** Zephyr execution status id → qTest execution status id (test logs and step logs carry these, not a field). */
  executionStatus: ReadonlyMap<number, number>;
  /** Atlassian accountId → qTest user id. */
  users: ReadonlyMap<string, string>;
  /**
   * An account not in `users`: `fail` never reaches a plan (preflight stops); `keep` leaves the user
   * field empty and the account id goes to the 'Zephyr Unmapped Users' field.
   */
  unmappedUsers: "fail" | "keep";
}

/** The Zephyr value lists translated into a qTest field's allowed values. */
export const CHOICE_LISTS = ["testCaseStatus", "testCycleStatus", "priority", "environment"] as const;
export type ChoiceList = (typeof CHOICE_LISTS)[number];

export interface CustomFieldTarget {
  fieldId: number;
  type: CustomFieldType;
  /** For choice types: source value → target allowed-value id (as qTest wants it, a string). */
  values: ReadonlyMap<string, string>;
}
