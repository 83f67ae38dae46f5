import { coveredIssueIds, RequirementIndex, scopeIssueIds } from "../plan/coverage.js";
import type { QTestClient } from "../qtest/client.js";
import type { ZephyrClient } from "../zephyr/client.js";

/** What `init` tells of a project's traceability: what `mapping.requirements` decides about. */
export interface TraceabilitySummary {
  testPlans: number;
  /** Coverage links of test cases, and the distinct Jira issues they and the plans name. */
  coverageLinks: number;
  issues: number;
  /** Issues no qTest requirement carries the id of (the requirements qTest's Jira integration imported). */
  withoutRequirement: number;
}

/**
 * Reads what the migration's traceability phase will meet, without Jira: the plans, the coverage links,
 * and which of their issues qTest already holds a requirement for by issue id.
 */
export async function readTraceability(
  zephyr: ZephyrClient,
  qtest: QTestClient,
  projectKey: string,
): Promise<TraceabilitySummary> {
  let coverageLinks = 0;
  const issues = new Set<string>();
  for await (const page of zephyr.testCases()) {
    for (const testCase of page) {
      const ids = coveredIssueIds(testCase.links);
      coverageLinks += ids.length;
      for (const id of ids) issues.add(id);
    }
  }
  const plans = await zephyr.testPlans();
  for (const plan of plans) for (const id of scopeIssueIds(plan.links)) issues.add(id);
  const requirements = issues.size === 0 ? [] : await qtest.requirements();
  const index = new RequirementIndex(
    requirements.map((r) => ({ id: r.id, name: r.name, marker: null, externalId: r.external_properties?.id ?? null })),
    projectKey,
    new Map(),
  );
  return {
    testPlans: plans.length,
    coverageLinks,
    issues: issues.size,
    withoutRequirement: [...issues].filter((id) => index.find(id) === undefined).length,
  };
}
