import { forEachConcurrent } from "../../concurrency/pool.js";
import type { RecordedType } from "../../entity-types.js";
import { contentHash } from "../../plan/content-hash.js";
import { foldersByDepth, parentFolderId } from "../../plan/folder-tree.js";
import type { Folder } from "../../zephyr/schemas.js";
import type { RunContext } from "../context.js";
import { NamedChildren } from "../named-children.js";
import { syncShared } from "../shard-work.js";

/** Folder id → target container id; `null` is the root container. */
export type FolderTargets = Map<number | null, number>;

interface TreeTarget<P> {
  type: RecordedType;
  rootName: string;
  /** The container a child of `targetId` (null: top level) is created in. */
  parentOf: (targetId: number | null) => P;
  parentKey: (parent: P) => string;
  list: (parent: P) => Promise<readonly { id: number; name: string }[]>;
  create: (name: string, parent: P) => Promise<{ id: number }>;
  rename: (id: number, name: string) => Promise<unknown>;
  /** Every container's name by id, the whole tree read at once (for `--reconcile`). */
  names: () => Promise<Map<number, string>>;
}

/**
 * Mirrors a Zephyr folder tree under one root container in qTest: TEST_CASE folders become modules,
 * TEST_CYCLE folders test cycles. Level by level, parents first; each container reconciled by
 * (parent, name) so re-runs and interrupted runs adopt what exists.
 */
async function mirrorTree<P>(context: RunContext, folders: readonly Folder[], target: TreeTarget<P>): Promise<FolderTargets> {
  const children = new NamedChildren<P>(target.list, target.parentKey);
  const targets: FolderTargets = new Map();
  let names: Promise<Map<number, string>> | undefined;
  const ensure = async (key: string, name: string, parent: P) => {
    const adopt = async () => {
      const id = await children.find(parent, name);
      return id === undefined ? undefined : { targetId: id };
    };
    const result = await syncShared(context, {
      type: target.type,
      key,
      hash: contentHash({ name, parent: target.parentKey(parent) }),
      find: adopt,
      adopt: async () => {
        const existing = await adopt();
        return existing && { written: existing, current: true };
      },
      // A container is known by the id the state recorded: renamed in qTest, it is renamed back.
      recheck: async (targetId) => {
        names ??= target.names();
        const now = (await names).get(targetId);
        if (now === undefined) {
          const existing = await adopt();
          return existing && { written: existing, current: true };
        }
        return { written: { targetId }, current: now === name };
      },
      update: async (id) => {
        await target.rename(id, name);
        await children.remember(parent, name, id);
        return { targetId: id };
      },
      create: async () => {
        const existing = await adopt();
        if (existing) return existing;
        const created = await target.create(name, parent);
        await children.remember(parent, name, created.id);
        return { targetId: created.id };
      },
    });
    context.progress.tick(target.type);
    return result?.targetId;
  };

  const root = await ensure("root", target.rootName, target.parentOf(null));
  if (root === undefined) return targets;
  targets.set(null, root);
  for (const level of foldersByDepth(folders)) {
    await forEachConcurrent(level, context.config.migration.concurrency, async (folder) => {
      const parent = targets.get(parentFolderId(folder, targets)) as number;
      const id = await ensure(`folder:${folder.id}`, folder.name, target.parentOf(parent));
      if (id !== undefined) targets.set(folder.id, id);
    });
  }
  return targets;
}

export async function migrateModules(context: RunContext): Promise<FolderTargets> {
  const folders = await context.zephyr.folders("TEST_CASE");
  context.progress.expect("module", folders.length + 1);
  const { qtest } = context;
  return mirrorTree<number | undefined>(context, folders, {
    type: "module",
    rootName: context.config.mapping.rootModule ?? context.config.zephyr.projectKey,
    parentOf: (id) => id ?? undefined,
    parentKey: (parent) => String(parent ?? "top"),
    list: (parent) => qtest.modules(parent),
    create: (name, parent) => qtest.createModule({ name }, parent),
    rename: (id, name) => qtest.renameModule(id, name),
    names: async () => namesOf(await qtest.moduleTree(), (m) => m.children),
  });
}

type CycleParent = { id: number; type: "root" | "test-cycle" };

export async function migrateCycleTree(context: RunContext): Promise<FolderTargets> {
  const folders = await context.zephyr.folders("TEST_CYCLE");
  context.progress.expect("testCycle", folders.length + 1);
  const { qtest } = context;
  return mirrorTree<CycleParent>(context, folders, {
    type: "testCycle",
    rootName: context.config.mapping.cycleRoot?.name ?? context.config.zephyr.projectKey,
    parentOf: (id) => (id === null ? { id: 0, type: "root" } : { id, type: "test-cycle" }),
    parentKey: (parent) => `${parent.type}:${parent.id}`,
    list: (parent) => qtest.testCycles(parent),
    create: (name, parent) => qtest.createTestCycle({ name }, parent),
    rename: (id, name) => qtest.renameTestCycle(id, name),
    names: async () => namesOf(await qtest.testCycleTree(), (c) => c["test-cycles"]),
  });
}

function namesOf<N extends { id: number; name: string }>(
  roots: readonly N[],
  children: (node: N) => readonly N[] | null | undefined,
): Map<number, string> {
  const names = new Map<number, string>();
  const walk = (nodes: readonly N[]) => {
    for (const node of nodes) {
      names.set(node.id, node.name);
      walk(children(node) ?? []);
    }
  };
  walk(roots);
  return names;
}
