import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type SQLOutputValue, type StatementSync } from "node:sqlite";
import type { RecordedType } from "../entity-types.js";
import {
  type ClaimOutcome,
  checkClaim,
  countRows,
  countRowsByOwner,
  type EntityRecord,
  type EntityStatus,
  entityRecordSchema,
  FINISHED_STATUSES,
  type OwnerCounts,
  type RunRecord,
  runRecordSchema,
  type StateStore,
  StateStoreError,
  type StatusCounts,
  validated,
} from "./store.js";

/** Written into `ztoq_meta` so a ZTOQ state file can be told apart from any other SQLite database. */
export const APPLICATION_ID = "ztoq-state";

/**
 * Schema migrations, applied in order; the schema version is how many have been applied. Append only:
 * a released step never changes, because stores out there already ran it. Enumerated columns (type,
 * status, mode) have no CHECK: SQLite cannot change one without rebuilding the table, and rows are
 * validated against the zod schemas when read.
 */
export const MIGRATIONS: readonly string[] = [
  `
  -- WITHOUT ROWID: the (type, key) primary key is the table itself, so lookups and key-ordered pages
  -- read one b-tree instead of an index plus the table.
  CREATE TABLE entities (
    type TEXT NOT NULL,
    key TEXT NOT NULL,
    hash TEXT,
    target_id INTEGER,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error TEXT,
    data TEXT CHECK (data IS NULL OR json_valid(data)),
    run_id TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (type, key)
  ) WITHOUT ROWID;
  -- key is spelled out so a status-filtered page is read in key order straight from the index.
  CREATE INDEX entities_type_status ON entities (type, status, key);

  -- seq orders runs by when they were started: two runs can share a millisecond timestamp.
  CREATE TABLE runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    mode TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    summary TEXT CHECK (summary IS NULL OR json_valid(summary))
  );

  CREATE TABLE watermarks (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  // 2: leases, for shards working one store. ADD COLUMN only writes the schema: existing rows read the
  // new columns as NULL (never claimed) without being rewritten. lease_until is an ISO 8601 UTC string
  // of fixed width (toISOString), so text comparison is time comparison.
  `
  ALTER TABLE entities ADD COLUMN owner TEXT;
  ALTER TABLE entities ADD COLUMN lease_until TEXT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Rows per `list()` query: bounded memory on 100k records, few enough round trips to stay fast. */
const PAGE_SIZE = 500;
/** Keys per `getMany()` query, well under SQLite's bound-parameter limit. */
const IN_CHUNK = 500;
/** A second process (a parallel job, `ztoq status`) may hold the write lock briefly; wait rather than fail. */
const BUSY_TIMEOUT_MS = 10_000;

/** SQLite primary result codes that mean the bytes on disk are not a usable database. */
const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

const ENTITY_COLUMNS =
  "type, key, hash, target_id AS targetId, status, attempts, last_error AS lastError, data, run_id AS runId, updated_at AS updatedAt, owner, lease_until AS leaseUntil";
const RUN_COLUMNS = "id, mode, status, started_at AS startedAt, finished_at AS finishedAt, summary";

type Row = Record<string, SQLOutputValue>;

type Statements = ReturnType<typeof prepareStatements>;

/** Every statement a store uses, prepared once per open connection. */
function prepareStatements(db: DatabaseSync) {
  return {
    get: db.prepare(`SELECT ${ENTITY_COLUMNS} FROM entities WHERE type = ? AND key = ?`),
    page: db.prepare(`SELECT ${ENTITY_COLUMNS} FROM entities WHERE type = ? AND key > ? ORDER BY key LIMIT ${PAGE_SIZE}`),
    pageByStatus: db.prepare(
      `SELECT ${ENTITY_COLUMNS} FROM entities WHERE type = ? AND status = ? AND key > ? ORDER BY key LIMIT ${PAGE_SIZE}`,
    ),
    beginCreate: db.prepare(
      `INSERT INTO entities (type, key, status, attempts, run_id, updated_at)
       VALUES (:type, :key, 'creating', 1, :runId, :now)
       ON CONFLICT (type, key) DO UPDATE SET
         status = 'creating', attempts = attempts + 1, run_id = excluded.run_id, updated_at = excluded.updated_at`,
    ),
    // :keepData distinguishes "no data given" (keep what an earlier phase stored) from an explicit null.
    recordDone: db.prepare(
      `INSERT INTO entities (type, key, hash, target_id, status, attempts, data, run_id, updated_at)
       VALUES (:type, :key, :hash, :targetId, 'done', 0, :data, :runId, :now)
       ON CONFLICT (type, key) DO UPDATE SET
         status = 'done', hash = excluded.hash, target_id = excluded.target_id, last_error = NULL,
         data = CASE WHEN :keepData THEN data ELSE excluded.data END,
         run_id = excluded.run_id, updated_at = excluded.updated_at, lease_until = NULL`,
    ),
    // target_id survives: the object may exist in qTest, and the next run must update it rather than duplicate it.
    recordFailure: db.prepare(
      `INSERT INTO entities (type, key, status, attempts, last_error, run_id, updated_at)
       VALUES (:type, :key, 'failed', 0, :error, :runId, :now)
       ON CONFLICT (type, key) DO UPDATE SET
         status = 'failed', last_error = excluded.last_error, run_id = excluded.run_id, updated_at = excluded.updated_at,
         lease_until = NULL`,
    ),
    recordSkipped: db.prepare(
      `INSERT INTO entities (type, key, status, attempts, last_error, run_id, updated_at)
       VALUES (:type, :key, 'skipped', 0, :reason, :runId, :now)
       ON CONFLICT (type, key) DO UPDATE SET
         status = 'skipped', last_error = excluded.last_error, run_id = excluded.run_id, updated_at = excluded.updated_at,
         lease_until = NULL`,
    ),
    // One statement, so one write transaction: SQLite has a single writer per file, so no other process
    // can change the record between the WHERE (is it claimable?) and the SET. A row comes back only when
    // the lease was granted (inserted, or updated because the WHERE held); no row means done or held.
    claim: db.prepare(
      `INSERT INTO entities (type, key, status, attempts, run_id, updated_at, owner, lease_until)
       VALUES (:type, :key, 'pending', 0, :runId, :now, :owner, :leaseUntil)
       ON CONFLICT (type, key) DO UPDATE SET
         owner = excluded.owner, lease_until = excluded.lease_until, run_id = excluded.run_id, updated_at = excluded.updated_at
       WHERE status NOT IN ('done', 'skipped') AND (lease_until IS NULL OR lease_until < :now OR owner = excluded.owner)
       RETURNING status`,
    ),
    claimRefused: db.prepare("SELECT status FROM entities WHERE type = ? AND key = ?"),
    release: db.prepare(
      `UPDATE entities SET lease_until = NULL, updated_at = :now
       WHERE type = :type AND key = :key AND owner = :owner AND lease_until IS NOT NULL`,
    ),
    remove: db.prepare("DELETE FROM entities WHERE type = ? AND key = ?"),
    counts: db.prepare("SELECT type, status, count(*) AS n FROM entities GROUP BY type, status"),
    countsByOwner: db.prepare("SELECT owner, type, status, count(*) AS n FROM entities GROUP BY owner, type, status"),
    startRun: db.prepare(`INSERT INTO runs (id, mode, status, started_at) VALUES (?, ?, 'running', ?) RETURNING ${RUN_COLUMNS}`),
    finishRun: db.prepare("UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?"),
    lastRun: db.prepare(`SELECT ${RUN_COLUMNS} FROM runs ORDER BY seq DESC LIMIT 1`),
    getWatermark: db.prepare("SELECT value FROM watermarks WHERE name = ?"),
    setWatermark: db.prepare(
      `INSERT INTO watermarks (name, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ),
  };
}

/** The migration state in one local SQLite file: the store that needs no server. */
export class SqliteStateStore implements StateStore {
  readonly location: string;
  // A file on one runner: processes on that machine could share it, a matrix of jobs cannot.
  readonly shared = false;
  #db: DatabaseSync | undefined;
  #statements: Statements | undefined;
  /** getMany statements by number of keys: a full chunk is reused, a shorter last chunk is prepared once. */
  #inStatements = new Map<number, StatementSync>();

  constructor(path: string) {
    this.location = path;
  }

  async open(): Promise<void> {
    if (this.#db) return;
    const db = this.#connect();
    try {
      // Nothing may be written before the file is known to be ours: switching to WAL rewrites the header.
      inspect(db, this.location);
      configure(db);
      migrate(db, this.location);
      this.#statements = prepareStatements(db);
    } catch (error) {
      db.close();
      throw asStoreError(error, this.location);
    }
    this.#db = db;
  }

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    this.#statements = undefined;
    this.#inStatements.clear();
    db?.close();
  }

  async get(type: RecordedType, key: string): Promise<EntityRecord | undefined> {
    const row = this.#sql().get.get(type, key);
    return row ? this.#entity(row) : undefined;
  }

  async getMany(type: RecordedType, keys: readonly string[]): Promise<Map<string, EntityRecord>> {
    this.#sql();
    const found = new Map<string, EntityRecord>();
    const unique = [...new Set(keys)];
    for (let start = 0; start < unique.length; start += IN_CHUNK) {
      const chunk = unique.slice(start, start + IN_CHUNK);
      for (const row of this.#inStatement(chunk.length).all(type, ...chunk)) {
        const record = this.#entity(row);
        found.set(record.key, record);
      }
    }
    return found;
  }

  /**
   * Keyset pagination on key rather than OFFSET: each page is an index seek, and records that change
   * status while the caller works through the pages are neither skipped nor seen twice.
   */
  async *list(type: RecordedType, options: { status?: EntityStatus } = {}): AsyncIterable<EntityRecord> {
    let after = "";
    for (;;) {
      const page = this.#page(type, options.status, after);
      yield* page;
      const last = page.at(-1);
      if (last === undefined || page.length < PAGE_SIZE) return;
      after = last.key;
    }
  }

  async beginCreate(type: RecordedType, key: string, runId: string): Promise<void> {
    this.#sql().beginCreate.run({ type, key, runId, now: now() });
  }

  async recordDone(
    type: RecordedType,
    key: string,
    result: { targetId: number; hash: string | null; data?: Record<string, unknown> | null; runId: string },
  ): Promise<void> {
    this.#sql().recordDone.run({
      type,
      key,
      hash: result.hash,
      targetId: result.targetId,
      data: toJson(result.data ?? null),
      keepData: result.data === undefined ? 1 : 0,
      runId: result.runId,
      now: now(),
    });
  }

  async recordFailure(type: RecordedType, key: string, error: string, runId: string): Promise<void> {
    this.#sql().recordFailure.run({ type, key, error, runId, now: now() });
  }

  async recordSkipped(type: RecordedType, key: string, reason: string, runId: string): Promise<void> {
    this.#sql().recordSkipped.run({ type, key, reason, runId, now: now() });
  }

  async claim(type: RecordedType, key: string, owner: string, leaseMs: number, runId: string): Promise<ClaimOutcome> {
    checkClaim(owner, leaseMs);
    const sql = this.#sql();
    // A record removed between a refused claim and the look at it is claimed again; a second pass settles it.
    for (let pass = 0; pass < 3; pass++) {
      const at = Date.now();
      const granted = sql.claim.get({
        type,
        key,
        owner,
        runId,
        now: new Date(at).toISOString(),
        leaseUntil: new Date(at + leaseMs).toISOString(),
      });
      if (granted) return "granted";
      const found = sql.claimRefused.get(type, key);
      if (found) return FINISHED_STATUSES.includes(found.status as EntityStatus) ? "done" : "held";
    }
    return "held";
  }

  async release(type: RecordedType, key: string, owner: string): Promise<void> {
    this.#sql().release.run({ type, key, owner, now: now() });
  }

  async remove(type: RecordedType, key: string): Promise<void> {
    this.#sql().remove.run(type, key);
  }

  async counts(): Promise<StatusCounts> {
    return countRows(this.#sql().counts.all(), this.location);
  }

  async countsByOwner(): Promise<OwnerCounts[]> {
    return countRowsByOwner(this.#sql().countsByOwner.all(), this.location);
  }

  async startRun(run: { id: string; mode: RunRecord["mode"] }): Promise<RunRecord> {
    const row = this.#sql().startRun.get(run.id, run.mode, now());
    if (!row) throw new Error(`${this.location}: run ${run.id} was not recorded`);
    return this.#run(row);
  }

  async finishRun(id: string, result: { status: RunRecord["status"]; summary: Record<string, unknown> | null }): Promise<void> {
    const { changes } = this.#sql().finishRun.run(result.status, now(), toJson(result.summary), id);
    if (changes === 0) throw new Error(`${this.location}: no run ${JSON.stringify(id)} to finish`);
  }

  async lastRun(): Promise<RunRecord | undefined> {
    const row = this.#sql().lastRun.get();
    return row ? this.#run(row) : undefined;
  }

  async getWatermark(name: string): Promise<string | undefined> {
    const row = this.#sql().getWatermark.get(name);
    return typeof row?.value === "string" ? row.value : undefined;
  }

  async setWatermark(name: string, value: string): Promise<void> {
    this.#sql().setWatermark.run(name, value, now());
  }

  #connect(): DatabaseSync {
    try {
      mkdirSync(dirname(this.location), { recursive: true });
      // Connection settings only, nothing written to the file, so they may precede the inspection.
      // Foreign keys are on so that any a later migration declares are enforced from the start.
      return new DatabaseSync(this.location, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
    } catch (error) {
      throw asStoreError(error, this.location);
    }
  }

  #sql(): Statements {
    if (!this.#statements) throw new Error(`state store ${this.location} is not open`);
    return this.#statements;
  }

  #page(type: RecordedType, status: EntityStatus | undefined, after: string): EntityRecord[] {
    const sql = this.#sql();
    const rows = status === undefined ? sql.page.all(type, after) : sql.pageByStatus.all(type, status, after);
    return rows.map((row) => this.#entity(row));
  }

  #inStatement(size: number): StatementSync {
    let statement = this.#inStatements.get(size);
    if (!statement) {
      const db = this.#db;
      if (!db) throw new Error(`state store ${this.location} is not open`);
      const placeholders = Array.from({ length: size }, () => "?").join(", ");
      statement = db.prepare(`SELECT ${ENTITY_COLUMNS} FROM entities WHERE type = ? AND key IN (${placeholders})`);
      this.#inStatements.set(size, statement);
    }
    return statement;
  }

  #entity(row: Row): EntityRecord {
    return validated(entityRecordSchema, { ...row, data: fromJson(row.data) }, this.location, "an entity row");
  }

  #run(row: Row): RunRecord {
    return validated(runRecordSchema, { ...row, summary: fromJson(row.summary) }, this.location, "a run row");
  }
}

/**
 * Classifies the file without writing to it: empty (a new store), a ZTOQ store this code can migrate,
 * or something to refuse. Returns the schema version (0 for an empty file).
 */
function inspect(db: DatabaseSync, path: string): number {
  const objects = db.prepare("SELECT name, type FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").all();
  if (objects.length === 0) return 0;
  if (!objects.some((object) => object.name === "ztoq_meta" && object.type === "table")) {
    const names = objects.map((object) => String(object.name)).slice(0, 5);
    throw new StateStoreError(
      `${path} is an SQLite database but not a ZTOQ state store (it holds ${names.join(", ")} and no ztoq_meta table); refusing to touch it`,
      "foreign",
    );
  }
  return storedVersion(db, path);
}

function storedVersion(db: DatabaseSync, path: string): number {
  const meta = readMeta(db, path);
  if (meta.get("application") !== APPLICATION_ID) {
    throw new StateStoreError(
      `${path} has a ztoq_meta table but belongs to ${JSON.stringify(meta.get("application") ?? null)}, not ${APPLICATION_ID}; refusing to touch it`,
      "foreign",
    );
  }
  const version = Number(meta.get("schema_version"));
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new StateStoreError(
      `${path} is a ZTOQ state store without a valid schema version (${JSON.stringify(meta.get("schema_version") ?? null)})`,
      "corrupt",
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new StateStoreError(
      `${path} has state schema version ${version}, but this ZTOQ knows up to version ${SCHEMA_VERSION}; it was written by a newer ZTOQ, upgrade to use it`,
      "newer",
    );
  }
  return version;
}

function readMeta(db: DatabaseSync, path: string): Map<string, string> {
  let rows: Row[];
  try {
    rows = db.prepare("SELECT key, value FROM ztoq_meta").all();
  } catch (error) {
    if (isCorruption(error)) throw error;
    throw new StateStoreError(
      `${path} has a ztoq_meta table that is not ZTOQ's (${errorMessage(error)}); refusing to touch it`,
      "foreign",
    );
  }
  return new Map(rows.map((row) => [String(row.key), String(row.value)]));
}

/**
 * WAL lets a reader (`ztoq status`, a second job) work while a migration writes, and makes a commit one
 * append to one file.
 *
 * synchronous=FULL fsyncs the WAL at every commit, so a write that returned survives an OS crash or power
 * loss. NORMAL would survive `kill -9` as well (the write has reached the OS when the call returns), but
 * on power loss it may drop every commit since the last checkpoint: up to thousands of records, each lost
 * `creating` or `done` a duplicate in qTest on the next run. FULL costs 0.2-0.3 ms a write on an ext4
 * virtual disk (10,000 beginCreate+recordDone pairs: 4-6 s, against 0.7 s with NORMAL), noise next to
 * the HTTP request each record stands for.
 */
function configure(db: DatabaseSync): void {
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = FULL");
}

/**
 * Applies pending migrations in one IMMEDIATE transaction, which takes the write lock first, so two
 * processes opening a new file at once cannot both migrate: the second waits, then finds nothing to do.
 */
function migrate(db: DatabaseSync, path: string): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    const from = inspect(db, path);
    if (from < SCHEMA_VERSION) applyMigrations(db, from);
    db.exec("COMMIT");
  } catch (error) {
    // SQLite rolls back by itself after some errors (a full disk); a second ROLLBACK would mask the cause.
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

function applyMigrations(db: DatabaseSync, from: number): void {
  db.exec("CREATE TABLE IF NOT EXISTS ztoq_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  db.prepare("INSERT OR REPLACE INTO ztoq_meta (key, value) VALUES ('application', ?)").run(APPLICATION_ID);
  for (const step of MIGRATIONS.slice(from)) db.exec(step);
  db.prepare("INSERT OR REPLACE INTO ztoq_meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
}

/** Timestamps come from the process clock, the same one the rest of ZTOQ (and any other store) uses. */
function now(): string {
  return new Date().toISOString();
}

function toJson(value: Record<string, unknown> | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

/** Unparseable JSON is passed on as is, so the schema check reports it along with the rest of the row. */
function fromJson(value: SQLOutputValue | undefined): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function isCorruption(error: unknown): boolean {
  const code = sqliteCode(error);
  return code === SQLITE_CORRUPT || code === SQLITE_NOTADB;
}

/** node:sqlite may report an extended result code; the low byte is the primary one. */
function sqliteCode(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("errcode" in error)) return undefined;
  return typeof error.errcode === "number" ? error.errcode & 0xff : undefined;
}

function asStoreError(error: unknown, path: string): StateStoreError {
  if (error instanceof StateStoreError) return error;
  if (isCorruption(error)) {
    return new StateStoreError(
      `${path} is not a readable SQLite database (${errorMessage(error)}); refusing to touch it`,
      "corrupt",
    );
  }
  return new StateStoreError(`cannot open the state store ${path}: ${errorMessage(error)}`, "unreachable");
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
