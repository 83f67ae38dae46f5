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
  move: (id: number, parent: P) => Promise<unknown>;
}

/**
 * Mirrors a Zephyr folder tree under one root container in qTest: TEST_CASE folders become modules,
 * TEST_CYCLE folders test cycles. Level by level, parents first; each container reconciled by
 * (parent, name) so re-runs and interrupted runs adopt what exists. A container is known by the id
 * the state recorded: renamed or moved in Zephyr (or in qTest, with `--reconcile`), it is renamed and
 * moved to match, where qTest held it when the run started (`TargetPresence`).
 */
async function mirrorTree<P>(context: RunContext, folders: readonly Folder[], target: TreeTarget<P>): Promise<FolderTargets> {
  const children = new NamedChildren<P>(target.list, target.parentKey);
  const targets: FolderTargets = new Map();
  const ensure = async (key: string, name: string, parentId: number | null) => {
    const parent = target.parentOf(parentId);
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
      recheck: async ({ targetId }) => {
        const placed = context.targetPresence.placed(target.type, targetId);
        if (placed === undefined) {
          const existing = await adopt();
          return existing && { written: existing, current: true };
        }
        return { written: { targetId }, current: placed.name === name && placed.parentId === parentId };
      },
      update: async ({ targetId }) => {
        // Unknown to the read at the start (made since, by another shard): both, which changes nothing if in place.
        const placed = context.targetPresence.placed(target.type, targetId);
        if (placed?.parentId !== parentId) await target.move(targetId, parent);
        if (placed?.name !== name) await target.rename(targetId, name);
        await children.remember(parent, name, targetId);
        return { targetId };
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

  const root = await ensure("root", target.rootName, null);
  if (root === undefined) return targets;
  targets.set(null, root);
  for (const level of foldersByDepth(folders)) {
    await forEachConcurrent(level, context.config.migration.concurrency, async (folder) => {
      const parent = targets.get(parentFolderId(folder, targets)) as number;
      const id = await ensure(`folder:${folder.id}`, folder.name, parent);
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
    // Folders always hang under the root module: a module is never moved to the top level.
    move: (id, parent) => qtest.moveModule(id, parent ?? 0),
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
    move: (id, parent) => qtest.moveTestCycle(id, parent),
  });
}
