import type { CustomFieldMapping, CustomFieldType } from "../config/schema.js";
import { choicesOf, conversionFor, findField, type SourceNames, type TargetSettings } from "../mapping/resolve.js";
import { itemsOf, type SourceUsage, usersInUse, type ValueUses } from "../mapping/source-usage.js";
import { type Choice, matchChoice } from "../mapping/value-matching.js";
import { allManagedFields } from "../plan/managed-fields.js";
import type { ChoiceList } from "../plan/resolution.js";
import { inferFieldType, isAccountId } from "./infer.js";
import { observedMatch, proposeMatch, type ValueMatch } from "./match.js";
import type { Observations, Observed, ObservedList } from "./observed.js";
import type { TraceabilitySummary } from "./traceability.js";

/**
 * The pure rules of `ztoq init`: from the source's values in use, the target's fields, allowed values
 * and users, and what an earlier migration did, the configuration to propose and why (each reason
 * becomes a comment in `render.ts`). Nothing here reads or writes.
 */

export interface ValueProposal {
  source: string;
  /** How often the source uses it; 0 for a value defined in Zephyr and not used yet. */
  uses: number;
  match: ValueMatch;
  observed?: Observed;
}

export type ListKey = "testCase" | "testCycle" | "testExecution" | "priorities" | "environments";

export interface ListProposal {
  key: ListKey;
  /** The qTest field or list the values go to, for comments: "Status of test-cases". */
  target: string;
  values: ValueProposal[];
}

export interface UserProposal {
  accountId: string;
  uses: number;
  places: string[];
  user?: string;
  how: "observed" | "same" | "none";
}

export interface CustomFieldProposal {
  name: string;
  /** The values seen, most used first. */
  seen: { value: unknown; uses: number }[];
  mapping: CustomFieldMapping;
  /** Why this target: an existing field of a compatible type, or one to create. */
  reason: "existing" | "create" | "create-renamed" | "empty";
  /** For choice fields: each option in use and where it goes. */
  options: ValueProposal[];
}

export interface Proposal {
  zephyr: { url: string; projectKey: string };
  qtest: { url: string; projectId: number };
  markerField: string;
  counts: SourceUsage["counts"];
  paired: Observations["paired"];
  lists: ListProposal[];
  users: UserProposal[];
  customFields: CustomFieldProposal[];
  /** A value in use has no qTest value: preflight must add it. */
  createMissingValues: boolean;
  unmappedUsers: "fail" | "keep";
  /** Test plans and Jira coverage: what `mapping.requirements` is proposed from. */
  traceability: TraceabilitySummary;
}

export interface ProposalInput {
  zephyr: { url: string; projectKey: string };
  qtest: { url: string; projectId: number };
  markerField: string;
  usage: SourceUsage;
  /** Every status, priority and environment Zephyr defines, used or not. */
  names: SourceNames;
  target: TargetSettings;
  observed: Observations;
  traceability: TraceabilitySummary;
}

const LISTS: { key: ListKey; list: ChoiceList }[] = [
  { key: "testCase", list: "testCaseStatus" },
  { key: "testCycle", list: "testCycleStatus" },
  { key: "priorities", list: "priority" },
  { key: "environments", list: "environment" },
];

/** The managed field a choice list is written to, as preflight resolves it. */
function listTarget(list: ChoiceList, target: TargetSettings): { label: string; choices: Choice[] } {
  const managed = allManagedFields().find((f) => f.derive.kind === "choice" && f.derive.list === list);
  const field = managed?.label ? findField(target.fields[managed.objectType], managed.label) : undefined;
  return { label: `${managed?.label ?? list} of ${managed?.objectType ?? "?"}`, choices: choicesOf(field) };
}

/** Observed first (while still allowed), then by name. */
function proposeValue(
  source: string,
  uses: number,
  choices: readonly Choice[],
  observed: Observed | undefined,
  forceClosest = false,
): ValueProposal {
  const fromMigration = observed && observedMatch(observed.target, choices, source);
  const match = fromMigration ?? proposeMatch(source, choices, { forceClosest });
  return { source, uses, match, ...(fromMigration && { observed }) };
}

/** Values by Zephyr name (two ids may share one), with their uses; ids in use that Zephyr no longer lists keep preflight's `#id`. */
function namedUses(defined: readonly { id: number; name: string }[], used: ReadonlyMap<string, number>): Map<string, number> {
  const byName = new Map<string, number>();
  for (const { id, name } of defined) byName.set(name, (byName.get(name) ?? 0) + (used.get(String(id)) ?? 0));
  for (const [id, uses] of used) {
    if (!defined.some((d) => String(d.id) === id)) byName.set(`#${id}`, (byName.get(`#${id}`) ?? 0) + uses);
  }
  return byName;
}

export function propose(input: ProposalInput): Proposal {
  const { usage, names, target, observed } = input;
  const lists: ListProposal[] = LISTS.map(({ key, list }) => {
    const { label, choices } = listTarget(list, target);
    const values = [...namedUses(names.choices[list], usage.choices[list])].map(([name, uses]) =>
      proposeValue(name, uses, choices, observed.get(list, name)),
    );
    return { key, target: label, values };
  });
  // qTest cannot add an execution status: every one gets the closest, for a person to check.
  const statusChoices = target.executionStatuses.map((s) => ({ id: String(s.id), label: s.name }));
  const executionValues = [...namedUses(names.executionStatuses, usage.executionStatuses)].map(([name, uses]) =>
    proposeValue(name, uses, statusChoices, observed.get("executionStatus", name), true),
  );
  lists.splice(2, 0, { key: "testExecution", target: "execution statuses of test runs", values: executionValues });

  const customFields = [...usage.customFields].map(([name, values]) =>
    proposeCustomField(name, values, target.fields["test-cases"], observed),
  );
  const userFields = customFields.filter((c) => "type" in c.mapping && c.mapping.type === "user").map((c) => c.name);
  const users = [...usersInUse(usage, userFields)].map(([accountId, use]) =>
    proposeUser(accountId, use.uses, [...use.places], target, observed),
  );

  const missing = (value: ValueProposal) => value.uses > 0 && value.match.how === "none";
  return {
    zephyr: input.zephyr,
    qtest: input.qtest,
    markerField: input.markerField,
    counts: usage.counts,
    paired: observed.paired,
    lists,
    users,
    customFields,
    createMissingValues:
      lists.some((l) => l.key !== "testExecution" && l.values.some(missing)) ||
      customFields.some((c) => c.reason === "existing" && c.options.some(missing)),
    unmappedUsers: users.some((u) => u.how === "none") ? "keep" : "fail",
    traceability: input.traceability,
  };
}

/** A qTest user only where something ties it to the account: what a migration wrote, or a username or e-mail equal to the id. */
function proposeUser(
  accountId: string,
  uses: number,
  places: string[],
  target: TargetSettings,
  observed: Observations,
): UserProposal {
  const seen = observed.get("user", accountId);
  if (seen && target.users.some((u) => u.username === seen.target)) {
    return { accountId, uses, places, user: seen.target, how: "observed" };
  }
  const same = (text: string | null | undefined) => text?.trim().toLowerCase() === accountId.toLowerCase();
  const user = target.users.find((u) => same(u.username) || same(u.email));
  return user ? { accountId, uses, places, user: user.username, how: "same" } : { accountId, uses, places, how: "none" };
}

const CHOICE_TYPES: readonly CustomFieldType[] = ["select", "multiselect", "checkbox"];

/** Whether every value seen converts into a field of this type without a loss the run would refuse. */
function fits(
  seen: readonly { value: unknown; uses: number }[],
  type: CustomFieldType,
  options: readonly ValueProposal[],
): boolean {
  const items = seen.flatMap((s) => itemsOf(s.value));
  switch (type) {
    case "text":
    case "richtext":
      return true;
    case "url":
      return items.every((item) => /^https?:\/\/\S+$/i.test(String(item)));
    case "user":
      return seen.every((s) => itemsOf(s.value).length === 1) && items.every(isAccountId);
    case "select":
    case "multiselect":
    case "checkbox": {
      // Free text into a pick list would become one option per sentence.
      const single = type !== "select" || seen.every((s) => itemsOf(s.value).length <= 1);
      const inferred = inferFieldType(seen);
      return single && (CHOICE_TYPES.includes(inferred) || options.every((o) => o.match.how !== "none"));
    }
    case "number":
      return seen.every((s) => !Array.isArray(s.value) && Number.isFinite(Number(s.value)));
    case "date":
    case "datetime":
      // As the run converts them (src/plan/custom-fields.ts): a bare date is midnight UTC.
      return seen.every((s) => {
        const text = String(s.value);
        return (
          !Array.isArray(s.value) && !Number.isNaN(Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text))
        );
      });
  }
}

function proposeCustomField(
  name: string,
  values: ValueUses,
  caseFields: TargetSettings["fields"]["test-cases"],
  observed: Observations,
): CustomFieldProposal {
  const seen = [...values.values()].sort((a, b) => b.uses - a.uses).map(({ value, uses }) => ({ value, uses }));
  const existing = findField(caseFields, name);
  if (existing) {
    const type = conversionFor(existing.data_type);
    const options = CHOICE_TYPES.includes(type) ? proposeOptions(name, values, choicesOf(existing), observed) : [];
    if (seen.length === 0 || fits(seen, type, options)) {
      // Preflight matches same names and synonyms itself; only what it would not find is written down.
      const choices = choicesOf(existing);
      const needed = options.filter((o) => o.match.target && o.match.target.id !== matchChoice(o.source, choices)?.id);
      const listed = Object.fromEntries(needed.map((o) => [o.source, o.match.target?.label as string]));
      // A qTest checkbox takes its values as a multi-select does, and only a multi-select may list them.
      const shownType = type === "checkbox" && needed.length > 0 ? "multiselect" : type;
      return {
        name,
        seen,
        mapping: { field: existing.label, type: shownType, ...(needed.length > 0 && { values: listed }) },
        reason: seen.length === 0 ? "empty" : "existing",
        options,
      };
    }
    const label = freeLabel(`${name} (Zephyr)`, caseFields);
    return {
      name,
      seen,
      mapping: { field: label, type: inferFieldType(seen), create: true },
      reason: "create-renamed",
      options: [],
    };
  }
  const type = seen.length === 0 ? "text" : inferFieldType(seen);
  return {
    name,
    seen,
    mapping: { field: name, type, create: true },
    reason: seen.length === 0 ? "empty" : "create",
    options: [],
  };
}

function proposeOptions(name: string, values: ValueUses, choices: readonly Choice[], observed: Observations): ValueProposal[] {
  const items = new Map<string, number>();
  for (const { value, uses } of values.values()) {
    for (const item of itemsOf(value)) items.set(String(item), (items.get(String(item)) ?? 0) + uses);
  }
  const list: ObservedList = `custom:${name}`;
  return [...items].map(([item, uses]) => proposeValue(item, uses, choices, observed.get(list, item)));
}

function freeLabel(label: string, fields: TargetSettings["fields"]["test-cases"]): string {
  let candidate = label;
  for (let n = 2; findField(fields, candidate); n++) candidate = `${label} ${n}`;
  return candidate;
}
