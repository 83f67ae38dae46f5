import { linkChanges } from "../../plan/coverage.js";
import type { RunContext } from "../context.js";
import { applyLinkWrites, type LinkWrite } from "./link-writes.js";
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
    const desired = await traceability.requirementsOf(issueIds, { entity: "testCase", field: "links.issues (coverage)", key });
    const { add, remove } = linkChanges(desired, current.get(caseId) ?? new Set(), owned);
    for (const requirementId of add) adds.set(requirementId, [...(adds.get(requirementId) ?? []), caseId]);
    for (const requirementId of remove) removes.set(requirementId, [...(removes.get(requirementId) ?? []), caseId]);
  }

  // Posted from the requirement's side: qTest links test cases to a requirement, not the other way.
  const writes: LinkWrite[] = [...new Set([...adds.keys(), ...removes.keys()])].map((requirementId) => ({
    source: { type: "requirements", id: requirementId },
    target: "test-cases",
    add: adds.get(requirementId) ?? [],
    remove: removes.get(requirementId) ?? [],
  }));
  await applyLinkWrites(context, writes, counts);
  log.info(
    { cases: caseIds.size, linksAdded: [...adds.values()].flat().length, linksRemoved: [...removes.values()].flat().length },
    "coverage links carried",
  );
}
