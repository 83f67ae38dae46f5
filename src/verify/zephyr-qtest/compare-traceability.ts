import type { JiraClient } from "../../jira/client.js";
import { askJira } from "../../jira/knowledge.js";
import {
  coveredIssueIds,
  issueOutcome,
  type JiraKnowledge,
  LINK_REASONS,
  leadingKey,
  RequirementIndex,
  requirementFacts,
  runsByCycle,
  scopeIssueIds,
} from "../../plan/coverage.js";
import { isProjectMarker } from "../../plan/markers.js";
import { type NotCarriedItem, notCarriedOfTestPlan } from "../../plan/not-carried.js";
import { planRelease, RELEASE_FIELDS } from "../../plan/release.js";
import type { Release } from "../../qtest/schemas.js";
import type { ZephyrClient } from "../../zephyr/client.js";
import type { TestPlan } from "../../zephyr/schemas.js";
import type { Comparison } from "./comparison.js";

/**
 * Coverage and plans, compared as the migration carries them: per test case, the Jira issues it
 * covers in Zephyr against the requirements it is linked to in qTest (each link named by case and
 * Jira key); per test plan, its release (name, description, fields) and the release's links to the
 * runs of its cycles and to its requirements. Links the migration could not make are not problems
 * here but the not-carried list's, with their reason.
 */
export async function compareTraceability(
  comparison: Comparison,
  input: { source: ZephyrClient; jira: JiraClient | undefined; notCarried: (item: NotCarriedItem) => void },
): Promise<void> {
  const { context, target } = comparison;
  const { qtest, config } = context;
  const coverage = new Map<string, string[]>();
  for await (const page of input.source.testCases()) for (const t of page) coverage.set(t.key, coveredIssueIds(t.links));
  const cycleCoverage = new Map<string, string[]>();
  for await (const page of input.source.testCycles()) for (const c of page) cycleCoverage.set(c.key, coveredIssueIds(c.links));
  const plans = await input.source.testPlans();
  for (const plan of plans) comparison.notCarried.addAll(notCarriedOfTestPlan(plan, comparison.notCarriedRules));
  const issueIds = [
    ...new Set([...coverage.values(), ...cycleCoverage.values(), ...plans.map((p) => scopeIssueIds(p.links))].flat()),
  ];
  if (issueIds.length === 0 && plans.length === 0) return;

  const jira = await askJira(input.jira, issueIds);
  const markerLabel = config.mapping.markerField;
  const sameLabel = (label: string) => (f: { label: string }) => f.label.trim().toLowerCase() === label.trim().toLowerCase();
  const [requirementFields, requirements] = await Promise.all([qtest.fields("requirements"), qtest.requirements()]);
  const requirementMarkerId = requirementFields.find(sameLabel(markerLabel))?.id;
  const facts = requirements.map((r) => requirementFacts(r, requirementMarkerId));
  const index = new RequirementIndex(facts, context.resolution.projectKey, jira.issues);
  const nameOf = new Map(requirements.map((r) => [r.id, r.name]));
  /** A Jira issue named by its key: Jira's answer, else the key its requirement's name starts with. */
  const label = (issueId: string, requirementId?: number) =>
    jira.issues.get(issueId)?.key ??
    (requirementId === undefined ? undefined : leadingKey(nameOf.get(requirementId) ?? "")) ??
    `issue ${issueId}`;
  const create = config.mapping.requirements.create;

  // Per case: the requirements its issues stand for, against those it is linked to.
  const tally = comparison.tallies.requirement;
  const caseIds = new Map<string, number>();
  for (const key of coverage.keys()) {
    const id = target.cases.uniqueId(key);
    if (id !== undefined) caseIds.set(key, id);
  }
  const linked = new Map<number, Set<number>>();
  for (const container of await qtest.linkedArtifacts("test-cases", [...caseIds.values()])) {
    linked.set(container.id, new Set(container.objects.filter((o) => o.objectType === "requirements").map((o) => o.id)));
  }
  for (const [caseKey, issues] of coverage) {
    const caseId = caseIds.get(caseKey);
    if (caseId === undefined) continue;
    const actual = linked.get(caseId) ?? new Set<number>();
    const expected = new Set<number>();
    for (const issueId of issues) {
      const outcome = issueOutcome(issueId, index, jira, create);
      if (outcome.kind === "linked") {
        tally.sourceCount++;
        expected.add(outcome.requirementId);
        if (actual.has(outcome.requirementId)) tally.add("matched", 1);
        else tally.problem("missing", `${caseKey} → ${label(issueId, outcome.requirementId)}`, [caseId]);
      } else {
        tally.excluded++;
        input.notCarried({
          entity: "testCase",
          field: "links.issues (coverage)",
          reason: outcome.kind === "create" ? LINK_REASONS.requirementNotMade : outcome.reason,
          key: `${caseKey} → ${label(issueId)}`,
        });
      }
    }
    for (const requirementId of actual) {
      const issueId = index.issueOf(requirementId);
      tally.targetCount++;
      if (issueId !== undefined && !expected.has(requirementId)) {
        tally.problem("extra", `${caseKey} → ${label(issueId, requirementId)}`, [caseId, requirementId]);
      }
    }
  }

  await compareCycleCoverage(comparison, { cycleCoverage, index, jira, label, notCarried: input.notCarried });
  await comparePlans(comparison, { plans, index, jira, label, source: input.source, notCarried: input.notCarried });
}

/** Per cycle and Jira issue it covers: the issue's requirement linked to every run of the cycle's suite, and to no other of this project's runs. */
async function compareCycleCoverage(
  comparison: Comparison,
  input: {
    cycleCoverage: ReadonlyMap<string, readonly string[]>;
    index: RequirementIndex;
    jira: JiraKnowledge;
    label: (issueId: string, requirementId?: number) => string;
    notCarried: (item: NotCarriedItem) => void;
  },
): Promise<void> {
  const { context, target } = comparison;
  const tally = comparison.tallies.requirement;
  const byCycle = runsByCycle(target.runs.values());
  const ourRuns = new Set([...byCycle.values()].flat());
  const expected = new Map<number, Set<number>>();
  for (const [cycleKey, issues] of input.cycleCoverage) {
    const runs = byCycle.get(cycleKey) ?? [];
    for (const issueId of issues) {
      const outcome = issueOutcome(issueId, input.index, input.jira, context.config.mapping.requirements.create);
      const key = `${cycleKey} → ${input.label(issueId, outcome.kind === "linked" ? outcome.requirementId : undefined)}`;
      // As the migration words it: a cycle without runs first, then the issue's own reason.
      if (runs.length === 0 || outcome.kind !== "linked") {
        input.notCarried({
          entity: "testCycle",
          field: "links.issues (coverage)",
          reason:
            runs.length === 0
              ? LINK_REASONS.noRuns("requirement")
              : outcome.kind === "notLinked"
                ? outcome.reason
                : LINK_REASONS.requirementNotMade,
          key,
        });
        continue;
      }
      const set = expected.get(outcome.requirementId) ?? new Set<number>();
      for (const id of runs) set.add(id);
      expected.set(outcome.requirementId, set);
    }
  }
  const requirements = input.index.requirementIds();
  for (const container of await context.qtest.linkedArtifacts("requirements", requirements)) {
    const linked = new Set(container.objects.filter((o) => o.objectType === "test-runs" && ourRuns.has(o.id)).map((o) => o.id));
    const wanted = expected.get(container.id) ?? new Set<number>();
    const issueId = input.index.issueOf(container.id) ?? "";
    const lost = [...wanted].filter((id) => !linked.has(id));
    const surplus = [...linked].filter((id) => !wanted.has(id));
    tally.sourceCount += wanted.size;
    tally.targetCount += linked.size;
    tally.add("matched", wanted.size - lost.length);
    const name = input.label(issueId, container.id);
    if (lost.length > 0)
      tally.problem("missing", `${name} → runs ${lost.map((id) => target.runs.markerOf(id)).join(", ")}`, lost, lost.length);
    if (surplus.length > 0) {
      tally.problem(
        "extra",
        `${name} → runs ${surplus.map((id) => target.runs.markerOf(id)).join(", ")}`,
        surplus,
        surplus.length,
      );
    }
  }
}

/** Plans ↔ releases by marker, then each release's links. */
async function comparePlans(
  comparison: Comparison,
  input: {
    plans: readonly TestPlan[];
    index: RequirementIndex;
    jira: JiraKnowledge;
    label: (issueId: string, requirementId?: number) => string;
    source: ZephyrClient;
    notCarried: (item: NotCarriedItem) => void;
  },
): Promise<void> {
  const { context, target } = comparison;
  const { qtest, config } = context;
  const tally = comparison.tallies.release;
  const markerLabel = config.mapping.markerField;
  const [fields, releases, statuses] = await Promise.all([
    qtest.fields("releases"),
    qtest.releases(),
    input.source.statuses("TEST_PLAN"),
  ]);
  const fieldIds = new Map<string, number>();
  for (const wanted of [markerLabel, ...RELEASE_FIELDS.map((f) => f.label)]) {
    const field = fields.find((f) => f.label.trim().toLowerCase() === wanted.trim().toLowerCase());
    if (field) fieldIds.set(wanted, field.id);
  }
  const markerId = fieldIds.get(markerLabel);
  const markerOf = (r: Release) => r.properties?.find((p) => p.field_id === markerId)?.field_value?.trim() || null;
  const projectKey = context.resolution.projectKey;
  const ours = releases.filter((r) => {
    const marker = markerOf(r);
    return marker !== null && isProjectMarker(marker, projectKey, false);
  });
  tally.targetCount = ours.length;
  const paired = new Set<number>();

  const byCycle = runsByCycle(target.runs.values());
  const ourRuns = new Set([...byCycle.values()].flat());
  const cycleKeys = comparison.cycleKeys;
  const statusNames = new Map(statuses.map((s) => [s.id, s.name]));
  const releaseOf = new Map<string, Release>();
  for (const plan of input.plans) {
    tally.sourceCount++;
    const found = ours.filter((r) => markerOf(r) === plan.key).sort((a, b) => a.id - b.id);
    const [release, ...surplus] = found;
    if (!release) {
      tally.problem("missing", plan.key, []);
      continue;
    }
    for (const r of found) paired.add(r.id);
    if (surplus.length > 0)
      tally.problem(
        "duplicated",
        plan.key,
        found.map((r) => r.id),
        surplus.length,
      );
    releaseOf.set(plan.key, release);
    if (fieldIds.size < RELEASE_FIELDS.length + 1) {
      tally.paired(plan.key, [release.id], { changed: [{ path: "fields", source: "ZTOQ's release fields", target: null }] });
      continue;
    }
    const expected = planRelease(plan, { fieldIds, markerLabel, statusNames });
    const differences = [
      ...(expected.name.trim() !== release.name.trim() ? [{ path: "name", source: expected.name, target: release.name }] : []),
      ...(expected.description.trim() !== (release.description ?? "").trim()
        ? [{ path: "description", source: expected.description, target: release.description ?? null }]
        : []),
      ...expected.properties.flatMap((p) => {
        const actual = release.properties?.find((q) => q.field_id === p.field_id)?.field_value ?? "";
        const name = [...fieldIds].find(([, id]) => id === p.field_id)?.[0] ?? String(p.field_id);
        return actual.trim() === p.field_value.trim()
          ? []
          : [{ path: `properties.${name}`, source: p.field_value, target: actual }];
      }),
    ];
    tally.paired(plan.key, [release.id], { changed: differences });
  }
  for (const r of ours) if (!paired.has(r.id)) tally.problem("extra", markerOf(r) ?? `#${r.id}`, [r.id]);

  // Each release's links: the runs of its plan's cycles, the requirements of its issues.
  const links = new Map<number, { runs: Set<number>; requirements: Set<number> }>();
  const releaseIds = [...releaseOf.values()].map((r) => r.id);
  for (const container of await qtest.linkedArtifacts("releases", releaseIds)) {
    const of = (type: string) => new Set(container.objects.filter((o) => o.objectType === type).map((o) => o.id));
    links.set(container.id, { runs: of("test-runs"), requirements: of("requirements") });
  }
  for (const plan of input.plans) {
    const release = releaseOf.get(plan.key);
    if (!release) continue;
    const now = links.get(release.id) ?? { runs: new Set<number>(), requirements: new Set<number>() };
    const expectedRuns = new Set<number>();
    const expectedRequirements = new Set<number>();
    for (const link of plan.links?.testCycles ?? []) {
      const cycleKey = cycleKeys.get(link.testCycleId);
      const runs = cycleKey === undefined ? [] : (byCycle.get(cycleKey) ?? []);
      for (const id of runs) expectedRuns.add(id);
      if (runs.length === 0) {
        input.notCarried({
          entity: "testPlan",
          field: "links.testCycles",
          reason: cycleKey === undefined ? LINK_REASONS.cycleNotInProject : LINK_REASONS.noRuns("release"),
          key: `${plan.key} → ${cycleKey ?? `cycle ${link.testCycleId}`}`,
        });
        continue;
      }
      const lost = runs.filter((id) => !now.runs.has(id));
      if (lost.length > 0) {
        tally.problem("missing", `${plan.key} → ${cycleKey} (${lost.length} of ${runs.length} runs unlinked)`, [
          release.id,
          ...lost,
        ]);
      }
    }
    for (const issueId of scopeIssueIds(plan.links)) {
      const outcome = issueOutcome(issueId, input.index, input.jira, context.config.mapping.requirements.create);
      if (outcome.kind !== "linked") {
        input.notCarried({
          entity: "testPlan",
          field: "links.issues",
          reason: outcome.kind === "create" ? LINK_REASONS.requirementNotMade : outcome.reason,
          key: `${plan.key} → ${input.label(issueId)}`,
        });
      } else {
        expectedRequirements.add(outcome.requirementId);
        if (!now.requirements.has(outcome.requirementId)) {
          tally.problem("missing", `${plan.key} → ${input.label(issueId, outcome.requirementId)}`, [release.id]);
        }
      }
    }
    // Links the migration answers for and Zephyr does not have: to this project's runs, to Jira requirements.
    const extraRuns = [...now.runs].filter((id) => ourRuns.has(id) && !expectedRuns.has(id));
    if (extraRuns.length > 0) {
      const markers = extraRuns.map((id) => target.runs.markerOf(id)).join(", ");
      tally.problem("extra", `${plan.key} → runs ${markers}`, [release.id, ...extraRuns], extraRuns.length);
    }
    for (const id of now.requirements) {
      const issueId = input.index.issueOf(id);
      if (issueId !== undefined && !expectedRequirements.has(id)) {
        tally.problem("extra", `${plan.key} → ${input.label(issueId, id)}`, [release.id, id]);
      }
    }
  }
  comparison.read.target += releases.length;
}
