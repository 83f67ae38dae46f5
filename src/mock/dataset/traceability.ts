import type { TestCase, TestCycle, TestPlan } from "../../zephyr/schemas.js";
import type { JiraIssue } from "../../zephyr/snapshot.js";
import { SeededRandom } from "../random.js";
import { richText, sentence, title } from "./text.js";

/** Test cases' issue links name ids 20001–20300; plans draw from the same space. */
const ISSUE_ID_BASE = 20_000;
const ISSUE_ID_SPAN = 300;
/** Far above every case's link id (`caseId * 10 + n`), so new links never collide with them. */
const PLAN_LINK_ID_BASE = 9_000_000;

export interface TraceabilityInput {
  seed: number;
  key: string;
  base: string;
  projectRef: { id: number; self: string };
  testCases: readonly TestCase[];
  testCycles: readonly TestCycle[];
  users: readonly string[];
  /** Statuses of type TEST_PLAN, in the order added (the first is the default). */
  planStatuses: readonly number[];
}

/**
 * Test plans over the generated cycles, and the Jira issues their links (and the cases') name. Drawn
 * from a generator of its own, after everything else, so adding them changed no value generated before.
 * Most issues are in qTest already (`qtest: true`), some are not, and some ids are unknown to Jira.
 */
export function generateTraceability(input: TraceabilityInput): { testPlans: TestPlan[]; jiraIssues: JiraIssue[] } {
  const random = new SeededRandom(input.seed * 7919 + 17);
  const { key, base, projectRef, testCycles } = input;
  const planCount = Math.max(2, Math.round(testCycles.length / 10));
  const testPlans: TestPlan[] = [];
  for (let p = 1; p <= planCount; p++) {
    const r = random.fork(`plan-${p}`);
    const id = 30_000 + p;
    const planKey = `${key}-P${p}`;
    let linkId = PLAN_LINK_ID_BASE + p * 100;
    const cycles = r.sample(testCycles, r.int(1, Math.min(4, testCycles.length)));
    // The first cycle sits in the first two plans: a cycle in two plans is what a migration must not duplicate.
    const first = testCycles[0];
    const statusId = r.pick(input.planStatuses);
    if (p <= 2 && first && !cycles.includes(first)) cycles.unshift(first);
    testPlans.push({
      id,
      key: planKey,
      name: `${r.pick(["Release", "Quarterly", "Regression", "Launch"])} plan ${p}${r.chance(0.2) ? " — «Übersicht»" : ""}`,
      objective: r.chance(0.8) ? richText(r) : null,
      project: projectRef,
      status: { id: statusId, self: `${base}/statuses/${statusId}` },
      folder: null,
      owner: r.chance(0.8)
        ? ((a: string) => ({ self: jiraUrl(`user?accountId=${a}`), accountId: a }))(r.pick(input.users))
        : null,
      customFields: {
        "Plan Scope": r.chance(0.7) ? sentence(r) : null,
        "Budget (hours)": r.chance(0.6) ? r.int(8, 400) : null,
      },
      labels: r.sample(["Release", "Compliance", "Mobile", "Q3"], r.int(0, 2)),
      links: {
        self: `${base}/testplans/${planKey}/links`,
        webLinks: [
          {
            self: `${base}/links/${++linkId}`,
            id: linkId,
            url: `https://wiki.example.com/plans/${p}`,
            description: "Plan charter",
            type: "RELATED",
          },
        ],
        issues: Array.from({ length: r.int(1, 3) }, () => {
          const issueId = ISSUE_ID_BASE + r.int(1, ISSUE_ID_SPAN);
          return {
            self: `${base}/links/${++linkId}`,
            id: linkId,
            issueId,
            target: jiraUrl(`issue/${issueId}`),
            type: r.chance(0.7) ? ("COVERAGE" as const) : ("RELATED" as const),
          };
        }),
        testCycles: cycles.map((cycle) => ({
          self: `${base}/links/${++linkId}`,
          id: linkId,
          testCycleId: cycle.id,
          target: `${base}/testcycles/${cycle.id}`,
          type: "RELATED" as const,
        })),
      },
    });
  }
  return { testPlans, jiraIssues: jiraIssuesFor(random.fork("jira"), key, input.testCases, testPlans) };
}

/** One issue per linked id, apart from about one in ten that Jira cannot resolve; about one in seven not in qTest. */
function jiraIssuesFor(
  r: SeededRandom,
  key: string,
  testCases: readonly TestCase[],
  testPlans: readonly TestPlan[],
): JiraIssue[] {
  const ids = new Set<number>();
  for (const owner of [...testCases, ...testPlans]) for (const link of owner.links?.issues ?? []) ids.add(link.issueId);
  const sorted = [...ids].sort((a, b) => a - b);
  const fate = sorted.map(() => (r.chance(0.1) ? "absent" : r.chance(0.15) ? "jira-only" : "both"));
  // Every kind present whenever there are ids enough for it.
  if (sorted.length >= 3 && !fate.includes("absent")) fate[sorted.length - 1] = "absent";
  const firstBoth = fate.indexOf("both");
  if (sorted.length >= 3 && !fate.includes("jira-only") && firstBoth >= 0) fate[firstBoth] = "jira-only";
  return sorted.flatMap((id, i) =>
    fate[i] === "absent"
      ? []
      : [{ id: String(id), key: `${key}-${id - ISSUE_ID_BASE}`, fields: { summary: title(r) }, qtest: fate[i] === "both" }],
  );
}

function jiraUrl(path: string): string {
  return `https://example.atlassian.net/rest/api/2/${path}`;
}
