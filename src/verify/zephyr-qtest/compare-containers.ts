import { folderPaths } from "../../plan/folder-tree.js";
import type { ComparisonTally } from "../tally.js";
import type { Comparison } from "./comparison.js";
import { pathKey, showPath } from "./target-set.js";

/**
 * Test case folders → modules and cycle folders → test cycles, by path of names under their roots;
 * remembers where each folder's container is expected, for the entities placed in them.
 */
export async function compareContainers(comparison: Comparison): Promise<void> {
  const { context, target, tallies } = comparison;
  const [caseFolders, cycleFolders] = await Promise.all([
    context.zephyr.folders("TEST_CASE"),
    context.zephyr.folders("TEST_CYCLE"),
  ]);
  comparison.read.source += caseFolders.length + cycleFolders.length;
  const rootModule = JSON.parse(target.rootModuleKey) as string[];
  const rootCycle = JSON.parse(target.rootCycleKey) as string[];
  for (const [id, path] of folderPaths(caseFolders)) comparison.moduleOfFolder.set(id, pathKey([...rootModule, ...path]));
  for (const [id, path] of folderPaths(cycleFolders)) comparison.cycleOfFolder.set(id, pathKey([...rootCycle, ...path]));
  comparePaths(tallies.module, [target.rootModuleKey, ...comparison.moduleOfFolder.values()], target.modules);
  comparePaths(tallies.testCycle, [target.rootCycleKey, ...comparison.cycleOfFolder.values()], target.cycles);
}

/**
 * Containers compared by path: each source path pairs with one target container of that path;
 * a path without one is missing, a container whose path the source lacks is extra, and more
 * containers on one path than the source has are duplicated.
 */
function comparePaths(tally: ComparisonTally, sourcePaths: readonly string[], target: ReadonlyMap<number, string>): void {
  const expected = new Map<string, number>();
  for (const path of sourcePaths) expected.set(path, (expected.get(path) ?? 0) + 1);
  const actual = new Map<string, number[]>();
  for (const [id, path] of target) actual.set(path, [...(actual.get(path) ?? []), id]);
  tally.sourceCount = sourcePaths.length;
  tally.targetCount = target.size;
  for (const path of new Set([...expected.keys(), ...actual.keys()])) {
    const n = expected.get(path) ?? 0;
    const ids = actual.get(path) ?? [];
    tally.add("matched", Math.min(n, ids.length));
    if (n > ids.length) tally.problem("missing", showPath(path), [], n - ids.length);
    else if (n === 0) tally.problem("extra", showPath(path), ids, ids.length);
    else if (ids.length > n) tally.problem("duplicated", showPath(path), ids, ids.length - n);
  }
}
