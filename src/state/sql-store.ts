import { hostname } from "node:os";
import type { RecordedType } from "../entity-types.js";
import type { HoldAttempt, HoldRequest, Hold as StoredHold, StoreProject } from "./hold.js";
import { HOLD_READS, type HoldJudge, holdStatements, KeptHolds, readHolds, readProject } from "./sql-hold.js";
import { entityOf, now, runOf, toJson } from "./sql-values.js";
import {
  type ClaimOutcome,
  checkClaim,
  countRows,
  countRowsByOwner,
  type EntityRecord,
  type EntityStatus,
  FINISHED_STATUSES,
  HOLD_STALE_MS,
  type MigrationRun,
  type OwnerCounts,
  RUN_HEARTBEAT_MS,
  type StateStore,
  type StatusCounts,
} from "./store.js";
import { thisVantage } from "./this-process.js";

/**
 * The state store over SQL, written once: the statements, and which of them each method runs with which
 * values. An engine (SQLite, PostgreSQL) supplies a `SqlDialect`: how it spells what the statements need
 * spelled its own way, how it runs them, how it opens and migrates a store, and what its errors mean.
 */

/** Rows per `list()` query: bounded memory on 100k records, few enough round trips to stay fast. */
const PAGE_SIZE = 500;
/** Keys per `getMany()` query: one parameter holds them all, so no parameter limit, but a bounded result. */
const KEYS_PER_QUERY = 1_000;

/**
 * The schema versions that added columns the statements read, the same in every engine (each engine's
 * `MIGRATIONS` adds them at the same step). A store opened for reading only is not migrated, so its
 * statements read a column it lacks as NULL, which is what a migration would have filled it with.
 */
const LEASES_VERSION = 2;
const RUN_PROCESS_VERSION = 3;

/** An entity row's columns, named as `EntityRecord`'s fields (quoted: PostgreSQL folds bare names to lower case). */
function entityColumns(version: number): string {
  const lease = version >= LEASES_VERSION ? `owner, lease_until AS "leaseUntil"` : `NULL AS owner, NULL AS "leaseUntil"`;
  return `type, key, hash, target_id AS "targetId", status, attempts, last_error AS "lastError", data,
  run_id AS "runId", updated_at AS "updatedAt", ${lease}`;
}

function runColumns(version: number): string {
  const process =
    version >= RUN_PROCESS_VERSION
      ? `host, pid, heartbeat_at AS "heartbeatAt"`
      : `NULL AS host, NULL AS pid, NULL AS "heartbeatAt"`;
  return `id, mode, status, started_at AS "startedAt", finished_at AS "finishedAt", summary, ${process}`;
}

/** The statements a store opened for reading only may run. */
const READ_STATEMENTS: ReadonlySet<StatementName> = new Set([
  "get",
  "getMany",
  "page",
  "pageByStatus",
  "claimRefused",
  "counts",
  "countsByOwner",
  "lastRun",
  "getWatermark",
  ...HOLD_READS,
]);

/** What the statements leave to the engine to spell. */
export interface Spelling {
  /** Put before a table's name (PostgreSQL's schema: `ztoq.`). */
  tablePrefix: string;
  /** The condition that `key` is one of the list `:keys`. */
  keyIn: string;
  /** "Now" as leases are measured: whether a lease has run out. */
  leaseNow: string;
  /** When a lease granted now ends: `:leaseMs` from the lease clock's now, or `:leaseUntil` by the process clock. */
  leaseEnd: string;
  /** The lease clock's now less `:agoMs`, or `:agoAt` by the process clock: when a heartbeat became stale. */
  clockAgo: string;
}

/**
 * Every statement the store runs, with named parameters (`:name`) that the engine binds or rewrites; a
 * statement is given every value an engine's spelling may name (a lease's end as both :leaseMs and
 * :leaseUntil). Each runs alone, so each write is atomic: two stores writing one record never lose an attempt.
 * `version` is the schema version of the store they run on: only reads are ever run on an older one.
 */
export function statements(spelling: Spelling, version: number) {
  const { tablePrefix, keyIn, leaseNow, leaseEnd } = spelling;
  const [entities, runs, watermarks] = ["entities", "runs", "watermarks"].map((name) => `${tablePrefix}${name}`);
  const select = `SELECT ${entityColumns(version)} FROM ${entities}`;
  const runFields = runColumns(version);
  // `failed` and `skipped` end any lease; the owner stays recorded, as the shard that looked at the entity.
  const finish = (status: string) => `INSERT INTO ${entities} AS e (type, key, status, attempts, last_error, run_id, updated_at)
    VALUES (:type, :key, '${status}', 0, :lastError, :runId, :now)
    ON CONFLICT (type, key) DO UPDATE SET
      status = '${status}', last_error = excluded.last_error, run_id = excluded.run_id, updated_at = excluded.updated_at,
      lease_until = NULL`;
  return {
    get: `${select} WHERE type = :type AND key = :key`,
    getMany: `${select} WHERE type = :type AND ${keyIn}`,
    page: `${select} WHERE type = :type AND key > :after ORDER BY key LIMIT ${PAGE_SIZE}`,
    pageByStatus: `${select} WHERE type = :type AND status = :status AND key > :after ORDER BY key LIMIT ${PAGE_SIZE}`,
    beginCreate: `INSERT INTO ${entities} AS e (type, key, status, attempts, run_id, updated_at)
      VALUES (:type, :key, 'creating', 1, :runId, :now)
      ON CONFLICT (type, key) DO UPDATE SET
        status = 'creating', attempts = e.attempts + 1, run_id = excluded.run_id, updated_at = excluded.updated_at`,
    // :keepData distinguishes "no data given" (keep what an earlier phase stored) from an explicit null.
    recordDone: `INSERT INTO ${entities} AS e (type, key, hash, target_id, status, attempts, data, run_id, updated_at)
      VALUES (:type, :key, :hash, :targetId, 'done', 0, :data, :runId, :now)
      ON CONFLICT (type, key) DO UPDATE SET
        status = 'done', hash = excluded.hash, target_id = excluded.target_id, last_error = NULL,
        data = CASE WHEN :keepData THEN e.data ELSE excluded.data END,
        run_id = excluded.run_id, updated_at = excluded.updated_at, lease_until = NULL`,
    // target_id survives: the object may exist in qTest, and the next run must update it rather than duplicate it.
    recordFailure: finish("failed"),
    recordSkipped: finish("skipped"),
    /**
     * The lease is decided by this one statement; a row comes back only when it was granted (inserted, or
     * updated because the WHERE held), none when the record is done or held.
     *
     * SQLite: one statement is one write transaction, and a file has a single writer, so no other process
     * can change the record between the WHERE (is it claimable?) and the SET.
     *
     * PostgreSQL: a new key is inserted (granted); the unique index lets only one of several concurrent
     * inserts in, and the others wait for it and take the ON CONFLICT path. On conflict the row is locked,
     * and under READ COMMITTED the WHERE is evaluated on its latest committed version (after waiting for
     * any transaction updating it): of concurrent claims, the first to lock the row takes the lease, and
     * the others then see a running lease of another owner and update nothing.
     */
    claim: `INSERT INTO ${entities} AS e (type, key, status, attempts, run_id, updated_at, owner, lease_until)
      VALUES (:type, :key, 'pending', 0, :runId, :now, :owner, ${leaseEnd})
      ON CONFLICT (type, key) DO UPDATE SET
        owner = excluded.owner, lease_until = ${leaseEnd}, run_id = excluded.run_id, updated_at = excluded.updated_at
      WHERE e.status NOT IN ('done', 'skipped') AND (e.lease_until IS NULL OR e.lease_until < ${leaseNow} OR e.owner = excluded.owner)
      RETURNING 1 AS granted`,
    /**
     * Why a claim was refused, in a statement of its own: the claim's statement cannot say, because (in
     * PostgreSQL) its snapshot predates a row a concurrent claim inserted (and the claim waited for), so it
     * would not see that row. A new statement has a new snapshot, which does.
     */
    claimRefused: `SELECT status FROM ${entities} WHERE type = :type AND key = :key`,
    // Atomic for the same reason: if another owner took the expired lease first, the WHERE no longer holds.
    release: `UPDATE ${entities} SET lease_until = NULL, updated_at = :now
      WHERE type = :type AND key = :key AND owner = :owner AND lease_until IS NOT NULL`,
    remove: `DELETE FROM ${entities} WHERE type = :type AND key = :key`,
    counts: `SELECT type, status, count(*) AS n FROM ${entities} GROUP BY type, status`,
    countsByOwner:
      version >= LEASES_VERSION
        ? `SELECT owner, type, status, count(*) AS n FROM ${entities} GROUP BY owner, type, status`
        : `SELECT NULL AS owner, type, status, count(*) AS n FROM ${entities} GROUP BY type, status`,
    startRun: `INSERT INTO ${runs} (id, mode, status, started_at, host, pid, heartbeat_at)
      VALUES (:id, :mode, 'running', :now, :host, :pid, :now) RETURNING ${runFields}`,
    heartbeat: `UPDATE ${runs} SET heartbeat_at = :now WHERE id = :id AND status = 'running'`,
    finishRun: `UPDATE ${runs} SET status = :status, finished_at = :now, summary = :summary WHERE id = :id RETURNING id`,
    lastRun: `SELECT ${runFields} FROM ${runs} ORDER BY seq DESC LIMIT 1`,
    getWatermark: `SELECT value FROM ${watermarks} WHERE name = :name`,
    setWatermark: `INSERT INTO ${watermarks} (name, value, updated_at) VALUES (:name, :value, :now)
      ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ...holdStatements(spelling, version),
  };
}

export type StatementName = keyof ReturnType<typeof statements>;
export type Params = Readonly<Record<string, unknown>>;
export type Row = Readonly<Record<string, unknown>>;

/** What an engine supplies to `SqlStateStore`. */
export interface SqlDialect {
  /** Where the state lives, for messages (never includes a password). */
  readonly location: string;
  /** Whether jobs on other machines can work this store at once. */
  readonly shared: boolean;
  /** Connects, refuses what is not a ZTOQ store, migrates (see sql-schema.ts); then statements may run. */
  open(): Promise<void>;
  /**
   * Connects for reading only, to a store that exists: creates, migrates and writes nothing, and runs
   * the statements of the store's own schema version. False, with nothing left open, when there is no
   * ZTOQ store at the location; refuses what is not a ZTOQ store, as `open` does.
   */
  openExisting(): Promise<boolean>;
  close(): Promise<void>;
  /** Runs one of `statements()` on its own, committed when it returns; its rows (none for most writes). */
  all(statement: StatementName, params: Params): Promise<Row[]>;
  /**
   * Runs `work`'s statements in one transaction, committed when `work` resolves and rolled back when it
   * throws, and never at the same time as another store's `transaction` on the same location (SQLite:
   * the write lock, taken first; PostgreSQL: an advisory lock): what makes a hold's decision one step.
   */
  transaction<T>(work: (all: (statement: StatementName, params: Params) => Promise<Row[]>) => Promise<T>): Promise<T>;
  /** Free text (an error message, perhaps quoting a response body) as the engine can store it. */
  storableText(text: string): string;
}

export interface SqlStateStoreOptions {
  /** How often a run or hold this store started refreshes its heartbeat; `RUN_HEARTBEAT_MS` unless told. */
  heartbeatMs?: number;
  /** How old a hold's heartbeat must be for its holder to count as dead; `HOLD_STALE_MS` unless told. */
  holdStaleMs?: number;
}

/** The `StateStore` an engine's statements make. */
export class SqlStateStore implements StateStore {
  readonly location: string;
  readonly shared: boolean;
  readonly #dialect: SqlDialect;
  readonly #heartbeatMs: number;
  #isOpen = false;
  #readOnly = false;
  #opening: { readOnly: boolean; done: Promise<boolean> } | undefined;
  /** The heartbeat of each run this store started and has not finished. */
  readonly #heartbeats = new Map<string, NodeJS.Timeout>();
  readonly #judge: HoldJudge;
  readonly #holds: KeptHolds;

  constructor(dialect: SqlDialect, options: SqlStateStoreOptions = {}) {
    this.#dialect = dialect;
    this.location = dialect.location;
    this.shared = dialect.shared;
    this.#heartbeatMs = options.heartbeatMs ?? RUN_HEARTBEAT_MS;
    this.#judge = {
      location: this.location,
      vantage: thisVantage(),
      staleMs: options.holdStaleMs ?? HOLD_STALE_MS,
      local: !dialect.shared,
    };
    this.#holds = new KeptHolds({
      run: (statement, params) => this.#all(statement, params),
      transaction: (work) => this.#writable().transaction(work),
      judge: this.#judge,
      heartbeatMs: this.#heartbeatMs,
    });
  }

  async open(): Promise<void> {
    if (this.#isOpen && !this.#readOnly) return;
    if (this.#isOpen || this.#opening?.readOnly) {
      throw new Error(`state store ${this.location} is open for reading only; close it first`);
    }
    // Calls made while opening share that opening rather than connect (and migrate) once more.
    this.#opening ??= { readOnly: false, done: this.#open(false) };
    await this.#opening.done;
  }

  async openExisting(): Promise<boolean> {
    if (this.#isOpen) return true;
    // Opening for writing already under way: the store will exist, and reading it is allowed.
    this.#opening ??= { readOnly: true, done: this.#open(true) };
    return this.#opening.done;
  }

  async #open(readOnly: boolean): Promise<boolean> {
    try {
      if (readOnly) {
        if (!(await this.#dialect.openExisting())) return false;
      } else await this.#dialect.open();
      this.#isOpen = true;
      this.#readOnly = readOnly;
      return true;
    } finally {
      this.#opening = undefined;
    }
  }

  async close(): Promise<void> {
    for (const timer of this.#heartbeats.values()) clearInterval(timer);
    this.#heartbeats.clear();
    if (!this.#isOpen) return;
    await this.#holds.releaseAll();
    this.#isOpen = false;
    await this.#dialect.close();
  }

  async get(type: RecordedType, key: string): Promise<EntityRecord | undefined> {
    const [row] = await this.#all("get", { type, key });
    return row ? entityOf(row, this.location) : undefined;
  }

  async getMany(type: RecordedType, keys: readonly string[]): Promise<Map<string, EntityRecord>> {
    this.#ready();
    const found = new Map<string, EntityRecord>();
    const unique = [...new Set(keys)];
    for (let start = 0; start < unique.length; start += KEYS_PER_QUERY) {
      for (const row of await this.#all("getMany", { type, keys: unique.slice(start, start + KEYS_PER_QUERY) })) {
        const record = entityOf(row, this.location);
        found.set(record.key, record);
      }
    }
    return found;
  }

  /**
   * Keyset pagination on key rather than OFFSET or a cursor: each page is an index seek and a short
   * query (no connection or transaction held between pages), and records that change status while the
   * caller works through the pages are neither skipped nor seen twice.
   */
  async *list(type: RecordedType, options: { status?: EntityStatus } = {}): AsyncIterable<EntityRecord> {
    const { status } = options;
    let after = "";
    for (;;) {
      const rows =
        status === undefined
          ? await this.#all("page", { type, after })
          : await this.#all("pageByStatus", { type, status, after });
      const page = rows.map((row) => entityOf(row, this.location));
      yield* page;
      const last = page.at(-1);
      if (last === undefined || page.length < PAGE_SIZE) return;
      after = last.key;
    }
  }

  async beginCreate(type: RecordedType, key: string, runId: string): Promise<void> {
    await this.#all("beginCreate", { type, key, runId, now: now() });
  }

  async recordDone(
    type: RecordedType,
    key: string,
    result: { targetId: number; hash: string | null; data?: Record<string, unknown> | null; runId: string },
  ): Promise<void> {
    const { targetId, hash, data, runId } = result;
    const keepData = data === undefined;
    await this.#all("recordDone", { type, key, hash, targetId, data: toJson(data ?? null), keepData, runId, now: now() });
  }

  async recordFailure(type: RecordedType, key: string, error: string, runId: string): Promise<void> {
    await this.#all("recordFailure", { type, key, lastError: this.#dialect.storableText(error), runId, now: now() });
  }

  async recordSkipped(type: RecordedType, key: string, reason: string, runId: string): Promise<void> {
    await this.#all("recordSkipped", { type, key, lastError: this.#dialect.storableText(reason), runId, now: now() });
  }

  async claim(type: RecordedType, key: string, owner: string, leaseMs: number, runId: string): Promise<ClaimOutcome> {
    checkClaim(owner, leaseMs);
    // A record removed between a refused claim and the look at it is claimed again; a second pass settles it.
    for (let pass = 0; pass < 3; pass++) {
      const at = Date.now();
      const leaseUntil = new Date(at + leaseMs).toISOString();
      const granted = await this.#all("claim", { type, key, owner, leaseMs, leaseUntil, runId, now: new Date(at).toISOString() });
      if (granted.length > 0) return "granted";
      const [found] = await this.#all("claimRefused", { type, key });
      if (found) return FINISHED_STATUSES.includes(found.status as EntityStatus) ? "done" : "held";
    }
    return "held";
  }

  async release(type: RecordedType, key: string, owner: string): Promise<void> {
    await this.#all("release", { type, key, owner, now: now() });
  }

  async remove(type: RecordedType, key: string): Promise<void> {
    await this.#all("remove", { type, key });
  }

  async counts(): Promise<StatusCounts> {
    return countRows(await this.#all("counts", {}), this.location);
  }

  async countsByOwner(): Promise<OwnerCounts[]> {
    return countRowsByOwner(await this.#all("countsByOwner", {}), this.location);
  }

  async startRun(run: { id: string; mode: MigrationRun["mode"] }): Promise<MigrationRun> {
    const [row] = await this.#all("startRun", { id: run.id, mode: run.mode, now: now(), host: hostname(), pid: process.pid });
    if (!row) throw new Error(`${this.location}: run ${run.id} was not recorded`);
    // Beats as long as this process lives and the store is open; a run whose process was killed stops
    // beating, which is how `ztoq status` tells it from one still working on another machine. A beat
    // that fails is left out: the next one, or the run's own writes, will meet the same trouble.
    const beat = () => void this.#all("heartbeat", { id: run.id, now: now() }).catch(() => undefined);
    const timer = setInterval(beat, this.#heartbeatMs);
    // The timer must not keep a process alive whose work is done.
    timer.unref();
    this.#heartbeats.set(run.id, timer);
    return runOf(row, this.location);
  }

  async finishRun(
    id: string,
    result: { status: MigrationRun["status"]; summary: Record<string, unknown> | null },
  ): Promise<void> {
    clearInterval(this.#heartbeats.get(id));
    this.#heartbeats.delete(id);
    const finished = await this.#all("finishRun", { id, status: result.status, summary: toJson(result.summary), now: now() });
    if (finished.length === 0) throw new Error(`${this.location}: no run ${JSON.stringify(id)} to finish`);
  }

  async lastRun(): Promise<MigrationRun | undefined> {
    const [row] = await this.#all("lastRun", {});
    return row ? runOf(row, this.location) : undefined;
  }

  async acquireHold(request: HoldRequest): Promise<HoldAttempt> {
    return this.#holds.acquire(request);
  }

  async holds(): Promise<StoredHold[]> {
    return readHolds((statement, params) => this.#all(statement, params), this.#judge);
  }

  async project(): Promise<StoreProject | undefined> {
    return readProject((statement, params) => this.#all(statement, params), this.location);
  }

  async getWatermark(name: string): Promise<string | undefined> {
    const [row] = await this.#all("getWatermark", { name });
    return typeof row?.value === "string" ? row.value : undefined;
  }

  async setWatermark(name: string, value: string): Promise<void> {
    await this.#all("setWatermark", { name, value, now: now() });
  }

  #ready(): SqlDialect {
    if (!this.#isOpen) throw new Error(`state store ${this.location} is not open`);
    return this.#dialect;
  }

  #writable(): SqlDialect {
    const dialect = this.#ready();
    if (this.#readOnly) throw new Error(`state store ${this.location} is open for reading only`);
    return dialect;
  }

  async #all(statement: StatementName, params: Params): Promise<Row[]> {
    const dialect = this.#ready();
    if (this.#readOnly && !READ_STATEMENTS.has(statement)) {
      throw new Error(`state store ${this.location} is open for reading only`);
    }
    return dialect.all(statement, params);
  }
}
