import { forEachConcurrent } from "../concurrency/pool.js";
import type { RecordedType } from "../entity-types.js";
import type { EntityRecord } from "../state/store.js";
import type { RunContext } from "./context.js";
import { type Shard, shardOf } from "./shard.js";
import { type EntitySync, type SyncResult, syncEntity } from "./sync-entity.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type Claim = { granted: true } | { granted: false; done: EntityRecord | undefined };

/**
 * In a sharded run, takes (or renews) the entity's lease. Granted: this shard works on it. Otherwise
 * the record is returned when the entity is finished, or nothing when another live shard holds it.
 * Unsharded, everything is granted.
 */
export async function claim(context: RunContext, type: RecordedType, key: string): Promise<Claim> {
  const { shard, state, runId } = context;
  if (!shard) return { granted: true };
  const answer = await state.claim(type, key, shard.owner, shard.leaseMs, runId);
  if (answer === "granted") return { granted: true };
  return { granted: false, done: answer === "done" ? await state.get(type, key) : undefined };
}

/** Gives up this shard's lease at once, so another shard need not wait for it to run out. */
export async function release(context: RunContext, type: RecordedType, key: string): Promise<void> {
  if (context.shard) await context.state.release(type, key, context.shard.owner);
}

/** How long a shard waits before asking again for what another live shard holds. */
function heldRetryMs(context: RunContext): number {
  return Math.min(1000, (context.shard?.leaseMs ?? 4000) / 4);
}

/**
 * For what every shard needs (modules, test cycles, suites, runs): whichever shard claims it first
 * creates it; the others wait until it is done — or, when its creator died, until the lease expires
 * and they may take it over.
 */
export async function syncShared(context: RunContext, sync: EntitySync): Promise<SyncResult | undefined> {
  for (;;) {
    const answer = await claim(context, sync.type, sync.key);
    if (answer.granted) return syncEntity(context, { ...sync, record: undefined });
    if (answer.done) return syncEntity(context, { ...sync, record: answer.done });
    await sleep(heldRetryMs(context) * (0.5 + Math.random() / 2));
  }
}

interface ClaimedWork<T> {
  type: RecordedType;
  claimKey: (item: T) => string;
  /** The item is this shard's now. */
  work: (item: T) => Promise<void>;
  /** Another shard (or an earlier run) finished it. */
  done?: (item: T, record: EntityRecord) => Promise<void>;
}

/** One claim per item; returns the items another live shard holds. */
async function claimEach<T>(context: RunContext, items: Iterable<T>, options: ClaimedWork<T>): Promise<T[]> {
  const held: T[] = [];
  await forEachConcurrent(items, context.config.migration.concurrency, async (item) => {
    const answer = await claim(context, options.type, options.claimKey(item));
    if (answer.granted) return options.work(item);
    if (answer.done) return options.done?.(item, answer.done);
    held.push(item);
  });
  return held;
}

/**
 * Runs `work` on each item this shard is granted. An item another shard finished goes to `done` (when
 * given); one another live shard holds is asked for again until it is finished or free — a shard
 * that died loses its leases when they run out, and its items are worked here then.
 */
export async function forEachClaimed<T>(context: RunContext, items: Iterable<T>, options: ClaimedWork<T>): Promise<void> {
  let pending = await claimEach(context, items, options);
  while (pending.length > 0) {
    await sleep(heldRetryMs(context));
    pending = await claimEach(context, pending, options);
  }
}

function finishedByAnother(record: EntityRecord, shard: Shard): boolean {
  return record.owner !== null && record.owner !== shard.owner && Date.parse(record.updatedAt) >= shard.startedAt;
}

/**
 * Runs `work` over a source stream. Unsharded: everything, with the records read a page at a time.
 * Sharded: first this shard's items (by a stable hash of `partitionKey`), then — claim by claim — what
 * the other shards have not done: their own not reached yet, or a dead shard's once its leases expire.
 */
export async function shardedForEach<T>(
  context: RunContext,
  options: {
    type: RecordedType;
    pages: () => AsyncIterable<T[]>;
    partitionKey: (item: T) => string;
    claimKey: (item: T) => string;
    /** `record`: null when the store had none as the page was read; undefined when it must be read again. */
    work: (item: T, record: EntityRecord | null | undefined) => Promise<void>;
  },
): Promise<void> {
  const { shard, state, config } = context;
  if (!shard) {
    for await (const page of options.pages()) {
      const records = await state.getMany(options.type, page.map(options.claimKey));
      await forEachConcurrent(page, config.migration.concurrency, (item) =>
        options.work(item, records.get(options.claimKey(item)) ?? null),
      );
    }
    return;
  }
  // Read again once claimed: a dead shard may have begun it since the page was read.
  const work = (item: T) => options.work(item, undefined);
  const held: T[] = [];
  for (const mine of [true, false]) {
    for await (const page of options.pages()) {
      const selected = page.filter((item) => (shardOf(options.partitionKey(item), shard.count) === shard.index) === mine);
      const stillHeld = await claimEach(context, selected, {
        type: options.type,
        claimKey: options.claimKey,
        work,
        // A finished item of this shard is still compared (an update may be due), unless another shard
        // finished it while this one ran: then it is theirs to report, like the other shards' items.
        done: async (item, record) => (mine && !finishedByAnother(record, shard) ? options.work(item, record) : undefined),
      });
      held.push(...stillHeld);
    }
  }
  // What live shards held as this one passed by: asked for again until finished or free.
  await forEachClaimed(context, held, { type: options.type, claimKey: options.claimKey, work });
}
