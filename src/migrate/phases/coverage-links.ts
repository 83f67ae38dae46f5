import { forEachConcurrent } from "../../concurrency/pool.js";
import { issueLabel, linkChanges } from "../../plan/coverage.js";
import type { RunContext } from "../context.js";
import type { Traceability, TraceabilityCounts } from "./traceability.js";

/**
 * Each test case in scope linked to the requirements of the Jira issues it covers, and unlinked from
 * the requirements of issues it no longer covers. What qTest holds is read first (in bulk), so a link
 * it holds is never posted again and a second run writes nothing. Only links to requirements standing
 * for a Jira issue are ZTOQ's to remove: a link a person made to anything else stays.
 */
export async function syncCoverageLinks(
  context: RunContext,
  coverage: ReadonlyMap<string, readonly string[]>,
  traceability: Traceability,
  counts: TraceabilityCounts,
): Promise<void> {
  const { qtest, state, log } = context;
  const caseIds = new Map<string, number>();
  for await (const record of state.list("testCase", { status: "done" })) {
    if (record.targetId !== null && coverage.has(record.key)) caseIds.set(record.key, record.targetId);
  }
  const current = new Map<number, Set<number>>();
  for (const container of await qtest.linkedArtifacts("test-cases", [...caseIds.values()])) {
    current.set(container.id, new Set(container.objects.filter((o) => o.objectType === "requirements").map((o) => o.id)));
  }

  const adds = new Map<number, number[]>();
  const removes = new Map<number, number[]>();
  const owned = (requirementId: number) => traceability.index.issueOf(requirementId) !== undefined;
  for (const [key, issueIds] of coverage) {
    const caseId = caseIds.get(key);
    if (caseId === undefined) continue;
    const desired = new Set<number>();
    for (const issueId of issueIds) {
      const found = await traceability.requirementFor(issueId);
      if ("requirementId" in found) desired.add(found.requirementId);
      else {
        traceability.notCarried({
          entity: "testCase",
          field: "links.issues (coverage)",
          reason: found.reason,
          key: `${key} → ${issueLabel(issueId, traceability.jira.issues)}`,
        });
      }
    }
    const { add, remove } = linkChanges(desired, current.get(caseId) ?? new Set(), owned);
    for (const requirementId of add) adds.set(requirementId, [...(adds.get(requirementId) ?? []), caseId]);
    for (const requirementId of remove) removes.set(requirementId, [...(removes.get(requirementId) ?? []), caseId]);
  }

  const concurrency = context.config.migration.concurrency;
  await forEachConcurrent([...adds], concurrency, async ([requirementId, ids]) => {
    await qtest.link({ type: "requirements", id: requirementId }, "test-cases", ids);
    counts.linksAdded += ids.length;
  });
  await forEachConcurrent([...removes], concurrency, async ([requirementId, ids]) => {
    await qtest.unlink({ type: "requirements", id: requirementId }, "test-cases", ids);
    counts.linksRemoved += ids.length;
  });
  log.info(
    { cases: caseIds.size, linksAdded: [...adds.values()].flat().length, linksRemoved: [...removes.values()].flat().length },
    "coverage links carried",
  );
}
