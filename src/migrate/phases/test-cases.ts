import { expectedTestCase, targetTestCase } from "../../compare/comparables.js";
import { forEachConcurrent } from "../../concurrency/pool.js";
import { BadInputError } from "../../errors.js";
import { absentOn404 } from "../../http/absent.js";
import { contentHash } from "../../plan/content-hash.js";
import { UnmappedValue } from "../../plan/custom-fields.js";
import { type CalleeContents, callersOf, readCallees, rememberedReads } from "../../plan/inline-calls.js";
import { comparedFields, withoutEmptyProperties } from "../../plan/managed-fields.js";
import { notCarriedOfTestCaseContent } from "../../plan/not-carried.js";
import { planTestCase, type TestCaseContent } from "../../plan/test-case.js";
import type { TestCase as QTestCase } from "../../qtest/schemas.js";
import { type TestCaseData, testCaseDataSchema } from "../../state/entity-data.js";
import type { EntityRecord } from "../../state/store.js";
import type { TestCase } from "../../zephyr/schemas.js";
import { removeSurplus } from "../adoption.js";
import type { RunContext } from "../context.js";
import { forEachClaimed, release, shardedForEach } from "../shard-work.js";
import { StaleTarget, syncEntity, type Written } from "../sync-entity.js";
import type { FolderTargets } from "./folder-trees.js";

interface Pending {
  testCase: TestCase;
  content: TestCaseContent;
  /** null: known absent; undefined: read it again. */
  record: EntityRecord | null | undefined;
}

/** Where cases go, and — with `callToTest: inline` — how a called case's content is read. */
interface Placement {
  modules: FolderTargets;
  rootModule: number;
  readCallee: ((key: string) => Promise<TestCaseContent | undefined>) | undefined;
  /**
   * The cases this run has synced so far (or found in place): a call points at a callee's recorded id
   * only once the callee is settled — else a callee lost in qTest and made again later in the run
   * would leave its callers pointing at the lost one.
   */
  settled: Set<string>;
}

/**
 * Test cases, streamed page by page from Zephyr, each with its steps or script. A case that calls a
 * case not migrated yet waits until the end of the phase, when its callee normally exists; a callee
 * that never arrives leaves a text step naming it. With `callToTest: inline` nothing waits: the
 * callees' steps are read from Zephyr, and an incremental run plans again the cases that inlined a
 * case it saw change (or go).
 */
export async function migrateTestCases(context: RunContext, modules: FolderTargets): Promise<void> {
  const { zephyr, progress } = context;
  const waiting: Pending[] = [];
  const seen = new Set<string>();
  const inline = context.config.migration.callToTest === "inline";
  const placement: Placement = {
    modules,
    rootModule: modules.get(null) as number,
    readCallee: inline ? rememberedReads((key) => absentOn404(zephyr.testSteps(key))) : undefined,
    settled: new Set(),
  };

  await shardedForEach(context, {
    type: "testCase",
    pages: () => zephyr.testCases(context.updatedAfter ? { updatedAfter: context.updatedAfter } : {}),
    partitionKey: (testCase) => testCase.key,
    claimKey: (testCase) => testCase.key,
    work: async (testCase, record) => {
      seen.add(testCase.key);
      const content = await zephyr.testSteps(testCase.key);
      context.notCarried.addAll(notCarriedOfTestCaseContent(testCase, content, context.notCarriedRules));
      const pending = { testCase, content, record };
      if (await migrateOne(context, pending, placement, false)) return;
      waiting.push(pending);
      // Free for another shard meanwhile: one that needs it done must not wait on this one's lease.
      await release(context, "testCase", testCase.key);
    },
  });
  await settleCallees(context, waiting, placement);
  // Several shards may have put a case aside; whichever claims it now writes it.
  await forEachClaimed(context, waiting, {
    type: "testCase",
    claimKey: (pending) => pending.testCase.key,
    work: async (pending) => {
      await migrateOne(context, { ...pending, record: undefined }, placement, true);
    },
    // Put aside though an earlier run finished it (it waited for its callees to settle): still this
    // shard's to compare. Finished by another shard since it was put aside: theirs to report.
    done: async (pending, record) => {
      if (!writtenThisRun(context, record)) await migrateOne(context, { ...pending, record }, placement, true);
    },
  });
  // Copied first: `reportDisappeared` goes on to fill `seen` with every key still in Zephyr.
  const planned = new Set(seen);
  const gone = await reportDisappeared(context, seen);
  // A full run planned every case with its callees as they are now; an incremental one saw only
  // the changed cases, not the cases that inlined them (incremental runs are never sharded).
  if (inline && context.updatedAfter) await replanCallers(context, new Set([...planned, ...gone]), planned, placement);
  progress.finish("testCase");
}

/** The recorded cases that inlined one of `changed`, except those `planned` already: planned again. */
async function replanCallers(context: RunContext, changed: Set<string>, planned: Set<string>, placement: Placement) {
  const { state, zephyr, log } = context;
  const inliners = new Map<string, string[]>();
  for await (const record of state.list("testCase", { status: "done" })) {
    const data = testCaseDataSchema.safeParse(record.data);
    if (data.success && data.data.inlined?.length) inliners.set(record.key, data.data.inlined);
  }
  const callers = new Set(callersOf(changed, inliners, planned));
  if (callers.size === 0) return;
  log.info({ entity: "testCase", callers: callers.size }, "planning again the test cases that inlined a changed case");
  for await (const page of zephyr.testCases()) {
    const mine = page.filter((t) => callers.has(t.key));
    const records = await state.getMany(
      "testCase",
      mine.map((t) => t.key),
    );
    await forEachConcurrent(mine, context.config.migration.concurrency, async (testCase) => {
      const content = await zephyr.testSteps(testCase.key);
      await migrateOne(context, { testCase, content, record: records.get(testCase.key) ?? null }, placement, true);
    });
  }
}

/**
 * The callees of the cases put aside that this run has not met (an incremental run reads only what
 * changed) are looked at in qTest (`confirmCallees`).
 */
async function settleCallees(context: RunContext, waiting: readonly Pending[], placement: Placement): Promise<void> {
  const keys = waiting.flatMap((p) => callsOf(p.content)).filter((key) => !placement.settled.has(key));
  await confirmCallees(context, keys, placement);
}

/**
 * Callees looked at in qTest: one that is gone there is made again now, so no call points at a case
 * qTest no longer holds. A callee recorded by this run (this shard or another) is in place.
 */
async function confirmCallees(context: RunContext, keys: readonly string[], placement: Placement): Promise<void> {
  const { state, qtest, zephyr, targetPresence } = context;
  if (keys.length === 0 || placement.readCallee) return;
  const records = await state.getMany("testCase", keys);
  await forEachConcurrent([...records.values()], context.config.migration.concurrency, async (record) => {
    if (record.status !== "done" || record.targetId === null || writtenThisRun(context, record)) return;
    if (await absentOn404(qtest.testCase(record.targetId))) return;
    targetPresence.lost("testCase", record.targetId);
    const testCase = await absentOn404(zephyr.testCase(record.key));
    if (!testCase) {
      // Gone from both: nothing to make again, and its callers keep the call as text.
      await state.remove("testCase", record.key);
      return;
    }
    await migrateOne(context, { testCase, content: await zephyr.testSteps(record.key), record }, placement, true);
  });
}

function callsOf(content: TestCaseContent): string[] {
  return content.kind === "steps" ? content.steps.flatMap((s) => (s.testCase ? [s.testCase.testCaseKey] : [])) : [];
}

function writtenThisRun(context: RunContext, record: EntityRecord): boolean {
  return Date.parse(record.updatedAt) >= context.startedAt;
}

/** Returns false when the case must wait for a callee (and `last` is false). */
async function migrateOne(
  context: RunContext,
  { testCase, content, record }: Pending,
  placement: Placement,
  last: boolean,
  retried = false,
): Promise<boolean> {
  const { modules, rootModule, readCallee, settled } = placement;
  const { qtest, state, resolution } = context;
  const calls = callsOf(content);
  // Inline: the callees' content, not their migrated ids.
  const inlined: CalleeContents | undefined =
    readCallee && calls.length > 0 ? await readCallees(testCase.key, content, readCallee) : undefined;
  const callees = calls.length > 0 && !inlined ? await state.getMany("testCase", calls) : new Map<string, EntityRecord>();
  const plan = mappedOrBadInput(() =>
    planTestCase(testCase, content, {
      resolution,
      moduleId: (testCase.folder && modules.get(testCase.folder.id)) || rootModule,
      migratedCaseId: (key) => {
        const callee = callees.get(key);
        if (callee?.status !== "done" || callee.targetId === null) return undefined;
        // Not settled yet: wait for it (the end of the phase settles what the run did not meet).
        return last || settled.has(key) || writtenThisRun(context, callee) ? callee.targetId : undefined;
      },
      ...(inlined && { callees: inlined }),
    }),
  );
  if (plan.waitingFor.length > 0 && !last) return false;
  if (plan.unresolvedCalls.length > 0) {
    context.log.warn(
      { entity: "testCase", key: testCase.key, calls: plan.unresolvedCalls },
      "call-to-test steps kept as text: the called case is not in Zephyr, or inlining it would loop",
    );
  }

  const written = (id: number, versionId: number, stepIds: readonly number[]): Written => {
    const data: TestCaseData = {
      name: plan.input.name,
      versionId,
      stepIds: plan.inlineStepPositions.flatMap((p) => {
        const id = stepIds[p];
        return id !== undefined && id >= 0 ? [id] : [];
      }),
      ...(plan.inlined.length > 0 && { inlined: plan.inlined }),
    };
    return { targetId: id, data: { ...data } };
  };
  const describe = async (created: QTestCase): Promise<Written> => {
    const withSteps = created.test_steps ? created : await qtest.testCase(created.id, { withSteps: true });
    const steps = withSteps.test_steps ?? [];
    return written(
      created.id,
      withSteps.test_case_version_id ?? 0,
      steps.map((s) => s.id ?? -1),
    );
  };
  const marker = { fieldName: resolution.markerField, value: testCase.key };
  try {
    await syncEntity(context, {
      type: "testCase",
      key: testCase.key,
      hash: contentHash(plan.input),
      legacyHashes: () => [contentHash(withoutEmptyProperties(plan.input))],
      record,
      create: async () => describe(await qtest.createTestCase(plan.input, marker)),
      update: async ({ targetId }) => describe(await qtest.updateTestCase(targetId, plan.input)),
      find: async () => {
        const [found] = await qtest.findByMarker("test-cases", marker.fieldName, marker.value);
        return found ? describe(await qtest.testCase(found.id, { withSteps: true })) : undefined;
      },
      adopt: async () => {
        const found = await context.markers.find("test-cases", testCase.key);
        if (!found) return undefined;
        await removeSurplus(context, "testCase", testCase.key, found, (id) => qtest.deleteTestCase(id));
        const catalog = (await context.markers.catalogs()).testCase;
        // Calls compare by the called object's id, which is what the plan holds.
        const byId = (id: number) => `#${id}`;
        const expected = contentHash(expectedTestCase(plan.input, catalog, comparedFields(resolution).testCase, byId));
        const held = await context.markers.testCase(found.primary.id);
        if (held) {
          const current = held.moduleId === plan.input.parent_id && held.digest === expected;
          return { written: written(held.id, held.versionId, held.stepIds), current };
        }
        // Outside the root module's tree: read on its own (reconcile moves it back).
        const fresh = await qtest.testCase(found.primary.id, { withSteps: true });
        const current =
          fresh.parent_id === plan.input.parent_id &&
          expected === contentHash(targetTestCase(fresh, catalog, comparedFields(resolution).testCase, byId));
        return { written: await describe(fresh), current };
      },
    });
  } catch (error) {
    // qTest answers 404 to a case whose call points at a case it no longer holds (deleted by hand):
    // the callees are looked at, a lost one made again, and the case planned once more.
    if (!(error instanceof StaleTarget) || calls.length === 0 || retried) throw error;
    await confirmCallees(context, calls, placement);
    return migrateOne(context, { testCase, content, record: undefined }, placement, last, true);
  }
  settled.add(testCase.key);
  context.progress.tick("testCase");
  return true;
}

/** A value no mapping covers stops the run as bad input (exit 2): re-running alone would fail the same way. */
function mappedOrBadInput<T>(plan: () => T): T {
  try {
    return plan();
  } catch (error) {
    if (error instanceof UnmappedValue) {
      throw new BadInputError(`${error.message}; map it in the configuration and run the same command again.`);
    }
    throw error;
  }
}

/**
 * Cases migrated before but no longer in Zephyr: reported, and deleted from qTest only with
 * `--prune`. An incremental run saw only the changed cases, so it lists every key first.
 */
async function reportDisappeared(context: RunContext, seen: Set<string>): Promise<string[]> {
  const { zephyr, state, qtest, tally, log, shard } = context;
  // One shard speaks for all: the others would report the same cases.
  if (shard && shard.index !== 1) return [];
  if (context.updatedAfter || shard) {
    for await (const page of zephyr.testCases()) for (const t of page) seen.add(t.key);
  }
  const gone: { key: string; targetId: number | null }[] = [];
  for await (const record of state.list("testCase", { status: "done" })) {
    if (!seen.has(record.key)) gone.push({ key: record.key, targetId: record.targetId });
  }
  for (const { key, targetId } of gone) {
    tally.count("testCase", "disappeared", key, "no longer in Zephyr");
    if (!context.prune || targetId === null) {
      log.warn({ entity: "testCase", key, targetId }, "test case no longer in Zephyr (kept in qTest; --prune deletes it)");
      continue;
    }
    await qtest.deleteTestCase(targetId);
    await state.remove("testCase", key);
    tally.count("testCase", "pruned", key, "deleted from qTest");
    log.info({ entity: "testCase", key, targetId }, "deleted from qTest (--prune)");
  }
  return gone.map((g) => g.key);
}
