import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { type PathProblem, prepareWritableFile } from "../writable-file.js";
import { inspect, type SchemaAccess, upgrade } from "./sql-schema.js";
import {
  type Params,
  type Row,
  type SqlDialect,
  SqlStateStore,
  type SqlStateStoreOptions,
  type StatementName,
  statements,
} from "./sql-store.js";
import { errorMessage, StateStoreError } from "./store.js";

/**
 * Schema migrations (see `SchemaAccess.migrations`). Enumerated columns (type, status, mode) have no
 * CHECK: SQLite cannot change one without rebuilding the table, and rows are validated against the zod
 * schemas when read.
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
  // 3: the process working a run and its heartbeat (see MigrationRun), to tell a killed run from a live one.
  `
  ALTER TABLE runs ADD COLUMN host TEXT;
  ALTER TABLE runs ADD COLUMN pid INTEGER;
  ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
  `,
  // 4: the hold a run that writes keeps on the store, and the project the store belongs to (see hold.ts).
  // since and heartbeat_at are ISO 8601 UTC strings of fixed width, so text comparison is time comparison.
  `
  CREATE TABLE holds (
    holder TEXT PRIMARY KEY,
    command TEXT NOT NULL,
    shard TEXT,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    scope TEXT,
    workflow TEXT CHECK (workflow IS NULL OR json_valid(workflow)),
    since TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
  );
  CREATE TABLE project (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    zephyr_project TEXT NOT NULL,
    qtest_url TEXT NOT NULL,
    qtest_project INTEGER NOT NULL,
    recorded_at TEXT NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The transaction open on each file in this process, settled when it ends (see `SqliteDialect.transaction`). */
const transactions = new Map<string, Promise<void>>();

/** A second process (a parallel job, `ztoq status`) may hold the write lock briefly; wait rather than fail. */
const BUSY_TIMEOUT_MS = 10_000;

/** SQLite primary result codes that mean the bytes on disk are not a usable database. */
const SQLITE_CORRUPT = 11;
/** The file cannot be opened or created, whatever the retries. */
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTADB = 26;

/** Leases are measured by the process clock; lease_until is written by it, as text of fixed width. */
const SPELLING = {
  tablePrefix: "",
  // The keys come as one JSON array, each looked up in the primary key.
  keyIn: "key IN (SELECT value FROM json_each(:keys))",
  leaseNow: ":now",
  leaseEnd: ":leaseUntil",
  clockAgo: ":agoAt",
};

/** The migration state in one local SQLite file: the store that needs no server. */
export class SqliteStateStore extends SqlStateStore {
  constructor(path: string, options: SqlStateStoreOptions = {}) {
    super(new SqliteDialect(path), options);
  }
}

class SqliteDialect implements SqlDialect {
  readonly location: string;
  // A file on one runner: processes on that machine could share it, a matrix of jobs cannot.
  readonly shared = false;
  #db: DatabaseSync | undefined;
  /** The statements of the open file's schema version, each prepared once per connection, when first run. */
  #texts: Record<StatementName, string> | undefined;
  readonly #prepared = new Map<StatementName, StatementSync>();

  /** The file, however the path spells it: what transactions of this process are kept apart by. */
  readonly #file: string;

  constructor(path: string) {
    this.location = path;
    this.#file = resolve(path);
  }

  async open(): Promise<void> {
    const db = this.#connect();
    try {
      const access = schemaAccess(db, this.location);
      // Nothing may be written before the file is known to be ours: switching to WAL rewrites the header.
      await inspect(access);
      configure(db);
      await migrate(db, access);
    } catch (error) {
      db.close();
      throw asStoreError(error, this.location);
    }
    this.#use(db, SCHEMA_VERSION);
  }

  /**
   * A missing file is no store, and stays missing (nor is its directory made). A file there is opened
   * read-only: SQLite then refuses any write, though reading a WAL file still makes its -wal and -shm
   * companions when a writer has not left them behind.
   */
  async openExisting(): Promise<boolean> {
    if (!existsSync(this.location)) return false;
    refuseDirectory(this.location);
    let db: DatabaseSync;
    let version: number;
    try {
      db = new DatabaseSync(this.location, { readOnly: true, timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
      throw asStoreError(error, this.location);
    }
    try {
      version = await inspect(schemaAccess(db, this.location));
    } catch (error) {
      db.close();
      throw asStoreError(error, this.location);
    }
    if (version === 0) {
      db.close();
      return false;
    }
    this.#use(db, version);
    return true;
  }

  #use(db: DatabaseSync, version: number): void {
    this.#db = db;
    this.#texts = statementsFor(version);
    this.#prepared.clear();
  }

  async close(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    this.#texts = undefined;
    this.#prepared.clear();
    db?.close();
  }

  async all(statement: StatementName, params: Params): Promise<Row[]> {
    // Only the statements of the transaction itself may run while one is open on this file (see `transaction`).
    for (let open = transactions.get(this.#file); open; open = transactions.get(this.#file)) await open;
    return this.#run(statement, params);
  }

  #run(statement: StatementName, params: Params): Row[] {
    const db = this.#db;
    const texts = this.#texts;
    if (!db || !texts) throw new Error(`state store ${this.location} is not open`);
    let prepared = this.#prepared.get(statement);
    if (!prepared) {
      prepared = db.prepare(texts[statement]);
      // Every statement is given every value any engine's spelling may name (see `statements()`).
      prepared.setAllowUnknownNamedParameters(true);
      this.#prepared.set(statement, prepared);
    }
    return prepared.all(bind(params));
  }

  /**
   * IMMEDIATE takes the write lock first (waiting up to the busy timeout for another process's write),
   * so no other connection writes between the transaction's reads and its writes.
   *
   * Within this process, every other statement on the file waits for the transaction to end: `work`
   * awaits between its statements, and a write of another connection of this thread, meeting the lock,
   * would wait synchronously for what only this thread can release.
   */
  async transaction<T>(work: (all: (statement: StatementName, params: Params) => Promise<Row[]>) => Promise<T>): Promise<T> {
    for (let open = transactions.get(this.#file); open; open = transactions.get(this.#file)) await open;
    const db = this.#db;
    if (!db) throw new Error(`state store ${this.location} is not open`);
    let end = () => {};
    transactions.set(this.#file, new Promise<void>((resolve) => (end = resolve)));
    try {
      db.exec("BEGIN IMMEDIATE");
      try {
        const result = await work(async (statement, params) => this.#run(statement, params));
        db.exec("COMMIT");
        return result;
      } catch (error) {
        if (db.isTransaction) db.exec("ROLLBACK");
        throw error;
      }
    } finally {
      transactions.delete(this.#file);
      end();
    }
  }

  /** SQLite text holds any character, NUL included. */
  storableText(text: string): string {
    return text;
  }

  #connect(): DatabaseSync {
    checkWritablePath(this.location);
    try {
      // Connection settings only, nothing written to the file, so they may precede the inspection.
      // Foreign keys are on so that any a later migration declares are enforced from the start.
      return new DatabaseSync(this.location, { timeout: BUSY_TIMEOUT_MS, enableForeignKeyConstraints: true });
    } catch (error) {
      throw asStoreError(error, this.location);
    }
  }
}

const statementTexts = new Map<number, Record<StatementName, string>>();

/**
 * Prepared lazily (see `all`) rather than all at open: on a file of an older version, opened to be
 * read, the writes name columns it lacks, and SQLite checks columns when it prepares.
 */
function statementsFor(version: number): Record<StatementName, string> {
  let texts = statementTexts.get(version);
  if (!texts) {
    texts = statements(SPELLING, version);
    statementTexts.set(version, texts);
  }
  return texts;
}

function bind(params: Params): Record<string, SQLInputValue> {
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, bindable(value)]));
}

/** SQLite has neither lists nor booleans: a list is bound as JSON text (read with json_each), a boolean as 0 or 1. */
function bindable(value: unknown): SQLInputValue {
  if (Array.isArray(value)) return JSON.stringify(value);
  if (typeof value === "boolean") return Number(value);
  return value as SQLInputValue;
}

function schemaAccess(db: DatabaseSync, path: string): SchemaAccess {
  return {
    location: path,
    namespace: "the SQLite database",
    migrations: MIGRATIONS,
    async objects() {
      const rows = db.prepare("SELECT name, type FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'").all();
      return {
        names: rows.map((row) => String(row.name)),
        meta: rows.some((row) => row.name === "ztoq_meta" && row.type === "table"),
      };
    },
    readMeta: async () => db.prepare("SELECT key, value FROM ztoq_meta").all(),
    unusable: isCorruption,
    createMeta: async () => db.exec("CREATE TABLE IF NOT EXISTS ztoq_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
    async setMeta(key, value) {
      db.prepare("INSERT OR REPLACE INTO ztoq_meta (key, value) VALUES (?, ?)").run(key, value);
    },
    exec: async (sql) => db.exec(sql),
  };
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
async function migrate(db: DatabaseSync, access: SchemaAccess): Promise<void> {
  db.exec("BEGIN IMMEDIATE");
  try {
    await upgrade(access);
    db.exec("COMMIT");
  } catch (error) {
    // SQLite rolls back by itself after some errors (a full disk); a second ROLLBACK would mask the cause.
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
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

/**
 * What no retry mends, named before SQLite's "unable to open database file" hides it: a directory
 * where the file should be, a parent that is a file, a directory that may not be made or written to
 * (SQLite writes its -wal and -shm files beside the database). Makes the directory when it is missing.
 */
function checkWritablePath(path: string): void {
  const problem = prepareWritableFile(path, { read: true });
  if (problem) throw stateFileProblem(path, problem);
}

/** For reading: a directory, or an ancestor that is no directory, is named the same way. */
function refuseDirectory(path: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    // ENOTDIR and the like: the writable check names the ancestor at fault, and makes nothing doing so.
    const problem = prepareWritableFile(path);
    if (problem) throw stateFileProblem(path, problem);
    return;
  }
  if (isDirectory) throw stateFileProblem(path, { kind: "directory", message: "is a directory, not a file" });
}

function stateFileProblem(path: string, problem: PathProblem): StateStoreError {
  switch (problem.kind) {
    case "directory":
      return unusable(`${problem.message}: name a file in it, such as ${join(path, "state.db")}`);
    case "blocked":
      return unusable(`${problem.message}, so it cannot hold the state file`);
    default:
      return unusable(problem.message);
  }
}

function unusable(message: string): StateStoreError {
  return new StateStoreError(message, "unusable");
}

function asStoreError(error: unknown, path: string): StateStoreError {
  if (error instanceof StateStoreError) return error;
  if (isCorruption(error)) {
    return new StateStoreError(
      `${path} is not a readable SQLite database (${errorMessage(error)}); refusing to touch it`,
      "corrupt",
    );
  }
  // A file SQLite cannot open or create, its directory found writable: no retry mends that either.
  if (sqliteCode(error) === SQLITE_CANTOPEN) {
    return new StateStoreError(`SQLite cannot open or create a file there (${errorMessage(error)})`, "unusable");
  }
  return new StateStoreError(`cannot open the state store ${path}: ${errorMessage(error)}`, "unreachable");
}
