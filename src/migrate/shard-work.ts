import type { EntityRecord, EntityType } from "../state/store.js";
import type { RunContext } from "./context.js";
import { forEachConcurrent } from "./pool.js";
import { shardOf } from "./shard.js";
import { type EntitySync, type SyncResult, syncEntity } from "./sync-entity.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * In a sharded run, takes the entity's lease. Granted: this shard works on it. Otherwise the record
 * is returned when the entity is finished, or nothing when another live shard holds it.
 */
export async function claim(
  context: RunContext,
  type: EntityType,
  key: string,
): Promise<{ granted: true } | { granted: false; done: EntityRecord | undefined }> {
  const { shard, state, runId } = context;
  if (!shard) return { granted: true };
  const answer = await state.claim(type, key, shard.owner, shard.leaseMs, runId);
  if (answer === "granted") return { granted: true };
  return { granted: false, done: answer === "done" ? await state.get(type, key) : undefined };
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
    await sleep(150 + Math.random() * 150);
  }
}

/**
 * Runs `work` over a source stream. Unsharded: everything. Sharded: first this shard's items (by a
 * stable hash of `partitionKey`), then — claim by claim — what the other shards have not done: their
 * own not reached yet, or a dead shard's once its leases expire. Items another live shard holds are
 * retried until they are done or free.
 */
export async function shardedForEach<T>(
  context: RunContext,
  options: {
    type: EntityType;
    pages: () => AsyncIterable<T[]>;
    partitionKey: (item: T) => string;
    claimKey: (item: T) => string;
    /** `record`: null when the store had none as the page was read; undefined when it must be read again. */
    work: (item: T, record: EntityRecord | null | undefined) => Promise<void>;
  },
): Promise<void> {
  const { shard, state, config } = context;
  const concurrency = config.migration.concurrency;
  const held: T[] = [];
  const attempt = async (item: T, record: EntityRecord | undefined, mine: boolean) => {
    if (!shard) return options.work(item, record ?? null);
    const answer = await claim(context, options.type, options.claimKey(item));
    // Read again once claimed: a dead shard may have begun it since the page was read.
    if (answer.granted) return options.work(item, undefined);
    // A finished item of this shard is still compared (an update may be due); another's is theirs.
    if (answer.done) return mine ? options.work(item, answer.done) : undefined;
    held.push(item);
  };
  const pass = async (mine: boolean) => {
    for await (const page of options.pages()) {
      const selected = shard
        ? page.filter((item) => (shardOf(options.partitionKey(item), shard.count) === shard.index) === mine)
        : page;
      if (selected.length === 0) continue;
      const records = await state.getMany(options.type, selected.map(options.claimKey));
      await forEachConcurrent(selected, concurrency, (item) => attempt(item, records.get(options.claimKey(item)), mine));
    }
  };
  await pass(true);
  if (!shard) return;
  await pass(false);
  while (held.length > 0) {
    await sleep(Math.min(1000, shard.leaseMs / 4));
    const retry = held.splice(0);
    await forEachConcurrent(retry, concurrency, (item) => attempt(item, undefined, false));
  }
}
