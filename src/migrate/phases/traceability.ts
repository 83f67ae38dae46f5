import type { JiraClient } from "../../jira/client.js";
import { askJira } from "../../jira/knowledge.js";
import { contentHash } from "../../plan/content-hash.js";
import {
  coveredIssueIds,
  issueBrowseUrl,
  issueLabel,
  issueOutcome,
  type JiraIssue,
  type JiraKnowledge,
  RequirementIndex,
  requirementFacts,
  requirementMarker,
  scopeIssueIds,
} from "../../plan/coverage.js";
import { type NotCarriedItem, notCarriedOfTestPlan, type SourceEntity } from "../../plan/not-carried.js";
import { planRequirement, REQUIREMENT_LINK_FIELD } from "../../plan/release.js";
import type { Requirement } from "../../qtest/schemas.js";
import type { ZephyrClient } from "../../zephyr/client.js";
import type { TestPlan } from "../../zephyr/schemas.js";
import type { RunContext } from "../context.js";
import { syncShared } from "../shard-work.js";
import { traceabilityFields } from "../traceability-fields.js";
import { syncCoverageLinks } from "./coverage-links.js";
import { syncCycleCoverage } from "./cycle-coverage.js";
import { migrateReleases } from "./releases.js";
import { withoutSurplus } from "./surplus-marked.js";

/** What the traceability phase carried, for the report. */
export interface TraceabilityCounts {
  linksAdded: number;
  linksRemoved: number;
  /** The link and unlink requests that made them (qTest writes; at most 100 ids each). */
  linkWrites: number;
  /** The fields made on releases and requirements, as `object type: label` (as preflight reports its own). */
  fieldsCreated: string[];
}

/** Everything the two halves of the phase share: the requirements by issue, Jira's answers, the requirement for an issue. */
export interface Traceability {
  index: RequirementIndex;
  jira: JiraKnowledge;
  /** The requirement for an issue, made now when `mapping.requirements.create` allows; else why there is none. */
  requirementFor: (issueId: string) => Promise<{ requirementId: number } | { reason: string }>;
  notCarried: (item: NotCarriedItem) => void;
  counts: TraceabilityCounts;
  /** Every requirement standing for a Jira issue (made in this run included). */
  jiraRequirements: () => number[];
  /**
   * The requirements of the issues a source entity names; each issue without one is reported as not
   * carried, keyed `<entity key> → <issue key>`.
   */
  requirementsOf: (
    issueIds: readonly string[],
    from: { entity: SourceEntity; field: string; key: string },
  ) => Promise<Set<number>>;
}

/**
 * After the executions: each migrated test case linked to the requirement of every Jira issue it
 * covers, each cycle's covered requirements linked to its runs, and each Zephyr test plan made a
 * release linked to its requirements and to the test runs of its cycles. Reads the source's case links
 * (incremental runs: the changed cases and those the run wrote), cycles and plans, Jira's keys for the
 * issue ids (when `jira.url` is set), and qTest's requirements in bulk.
 */
export async function migrateTraceability(
  context: RunContext,
  input: { source: ZephyrClient; jira: JiraClient | undefined; notCarried: (item: NotCarriedItem) => void },
): Promise<TraceabilityCounts> {
  const { qtest, config, log } = context;
  const counts: TraceabilityCounts = { linksAdded: 0, linksRemoved: 0, linkWrites: 0, fieldsCreated: [] };
  const { coverage, cycleCoverage, cycleKeys, plans } = await readTraceabilitySource(context, input.source);
  for (const plan of plans) for (const item of notCarriedOfTestPlan(plan, context.notCarriedRules)) input.notCarried(item);
  const issueIds = new Set([...coverage.values(), ...cycleCoverage.values(), ...plans.map((p) => scopeIssueIds(p.links))].flat());
  // Nothing in scope can hold a link: no case read (an incremental run with no change), no cycle, no plan.
  if (coverage.size === 0 && cycleCoverage.size === 0 && plans.length === 0) return counts;

  const jira = await askJira(input.jira, [...issueIds]);
  if (jira.failure !== undefined) log.warn({ error: jira.failure }, "Jira could not be asked: the issues' keys stay unknown");
  const create = config.mapping.requirements.create;
  const markerLabel = config.mapping.markerField;
  const requirementFields = await traceabilityFields(
    qtest,
    "requirements",
    [
      { label: markerLabel, dataType: 1 },
      { label: REQUIREMENT_LINK_FIELD.label, dataType: REQUIREMENT_LINK_FIELD.dataType },
    ],
    { create, log, created: counts.fieldsCreated },
  );
  const markerFieldId = requirementFields.get(markerLabel);
  const readAt = Date.now();
  const read = await qtest.requirements();
  // Two requirements ZTOQ made for one issue (two overlapping runs, each with a state of its own): the oldest stays.
  const marked = (r: Requirement) => requirementFacts(r, markerFieldId).marker;
  const ours = read.filter((r) => marked(r)?.startsWith(`${context.resolution.projectKey}-jira-`));
  const kept = await withoutSurplus(context, "requirement", ours, marked, (id) => qtest.deleteRequirement(id));
  const oursIds = new Set(ours.map((r) => r.id));
  const requirements = read.filter((r) => kept.has(r.id) || !oursIds.has(r.id));
  const index = new RequirementIndex(
    requirements.map((r) => requirementFacts(r, markerFieldId)),
    context.resolution.projectKey,
    jira.issues,
  );
  const present = new Set(requirements.map((r) => r.id));
  let module: Promise<number> | undefined;
  // Looked for (or made) only when a requirement is to be created.
  const moduleId = () => {
    module ??= requirementsModule(context);
    return module;
  };
  const made = new Map<string, Promise<{ requirementId: number } | { reason: string }>>();

  const traceability: Traceability = {
    requirementsOf: async (issueIds, from) => {
      const found = new Set<number>();
      for (const issueId of issueIds) {
        const requirement = await traceability.requirementFor(issueId);
        if ("requirementId" in requirement) found.add(requirement.requirementId);
        else {
          const key = `${from.key} → ${issueLabel(issueId, jira.issues)}`;
          input.notCarried({ entity: from.entity, field: from.field, reason: requirement.reason, key });
        }
      }
      return found;
    },
    index,
    jira,
    notCarried: input.notCarried,
    counts,
    jiraRequirements: () => index.requirementIds(),
    requirementFor: (issueId) => {
      const outcome = issueOutcome(issueId, index, jira, create);
      if (outcome.kind === "notLinked") return Promise.resolve({ reason: outcome.reason });
      // A requirement ZTOQ made follows its issue as Jira has it now (a summary edited there): synced as it was made.
      const ours =
        outcome.kind === "linked" && create && index.find(issueId)?.by === "ztoq" ? jira.issues.get(issueId) : undefined;
      if (outcome.kind === "linked" && !ours) return Promise.resolve({ requirementId: outcome.requirementId });
      const issue = outcome.kind === "create" ? outcome.issue : (ours as JiraIssue);
      let pending = made.get(issueId);
      if (!pending) {
        pending = createRequirement(context, issue, { moduleId, requirementFields, present, readAt, index });
        made.set(issueId, pending);
      }
      return pending;
    },
  };
  await syncCoverageLinks(context, coverage, traceability, counts);
  await syncCycleCoverage(context, cycleCoverage, traceability);
  await migrateReleases(context, { plans, cycleKeys, source: input.source, traceability });
  return counts;
}

/**
 * What the phase carries, from the source: the coverage of the cases in scope (incremental runs: the
 * changed cases, and those the run wrote though Zephyr did not change them — made again after a deletion
 * in qTest, they lost their links with it), of every cycle, and every test plan.
 */
async function readTraceabilitySource(context: RunContext, source: ZephyrClient) {
  const coverage = new Map<string, string[]>();
  for await (const page of source.testCases(context.updatedAfter ? { updatedAfter: context.updatedAfter } : {})) {
    for (const testCase of page) coverage.set(testCase.key, coveredIssueIds(testCase.links));
  }
  for await (const record of context.state.list("testCase", { status: "done" })) {
    if (record.runId !== context.runId || coverage.has(record.key)) continue;
    coverage.set(record.key, coveredIssueIds((await source.testCase(record.key)).links));
  }
  const cycleCoverage = new Map<string, string[]>();
  const cycleKeys = new Map<number, string>();
  for await (const page of source.testCycles()) {
    for (const cycle of page) {
      cycleCoverage.set(cycle.key, coveredIssueIds(cycle.links));
      cycleKeys.set(cycle.id, cycle.key);
    }
  }
  const plans: TestPlan[] = await source.testPlans();
  return { coverage, cycleCoverage, cycleKeys, plans };
}

/**
 * The top-level module the created requirements go under: found by name, else made. Two shards may
 * both make it: each looks again, the oldest is used and a later copy (still empty) is deleted.
 */
async function requirementsModule(context: RunContext): Promise<number> {
  const { qtest } = context;
  const name = context.config.mapping.requirements.module.trim();
  const named = async () =>
    (await qtest.modules())
      .filter((m) => m.name.trim() === name)
      .map((m) => m.id)
      .sort((a, b) => a - b);
  const [existing] = await named();
  if (existing !== undefined) return existing;
  const made = (await qtest.createModule({ name })).id;
  const [oldest = made] = await named();
  if (oldest !== made) await qtest.deleteModule(made);
  return oldest;
}

/** A requirement for a Jira issue through the exactly-once protocol (recorded by issue id). */
async function createRequirement(
  context: RunContext,
  issue: JiraIssue,
  input: {
    moduleId: () => Promise<number>;
    requirementFields: ReadonlyMap<string, number>;
    present: ReadonlySet<number>;
    readAt: number;
    index: RequirementIndex;
  },
): Promise<{ requirementId: number } | { reason: string }> {
  const { qtest, config, resolution } = context;
  const marker = { fieldName: resolution.markerField, value: requirementMarker(resolution.projectKey, issue.id) };
  const jiraUrl = config.jira?.url ?? "";
  const body = planRequirement(issue, {
    marker: marker.value,
    browseUrl: issueBrowseUrl(jiraUrl, issue.key),
    fieldIds: input.requirementFields,
    markerLabel: resolution.markerField,
  });
  const record = await context.state.get("requirement", issue.id);
  // The index found no requirement with this marker: what the state recorded before qTest was read is gone
  // (one recorded since was made by another shard meanwhile, and is adopted by its marker).
  if (record?.targetId != null && !input.present.has(record.targetId) && Date.parse(record.updatedAt) < input.readAt) {
    context.targetPresence.lost("requirement", record.targetId);
  }
  const result = await syncShared(context, {
    type: "requirement",
    key: issue.id,
    hash: contentHash(body),
    record: record ?? null,
    create: async () => ({ targetId: (await qtest.createRequirement(body, await input.moduleId(), marker)).id }),
    update: async ({ targetId }) => ({ targetId: (await qtest.updateRequirement(targetId, body)).id }),
    find: async () => {
      const [found] = await qtest.findByMarker("requirements", marker.fieldName, marker.value);
      return found ? { targetId: found.id } : undefined;
    },
    // Made by another shard since qTest was read, or found again after a loss: taken, never made twice.
    adopt: async () => {
      const [found] = (await qtest.findByMarker("requirements", marker.fieldName, marker.value)).sort((a, b) => a.id - b.id);
      return found ? { written: { targetId: found.id }, current: found.name.trim() === body.name.trim() } : undefined;
    },
  });
  if (!result) return { reason: `qTest refused to create the requirement for ${issue.key}` };
  input.index.add(result.targetId, issue.id);
  return { requirementId: result.targetId };
}
