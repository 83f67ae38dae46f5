import { QTEST_NAME_MAX } from "../qtest/limits.js";
import { cycleKeyOfRun } from "./markers.js";

/**
 * Jira coverage → qTest requirement links: which Jira issues a Zephyr entity covers, which qTest
 * requirement stands for each issue, and what a link set must gain and lose. Pure: the migration
 * applies these decisions and verification checks them, so a rule changes here only.
 */

/** A Jira issue as Jira resolves an id: key and summary. */
export interface JiraIssue {
  id: string;
  key: string;
  summary: string;
}

interface IssueLink {
  issueId: number | string;
  type?: "COVERAGE" | "BLOCKS" | "RELATED" | undefined;
}

/**
 * The Jira issue ids a test case covers: its issue links of type COVERAGE (a link without a type is
 * Zephyr's default, coverage), each once, in order. BLOCKS and RELATED are not coverage: qTest's
 * requirement link says "covers", so they stay text in 'Zephyr Links' and are reported as not carried.
 */
export function coveredIssueIds(links: { issues?: readonly IssueLink[] | undefined } | null | undefined): string[] {
  const ids = (links?.issues ?? []).filter((l) => l.type === undefined || l.type === "COVERAGE").map((l) => String(l.issueId));
  return [...new Set(ids)];
}

/**
 * The Jira issue ids a test plan is linked to, of any type: a release's requirements are its scope,
 * which every kind of issue link of a plan describes.
 */
export function scopeIssueIds(links: { issues?: readonly IssueLink[] | undefined } | null | undefined): string[] {
  return [...new Set((links?.issues ?? []).map((l) => String(l.issueId)))];
}

/** The marker of a requirement ZTOQ creates for a Jira issue: it names the Zephyr project, as every marker does. */
export function requirementMarker(projectKey: string, issueId: string): string {
  return `${projectKey}-jira-${issueId}`;
}

/** `KEY-123 Summary`, as qTest's Jira integration names what it imports; held to qTest's name limit. */
export function requirementName(issue: JiraIssue): string {
  const name = `${issue.key} ${issue.summary}`.trim();
  return name.length > QTEST_NAME_MAX ? name.slice(0, QTEST_NAME_MAX) : name;
}

/** Where a requirement's issue is seen, for the browse link a created requirement carries. */
export function issueBrowseUrl(jiraUrl: string, key: string): string {
  return `${jiraUrl.replace(/\/+$/, "")}/browse/${encodeURIComponent(key)}`;
}

/** What ZTOQ needs of a qTest requirement to match it to a Jira issue. */
export interface RequirementFacts {
  id: number;
  name: string;
  /** Its value in the marker field, when it carries one. */
  marker: string | null;
  /** qTest's Jira integration: the issue id it was imported from (`external_properties.id`). */
  externalId: string | null;
}

/** How a requirement was found for an issue: by the id qTest's Jira integration keeps, ZTOQ's marker, or the key its name starts with. */
export type MatchedBy = "jira-integration" | "ztoq" | "name";

export interface RequirementMatch {
  requirementId: number;
  by: MatchedBy;
}

/**
 * The requirements of a qTest project, indexed by the Jira issue each stands for. Matching, strongest
 * first: the issue id qTest's Jira integration keeps in `external_properties.id`; this project's ZTOQ
 * marker; a name that is the issue key or starts with it and a space (how the integration names what it
 * imports, and how ZTOQ names what it creates) — the last needs the key, so Jira. Among several
 * matches of one kind the lowest id wins, so every run and `verify` pick the same one.
 */
export class RequirementIndex {
  readonly #byExternal = new Map<string, number>();
  readonly #byMarker = new Map<string, number>();
  readonly #byKey = new Map<string, number>();
  readonly #issueOf = new Map<number, string>();
  readonly #projectKey: string;
  readonly #issues: ReadonlyMap<string, JiraIssue>;

  constructor(requirements: readonly RequirementFacts[], projectKey: string, issues: ReadonlyMap<string, JiraIssue>) {
    this.#projectKey = projectKey;
    this.#issues = issues;
    const sorted = [...requirements].sort((a, b) => a.id - b.id);
    for (const r of sorted) {
      if (r.externalId !== null && !this.#byExternal.has(r.externalId)) this.#byExternal.set(r.externalId, r.id);
      if (r.marker !== null && !this.#byMarker.has(r.marker)) this.#byMarker.set(r.marker, r.id);
      const key = leadingKey(r.name);
      if (key !== undefined && !this.#byKey.has(key)) this.#byKey.set(key, r.id);
    }
    const issueByKey = new Map([...issues.values()].map((i) => [i.key, i.id]));
    for (const r of sorted) {
      const key = leadingKey(r.name);
      const issueId =
        r.externalId ?? markerIssueId(r.marker, projectKey) ?? (key === undefined ? undefined : issueByKey.get(key));
      if (issueId !== undefined && this.find(issueId)?.requirementId === r.id) this.#issueOf.set(r.id, issueId);
    }
  }

  /** The requirement that stands for this issue, if qTest holds one. */
  find(issueId: string): RequirementMatch | undefined {
    const external = this.#byExternal.get(issueId);
    if (external !== undefined) return { requirementId: external, by: "jira-integration" };
    const marked = this.#byMarker.get(requirementMarker(this.#projectKey, issueId));
    if (marked !== undefined) return { requirementId: marked, by: "ztoq" };
    const key = this.#issues.get(issueId)?.key;
    const named = key === undefined ? undefined : this.#byKey.get(key);
    return named === undefined ? undefined : { requirementId: named, by: "name" };
  }

  /** The Jira issue a requirement stands for (the one it is matched to), if any: only such links are ZTOQ's to add or remove. */
  issueOf(requirementId: number): string | undefined {
    return this.#issueOf.get(requirementId);
  }

  /** Every requirement matched to a Jira issue: the only ones whose links ZTOQ answers for. */
  requirementIds(): number[] {
    return [...this.#issueOf.keys()].sort((a, b) => a - b);
  }

  /** Records a requirement made in this run for an issue. */
  add(requirementId: number, issueId: string): void {
    this.#byMarker.set(requirementMarker(this.#projectKey, issueId), requirementId);
    this.#issueOf.set(requirementId, issueId);
  }
}

const ISSUE_KEY = /^([A-Z][A-Z0-9_]*-\d+)(?:\s|$)/;

/** The Jira key a requirement's name starts with (`PROJ-12 Summary` → `PROJ-12`), if any. */
export function leadingKey(name: string): string | undefined {
  return ISSUE_KEY.exec(name.trim())?.[1];
}

/** What the index needs of a qTest requirement: its marker (in `markerFieldId`, when it has that field) and the issue id qTest's Jira integration keeps. */
export function requirementFacts(
  requirement: {
    id: number;
    name: string;
    properties?: readonly { field_id: number; field_value?: string | null }[] | null;
    external_properties?: { id?: string | null } | null;
  },
  markerFieldId: number | undefined,
): RequirementFacts {
  const marker =
    markerFieldId === undefined ? undefined : requirement.properties?.find((p) => p.field_id === markerFieldId)?.field_value;
  return {
    id: requirement.id,
    name: requirement.name,
    marker: marker?.trim() ? marker.trim() : null,
    externalId: requirement.external_properties?.id ?? null,
  };
}

/** Test run ids per cycle key, from runs known by their markers (`<cycle key>/<case key>`). */
export function runsByCycle(runs: Iterable<{ id: number; marker: string | null }>): Map<string, number[]> {
  const byCycle = new Map<string, number[]>();
  for (const run of runs) {
    if (run.marker === null) continue;
    const cycle = cycleKeyOfRun(run.marker);
    byCycle.set(cycle, [...(byCycle.get(cycle) ?? []), run.id]);
  }
  return byCycle;
}

function markerIssueId(marker: string | null, projectKey: string): string | undefined {
  const prefix = `${projectKey}-jira-`;
  return marker?.startsWith(prefix) ? marker.slice(prefix.length) : undefined;
}

/** How an issue a source entity names is carried: linked to a requirement, or why not. */
export type IssueOutcome =
  | { kind: "linked"; requirementId: number }
  | { kind: "create"; issue: JiraIssue }
  | { kind: "notLinked"; reason: string };

/** Whether Jira was asked (configured), and what it answered. */
export interface JiraKnowledge {
  configured: boolean;
  issues: ReadonlyMap<string, JiraIssue>;
  /** Why Jira could not be asked (out of reach), when it could not. */
  failure?: string;
}

/**
 * What becomes of one issue link: the matched requirement; a requirement to create (`create: true`
 * and Jira knows the issue); or the reason it stays unlinked — worded for the report's not-carried list.
 */
export function issueOutcome(issueId: string, index: RequirementIndex, jira: JiraKnowledge, create: boolean): IssueOutcome {
  const match = index.find(issueId);
  if (match) return { kind: "linked", requirementId: match.requirementId };
  const issue = jira.issues.get(issueId);
  if (!jira.configured) {
    return {
      kind: "notLinked",
      reason: "no qTest requirement carries this Jira issue id, and without Jira (jira.url) its key is unknown",
    };
  }
  if (!issue && jira.failure !== undefined) {
    return {
      kind: "notLinked",
      reason: "no qTest requirement carries this Jira issue id, and Jira could not be asked for its key",
    };
  }
  if (!issue) return { kind: "notLinked", reason: "Jira does not know this issue id (deleted, or not visible to the account)" };
  if (create) return { kind: "create", issue };
  return { kind: "notLinked", reason: "qTest holds no requirement for this issue (mapping.requirements.create is false)" };
}

/** Why a link stays out, worded once for the migration's report and verification's. */
export const LINK_REASONS = {
  /** A cycle's runs stand for it (a release or a requirement links to runs): a cycle never executed has none. */
  noRuns: (whose: "release" | "requirement") =>
    `the test cycle has no test run in qTest (no execution): a ${whose} links to runs, not to suites`,
  cycleNotInProject: "the test cycle is not in this Zephyr project",
  /** Verification found the requirement `mapping.requirements.create` would make absent. */
  requirementNotMade: "the requirement to create for this issue is not in qTest",
} as const;

/** How an issue is named in reports: its key when Jira gave it, else `issue <id>`. */
export function issueLabel(issueId: string, issues: ReadonlyMap<string, JiraIssue>): string {
  return issues.get(issueId)?.key ?? `issue ${issueId}`;
}

/**
 * The links to add and to remove so that `current` becomes `desired`. Only links ZTOQ answers for are
 * removed (`owned`: to requirements standing for a Jira issue, to this project's runs): a link a person
 * made to anything else stays.
 */
export function linkChanges(
  desired: ReadonlySet<number>,
  current: ReadonlySet<number>,
  owned: (id: number) => boolean,
): { add: number[]; remove: number[] } {
  return {
    add: [...desired].filter((id) => !current.has(id)).sort((a, b) => a - b),
    remove: [...current].filter((id) => !desired.has(id) && owned(id)).sort((a, b) => a - b),
  };
}
