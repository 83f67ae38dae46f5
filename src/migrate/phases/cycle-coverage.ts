import { forEachConcurrent } from "../../concurrency/pool.js";
import { issueLabel, linkChanges } from "../../plan/coverage.js";
import type { RunContext } from "../context.js";
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
  const { qtest, state } = context;
  const runsByCycle = new Map<string, number[]>();
  const ourRuns = new Set<number>();
  for await (const record of state.list("testRun", { status: "done" })) {
    if (record.targetId === null) continue;
    const cycle = record.key.slice(0, record.key.lastIndexOf("/"));
    runsByCycle.set(cycle, [...(runsByCycle.get(cycle) ?? []), record.targetId]);
    ourRuns.add(record.targetId);
  }

  const desired = new Map<number, Set<number>>();
  for (const [cycleKey, issueIds] of coverage) {
    const runs = runsByCycle.get(cycleKey) ?? [];
    for (const issueId of issueIds) {
      const found = await traceability.requirementFor(issueId);
      const key = `${cycleKey} → ${issueLabel(issueId, traceability.jira.issues)}`;
      if (!("requirementId" in found)) {
        traceability.notCarried({ entity: "testCycle", field: "links.issues (coverage)", reason: found.reason, key });
      } else if (runs.length === 0) {
        traceability.notCarried({
          entity: "testCycle",
          field: "links.issues (coverage)",
          reason: "the test cycle has no test run in qTest (no execution): a requirement links to runs, not to suites",
          key,
        });
      } else {
        const set = desired.get(found.requirementId) ?? new Set<number>();
        for (const id of runs) set.add(id);
        desired.set(found.requirementId, set);
      }
    }
  }

  const requirements = traceability.jiraRequirements();
  const current = new Map<number, Set<number>>();
  for (const container of await qtest.linkedArtifacts("requirements", requirements)) {
    current.set(container.id, new Set(container.objects.filter((o) => o.objectType === "test-runs").map((o) => o.id)));
  }
  const writes = requirements.flatMap((requirementId) => {
    const { add, remove } = linkChanges(desired.get(requirementId) ?? new Set(), current.get(requirementId) ?? new Set(), (id) =>
      ourRuns.has(id),
    );
    return [
      ...(add.length > 0 ? [{ requirementId, link: true, ids: add }] : []),
      ...(remove.length > 0 ? [{ requirementId, link: false, ids: remove }] : []),
    ];
  });
  await forEachConcurrent(writes, context.config.migration.concurrency, async ({ requirementId, link, ids }) => {
    const source = { type: "requirements", id: requirementId } as const;
    if (link) {
      await qtest.link(source, "test-runs", ids);
      traceability.counts.linksAdded += ids.length;
    } else {
      await qtest.unlink(source, "test-runs", ids);
      traceability.counts.linksRemoved += ids.length;
    }
  });
}
