/**
 * What preflight resolved against the target: every qTest field id and allowed value a transform
 * needs, keyed by the Zephyr side. Transforms are pure functions of a source entity and this.
 */
export interface CustomFieldTarget {
  fieldId: number;
  type: CustomFieldType;
  /** For select types: source value → target allowed-value id (as qTest wants it, a string). */
  values: ReadonlyMap<string, string>;
}

export type CustomFieldType =
  | "text"
  | "richtext"
  | "number"
  | "date"
  | "datetime"
  | "checkbox"
  | "select"
  | "multiselect"
  | "user"
  | "url";

export interface Resolution {
  markerField: string;
  fields: {
    testCase: {
      marker: number;
      status: number;
      priority: number;
      assignedTo: number;
      /** Text fields ZTOQ keeps Zephyr-only facts in; created by preflight when missing. */
      labels: number;
      component: number;
      estimatedTime: number;
      links: number;
      custom: ReadonlyMap<string, CustomFieldTarget>;
    };
    testSuite: { marker: number; status: number; plannedStart: number; plannedEnd: number; assignedTo: number };
    testRun: { marker: number; environment: number };
  };
  /** Zephyr status id → qTest allowed-value id of the test-case Status field. */
  testCaseStatus: ReadonlyMap<number, string>;
  /** Zephyr status id → qTest allowed-value id of the test-suite Status field. */
  testCycleStatus: ReadonlyMap<number, string>;
  /** Zephyr status id → qTest execution status id. */
  executionStatus: ReadonlyMap<number, number>;
  /** Zephyr priority id → qTest allowed-value id of the test-case Priority field. */
  priority: ReadonlyMap<number, string>;
  /** Zephyr environment id → qTest allowed-value id of the test-run Environment field. */
  environment: ReadonlyMap<number, string>;
  /** Atlassian accountId → qTest user id. */
  users: ReadonlyMap<string, string>;
  callToTest: "call" | "inline";
}
