import { z } from "zod";

/**
 * What the migration remembers between runs, behind one interface so the embedded SQLite file and a
 * shared PostgreSQL database are interchangeable (the same contract tests run against both).
 */

/** The kinds of qTest objects a migration creates, each keyed by what identifies its source. */
export const entityTypeSchema = z.enum(["module", "testCase", "testCycle", "testSuite", "testRun", "testLog"]);
export type EntityType = z.infer<typeof entityTypeSchema>;

/**
 * `creating` is the intent recorded before a create: on resume such an entity may or may not exist in
 * the target, and must be reconciled (searched by its marker) before any retry.
 */
export const entityStatusSchema = z.enum(["pending", "creating", "done", "failed"]);
export type EntityStatus = z.infer<typeof entityStatusSchema>;

export const entityRecordSchema = z.object({
  type: entityTypeSchema,
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
});
export type EntityRecord = z.infer<typeof entityRecordSchema>;

export const runRecordSchema = z.object({
  id: z.string(),
  mode: z.enum(["full", "incremental", "dry-run"]),
  status: z.enum(["running", "succeeded", "failed", "incomplete"]),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Counters and anything else the report wants to keep. */
  summary: z.record(z.string(), z.unknown()).nullable(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

export type StatusCounts = Record<EntityType, Record<EntityStatus, number>>;

export interface StateStore {
  /** Where the state lives, for messages (never includes a password). */
  readonly location: string;

  /** Opens the store and applies pending schema migrations; refuses a corrupt or foreign store. */
  open(): Promise<void>;
  close(): Promise<void>;

  get(type: EntityType, key: string): Promise<EntityRecord | undefined>;
  /** Many at once, for a page of source entities. Missing keys are absent from the map. */
  getMany(type: EntityType, keys: readonly string[]): Promise<Map<string, EntityRecord>>;
  /** Every record of a type, optionally of one status, in key order, read in pages (bounded memory). */
  list(type: EntityType, options?: { status?: EntityStatus }): AsyncIterable<EntityRecord>;

  /** Records the intent to create: status `creating`, attempts + 1. Call before the POST. */
  beginCreate(type: EntityType, key: string, runId: string): Promise<void>;
  /** Records a finished create or update: status `done`, the target id, the hash written, extra data. */
  recordDone(
    type: EntityType,
    key: string,
    result: { targetId: number; hash: string | null; data?: Record<string, unknown> | null; runId: string },
  ): Promise<void>;
  /** Records a failure; the entity stays retryable on the next run. */
  recordFailure(type: EntityType, key: string, error: string, runId: string): Promise<void>;
  /** Removes a record (after `--prune` deleted the target object). */
  remove(type: EntityType, key: string): Promise<void>;

  counts(): Promise<StatusCounts>;

  startRun(run: { id: string; mode: RunRecord["mode"] }): Promise<RunRecord>;
  finishRun(id: string, result: { status: RunRecord["status"]; summary: Record<string, unknown> | null }): Promise<void>;
  lastRun(): Promise<RunRecord | undefined>;

  getWatermark(name: string): Promise<string | undefined>;
  setWatermark(name: string, value: string): Promise<void>;
}

/** The store could not be used: unreachable, corrupt, foreign, or from a newer ZTOQ. */
export class StateStoreError extends Error {
  constructor(
    message: string,
    readonly reason: "unreachable" | "corrupt" | "foreign" | "newer" | "credentials",
  ) {
    super(message);
    this.name = "StateStoreError";
  }
}
