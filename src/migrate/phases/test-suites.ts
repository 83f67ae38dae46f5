import { expectedSuite, targetSuite } from "../../compare/comparables.js";
import { forEachConcurrent } from "../../concurrency/pool.js";
import { contentHash } from "../../plan/content-hash.js";
import { comparedFields, withoutEmptyProperties } from "../../plan/managed-fields.js";
import { adHocSuiteMarker } from "../../plan/markers.js";
import { notCarriedOfTestCycle } from "../../plan/not-carried.js";
import { planAdHocSuite, planTestSuite } from "../../plan/test-suite.js";
import type { TestSuiteInput } from "../../qtest/schemas.js";
import type { TestCycle } from "../../zephyr/schemas.js";
import { forgetLegacyRecord, removeSurplus } from "../adoption.js";
import type { RunContext } from "../context.js";
import { syncShared } from "../shard-work.js";
import type { FolderTargets } from "./folder-trees.js";

/** Zephyr cycle id → the suite its executions' runs go into. */
export type SuiteTargets = Map<number, { key: string; suiteId: number }>;

/**
 * Each Zephyr test cycle becomes a test suite inside the test cycle its folder became. The map of
 * cycle id → suite is small (one entry per cycle) and is what the execution phase needs.
 */
export async function migrateTestSuites(context: RunContext, cycles: FolderTargets): Promise<SuiteTargets> {
  const { zephyr, resolution, config } = context;
  const suites: SuiteTargets = new Map();
  const rootCycle = cycles.get(null) as number;
  // Every cycle is listed, changed or not: executions need every suite id.
  for await (const page of zephyr.testCycles()) {
    await forEachConcurrent(page, config.migration.concurrency, async (cycle: TestCycle) => {
      const parent = { id: (cycle.folder && cycles.get(cycle.folder.id)) || rootCycle, type: "test-cycle" as const };
      context.notCarried.addAll(notCarriedOfTestCycle(cycle, context.notCarriedRules));
      const suiteId = await syncSuite(context, cycle.key, planTestSuite(cycle, resolution), parent);
      context.progress.tick("testSuite");
      if (suiteId !== undefined) suites.set(cycle.id, { key: cycle.key, suiteId });
    });
  }
  context.progress.finish("testSuite");
  return suites;
}

/** The suite that holds executions run outside any cycle, made on first need. */
export function adHocSuite(
  context: RunContext,
  cycles: FolderTargets,
): () => Promise<{ key: string; suiteId: number } | undefined> {
  let suite: Promise<{ key: string; suiteId: number } | undefined> | undefined;
  return () => {
    suite ??= (async () => {
      const parent = { id: cycles.get(null) as number, type: "test-cycle" as const };
      const key = adHocSuiteMarker(context.resolution.projectKey);
      const suiteId = await syncSuite(context, key, planAdHocSuite(context.resolution), parent);
      return suiteId === undefined ? undefined : { key, suiteId };
    })();
    return suite;
  };
}

/** One suite through the exactly-once protocol; its qTest id, or undefined when qTest refused it. */
async function syncSuite(
  context: RunContext,
  key: string,
  input: TestSuiteInput,
  parent: { id: number; type: "test-cycle" },
): Promise<number | undefined> {
  const { qtest, resolution } = context;
  const marker = { fieldName: resolution.markerField, value: key };
  const result = await syncShared(context, {
    type: "testSuite",
    key,
    hash: contentHash({ input, parent }),
    legacyHashes: () => [contentHash({ input: withoutEmptyProperties(input), parent })],
    create: async () => ({ targetId: (await qtest.createTestSuite(input, parent, marker)).id }),
    update: async ({ targetId }) => {
      // Its cycle moved to another folder in Zephyr, or the suite was moved in qTest: moved back first
      // (qTest ignores the body of a move), then its fields. Not read at the start: moved, to be sure.
      if (context.targetPresence.placed("testSuite", targetId)?.parentId !== parent.id) {
        await qtest.moveTestSuite(targetId, parent);
      }
      return { targetId: (await qtest.updateTestSuite(targetId, input)).id };
    },
    find: async () => {
      const [found] = await qtest.findByMarker("test-suites", marker.fieldName, marker.value);
      return found ? { targetId: found.id } : undefined;
    },
    adopt: async () => {
      // A legacy `ad-hoc` suite is this project's where it sits: in this project's root test cycle.
      const inPlace = (s: { parentId?: number | null; parentType?: string | null }) =>
        s.parentId === parent.id && s.parentType === parent.type;
      const found = await context.markers.findOwn("test-suites", key, resolution.projectKey, inPlace);
      if (!found) return undefined;
      await removeSurplus(context, "testSuite", key, found, (id) => qtest.deleteTestSuite(id));
      await forgetLegacyRecord(context, "testSuite", key);
      const { primary } = found;
      const catalog = (await context.markers.catalogs()).testSuite;
      const fields = comparedFields(resolution).testSuite;
      const current =
        !found.legacy &&
        primary.parentId === parent.id &&
        contentHash(expectedSuite(input, catalog, fields)) === contentHash(targetSuite(primary, catalog, fields));
      return { written: { targetId: primary.id }, current };
    },
  });
  return result?.targetId;
}
