import { issueLabel, LINK_REASONS, linkChanges, runsByCycle } from "../../plan/coverage.js";
import type { RunContext } from "../context.js";
import { applyLinkWrites, type LinkWrite, recordedRuns } from "./link-writes.js";
import type { Traceability } from "./traceability.js";

/**
 * A test cycle's coverage links: qTest links no requirement to a test suite, so the requirement of each
 * Jira issue a cycle covers is linked to the test runs of the cycle's suite — where its results are.
 * Read per requirement, for every requirement standing for a Jira issue, so a link Zephyr dropped is
 * removed too; only links to this project's runs are ever touched.
 */
export async function syncCycleCoverage(
  context: RunContext,
  coverage: ReadonlyMap<string, readonly string[]>,
  traceability: Traceability,
): Promise<void> {
  const { qtest } = context;
  const runs = await recordedRuns(context);
  const byCycle = runsByCycle(runs);
  const ourRuns = new Set(runs.map((r) => r.id));

  const desired = new Map<number, Set<number>>();
  for (const [cycleKey, issueIds] of coverage) {
    const cycleRuns = byCycle.get(cycleKey) ?? [];
    const from = { entity: "testCycle", field: "links.issues (coverage)", key: cycleKey } as const;
    if (cycleRuns.length === 0) {
      for (const issueId of issueIds) {
        const key = `${cycleKey} → ${issueLabel(issueId, traceability.jira.issues)}`;
        traceability.notCarried({ ...from, reason: LINK_REASONS.noRuns("requirement"), key });
      }
      continue;
    }
    for (const requirementId of await traceability.requirementsOf(issueIds, from)) {
      const set = desired.get(requirementId) ?? new Set<number>();
      for (const id of cycleRuns) set.add(id);
      desired.set(requirementId, set);
    }
  }

  const requirements = traceability.jiraRequirements();
  const current = new Map<number, Set<number>>();
  for (const container of await qtest.linkedArtifacts("requirements", requirements)) {
    current.set(container.id, new Set(container.objects.filter((o) => o.objectType === "test-runs").map((o) => o.id)));
  }
  const writes: LinkWrite[] = requirements.map((requirementId) => ({
    source: { type: "requirements", id: requirementId },
    target: "test-runs",
    ...linkChanges(desired.get(requirementId) ?? new Set(), current.get(requirementId) ?? new Set(), (id) => ourRuns.has(id)),
  }));
  await applyLinkWrites(context, writes, traceability.counts);
}
