import { FieldDataType } from "../qtest/field-data-type.js";
import type { PropertyInput } from "../qtest/schemas.js";
import type { TestPlan } from "../zephyr/schemas.js";
import { type JiraIssue, requirementName } from "./coverage.js";
import { EMPTY } from "./managed-fields.js";

/**
 * Zephyr test plan → qTest release, and Jira issue → the requirement ZTOQ creates for it. Pure: the
 * migration writes these bodies and verification expects them.
 *
 * A release has no owner, labels or custom fields in qTest, so what a plan holds of them is kept in
 * text fields ZTOQ creates on releases (as `Zephyr Labels` and `Zephyr Links` are on test cases); the
 * plan's Jira issues become the release's linked requirements (its scope), and its test cycles are
 * reached through the release's links to their test runs.
 */

/** A text field ZTOQ keeps on releases or requirements, and how its value derives. */
export interface TextField<S, C> {
  label: string;
  dataType: FieldDataType;
  of: (source: S, context: C) => string | undefined;
}

/** What a release's body needs beside the plan: the field ids ZTOQ resolved, the plan status names. */
export interface ReleaseContext {
  /** qTest field id per label, the marker field's under `markerLabel`. */
  fieldIds: ReadonlyMap<string, number>;
  markerLabel: string;
  /** Zephyr test plan status id → name. */
  statusNames: ReadonlyMap<number, string>;
}

export const RELEASE_FIELDS: readonly TextField<TestPlan, ReleaseContext>[] = [
  { label: "Zephyr Status", dataType: FieldDataType.textBox, of: (p, c) => c.statusNames.get(p.status.id) },
  { label: "Zephyr Owner", dataType: FieldDataType.textBox, of: (p) => p.owner?.accountId ?? undefined },
  { label: "Zephyr Labels", dataType: FieldDataType.textBox, of: (p) => (p.labels?.length ? p.labels.join(", ") : undefined) },
  { label: "Zephyr Links", dataType: FieldDataType.textArea, of: (p) => webLinksText(p.links?.webLinks) },
  { label: "Zephyr Custom Fields", dataType: FieldDataType.textArea, of: (p) => customFieldsText(p.customFields) },
];

export interface ReleaseBody {
  name: string;
  description: string;
  properties: PropertyInput[];
}

/** The release a plan becomes: name, objective as description, the marker and every text field (an emptied one as empty). */
export function planRelease(plan: TestPlan, context: ReleaseContext): ReleaseBody {
  return {
    name: plan.name,
    description: plan.objective ?? "",
    properties: [
      { field_id: fieldId(context.fieldIds, context.markerLabel), field_value: plan.key },
      ...RELEASE_FIELDS.map((f) => ({ field_id: fieldId(context.fieldIds, f.label), field_value: f.of(plan, context) ?? EMPTY })),
    ],
  };
}

/** The field a requirement ZTOQ creates keeps its Jira issue's address in. */
export const REQUIREMENT_LINK_FIELD: TextField<{ browseUrl: string }, unknown> = {
  label: "Jira Issue",
  dataType: FieldDataType.textBox,
  of: (r) => r.browseUrl,
};

export interface RequirementBody {
  name: string;
  properties: PropertyInput[];
}

/** A requirement ZTOQ creates for a Jira issue (`mapping.requirements.create`). */
export function planRequirement(
  issue: JiraIssue,
  input: { marker: string; browseUrl: string; fieldIds: ReadonlyMap<string, number>; markerLabel: string },
): RequirementBody {
  return {
    name: requirementName(issue),
    properties: [
      { field_id: fieldId(input.fieldIds, input.markerLabel), field_value: input.marker },
      { field_id: fieldId(input.fieldIds, REQUIREMENT_LINK_FIELD.label), field_value: input.browseUrl },
    ],
  };
}

function fieldId(ids: ReadonlyMap<string, number>, label: string): number {
  const id = ids.get(label);
  if (id === undefined) throw new Error(`field '${label}' was not resolved`);
  return id;
}

function webLinksText(links: readonly { url: string; description?: string | undefined }[] | undefined): string | undefined {
  const lines = (links ?? []).map((l) => `${l.url}${l.description ? ` (${l.description})` : ""}`);
  return lines.length > 0 ? lines.join("\n") : undefined;
}

/** `Name: value` per custom field with a value, by name: a release has none of its own. */
function customFieldsText(fields: Record<string, unknown> | undefined): string | undefined {
  const lines = Object.entries(fields ?? {})
    .filter(([, v]) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, v]) => `${name}: ${Array.isArray(v) ? v.join(", ") : String(v)}`);
  return lines.length > 0 ? lines.join("\n") : undefined;
}
