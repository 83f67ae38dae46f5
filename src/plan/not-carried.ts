/**
 * What the source holds that qTest does not receive, judged from the source entity itself rather than
 * from what the mapping knows: every key ZTOQ does not read (`source-catalog.ts`), and what it reads but
 * carries with loss — a custom field set to `ignore`, an account kept as its id, a component kept as
 * its id, a name longer than qTest takes, an issue link qTest has no relation for, attachments. Pure
 * rules, one per Zephyr entity type, and the tally the reports are made from.
 */
import { z } from "zod";
import type { CustomFieldMapping, CustomFieldType } from "../config/schema.js";
import { QTEST_NAME_MAX } from "../qtest/limits.js";
import { UNMAPPED_USERS_LABEL } from "./managed-fields.js";
import type { Resolution } from "./resolution.js";
import { IDENTITY_KEYS, RULED_KEYS, SOURCE_CATALOG, SOURCE_ENTITIES, type SourceEntity } from "./source-catalog.js";

export { SOURCE_ENTITIES, type SourceEntity } from "./source-catalog.js";

/** Keys listed per (entity, field, reason): the smallest, in natural order (`T2` before `T10`). */
export const NOT_CARRIED_KEY_CAP = 20;

export const sourceEntitySchema = z.enum(SOURCE_ENTITIES);

const count = z.number().int().min(0);

export const notCarriedItemSchema = z.object({
  entity: sourceEntitySchema,
  field: z.string(),
  reason: z.string(),
  key: z.string(),
});
/** One thing one source entity holds that qTest does not receive. */
export type NotCarriedItem = z.infer<typeof notCarriedItemSchema>;

export const notCarriedEntrySchema = z.object({
  entity: sourceEntitySchema.describe("The Zephyr entity type that holds it"),
  field: z
    .string()
    .describe("The source field or relation: a top-level key, `links.testPlans`, `customFields.<name>`, `inline.reflectRef`"),
  reason: z.string().describe("Why qTest does not receive it"),
  count: count.describe("Occurrences: one per entity holding a value; a list (links, attachments, accounts) one per item"),
  keys: z
    .array(z.string())
    .max(NOT_CARRIED_KEY_CAP)
    .describe(`Keys of the entities concerned: the ${NOT_CARRIED_KEY_CAP} smallest, in natural order (steps as <case key>#<n>)`),
  moreKeys: z.boolean().describe(`More than ${NOT_CARRIED_KEY_CAP} entities are concerned`),
});
export type NotCarriedEntry = z.infer<typeof notCarriedEntrySchema>;

export const notCarriedSectionSchema = z
  .object({
    total: count.describe("Sum of the counts"),
    items: z.array(notCarriedEntrySchema).describe("Per entity type, field and reason; in that order"),
  })
  .describe("What the source holds that qTest did not receive, judged from the source entities read");
export type NotCarriedSection = z.infer<typeof notCarriedSectionSchema>;

// ---- reasons ------------------------------------------------------------------------------------

/** The reasons the rules give; the migration adds its own (coverage links) through `NotCarriedTally.add`. */
export const REASONS = {
  notRead: "not read by ZTOQ",
  ignored: "custom field set to ignore (mapping.customFields)",
  notResolved: "custom field resolved to no qTest field",
  caseCustomFieldsOnly: "ZTOQ carries the custom fields of test cases only",
  ownerAsText: "kept as the account id in 'Zephyr Owner': a qTest release has no owner",
  keptAsAccountId: `kept as account id: no qTest user (in '${UNMAPPED_USERS_LABEL}')`,
  noUser: "no qTest user (mapping.unmappedUsers: fail)",
  componentId: "kept as its id in 'Zephyr Component': the component's name is not read",
  attachments: "attachments are not migrated (migration.attachments: skip)",
  tooLong: (max: number) => `longer than qTest's limit of ${max}`,
  issueLink: (type: string) => `Jira issue link of type ${type}: kept as text in 'Zephyr Links', qTest links only coverage`,
  cycleIssueLink: (type: string) =>
    `Jira issue link of type ${type}: qTest links a requirement to a cycle's runs as coverage only, and a suite keeps no links text`,
} as const;

// ---- context ------------------------------------------------------------------------------------

/** What the rules need from the resolved mapping. */
export interface NotCarriedContext {
  /** `mapping.customFields`: a field set to `{ ignore: true }` is left out. */
  customFieldMapping: Readonly<Record<string, CustomFieldMapping>>;
  /** The test case custom fields preflight resolved, with the type each converts to (`Resolution.custom`). */
  customFields: ReadonlyMap<string, { type: CustomFieldType }>;
  /** The Atlassian accounts that have a qTest user (`Resolution.users`). */
  users: { has(accountId: string): boolean };
  /** `mapping.unmappedUsers`. */
  unmappedUsers: "fail" | "keep";
  /** The longest name qTest takes. */
  nameMax: number;
}

export function notCarriedContext(
  mapping: { customFields: Readonly<Record<string, CustomFieldMapping>> },
  resolution: Pick<Resolution, "custom" | "users" | "unmappedUsers">,
): NotCarriedContext {
  return {
    customFieldMapping: mapping.customFields,
    customFields: resolution.custom,
    users: resolution.users,
    unmappedUsers: resolution.unmappedUsers,
    nameMax: QTEST_NAME_MAX,
  };
}

// ---- the rules ----------------------------------------------------------------------------------

/** A source entity as read: loose objects keep every key the API sent. */
type Source = Readonly<Record<string, unknown>>;

/** No value: nothing to carry. `false` counts as none: it is every boolean's default (`automated: false`). */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === "" || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  // An object holding nothing but its own address (`links: { self }`) holds nothing.
  if (typeof value === "object") return Object.entries(value).every(([k, v]) => k === "self" || isEmptyValue(v));
  return false;
}

/** One item per occurrence: a list's items each, any other value once. */
function occurrences(value: unknown): number {
  return Array.isArray(value) ? value.filter((item) => !isEmptyValue(item)).length : 1;
}

function items(entity: SourceEntity, key: string, field: string, reason: string, n = 1): NotCarriedItem[] {
  return Array.from({ length: n }, () => ({ entity, field, reason, key }));
}

function asSource(value: unknown): Source {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Source) : {};
}

/** Keys the catalog does not list, holding a value; objects judged per sub-key. */
function unreadKeys(entity: SourceEntity, key: string, source: Source): NotCarriedItem[] {
  const { read, perSubKey } = SOURCE_CATALOG[entity];
  const found: NotCarriedItem[] = [];
  for (const [name, value] of Object.entries(source)) {
    if (IDENTITY_KEYS.has(name) || RULED_KEYS.has(name) || name in read || isEmptyValue(value)) continue;
    const subKeys = perSubKey[name];
    if (!subKeys) {
      found.push(...items(entity, key, name, REASONS.notRead, occurrences(value)));
      continue;
    }
    for (const [sub, subValue] of Object.entries(asSource(value))) {
      if (IDENTITY_KEYS.has(sub) || sub in subKeys || sub === "customFields" || isEmptyValue(subValue)) continue;
      found.push(...items(entity, key, `${name}.${sub}`, REASONS.notRead, occurrences(subValue)));
    }
  }
  return found;
}

function attachments(entity: SourceEntity, key: string, source: Source): NotCarriedItem[] {
  return items(entity, key, "attachments", REASONS.attachments, occurrences(source.attachments ?? []));
}

function accountItems(entity: SourceEntity, key: string, field: string, accounts: unknown, context: NotCarriedContext) {
  const reason = context.unmappedUsers === "keep" ? REASONS.keptAsAccountId : REASONS.noUser;
  return (Array.isArray(accounts) ? accounts : [accounts])
    .filter((account) => !isEmptyValue(account) && !context.users.has(String(account)))
    .flatMap(() => items(entity, key, field, reason));
}

/**
 * Custom field values, each by name (`<prefix>customFields.<name>`): test case fields carry through
 * their resolved qTest field (a user field losing the accounts with no qTest user); other types' are
 * not migrated at all.
 */
function customFields(
  entity: SourceEntity,
  key: string,
  values: unknown,
  context: NotCarriedContext,
  prefix = "",
): NotCarriedItem[] {
  const found: NotCarriedItem[] = [];
  for (const [name, value] of Object.entries(asSource(values))) {
    if (isEmptyValue(value)) continue;
    const field = `${prefix}customFields.${name}`;
    const configured = context.customFieldMapping[name];
    if (configured && "ignore" in configured) found.push(...items(entity, key, field, REASONS.ignored));
    // A plan's custom fields are kept as text on its release ('Zephyr Custom Fields'), whatever their type.
    else if (entity === "testPlan") continue;
    else if (entity !== "testCase") found.push(...items(entity, key, field, REASONS.caseCustomFieldsOnly));
    else {
      const target = context.customFields.get(name);
      if (!target) found.push(...items(entity, key, field, REASONS.notResolved));
      else if (target.type === "user") found.push(...accountItems(entity, key, field, value, context));
    }
  }
  return found;
}

function owner(entity: SourceEntity, key: string, source: Source, context: NotCarriedContext): NotCarriedItem[] {
  return accountItems(entity, key, "owner", asSource(source.owner).accountId, context);
}

function name(entity: SourceEntity, key: string, source: Source, context: NotCarriedContext): NotCarriedItem[] {
  const value = source.name;
  return typeof value === "string" && value.length > context.nameMax
    ? items(entity, key, "name", REASONS.tooLong(context.nameMax))
    : [];
}

/** Issue links other than coverage; coverage links are the migration's to judge (it links them). */
function issueLinks(entity: SourceEntity, key: string, source: Source, reason = REASONS.issueLink): NotCarriedItem[] {
  const links = asSource(source.links).issues;
  if (!Array.isArray(links)) return [];
  return links.flatMap((link) => {
    // No type is Zephyr's default, coverage: carried as a requirement link (src/plan/coverage.ts).
    const type = String(asSource(link).type ?? "COVERAGE");
    return type === "COVERAGE" ? [] : items(entity, key, "links.issues", reason(type));
  });
}

export function notCarriedOfTestCase(testCase: Source & { key: string }, context: NotCarriedContext): NotCarriedItem[] {
  const { key } = testCase;
  return [
    ...unreadKeys("testCase", key, testCase),
    ...name("testCase", key, testCase, context),
    ...owner("testCase", key, testCase, context),
    ...(isEmptyValue(testCase.component) ? [] : items("testCase", key, "component", REASONS.componentId)),
    ...customFields("testCase", key, testCase.customFields, context),
    ...issueLinks("testCase", key, testCase),
    ...attachments("testCase", key, testCase),
  ];
}

/** A step of a test case, keyed `<case key>#<n>` (n from 1, as Zephyr numbers them). */
export function notCarriedOfTestStep(step: Source, caseKey: string, index: number, context: NotCarriedContext): NotCarriedItem[] {
  const key = `${caseKey}#${index + 1}`;
  return [
    ...unreadKeys("testStep", key, step),
    ...customFields("testStep", key, asSource(step.inline).customFields, context, "inline."),
    ...customFields("testStep", key, step.customFields, context),
    ...attachments("testStep", key, step),
  ];
}

export function notCarriedOfTestCycle(cycle: Source & { key: string }, context: NotCarriedContext): NotCarriedItem[] {
  const { key } = cycle;
  return [
    ...unreadKeys("testCycle", key, cycle),
    ...issueLinks("testCycle", key, cycle, REASONS.cycleIssueLink),
    ...name("testCycle", key, cycle, context),
    ...owner("testCycle", key, cycle, context),
    ...customFields("testCycle", key, cycle.customFields, context),
    ...attachments("testCycle", key, cycle),
  ];
}

/** An execution, keyed by its key (`execution <id>` when Zephyr gives none). */
export function notCarriedOfTestExecution(
  execution: Source & { id: number; key?: string | null | undefined },
  context: NotCarriedContext,
): NotCarriedItem[] {
  const key = execution.key ?? `execution ${execution.id}`;
  return [
    ...unreadKeys("testExecution", key, execution),
    ...customFields("testExecution", key, execution.customFields, context),
    ...attachments("testExecution", key, execution),
  ];
}

/** A test case and, when it has steps rather than a script, each of its steps. */
export function notCarriedOfTestCaseContent(
  testCase: Source & { key: string },
  content: { kind: "steps"; steps: readonly Source[] } | { kind: "script" },
  context: NotCarriedContext,
): NotCarriedItem[] {
  const steps = content.kind === "steps" ? content.steps : [];
  return [
    ...notCarriedOfTestCase(testCase, context),
    ...steps.flatMap((step, index) => notCarriedOfTestStep(step, testCase.key, index, context)),
  ];
}

/** A plan: what its release cannot hold (its folder; its owner, kept as text); its links are the migration's to judge. */
export function notCarriedOfTestPlan(plan: Source & { key: string }, context: NotCarriedContext): NotCarriedItem[] {
  const { key } = plan;
  return [
    ...unreadKeys("testPlan", key, plan),
    // A release has no owner field: the account id is kept as text, which is not a qTest user.
    ...(isEmptyValue(asSource(plan.owner).accountId) ? [] : items("testPlan", key, "owner", REASONS.ownerAsText)),
    ...customFields("testPlan", key, plan.customFields, context),
    ...attachments("testPlan", key, plan),
  ];
}

// ---- the tally ----------------------------------------------------------------------------------

/** Natural order: digit runs compare as numbers, so `QA-T2` comes before `QA-T10`. */
export function compareKeys(a: string, b: string): number {
  const chunks = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const [x, y] = [chunks(a), chunks(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i] as string, y[i] as string];
    if (p === q) continue;
    if (/^\d/.test(p) && /^\d/.test(q)) {
      const [m, n] = [p.replace(/^0+/, ""), q.replace(/^0+/, "")];
      if (m.length !== n.length) return m.length - n.length;
      if (m !== n) return m < n ? -1 : 1;
    }
    return p < q ? -1 : 1;
  }
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
}

interface Row {
  entity: SourceEntity;
  field: string;
  reason: string;
  count: number;
  keys: string[];
  moreKeys: boolean;
}

/**
 * Counts per (entity type, field, reason), with the keys concerned: the `NOT_CARRIED_KEY_CAP` smallest
 * in natural order, so the section is the same whatever order the entities arrive in, and merging the
 * sections of shards gives what one run would have.
 */
export class NotCarriedTally {
  readonly #rows = new Map<string, Row>();

  add(item: NotCarriedItem): void {
    const row = this.#row(item);
    row.count++;
    this.#addKey(row, item.key);
  }

  addAll(items: Iterable<NotCarriedItem>): void {
    for (const item of items) this.add(item);
  }

  /** Another tally's section (a shard's, a check's): counts add, keys join under the cap. */
  merge(section: NotCarriedSection): void {
    for (const entry of section.items) {
      const row = this.#row(entry);
      row.count += entry.count;
      row.moreKeys ||= entry.moreKeys;
      for (const key of entry.keys) this.#addKey(row, key);
    }
  }

  get total(): number {
    let total = 0;
    for (const row of this.#rows.values()) total += row.count;
    return total;
  }

  /** The report's section: rows by entity type (in `SOURCE_ENTITIES` order), field, then reason. */
  section(): NotCarriedSection {
    const rank = (entity: SourceEntity) => SOURCE_ENTITIES.indexOf(entity);
    const rows = [...this.#rows.values()].sort(
      (a, b) =>
        rank(a.entity) - rank(b.entity) ||
        compareKeys(a.field, b.field) ||
        (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0),
    );
    return {
      total: this.total,
      items: rows.map((row) => ({ ...row, keys: [...row.keys] })),
    };
  }

  #row(of: { entity: SourceEntity; field: string; reason: string }): Row {
    const id = JSON.stringify([of.entity, of.field, of.reason]);
    let row = this.#rows.get(id);
    if (!row) {
      row = { entity: of.entity, field: of.field, reason: of.reason, count: 0, keys: [], moreKeys: false };
      this.#rows.set(id, row);
    }
    return row;
  }

  /** Keeps the smallest keys: a key past the cap pushes out the largest, or is left out. */
  #addKey(row: Row, key: string): void {
    const { keys } = row;
    let at = keys.length;
    while (at > 0 && compareKeys(keys[at - 1] as string, key) > 0) at--;
    if (at > 0 && keys[at - 1] === key) return;
    if (keys.length >= NOT_CARRIED_KEY_CAP) {
      row.moreKeys = true;
      if (at >= NOT_CARRIED_KEY_CAP) return;
      keys.pop();
    }
    keys.splice(at, 0, key);
  }
}
