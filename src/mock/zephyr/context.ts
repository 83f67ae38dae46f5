import type { UpdatedAt } from "./changes.js";
import type { CustomFields } from "./custom-fields.js";
import type { ReferenceData } from "./reference-data.js";
import type { Refs } from "./refs.js";

/** What the test case, cycle and execution collections share about their one project. */
export interface Context {
  readonly clock: () => number;
  readonly refs: Refs;
  readonly reference: ReferenceData;
  readonly customFields: CustomFields;
  readonly updated: UpdatedAt;
}
