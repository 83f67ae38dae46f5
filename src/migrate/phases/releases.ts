import { forEachConcurrent } from "../../concurrency/pool.js";
import { contentHash } from "../../plan/content-hash.js";
import { LINK_REASONS, linkChanges, runsByCycle, scopeIssueIds } from "../../plan/coverage.js";
import { planRelease, RELEASE_FIELDS, type ReleaseBody } from "../../plan/release.js";
import type { Release } from "../../qtest/schemas.js";
import type { ZephyrClient } from "../../zephyr/client.js";
import type { TestPlan } from "../../zephyr/schemas.js";
import type { RunContext } from "../context.js";
import { syncShared } from "../shard-work.js";
import { traceabilityFields } from "../traceability-fields.js";
import { applyLinkWrites, type LinkWrite, recordedRuns } from "./link-writes.js";
import { withoutSurplus } from "./surplus-marked.js";
import type { Traceability } from "./traceability.js";

/**
 * Zephyr test plans → qTest releases (marked with the plan key), each linked to the requirements of
 * its Jira issues (its scope) and to the test runs of its test cycles: qTest links a release to runs,
 * not to suites, and a suite has one place, so links are how a cycle in two plans is reached from both.
 */
export async function migrateReleases(
  context: RunContext,
  input: { plans: readonly TestPlan[]; cycleKeys: ReadonlyMap<number, string>; source: ZephyrClient; traceability: Traceability },
): Promise<void> {
  const { plans, source, traceability } = input;
  const planKeys = new Set(plans.map((p) => p.key));
  if (plans.length === 0) {
    await reportDisappearedPlans(context, planKeys);
    return;
  }
  const { qtest, state, config, log } = context;
  const markerLabel = config.mapping.markerField;
  const readAt = Date.now();
  const [statuses, fieldIds, releases] = await Promise.all([
    source.statuses("TEST_PLAN"),
    traceabilityFields(
      qtest,
      "releases",
      [{ label: markerLabel, dataType: 1 }, ...RELEASE_FIELDS.map((f) => ({ label: f.label, dataType: f.dataType }))],
      { create: true, log, created: traceability.counts.fieldsCreated },
    ),
    qtest.releases(),
  ]);
  const releaseContext = { fieldIds, markerLabel, statusNames: new Map(statuses.map((s) => [s.id, s.name])) };
  const markerFieldId = fieldIds.get(markerLabel);
  const markerOf = (r: Release) => r.properties?.find((p) => p.field_id === markerFieldId)?.field_value?.trim() ?? null;
  // Two releases of one plan (two overlapping runs, each with a state of its own): the oldest is used.
  const kept = await withoutSurplus(
    context,
    "release",
    releases.filter((r) => planKeys.has(markerOf(r) ?? "")),
    markerOf,
    (id) => qtest.deleteRelease(id),
  );
  const present = new Map(releases.filter((r) => kept.has(r.id) || !planKeys.has(markerOf(r) ?? "")).map((r) => [r.id, r]));

  const releaseIds = new Map<string, number>();
  await forEachConcurrent(plans, config.migration.concurrency, async (plan) => {
    const body = planRelease(plan, releaseContext);
    const marker = { fieldName: markerLabel, value: plan.key };
    const record = await state.get("release", plan.key);
    // Gone if qTest did not list it — unless it was recorded since (another shard made it meanwhile).
    if (record?.targetId != null && !present.has(record.targetId) && Date.parse(record.updatedAt) < readAt) {
      context.targetPresence.lost("release", record.targetId);
    }
    const judged = (found: Release | undefined) =>
      found && {
        written: { targetId: found.id },
        current: contentHash(releaseShape(found, body)) === contentHash(bodyShape(body)),
      };
    const result = await syncShared(context, {
      type: "release",
      key: plan.key,
      hash: contentHash(body),
      record: record ?? null,
      create: async () => ({ targetId: (await qtest.createRelease(body, marker)).id }),
      update: async ({ targetId }) => ({ targetId: (await qtest.updateRelease(targetId, body)).id }),
      find: async () => {
        const [found] = await qtest.findByMarker("releases", marker.fieldName, marker.value);
        return found ? { targetId: found.id } : undefined;
      },
      adopt: async () =>
        judged(
          [...present.values()].find((r) => markerOf(r) === plan.key) ??
            (await qtest.findByMarker("releases", marker.fieldName, marker.value)).sort((a, b) => a.id - b.id)[0],
        ),
      recheck: async ({ targetId }) => judged(present.get(targetId)),
    });
    if (result) releaseIds.set(plan.key, result.targetId);
  });
  await linkReleases(context, { plans, releaseIds, traceability, cycleKeys: input.cycleKeys });
  await reportDisappearedPlans(context, planKeys);
}

/**
 * Releases of plans no longer in Zephyr: reported, and deleted from qTest only with `--prune` (as test
 * cases are). Known from the state's records; one shard speaks for all.
 */
async function reportDisappearedPlans(context: RunContext, planKeys: ReadonlySet<string>): Promise<void> {
  const { state, qtest, tally, log, shard } = context;
  if (shard && shard.index !== 1) return;
  const gone: { key: string; targetId: number | null }[] = [];
  for await (const record of state.list("release", { status: "done" })) {
    if (!planKeys.has(record.key)) gone.push({ key: record.key, targetId: record.targetId });
  }
  for (const { key, targetId } of gone) {
    tally.count("release", "disappeared", key, "test plan no longer in Zephyr");
    if (!context.prune || targetId === null) {
      log.warn(
        { entity: "release", key, targetId },
        "test plan no longer in Zephyr (its release kept in qTest; --prune deletes it)",
      );
      continue;
    }
    await qtest.deleteRelease(targetId);
    await state.remove("release", key);
    tally.count("release", "pruned", key, "deleted from qTest");
    log.info({ entity: "release", key, targetId }, "deleted from qTest (--prune)");
  }
}

/** A release as compared: its name, description and the values of the fields ZTOQ writes (`body`'s). */
function releaseShape(release: Release, body: ReleaseBody): unknown {
  const written = new Set(body.properties.map((p) => p.field_id));
  return {
    name: release.name.trim(),
    description: (release.description ?? "").trim(),
    properties: Object.fromEntries(
      body.properties.map((p) => [
        p.field_id,
        (release.properties?.find((q) => q.field_id === p.field_id)?.field_value ?? "").trim(),
      ]),
    ),
    fields: written.size,
  };
}

function bodyShape(body: ReleaseBody): unknown {
  return {
    name: body.name.trim(),
    description: body.description.trim(),
    properties: Object.fromEntries(body.properties.map((p) => [p.field_id, p.field_value.trim()])),
    fields: body.properties.length,
  };
}

/** Each release's links: its plan's test cycles' runs and its Jira issues' requirements, added and removed to match. */
async function linkReleases(
  context: RunContext,
  input: {
    plans: readonly TestPlan[];
    releaseIds: ReadonlyMap<string, number>;
    traceability: Traceability;
    cycleKeys: ReadonlyMap<number, string>;
  },
): Promise<void> {
  const { qtest } = context;
  const { traceability, cycleKeys } = input;
  const runs = await recordedRuns(context);
  const byCycle = runsByCycle(runs);
  const ourRuns = new Set(runs.map((r) => r.id));
  const current = new Map<number, { runs: Set<number>; requirements: Set<number> }>();
  for (const container of await qtest.linkedArtifacts("releases", [...input.releaseIds.values()])) {
    const of = (type: string) => new Set(container.objects.filter((o) => o.objectType === type).map((o) => o.id));
    current.set(container.id, { runs: of("test-runs"), requirements: of("requirements") });
  }

  const writes: LinkWrite[] = [];
  for (const plan of input.plans) {
    const releaseId = input.releaseIds.get(plan.key);
    if (releaseId === undefined) continue;
    const planRuns = new Set<number>();
    for (const link of plan.links?.testCycles ?? []) {
      const cycleKey = cycleKeys.get(link.testCycleId);
      const cycleRuns = cycleKey === undefined ? undefined : byCycle.get(cycleKey);
      if (cycleRuns?.length) for (const id of cycleRuns) planRuns.add(id);
      else {
        traceability.notCarried({
          entity: "testPlan",
          field: "links.testCycles",
          reason: cycleKey === undefined ? LINK_REASONS.cycleNotInProject : LINK_REASONS.noRuns("release"),
          key: `${plan.key} → ${cycleKey ?? `cycle ${link.testCycleId}`}`,
        });
      }
    }
    const requirements = await traceability.requirementsOf(scopeIssueIds(plan.links), {
      entity: "testPlan",
      field: "links.issues",
      key: plan.key,
    });
    const now = current.get(releaseId) ?? { runs: new Set<number>(), requirements: new Set<number>() };
    const runChanges = linkChanges(planRuns, now.runs, (id) => ourRuns.has(id));
    const requirementChanges = linkChanges(requirements, now.requirements, (id) => traceability.index.issueOf(id) !== undefined);
    const source = { type: "releases", id: releaseId } as const;
    writes.push({ source, target: "test-runs", ...runChanges }, { source, target: "requirements", ...requirementChanges });
  }
  await applyLinkWrites(context, writes, traceability.counts);
}
