import type { RecordedType } from "../entity-types.js";
import { ExitCode, ZtoqError } from "../errors.js";
import { ApiError } from "../http/errors.js";
import type { EntityRecord } from "../state/store.js";
import type { RunContext } from "./context.js";
import type { Outcome } from "./tally.js";

/** What a create or update left in the target: the object's id and the facts later phases need. */
export interface Written {
  targetId: number;
  data?: Record<string, unknown> | null;
}

export interface EntitySync {
  type: RecordedType;
  key: string;
  /** Hash of the body ZTOQ would write: unchanged when it equals the recorded one. */
  hash: string;
  /**
   * How earlier ZTOQs hashed the same body: a record holding one is unchanged, and re-recorded with
   * `hash`. Computed only for a record whose hash differs, so the common unchanged entity pays nothing.
   */
  legacyHashes?: () => readonly string[];
  /** The record already read (a page's records are read in one query); undefined reads it. */
  record?: EntityRecord | null;
  create: () => Promise<Written>;
  /**
   * Brings an existing target object up to date, given what is known of it (its id, and the facts
   * recorded or found with it: where it is, its version); without it a changed entity is left as it is.
   */
  update?: (target: Written) => Promise<Written>;
  /** Looks for the target object a create may have made before the process stopped. */
  find: () => Promise<Written | undefined>;
  /**
   * Looks among what the target holds for an object carrying this entity's marker, when the state
   * knows nothing of it (a lost or emptied state, an object made by another tool run): it is adopted
   * rather than created again, and brought up to date unless `current`.
   */
  adopt?: () => Promise<{ written: Written; current: boolean } | undefined>;
  /**
   * With `--reconcile`: the recorded object as the target holds it now — undefined when it is gone —
   * and whether it is what it should be. Without it, reconciling looks the object up by its marker (`adopt`).
   */
  recheck?: (target: Written) => Promise<{ written: Written; current: boolean } | undefined>;
}

export interface SyncResult extends Written {
  outcome: Outcome;
}

/**
 * One entity through the exactly-once protocol: the intent is recorded before a create and the
 * target id right after, so a create interrupted at any moment (even `kill -9`) is found again by
 * `find` on the next run instead of being made twice. A 400 fails this entity only; anything else
 * (the target unreachable after retries) stops the run — a re-run resumes.
 *
 * The state is a cache of the target: a recorded object the target no longer holds (known gone from
 * the run's read of the containers, or answering 404 to its update) is looked for by its marker and
 * otherwise created again, so a stale state costs one run, never a loop.
 */
export async function syncEntity(context: RunContext, sync: EntitySync): Promise<SyncResult | undefined> {
  const { state, runId, log } = context;
  const started = performance.now();
  const record = sync.record === undefined ? await state.get(sync.type, sync.key) : (sync.record ?? undefined);
  const entityLog = log.child({ entity: sync.type, key: sync.key });
  try {
    if (record?.status === "done" && record.targetId !== null) {
      const recorded: Written = { targetId: record.targetId, data: record.data };
      if (context.targetPresence.gone(sync.type, record)) {
        entityLog.info({ targetId: record.targetId }, "gone from qTest: looked for, else created again");
        return await replace();
      }
      if (context.reconcile && (sync.recheck || sync.adopt)) {
        // The target is the truth: what the state says was written is looked at again, and repaired.
        const found = sync.recheck ? await sync.recheck(recorded) : await sync.adopt?.();
        if (!found) {
          entityLog.info({ targetId: record.targetId }, "gone from qTest: created again");
          return await create();
        }
        if (found.current) {
          const moved = found.written.targetId !== record.targetId || record.hash !== sync.hash;
          return finish("unchanged", moved ? found.written : recorded, moved);
        }
        entityLog.info({ targetId: found.written.targetId }, "differs in qTest from what it should be: restored");
        return sync.update ? await updateOrReplace(found.written) : finish("updated", found.written, true);
      }
      if (record.hash === sync.hash || !sync.update) return finish("unchanged", recorded, false);
      if (record.hash !== null && sync.legacyHashes?.().includes(record.hash)) return finish("unchanged", recorded, true);
      return await updateOrReplace(recorded);
    }
    if (record && (record.status === "creating" || record.attempts > 0)) {
      // A create may have reached the target before the last run stopped.
      const found = await sync.find();
      if (found) {
        entityLog.info({ targetId: found.targetId }, "found in qTest what an interrupted run created");
        return finish("created", sync.update ? await sync.update(found) : found, true);
      }
    } else if (sync.adopt) {
      const adopted = await sync.adopt();
      if (adopted) {
        entityLog.info({ targetId: adopted.written.targetId, current: adopted.current }, "adopted from qTest by its marker");
        if (adopted.current || !sync.update) return finish("unchanged", adopted.written, true);
        return finish("updated", await sync.update(adopted.written), true);
      }
    }
    return await create();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await state.recordFailure(sync.type, sync.key, message, runId);
    if (error instanceof ApiError && error.kind === "badRequest") {
      entityLog.warn({ error: message }, "qTest refused the entity");
      context.tally.count(sync.type, "failed", sync.key, message);
      return undefined;
    }
    // What is gone was looked for and made again above; a 404 still is about something else the
    // state records (a container, a called case): running again would meet it again.
    if (error instanceof ApiError && error.kind === "notFound") throw new StaleTarget(sync.type, sync.key, error);
    throw error;
  }

  async function create(): Promise<SyncResult> {
    await state.beginCreate(sync.type, sync.key, runId);
    return finish("created", await sync.create(), true);
  }

  /** The recorded object is gone: the one carrying its marker (or name) is taken, else it is made again. */
  async function replace(): Promise<SyncResult> {
    const found = sync.adopt ? await sync.adopt() : undefined;
    if (!found) return create();
    if (found.current || !sync.update) return finish("unchanged", found.written, true);
    return finish("updated", await sync.update(found.written), true);
  }

  /** An update; one the target answers 404 to means the object was deleted in qTest since it was recorded. */
  async function updateOrReplace(target: Written): Promise<SyncResult> {
    const update = sync.update as NonNullable<EntitySync["update"]>;
    try {
      return await finish("updated", await update(target), true);
    } catch (error) {
      if (!(error instanceof ApiError && error.kind === "notFound")) throw error;
      entityLog.info({ targetId: target.targetId }, "gone from qTest when updated: looked for, else created again");
      const found = sync.adopt ? await sync.adopt() : undefined;
      if (found && found.written.targetId !== target.targetId) {
        return found.current ? finish("unchanged", found.written, true) : finish("updated", await update(found.written), true);
      }
      return create();
    }
  }

  async function finish(outcome: Outcome, target: Written, write: boolean): Promise<SyncResult> {
    if (write) {
      await state.recordDone(sync.type, sync.key, {
        targetId: target.targetId,
        hash: sync.hash,
        data: target.data ?? null,
        runId,
      });
      entityLog.debug({ targetId: target.targetId, outcome }, outcome);
    }
    context.tally.count(sync.type, outcome);
    context.tally.time(sync.type, started, performance.now());
    return { ...target, outcome };
  }
}

/**
 * qTest answered 404 to a write the run could not put right by itself: it no longer holds something
 * the state records (deleted by hand). Not a failure a re-run mends (exit 2); `--reconcile` reads the
 * whole target and puts back what is missing.
 */
export class StaleTarget extends ZtoqError {
  constructor(type: RecordedType, key: string, cause: ApiError) {
    super(
      `qTest no longer holds something the state records for ${type} ${key} (${cause.message}); run \`ztoq migrate --reconcile\` to put back what is missing`,
      ExitCode.badInput,
    );
    this.name = "StaleTarget";
  }
}
