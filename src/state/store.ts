import { z } from "zod";
import { type RecordedType, recordedTypeSchema } from "../entity-types.js";
import type { Hold, HoldAttempt, HoldRequest, StoreProject } from "./hold.js";

/**
 * What the migration remembers between runs, behind one interface so the embedded SQLite file and a
 * shared PostgreSQL database are interchangeable (the same contract tests run against both).
 */

/**
 * `creating` is the intent recorded before a create: on resume such an entity may or may not exist in
 * the target, and must be reconciled (searched by its marker) before any retry.
 */
/**
 * `skipped`: looked at and deliberately not written (an execution never run, one whose test case failed);
 * like `done` it ends the entity's part in a run, unlike `done` the next run looks at it again.
 */
export const entityStatusSchema = z.enum(["pending", "creating", "done", "failed", "skipped"]);
export type EntityStatus = z.infer<typeof entityStatusSchema>;

export const entityRecordSchema = z.object({
  type: recordedTypeSchema,
  /** Source identity: a Zephyr key (`PROJ-T1`), a folder id, an execution id, … */
  key: z.string().min(1),
  /** Content hash of the source as last written to the target; null before the first write. */
  hash: z.string().nullable(),
  targetId: z.number().int().nullable(),
  status: entityStatusSchema,
  attempts: z.number().int().min(0),
  lastError: z.string().nullable(),
  /** Small facts about the target object that later phases need (version id, parent id, …). */
  data: z.record(z.string(), z.unknown()).nullable(),
  /** The run that last changed this record. */
  runId: z.string(),
  updatedAt: z.string(),
  /**
   * The shard that last claimed this record (see `StateStore.claim`); it stays after the work is done or
   * the lease released, as a record of who did the work. Null for a record never claimed.
   */
  owner: z.string().nullable(),
  /** When the owner's lease runs out (ISO 8601); null when no lease is held (never claimed, released, finished). */
  leaseUntil: z.string().nullable(),
});
export type EntityRecord = z.infer<typeof entityRecordSchema>;

/** One run of the migration (a `ztoq migrate`), not a qTest test run. */
export const migrationRunSchema = z.object({
  id: z.string(),
  mode: z.enum(["full", "incremental", "dry-run"]),
  status: z.enum(["running", "succeeded", "failed", "incomplete"]),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Counters and anything else the report wants to keep. */
  summary: z.record(z.string(), z.unknown()).nullable(),
  /**
   * The machine and process that started the run, and when that process last said it was still at
   * work (every `RUN_HEARTBEAT_MS` while the run is running): how `ztoq status` tells a run that was
   * killed from one still working. Null for a run recorded before ZTOQ kept them.
   */
  host: z.string().nullable(),
  pid: z.number().int().nullable(),
  heartbeatAt: z.string().nullable(),
});
export type MigrationRun = z.infer<typeof migrationRunSchema>;

/** How often a running run's heartbeat (and a hold's) is refreshed by the process working it. */
export const RUN_HEARTBEAT_MS = 15_000;

/** Beats a running run may miss before it counts as no longer worked (slow disks, a busy event loop). */
export const STALE_HEARTBEATS = 4;

/** How old a hold's heartbeat must be for its holder to be judged dead from another machine. */
export const HOLD_STALE_MS = STALE_HEARTBEATS * RUN_HEARTBEAT_MS;

export type StatusCounts = Record<RecordedType, Record<EntityStatus, number>>;

/** Spelled out rather than built from the enums so that a new type or status fails to compile here. */
export function emptyCounts(): StatusCounts {
  const zeros = (): Record<EntityStatus, number> => ({ pending: 0, creating: 0, done: 0, failed: 0, skipped: 0 });
  return {
    module: zeros(),
    testCase: zeros(),
    testCycle: zeros(),
    testSuite: zeros(),
    testRun: zeros(),
    testLog: zeros(),
    release: zeros(),
    requirement: zeros(),
  };
}

/** A value of a stored row, checked: a row ZTOQ cannot read is reported as corrupt, never guessed at. */
export function validated<T>(schema: z.ZodType<T>, input: unknown, location: string, what: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new StateStoreError(`${location} holds ${what} ZTOQ cannot read: ${result.error.message}`, "corrupt");
}

/** A row of `SELECT [owner,] type, status, count(*) AS n … GROUP BY …`, as either SQL engine returns it. */
type CountRow = Readonly<Record<string, unknown>>;

function addCount(counts: StatusCounts, row: CountRow, location: string): void {
  const type = validated(recordedTypeSchema, row.type, location, "an entity type");
  const status = validated(entityStatusSchema, row.status, location, "an entity status");
  counts[type][status] = Number(row.n);
}

/** Folds count rows into counts per type and status, zeros included. */
export function countRows(rows: Iterable<CountRow>, location: string): StatusCounts {
  const counts = emptyCounts();
  for (const row of rows) addCount(counts, row, location);
  return counts;
}

/** Folds count rows grouped by owner into counts per owner, in `byOwnerName` order. */
export function countRowsByOwner(rows: Iterable<CountRow>, location: string): OwnerCounts[] {
  const byOwner = new Map<string | null, StatusCounts>();
  for (const row of rows) {
    const owner = validated(entityRecordSchema.shape.owner, row.owner, location, "an owner");
    const counts = byOwner.get(owner) ?? emptyCounts();
    addCount(counts, row, location);
    byOwner.set(owner, counts);
  }
  return [...byOwner].map(([owner, counts]) => ({ owner, counts })).sort(byOwnerName);
}

/**
 * What `claim` found: `granted` (the caller holds the lease and may work the entity), `done` (finished,
 * by anyone; nothing to do), `held` (another owner's lease is running; try again later or move on).
 */
export type ClaimOutcome = "granted" | "done" | "held";

/** The statuses `claim` answers `"done"` for: nothing left to do for the entity in this migration. */
export const FINISHED_STATUSES: readonly EntityStatus[] = ["done", "skipped"];

/** The counts of the records one owner last claimed; `owner` null for records never claimed. */
export interface OwnerCounts {
  owner: string | null;
  counts: StatusCounts;
}

/**
 * The order of `countsByOwner()`: records never claimed (null) first, then owners in code point order,
 * the order keys are listed in.
 */
export function byOwnerName(a: OwnerCounts, b: OwnerCounts): number {
  if (a.owner === null || b.owner === null) return (a.owner === null ? 0 : 1) - (b.owner === null ? 0 : 1);
  return Buffer.compare(Buffer.from(a.owner), Buffer.from(b.owner));
}

/** A year: far beyond any shard's run, far within what a timestamp holds. */
const MAX_LEASE_MS = 366 * 24 * 3600 * 1000;

/** Refuses claim arguments that could not mean a lease: an empty owner, a lease that is not a positive duration. */
export function checkClaim(owner: string, leaseMs: number): void {
  if (typeof owner !== "string" || owner === "") throw new RangeError("a claim needs a non-empty owner");
  if (!Number.isFinite(leaseMs) || leaseMs <= 0 || leaseMs > MAX_LEASE_MS) {
    throw new RangeError(`a lease must last more than 0 ms and at most ${MAX_LEASE_MS} ms, not ${leaseMs}`);
  }
}

export interface StateStore {
  /** Where the state lives, for messages (never includes a password). */
  readonly location: string;
  /** Whether jobs on other machines can work this store at once (what sharding needs). */
  readonly shared: boolean;

  /** Opens the store and applies pending schema migrations; refuses a corrupt or foreign store. */
  open(): Promise<void>;
  /**
   * Opens the store for reading only, if there is one (what `ztoq status` needs): creates nothing (no
   * file, directory, schema or table), migrates nothing, and refuses every write until closed. Resolves
   * false, leaving the store closed, when the location holds no ZTOQ store yet; refuses a corrupt or
   * foreign store, or one from a newer ZTOQ, as `open` does. A store of an older schema version is read
   * as it is, what it lacks read as null.
   */
  openExisting(): Promise<boolean>;
  /** Stops every heartbeat and gives up every hold this store took (see `acquireHold`). */
  close(): Promise<void>;

  get(type: RecordedType, key: string): Promise<EntityRecord | undefined>;
  /** Many at once, for a page of source entities. Missing keys are absent from the map. */
  getMany(type: RecordedType, keys: readonly string[]): Promise<Map<string, EntityRecord>>;
  /** Every record of a type, optionally of one status, in key order, read in pages (bounded memory). */
  list(type: RecordedType, options?: { status?: EntityStatus }): AsyncIterable<EntityRecord>;

  /** Records the intent to create: status `creating`, attempts + 1. Call before the POST. */
  beginCreate(type: RecordedType, key: string, runId: string): Promise<void>;
  /**
   * Records a finished create or update: status `done`, the target id, the hash written, extra data. Ends
   * any lease; the owner stays recorded, as the shard that did the work.
   */
  recordDone(
    type: RecordedType,
    key: string,
    result: { targetId: number; hash: string | null; data?: Record<string, unknown> | null; runId: string },
  ): Promise<void>;
  /**
   * Records a failure; the entity stays retryable on the next run. Ends any lease (so another shard may
   * try it at once); the owner stays recorded.
   */
  recordFailure(type: RecordedType, key: string, error: string, runId: string): Promise<void>;
  /**
   * Records that the entity was deliberately not written, and why: status `skipped`, the reason in
   * `lastError`. The target id and hash stay (a later run may still update what an earlier one wrote).
   * Ends any lease, and other shards take it as finished (see `claim`); the next run looks at it again.
   */
  recordSkipped(type: RecordedType, key: string, reason: string, runId: string): Promise<void>;
  /**
   * Claims an entity for `owner` (a shard) for `leaseMs`, in one atomic step, so that of several shards
   * (processes, machines) asking for the same entity at once exactly one is granted it:
   *
   * - the record is `done` or `skipped` → `"done"`, and nothing changes;
   * - there is no record, or its lease is free, expired, or already `owner`'s → the lease is taken or
   *   renewed (owner = `owner`, lease until now + `leaseMs`; a new record is `pending`, 0 attempts, `runId`)
   *   → `"granted"`. The record's runId and updatedAt become this claim's; its status, attempts,
   *   target id, hash and data are kept: a `creating` record taken over from a shard that died must
   *   still be reconciled before any retry;
   * - otherwise another owner's lease is running → `"held"`, and nothing changes.
   *
   * A shard that dies without finishing loses its entities when their leases expire; one that lives
   * renews a lease by claiming again before it runs out (the store does not stop a shard whose lease
   * ran out from recording its result, so the lease must comfortably outlast the work). "Now" is the database server's clock where
   * there is a server (PostgreSQL), so shards on different machines agree; the process clock otherwise.
   * Throws a RangeError for an empty owner or a lease that is not a positive duration.
   */
  claim(type: RecordedType, key: string, owner: string, leaseMs: number, runId: string): Promise<ClaimOutcome>;
  /**
   * Gives up `owner`'s lease on an entity at once (after a failure, so another shard may try it now
   * rather than when the lease would have run out). Does nothing if the lease is not `owner`'s, or if
   * there is no lease or no record. The owner stays recorded.
   */
  release(type: RecordedType, key: string, owner: string): Promise<void>;
  /** Removes a record (after `--prune` deleted the target object). */
  remove(type: RecordedType, key: string): Promise<void>;

  counts(): Promise<StatusCounts>;
  /**
   * The counts split by owner (the shard that last claimed each record), for progress per shard: one
   * entry per owner holding any record, records never claimed under `null` first, then owners in code
   * point order. Every type and status is present, zeros included; the entries add up to `counts()`.
   */
  countsByOwner(): Promise<OwnerCounts[]>;

  /**
   * Records a run as running, with this process's host and pid, and keeps its heartbeat going until
   * `finishRun` or `close` (a process that dies stops it).
   */
  startRun(run: { id: string; mode: MigrationRun["mode"] }): Promise<MigrationRun>;
  finishRun(id: string, result: { status: MigrationRun["status"]; summary: Record<string, unknown> | null }): Promise<void>;
  lastRun(): Promise<MigrationRun | undefined>;

  getWatermark(name: string): Promise<string | undefined>;
  setWatermark(name: string, value: string): Promise<void>;

  /**
   * Takes the store's hold for a run that writes (see hold.ts), in one step no other store's attempt
   * can come between, or says why not:
   *
   * - the store belongs to another project (recorded by an earlier run) → `reason: "project"`, nothing changes;
   * - each hold whose holder is dead — its process gone from this machine, or its heartbeat older than
   *   the staleness bound by the store's clock — is removed (`tookOver`, when the hold is then taken);
   * - a live hold that conflicts (any but shard with shard) → `reason: "held"`, naming every such holder;
   * - otherwise the project is recorded (if asked and none is) and the hold taken: beaten every heartbeat
   *   until released or the store closed (which releases it). A process that dies stops the beat.
   */
  acquireHold(request: HoldRequest): Promise<HoldAttempt>;
  /** The holds recorded now, oldest first, each with whether its heartbeat is stale (none on a store of an older schema). */
  holds(): Promise<Hold[]>;
  /** The project the store belongs to, once a run that writes has recorded it. */
  project(): Promise<StoreProject | undefined>;
}

/** The store could not be used: unreachable, corrupt, foreign, or from a newer ZTOQ. */
export class StateStoreError extends Error {
  constructor(
    message: string,
    readonly reason: "unreachable" | "corrupt" | "foreign" | "newer" | "credentials" | "unusable",
  ) {
    super(message);
    this.name = "StateStoreError";
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
