import { forEachConcurrent } from "../concurrency/pool.js";
import type { RecordedType } from "../entity-types.js";
import { InterruptedError } from "../errors.js";
import { ApiError } from "../http/errors.js";
import type { Logger } from "../log/logger.js";
import type { Progress } from "../progress/progress.js";
import type { QTestClient } from "../qtest/client.js";
import type { StateStore } from "../state/store.js";
import { type PlannedObject, type Ref, type RollbackPlan, refOf } from "./plan.js";

export interface NotDeleted {
  object: PlannedObject;
  reason: string;
}

export interface ApplyOutcome {
  /** Deleted objects (a DELETE answered 404 counts: already gone), logs among them with their runs. */
  removed: PlannedObject[];
  /** qTest refused the DELETE (a 4xx other than 404). */
  refused: NotDeleted[];
  /** Not attempted: something they hold could not be deleted. */
  blocked: NotDeleted[];
  /** State records forgotten: of what was deleted, and the stale ones. */
  forgotten: number;
  /** Why the rollback stopped before the end (a server or network failure beyond retries, a signal), or null. */
  error: string | null;
  /** The signal that stopped it, when one did: the deletions in flight finished, no new one started. */
  interrupted?: InterruptedError;
}

const ENTITY_LABEL: Record<RecordedType, string> = {
  module: "Modules",
  testCase: "Test cases",
  testCycle: "Test cycles",
  testSuite: "Test suites",
  testRun: "Test runs (their logs with them)",
  testLog: "Test logs",
  release: "Releases (their links with them)",
  requirement: "Requirements (their links with them)",
};

/**
 * Applies a plan step by step, the objects of a step concurrently. A deletion whose prerequisites
 * (what the object holds) did not all go is not attempted; one qTest refuses is reported and holds
 * back its parents in turn. Each deleted object's state records are forgotten right after its
 * DELETE, so an interrupted rollback leaves a state that says what is left; re-running it reads the
 * project afresh and finishes the job.
 */
export async function applyPlan(
  plan: RollbackPlan,
  deps: { qtest: QTestClient; state: StateStore | undefined; concurrency: number; log: Logger; progress: Progress },
): Promise<ApplyOutcome> {
  const { qtest, state, log, progress } = deps;
  const outcome: ApplyOutcome = { removed: [], refused: [], blocked: [], forgotten: 0, error: null };
  const failed = new Set<Ref>();
  const forget = async (type: RecordedType, key: string) => {
    await state?.remove(type, key);
    outcome.forgotten += state ? 1 : 0;
  };
  const deleters: Record<RecordedType, (id: number) => Promise<void>> = {
    testRun: (id) => qtest.deleteTestRun(id),
    testSuite: (id) => qtest.deleteTestSuite(id),
    testCycle: (id) => qtest.deleteTestCycle(id),
    testCase: (id) => qtest.deleteTestCase(id),
    module: (id) => qtest.deleteModule(id),
    testLog: () => Promise.reject(new Error("test logs are deleted with their runs")),
    release: (id) => qtest.deleteRelease(id),
    requirement: (id) => qtest.deleteRequirement(id),
  };

  try {
    for (const record of plan.stale) await forget(record.type, record.key);
    for (const step of plan.steps) {
      progress.phase(`Deleting: ${ENTITY_LABEL[step.type].toLowerCase()}`);
      progress.expect(step.type, step.objects.length);
      await forEachConcurrent(step.objects, deps.concurrency, async (object) => {
        const held = object.after.filter((ref) => failed.has(ref));
        if (held.length > 0) {
          failed.add(refOf(object.type, object.id));
          outcome.blocked.push({ object, reason: `not attempted: ${held.join(", ")} could not be deleted` });
          return;
        }
        try {
          await deleters[object.type](object.id);
        } catch (error) {
          if (!isRefusal(error)) throw error;
          failed.add(refOf(object.type, object.id));
          outcome.refused.push({ object, reason: (error as ApiError).message });
          log.warn(
            { type: object.type, id: object.id, error: (error as ApiError).message },
            "rollback: qTest refused a deletion",
          );
          return;
        }
        outcome.removed.push(object, ...object.with);
        for (const gone of [object, ...object.with]) for (const key of gone.stateKeys) await forget(gone.type, key);
        progress.tick(object.type);
      });
      progress.finish(step.type);
    }
  } catch (error) {
    if (error instanceof InterruptedError) {
      outcome.error = `interrupted by ${error.signal}`;
      outcome.interrupted = error;
    } else if (error instanceof ApiError) outcome.error = error.message;
    else throw error;
    log.error({ error: outcome.error }, "rollback stopped before the end; re-run the same command to finish");
  } finally {
    progress.close();
  }
  return outcome;
}

/** A definite no from qTest: the request was understood and will not succeed if repeated. */
function isRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.status !== null && error.status >= 400 && error.status < 500 && error.status !== 429;
}
