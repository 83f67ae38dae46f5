import { ApiError } from "../http/errors.js";
import type { Module, TestCycle } from "../qtest/schemas.js";
import type { RunContext } from "./context.js";

/** A container of a tree as the surplus rule sees it. */
export interface TreeNode {
  id: number;
  name: string;
  children: readonly TreeNode[];
}

/**
 * The containers that copy one ZTOQ recorded (pure): a sibling of a recorded container with its name
 * that the state does not record — what a second run working without the first's state made — and
 * everything under it. Deepest first, so each is empty by the time it is deleted.
 */
export function surplusContainers(roots: readonly TreeNode[], recorded: ReadonlySet<number>): TreeNode[] {
  const surplus: TreeNode[] = [];
  const subtree = (node: TreeNode) => {
    for (const child of node.children) subtree(child);
    surplus.push(node);
  };
  const visit = (siblings: readonly TreeNode[]) => {
    const ours = new Set(siblings.filter((s) => recorded.has(s.id)).map((s) => s.name));
    for (const node of siblings) {
      if (recorded.has(node.id)) visit(node.children);
      else if (ours.has(node.name)) subtree(node);
    }
  };
  visit(roots);
  return surplus;
}

/**
 * With `--reconcile`, at the end of the run (the cases, suites and runs they held were removed or
 * moved back by then): the duplicate modules and test cycles are deleted. qTest refuses to delete a
 * container that still holds something, so nothing in one is lost: such a container stays, named in
 * the report.
 */
export async function removeSurplusContainers(context: RunContext): Promise<void> {
  if (!context.reconcile || context.shard) return;
  const { qtest, state, tally, log } = context;
  const recorded = async (type: "module" | "testCycle") => {
    const ids = new Set<number>();
    for await (const record of state.list(type, { status: "done" })) if (record.targetId !== null) ids.add(record.targetId);
    return ids;
  };
  const modules = (nodes: readonly Module[]): TreeNode[] =>
    nodes.map((m) => ({ id: m.id, name: m.name, children: modules(m.children ?? []) }));
  const cycles = (nodes: readonly TestCycle[]): TreeNode[] =>
    nodes.map((c) => ({ id: c.id, name: c.name, children: cycles(c["test-cycles"] ?? []) }));
  const trees = [
    {
      type: "module" as const,
      surplus: surplusContainers(modules(await qtest.moduleTree()), await recorded("module")),
      remove: (id: number) => qtest.deleteModule(id),
    },
    {
      type: "testCycle" as const,
      surplus: surplusContainers(cycles(await qtest.testCycleTree()), await recorded("testCycle")),
      remove: (id: number) => qtest.deleteTestCycle(id),
    },
  ];
  for (const { type, surplus, remove } of trees) {
    for (const node of surplus) {
      const key = `#${node.id} '${node.name}'`;
      try {
        await remove(node.id);
      } catch (error) {
        if (!(error instanceof ApiError && error.kind === "badRequest")) throw error;
        tally.count(
          type,
          "skipped",
          key,
          `a copy of a migrated container, kept: it holds what ZTOQ did not make (${error.message})`,
        );
        log.warn({ entity: type, targetId: node.id }, "a copy of a migrated container holds something: kept");
        continue;
      }
      tally.count(type, "pruned", key, "a copy of a migrated container, removed from qTest (--reconcile)");
      log.info({ entity: type, targetId: node.id }, "copy of a migrated container removed from qTest (--reconcile)");
    }
  }
}
