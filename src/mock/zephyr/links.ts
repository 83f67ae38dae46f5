import type { Snapshot } from "../../zephyr/snapshot.js";
import type { Context } from "./context.js";
import { Sequence } from "./entity-lists.js";
import { ZephyrApiError } from "./errors.js";
import type { TestCases } from "./test-cases.js";
import type { TestCycles } from "./test-cycles.js";
import type { TestPlans } from "./test-plans.js";

/** What a Jira issue link hangs on. */
export interface LinkOwner {
  type: "testcase" | "testcycle" | "testplan";
  /** A test case's key; a cycle's or plan's id or key. */
  idOrKey: string;
}

export type LinkType = "COVERAGE" | "BLOCKS" | "RELATED";

interface Owners {
  testCases: TestCases;
  cycles: TestCycles;
  plans: TestPlans;
}

/**
 * The links of test cases, cycles and plans to Jira issues, and of plans to cycles. A plan–cycle link
 * is one link seen from both ends (the plan's `testCycles`, the cycle's `testPlans`), with one id.
 * Adding or removing a link marks its owner changed, so `updatedAfter` finds it (an invention of the
 * mock: docs/mock-fidelity.md).
 */
export class Links {
  readonly #context: Context;
  readonly #owners: Owners;
  readonly #ids: Sequence;

  constructor(snapshot: Snapshot, context: Context, owners: Owners) {
    this.#context = context;
    this.#owners = owners;
    this.#ids = new Sequence(maxLinkId(snapshot));
    this.#mirrorPlanLinksOnCycles();
  }

  addIssueLink(owner: LinkOwner, issueId: number, type: LinkType = "COVERAGE"): { id: number; self: string } {
    const { refs, updated } = this.#context;
    const { testCases, cycles, plans } = this.#owners;
    const entity = this.#entity(owner);
    const id = this.#ids.next();
    const link = { self: refs.url(`links/${id}`), id, issueId, target: jiraIssueUrl(issueId), type };
    const links = {
      self: refs.url(`${collectionOf(owner.type)}/${owner.idOrKey}/links`),
      issues: [],
      webLinks: [],
      ...entity.links,
    };
    const next = { ...links, issues: [...(links.issues ?? []), link] };
    if (owner.type === "testcase") testCases.setLinks(entity.key, next);
    else if (owner.type === "testcycle") cycles.setLinks(entity.key, next);
    else plans.setLinks(entity.key, next);
    updated.touch(owner.type, entity.id);
    return { id, self: link.self };
  }

  /** `POST /testplans/{k}/links/testcycles`: the link shows on both the plan and the cycle. */
  addTestCycleLink(planIdOrKey: string, cycleIdOrKey: string): { id: number; self: string } {
    const { refs, updated } = this.#context;
    const { cycles, plans } = this.#owners;
    const plan = plans.get(planIdOrKey);
    const cycle = cycles.get(cycleIdOrKey);
    const id = this.#ids.next();
    const self = refs.url(`links/${id}`);
    const planLinks = plan.links ?? { self: refs.url(`testplans/${plan.key}/links`) };
    plans.setLinks(plan.key, {
      ...planLinks,
      testCycles: [
        ...(planLinks.testCycles ?? []),
        { self, id, testCycleId: cycle.id, target: refs.url(`testcycles/${cycle.id}`), type: "RELATED" },
      ],
    });
    const cycleLinks = cycle.links ?? { self: refs.url(`testcycles/${cycle.key}/links`) };
    cycles.setLinks(cycle.key, {
      ...cycleLinks,
      testPlans: [
        ...(cycleLinks.testPlans ?? []),
        { self, id, testPlanId: plan.id, target: refs.url(`testplans/${plan.id}`), type: "RELATED" },
      ],
    });
    updated.touch("testplan", plan.id);
    updated.touch("testcycle", cycle.id);
    return { id, self };
  }

  /** `DELETE /links/{linkId}`: from whichever object holds it (both ends of a plan–cycle link). */
  remove(linkId: number): void {
    const { updated } = this.#context;
    const { testCases, cycles, plans } = this.#owners;
    const without = <T extends { id?: number | null }>(items: readonly T[] | undefined) =>
      items?.some((l) => l.id === linkId) ? items.filter((l) => l.id !== linkId) : undefined;
    let found = false;
    for (const t of testCases.list()) {
      const issues = without(t.links?.issues);
      const webLinks = without(t.links?.webLinks);
      if (!issues && !webLinks) continue;
      testCases.setLinks(t.key, { ...t.links, issues: issues ?? t.links?.issues, webLinks: webLinks ?? t.links?.webLinks });
      updated.touch("testcase", t.id);
      found = true;
    }
    for (const c of cycles.list()) {
      const issues = without(c.links?.issues);
      const webLinks = without(c.links?.webLinks);
      const testPlans = without(c.links?.testPlans);
      if (!issues && !webLinks && !testPlans) continue;
      cycles.setLinks(c.key, {
        ...c.links,
        issues: issues ?? c.links?.issues,
        webLinks: webLinks ?? c.links?.webLinks,
        testPlans: testPlans ?? c.links?.testPlans,
      });
      updated.touch("testcycle", c.id);
      found = true;
    }
    for (const p of plans.list()) {
      const issues = without(p.links?.issues);
      const webLinks = without(p.links?.webLinks);
      const testCycles = without(p.links?.testCycles);
      if (!issues && !webLinks && !testCycles) continue;
      plans.setLinks(p.key, {
        ...p.links,
        issues: issues ?? p.links?.issues,
        webLinks: webLinks ?? p.links?.webLinks,
        testCycles: testCycles ?? p.links?.testCycles,
      });
      updated.touch("testplan", p.id);
      found = true;
    }
    if (!found) throw new ZephyrApiError(404, `Link '${linkId}' does not exist or you do not have access to it.`);
  }

  #entity(owner: LinkOwner) {
    const { testCases, cycles, plans } = this.#owners;
    if (owner.type === "testcase") return testCases.get(owner.idOrKey);
    if (owner.type === "testcycle") return cycles.get(owner.idOrKey);
    return plans.get(owner.idOrKey);
  }

  /**
   * A snapshot may name a plan's cycles on the plan only (the generated one does); the cycle shows
   * the same link in its `testPlans`, as Zephyr answers it from either end.
   */
  #mirrorPlanLinksOnCycles(): void {
    const { refs } = this.#context;
    const { cycles, plans } = this.#owners;
    for (const plan of plans.list()) {
      for (const link of plan.links?.testCycles ?? []) {
        const cycle = cycles.list().find((c) => c.id === link.testCycleId);
        if (!cycle || cycle.links?.testPlans?.some((l) => l.id === link.id && link.id !== undefined)) continue;
        const cycleLinks = cycle.links ?? { self: refs.url(`testcycles/${cycle.key}/links`) };
        cycles.setLinks(cycle.key, {
          ...cycleLinks,
          testPlans: [
            ...(cycleLinks.testPlans ?? []),
            {
              self: link.self ?? refs.url(`links/${link.id}`),
              id: link.id,
              testPlanId: plan.id,
              target: refs.url(`testplans/${plan.id}`),
              type: link.type ?? "RELATED",
            },
          ],
        });
      }
    }
  }
}

/** Zephyr's `target` of an issue link: Jira's REST v2 URL of the issue (the site is not the mock's to know). */
function jiraIssueUrl(issueId: number): string {
  return `https://example.atlassian.net/rest/api/2/issue/${issueId}`;
}

function collectionOf(type: LinkOwner["type"]): string {
  return { testcase: "testcases", testcycle: "testcycles", testplan: "testplans" }[type];
}

/** New link ids continue after every link id the snapshot holds, of any kind. */
function maxLinkId(snapshot: Snapshot): number {
  let max = 0;
  const see = (items: readonly { id?: number | null }[] | undefined) => {
    for (const item of items ?? []) max = Math.max(max, item.id ?? 0);
  };
  for (const t of snapshot.testCases) {
    see(t.links?.issues);
    see(t.links?.webLinks);
  }
  for (const c of snapshot.testCycles) {
    see(c.links?.issues);
    see(c.links?.webLinks);
    see(c.links?.testPlans);
  }
  for (const p of snapshot.testPlans ?? []) {
    see(p.links?.issues);
    see(p.links?.webLinks);
    see(p.links?.testCycles);
  }
  for (const e of snapshot.testExecutions) see(e.links?.issues);
  return max;
}
