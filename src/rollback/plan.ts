import type { RecordedType } from "../entity-types.js";
import { containerVerdict, markedVerdict, type OwnershipBasis } from "./ownership.js";
import type { CaseNode, CycleNode, ModuleNode, ProjectSnapshot, RecordRef, RunNode, SuiteNode } from "./snapshot.js";

/**
 * What a rollback deletes, decided from what was read and nothing else (pure):
 *
 * - what is ZTOQ's for this project is `ownership.ts`'s to say: with a state store, a test case, suite,
 *   run or log whose marker names this project and whose id the state recorded, and a module or test
 *   cycle whose id the state recorded; without one, marked objects by their markers and no container;
 * - what is ZTOQ's goes only when everything it holds goes too: a run with a log that stays stays,
 *   and with it its suite and the cycles above; a test case with a run that stays stays (qTest
 *   deletes a test case's runs with it); a module holding a test case or module that stays stays.
 *   Each of these is kept with the reason, and so is what is not ZTOQ's that holds it back, and what
 *   looks like this project's work but is not (its marker without the state's record).
 *
 * Deletions are ordered children first — runs (their logs go with them), suites, test cycles deepest
 * first, test cases, modules deepest first — and each names the deletions that must succeed before it.
 */

export type Ref = `${RecordedType}:${number}`;

export interface PlannedObject {
  type: RecordedType;
  id: number;
  name: string;
  marker: string | null;
  /** The keys of the state records that name this object, forgotten once it is deleted. */
  stateKeys: string[];
  /** Planned deletions that must have succeeded before this one (what it holds; a test case's runs). */
  after: Ref[];
  /** Objects that go with this one: a run's logs. */
  with: PlannedObject[];
}

export interface KeptObject {
  type: RecordedType;
  id: number;
  name: string;
  marker: string | null;
  reason: string;
}

export interface RollbackPlan {
  /** In order; the objects of one step may be deleted at once, a step starts when the one before has ended. */
  steps: { type: RecordedType; objects: PlannedObject[] }[];
  /** What stays, ZTOQ's or not, and why: everything that holds back a deletion, and what it holds back. */
  kept: KeptObject[];
  /** State records whose object no longer exists or never came to be: forgotten by an applied rollback. */
  stale: { type: RecordedType; key: string }[];
}

type Named = { id: number; name: string; marker?: string | null };
type Child = { type: RecordedType; node: Named };

export const refOf = (type: RecordedType, id: number): Ref => `${type}:${id}`;

const NOUNS: Record<RecordedType, [string, string]> = {
  module: ["module", "modules"],
  testCase: ["test case", "test cases"],
  testCycle: ["test cycle", "test cycles"],
  testSuite: ["test suite", "test suites"],
  testRun: ["test run", "test runs"],
  testLog: ["test log", "test logs"],
  release: ["release", "releases"],
  requirement: ["requirement", "requirements"],
};

/** `2 test runs`, `1 module and 1 test case`. */
export function countOf(types: readonly RecordedType[]): string {
  const counts = new Map<RecordedType, number>();
  for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  const parts = [...counts].map(([type, n]) => `${n} ${NOUNS[type][n === 1 ? 0 : 1]}`);
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export function planRollback(s: ProjectSnapshot): RollbackPlan {
  const planned = new Map<Ref, PlannedObject>();
  const kept = new Map<Ref, KeptObject>();
  const basis: OwnershipBasis = { projectKey: s.projectKey, markerField: s.markerField, stateStore: s.stateStore };
  const noMarker = `not made by ZTOQ: no '${s.markerField}' value`;
  const keysOf = recordIndex(s.state);
  const recorded = (type: RecordedType, id: number) => keysOf(type, id).length > 0;
  /** Why each object judged not ZTOQ's stays; given when it holds something of ZTOQ's back. */
  const why = new Map<Ref, string>();
  const object = (type: RecordedType, o: Named, after: Ref[], with_: PlannedObject[] = []): PlannedObject => ({
    type,
    id: o.id,
    name: o.name,
    marker: o.marker ?? null,
    stateKeys: keysOf(type, o.id),
    after,
    with: with_,
  });
  const plan = (type: RecordedType, o: Named, after: Ref[], with_: PlannedObject[] = []) => {
    const planned_ = object(type, o, after, with_);
    planned.set(refOf(type, o.id), planned_);
    return planned_;
  };
  const keep = (type: RecordedType, o: Named, reason: string) => {
    kept.set(refOf(type, o.id), { type, id: o.id, name: o.name, marker: o.marker ?? null, reason });
  };
  /** Whether a marked object is ZTOQ's; one that is not is remembered with its reason, and listed when it should be. */
  const judge = (type: RecordedType, o: Named, tied: boolean) => {
    const verdict = markedVerdict(basis, { marker: o.marker ?? null, recorded: recorded(type, o.id), tied });
    if (verdict.ours) return true;
    why.set(refOf(type, o.id), verdict.reason);
    if (verdict.listed) keep(type, o, verdict.reason);
    return false;
  };
  /** Whether the children all go; the ones that stay and are not ZTOQ's are kept, the parent's reason is returned. */
  const holdBack = (children: readonly Child[]) => {
    const staying = children.filter((c) => !planned.has(refOf(c.type, c.node.id)));
    for (const c of staying) {
      const ref = refOf(c.type, c.node.id);
      if (!kept.has(ref)) keep(c.type, c.node, why.get(ref) ?? noMarker);
    }
    if (staying.length === 0) return undefined;
    return `holds ${countOf(staying.map((c) => c.type))} that ${staying.length === 1 ? "stays" : "stay"}`;
  };
  const after = (children: readonly { type: RecordedType; node: { id: number } }[]) =>
    children.map((c) => refOf(c.type, c.node.id)).filter((r) => planned.has(r));

  // Runs, with their logs: a log on one of this project's runs is in this project's place.
  const logsOf = groupBy(s.logs, (l) => l.runId);
  const runs = s.runs.filter((r) => judge("testRun", r, false));
  for (const run of runs) {
    const logs = (logsOf.get(run.id) ?? []).map((l) => ({ type: "testLog" as const, node: { ...l, name: `log #${l.id}` } }));
    const ours = logs.filter((l) => judge("testLog", l.node, true));
    const reason = holdBack(logs.filter((l) => !ours.includes(l)));
    if (reason) {
      keep("testRun", run, reason);
      continue;
    }
    // Logs are never deleted alone (the API has no such call): they go with their run.
    plan(
      "testRun",
      run,
      [],
      ours.map((l) => object("testLog", l.node, [])),
    );
  }

  const runsIn = groupBy(s.runs, (r) => `${r.parent.type}:${r.parent.id}`);
  const asChildren = <N extends { id: number; name: string }>(type: RecordedType, nodes: readonly N[] | undefined) =>
    (nodes ?? []).map((node) => ({ type, node }));

  // Suites: what they hold is runs. A legacy `ad-hoc` suite is in this project's place in its root test cycle.
  const rootCycles = new Set(s.cycles.filter((c) => c.parent.type === "root" && c.name === s.rootCycleName).map((c) => c.id));
  const suites = s.suites.filter((x) => judge("testSuite", x, x.parent.type === "test-cycle" && rootCycles.has(x.parent.id)));
  for (const suite of suites) {
    const children = asChildren("testRun", runsIn.get(`test-suite:${suite.id}`));
    const reason = holdBack(children);
    if (reason) keep("testSuite", suite, reason);
    else plan("testSuite", suite, after(children));
  }

  // Test cycles, deepest first.
  const suitesOf = suitesIn(s.suites);
  const containers = { basis, recorded, why, holdBack, after, plan, keep };
  const cycleSteps = containerSteps<CycleNode>({
    type: "testCycle",
    nodes: s.cycles,
    parentOf: (c) => (c.parent.type === "test-cycle" ? c.parent.id : null),
    isRoot: (c) => c.parent.type === "root" && c.name === s.rootCycleName,
    contents: (c) => [...asChildren("testSuite", suitesOf.get(c.id)), ...asChildren("testRun", runsIn.get(`test-cycle:${c.id}`))],
    ...containers,
  });

  // Test cases: a test case's runs go with it, wherever they are, so every one of them must go first.
  const runsOfCase = groupBy(s.runs, (r) => r.testCaseId);
  for (const testCase of s.testCases.filter((t) => judge("testCase", t, false))) {
    const children = asChildren("testRun", runsOfCase.get(testCase.id));
    const staying = holdBack(children);
    if (staying) keep("testCase", testCase, `${staying.replace(/^holds /, "has ")}: qTest deletes a test case's runs with it`);
    else plan("testCase", testCase, after(children));
  }

  // Modules, deepest first.
  const listed = new Set(s.listedModules);
  const casesIn = groupBy(s.testCases, (t: CaseNode) => t.moduleId);
  const moduleSteps = containerSteps<ModuleNode>({
    type: "module",
    nodes: s.modules.filter((m) => listed.has(m.id)),
    parentOf: (m) => m.parentId,
    isRoot: (m) => m.parentId === null && m.name === s.rootModuleName,
    contents: (m) => asChildren("testCase", casesIn.get(m.id)),
    ...containers,
  });

  // Releases and requirements hold nothing ZTOQ made: each goes when it is this project's, with its links.
  const releases = s.releases.filter((r) => judge("release", r, false));
  for (const release of releases) plan("release", release, []);
  const requirements = s.requirements.filter((r) => judge("requirement", r, false));
  for (const requirement of requirements) plan("requirement", requirement, []);

  const objects = (type: RecordedType, list: readonly { id: number }[]) =>
    list.flatMap((o) => planned.get(refOf(type, o.id)) ?? []);
  const steps = [
    { type: "release" as const, objects: objects("release", releases) },
    { type: "requirement" as const, objects: objects("requirement", requirements) },
    { type: "testRun" as const, objects: objects("testRun", runs) },
    { type: "testSuite" as const, objects: objects("testSuite", suites) },
    ...cycleSteps,
    { type: "testCase" as const, objects: objects("testCase", s.testCases) },
    ...moduleSteps,
  ].filter((step) => step.objects.length > 0);
  return { steps, kept: [...kept.values()], stale: staleRecords(s) };
}

function suitesIn(suites: readonly SuiteNode[]): Map<number, SuiteNode[]> {
  return groupBy(
    suites.filter((x) => x.parent.type === "test-cycle"),
    (x) => x.parent.id,
  );
}

/**
 * Modules or test cycles: a tree of containers, each ZTOQ's when `containerVerdict` says so (the state
 * recorded it); decided children first, so each container knows whether all it holds goes. One that
 * is not ZTOQ's is named where it holds one back — and, in a rollback without a state, everywhere under
 * a root of ZTOQ's name, where it may well be ZTOQ's work but cannot be told from one made by hand.
 * Returns one step per depth, deepest first.
 */
function containerSteps<N extends { id: number; name: string }>(tree: {
  type: "module" | "testCycle";
  nodes: readonly N[];
  parentOf: (node: N) => number | null;
  isRoot: (node: N) => boolean;
  basis: OwnershipBasis;
  recorded: (type: RecordedType, id: number) => boolean;
  why: Map<Ref, string>;
  contents: (node: N) => Child[];
  holdBack: (children: readonly Child[]) => string | undefined;
  after: (children: readonly Child[]) => Ref[];
  plan: (type: RecordedType, node: N, after: Ref[]) => PlannedObject;
  keep: (type: RecordedType, node: N, reason: string) => void;
}): { type: RecordedType; objects: PlannedObject[] }[] {
  const children = groupBy(
    tree.nodes.filter((n) => tree.parentOf(n) !== null),
    (n) => tree.parentOf(n) as number,
  );
  const levels: PlannedObject[][] = [];
  const visit = (node: N, depth: number, inArea: boolean): void => {
    const area = inArea || tree.isRoot(node);
    const subs = children.get(node.id) ?? [];
    for (const sub of subs) visit(sub, depth + 1, area);
    const verdict = containerVerdict(tree.basis, tree.recorded(tree.type, node.id));
    if (!verdict.ours) {
      tree.why.set(refOf(tree.type, node.id), verdict.reason);
      if (verdict.listed && area) tree.keep(tree.type, node, verdict.reason);
      return;
    }
    const held = [...subs.map((sub) => ({ type: tree.type as RecordedType, node: sub })), ...tree.contents(node)];
    const reason = tree.holdBack(held);
    if (reason) {
      tree.keep(tree.type, node, reason);
      return;
    }
    const level = levels[depth] ?? [];
    level.push(tree.plan(tree.type, node, tree.after(held)));
    levels[depth] = level;
  };
  const ids = new Set(tree.nodes.map((n) => n.id));
  for (const node of tree.nodes) {
    const parent = tree.parentOf(node);
    if (parent === null || !ids.has(parent)) visit(node, 0, false);
  }
  // `levels` has no entry for a depth where nothing goes.
  return levels
    .filter((objects) => objects !== undefined)
    .map((objects) => ({ type: tree.type as RecordedType, objects }))
    .reverse();
}

/** type → (target id → the keys of the records naming it). */
function recordIndex(state: Record<RecordedType, RecordRef[]>): (type: RecordedType, id: number) => string[] {
  const index = new Map<string, string[]>();
  for (const [type, records] of Object.entries(state)) {
    for (const r of records) {
      if (r.targetId === null) continue;
      const k = `${type}:${r.targetId}`;
      index.set(k, [...(index.get(k) ?? []), r.key]);
    }
  }
  return (type, id) => index.get(`${type}:${id}`) ?? [];
}

/** Records naming no object, or one the project no longer holds. */
function staleRecords(s: ProjectSnapshot): { type: RecordedType; key: string }[] {
  const present: Record<RecordedType, Set<number>> = {
    module: new Set(s.modules.map((m) => m.id)),
    testCase: new Set(s.testCases.map((t) => t.id)),
    testCycle: new Set(s.cycles.map((c) => c.id)),
    testSuite: new Set(s.suites.map((x) => x.id)),
    testRun: new Set(s.runs.map((r: RunNode) => r.id)),
    testLog: new Set(s.logs.map((l) => l.id)),
    release: new Set(s.releases.map((r) => r.id)),
    requirement: new Set(s.requirements.map((r) => r.id)),
  };
  return (Object.keys(present) as RecordedType[]).flatMap((type) =>
    s.state[type].filter((r) => r.targetId === null || !present[type].has(r.targetId)).map((r) => ({ type, key: r.key })),
  );
}
