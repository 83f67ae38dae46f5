import pg from "pg";
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

/** Written into `ztoq.ztoq_meta` so ZTOQ's schema can be told apart from anyone else's `ztoq` schema. */
export const APPLICATION_ID = "ztoq-state";

/**
 * Everything ZTOQ keeps lives in this schema: a shared database is normal for PostgreSQL, so other
 * schemas (and `public`) may hold anything, and only this one has to be ZTOQ's.
 */
export const SCHEMA = "ztoq";

/**
 * Schema migrations, applied in order; the schema version is how many have been applied. Append only:
 * a released step never changes, because stores out there already ran it. Every name is qualified with
 * the schema, so nothing depends on the connection's search_path.
 *
 * Text that is compared or ordered (keys, names) is `COLLATE "C"`: byte order, which for UTF-8 is code
 * point order, the order the SQLite store lists in, whatever the database's default collation. The
 * enumerated columns (type, status, mode) have no CHECK, like the SQLite store's: rows are validated
 * against the zod schemas when read. Timestamps come from the process clock (see `now()`), except lease
 * ends, which come from the server's: shards on several machines must agree on when a lease runs out.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE ${SCHEMA}.entities (
    type text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    hash text,
    target_id bigint,
    status text COLLATE "C" NOT NULL,
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error text,
    -- json rather than jsonb: it keeps the text written, as the SQLite store does, and accepts \\u0000.
    data json CHECK (data IS NULL OR json_typeof(data) = 'object'),
    run_id text NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (type, key)
  );
  -- key is spelled out so a status-filtered page is read in key order straight from the index.
  CREATE INDEX entities_type_status ON ${SCHEMA}.entities (type, status, key);

  -- seq orders runs by when they were started: two runs can share a millisecond timestamp.
  CREATE TABLE ${SCHEMA}.runs (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text COLLATE "C" NOT NULL UNIQUE,
    mode text NOT NULL,
    status text NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz,
    summary json CHECK (summary IS NULL OR json_typeof(summary) = 'object')
  );

  CREATE TABLE ${SCHEMA}.watermarks (
    name text COLLATE "C" PRIMARY KEY,
    value text NOT NULL,
    updated_at timestamptz NOT NULL
  );
  `,
  // 2: leases, for shards working one store. Nullable columns without a default are a catalog change
  // only: no table rewrite, whatever the number of records; existing records read as never claimed.
  `
  ALTER TABLE ${SCHEMA}.entities ADD COLUMN owner text COLLATE "C", ADD COLUMN lease_until timestamptz;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The transaction-level advisory lock every `open()` takes before it looks at the schema ("ztoqstat" as
 * a 64-bit integer). Advisory locks are per database, so stores in other databases never wait on it.
 */
const MIGRATION_LOCK = "8823800102984638836";
/** How long an `open()` waits for another one's migration (or for a table lock a migration needs). */
const MIGRATION_LOCK_TIMEOUT = "60s";

const SERIALIZATION_FAILURE = "40001";
/** Each attempt has a newer snapshot than the last, so a second one almost always does; more are spare. */
const SERIALIZATION_ATTEMPTS = 5;

/** A few connections: enough for a page read while writes go on, few enough for a shared server. */
const POOL_SIZE = 4;
const CONNECT_TIMEOUT_MS = 10_000;
/** Rows per `list()` query: bounded memory on 100k records, few enough round trips to stay fast. */
const PAGE_SIZE = 500;
/** Keys per `getMany()` query: one array parameter, so no parameter limit, but a bounded result. */
const ANY_CHUNK = 1_000;

const ENTITY_COLUMNS = `type, key, hash, target_id AS "targetId", status, attempts, last_error AS "lastError", data,
  run_id AS "runId", updated_at AS "updatedAt", owner, lease_until AS "leaseUntil"`;
const RUN_COLUMNS = `id, mode, status, started_at AS "startedAt", finished_at AS "finishedAt", summary`;

/**
 * Unnamed statements only: named (server-side prepared) statements break behind PgBouncer in transaction
 * mode, a usual way to share a PostgreSQL server, and these statements are cheap to plan.
 */
const SQL = {
  get: `SELECT ${ENTITY_COLUMNS} FROM ${SCHEMA}.entities WHERE type = $1 AND key = $2`,
  getMany: `SELECT ${ENTITY_COLUMNS} FROM ${SCHEMA}.entities WHERE type = $1 AND key = ANY($2::text[])`,
  page: `SELECT ${ENTITY_COLUMNS} FROM ${SCHEMA}.entities WHERE type = $1 AND key > $2 ORDER BY key LIMIT ${PAGE_SIZE}`,
  pageByStatus: `SELECT ${ENTITY_COLUMNS} FROM ${SCHEMA}.entities
    WHERE type = $1 AND status = $3 AND key > $2 ORDER BY key LIMIT ${PAGE_SIZE}`,
  // One statement each: an upsert is atomic, so two stores writing one record never lose an attempt.
  beginCreate: `INSERT INTO ${SCHEMA}.entities AS e (type, key, status, attempts, run_id, updated_at)
    VALUES ($1, $2, 'creating', 1, $3, $4)
    ON CONFLICT (type, key) DO UPDATE SET
      status = 'creating', attempts = e.attempts + 1, run_id = excluded.run_id, updated_at = excluded.updated_at`,
  // $6 distinguishes "no data given" (keep what an earlier phase stored) from an explicit null.
  recordDone: `INSERT INTO ${SCHEMA}.entities AS e (type, key, hash, target_id, status, attempts, data, run_id, updated_at)
    VALUES ($1, $2, $3, $4, 'done', 0, $5::json, $7, $8)
    ON CONFLICT (type, key) DO UPDATE SET
      status = 'done', hash = excluded.hash, target_id = excluded.target_id, last_error = NULL,
      data = CASE WHEN $6::boolean THEN e.data ELSE excluded.data END,
      run_id = excluded.run_id, updated_at = excluded.updated_at, lease_until = NULL`,
  // target_id survives: the object may exist in qTest, and the next run must update it rather than duplicate it.
  recordFailure: `INSERT INTO ${SCHEMA}.entities AS e (type, key, status, attempts, last_error, run_id, updated_at)
    VALUES ($1, $2, 'failed', 0, $3, $4, $5)
    ON CONFLICT (type, key) DO UPDATE SET
      status = 'failed', last_error = excluded.last_error, run_id = excluded.run_id, updated_at = excluded.updated_at,
      lease_until = NULL`,
  recordSkipped: `INSERT INTO ${SCHEMA}.entities AS e (type, key, status, attempts, last_error, run_id, updated_at)
    VALUES ($1, $2, 'skipped', 0, $3, $4, $5)
    ON CONFLICT (type, key) DO UPDATE SET
      status = 'skipped', last_error = excluded.last_error, run_id = excluded.run_id, updated_at = excluded.updated_at,
      lease_until = NULL`,
  /**
   * The lease is decided by this one statement. A new key is inserted (granted); the unique index lets
   * only one of several concurrent inserts in, and the others wait for it and take the ON CONFLICT
   * path. On conflict the row is locked, and under READ COMMITTED the WHERE is evaluated on its latest
   * committed version (after waiting for any transaction updating it): of concurrent claims, the first to
   * lock the row takes the lease, and the others then see a running lease of another owner and update
   * nothing. A row is returned only when the lease was granted. "Now" is the server's clock_timestamp(),
   * read when the row is decided, so every shard measures leases by the same clock.
   */
  claim: `INSERT INTO ${SCHEMA}.entities AS e (type, key, status, attempts, run_id, updated_at, owner, lease_until)
    VALUES ($1, $2, 'pending', 0, $5, $6, $3, clock_timestamp() + $4::double precision * interval '1 millisecond')
    ON CONFLICT (type, key) DO UPDATE SET
      owner = excluded.owner, lease_until = clock_timestamp() + $4::double precision * interval '1 millisecond',
      run_id = excluded.run_id, updated_at = excluded.updated_at
    WHERE e.status NOT IN ('done', 'skipped') AND (e.lease_until IS NULL OR e.lease_until < clock_timestamp() OR e.owner = excluded.owner)
    RETURNING 1 AS granted`,
  /**
   * Why a claim was refused, in a statement of its own: the claim's statement cannot say, because its
   * snapshot predates a row a concurrent claim inserted (and the claim waited for), so it would not see
   * that row. A new statement has a new snapshot, which does.
   */
  claimRefused: `SELECT status FROM ${SCHEMA}.entities WHERE type = $1 AND key = $2`,
  // Atomic for the same reason: if another owner took the expired lease first, the WHERE no longer holds.
  release: `UPDATE ${SCHEMA}.entities SET lease_until = NULL, updated_at = $4
    WHERE type = $1 AND key = $2 AND owner = $3 AND lease_until IS NOT NULL`,
  remove: `DELETE FROM ${SCHEMA}.entities WHERE type = $1 AND key = $2`,
  counts: `SELECT type, status, count(*)::integer AS n FROM ${SCHEMA}.entities GROUP BY type, status`,
  countsByOwner: `SELECT owner, type, status, count(*)::integer AS n FROM ${SCHEMA}.entities GROUP BY owner, type, status`,
  startRun: `INSERT INTO ${SCHEMA}.runs (id, mode, status, started_at) VALUES ($1, $2, 'running', $3) RETURNING ${RUN_COLUMNS}`,
  finishRun: `UPDATE ${SCHEMA}.runs SET status = $2, finished_at = $3, summary = $4::json WHERE id = $1`,
  lastRun: `SELECT ${RUN_COLUMNS} FROM ${SCHEMA}.runs ORDER BY seq DESC LIMIT 1`,
  getWatermark: `SELECT value FROM ${SCHEMA}.watermarks WHERE name = $1`,
  setWatermark: `INSERT INTO ${SCHEMA}.watermarks (name, value, updated_at) VALUES ($1, $2, $3)
    ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
};

type Row = Record<string, unknown>;

/** Where the store connects, as the driver resolves it (URL, then PG* environment variables, then defaults). */
interface Target {
  user: string | undefined;
  host: string;
  port: number;
  database: string | undefined;
  /** Every spelling of the password that could turn up in a message, to be blanked out. */
  secrets: string[];
}

export interface PostgresStateStoreOptions {
  /** How long to wait for the server to accept a connection; 10 s unless told. */
  connectTimeoutMs?: number;
}

/** The migration state in a (shared) PostgreSQL database, in the `ztoq` schema. */
export class PostgresStateStore implements StateStore {
  /** `user@host:port/database`: the URL without its password. */
  readonly location: string;
  readonly shared = true;
  readonly #url: string;
  readonly #target: Target;
  readonly #connectTimeoutMs: number;
  #pool: pg.Pool | undefined;
  #opening: Promise<void> | undefined;

  constructor(url: string, options: PostgresStateStoreOptions = {}) {
    this.#url = url;
    this.#target = resolveTarget(url);
    this.location = describeTarget(this.#target);
    this.#connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  }

  async open(): Promise<void> {
    if (this.#pool) return;
    this.#opening ??= this.#open().finally(() => {
      this.#opening = undefined;
    });
    return this.#opening;
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  async get(type: RecordedType, key: string): Promise<EntityRecord | undefined> {
    const { rows } = await this.#query(SQL.get, [type, key]);
    return rows[0] ? this.#entity(rows[0]) : undefined;
  }

  async getMany(type: RecordedType, keys: readonly string[]): Promise<Map<string, EntityRecord>> {
    this.#openPool();
    const found = new Map<string, EntityRecord>();
    const unique = [...new Set(keys)];
    for (let start = 0; start < unique.length; start += ANY_CHUNK) {
      const { rows } = await this.#query(SQL.getMany, [type, unique.slice(start, start + ANY_CHUNK)]);
      for (const row of rows) {
        const record = this.#entity(row);
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
    let after = "";
    for (;;) {
      const { rows } =
        options.status === undefined
          ? await this.#query(SQL.page, [type, after])
          : await this.#query(SQL.pageByStatus, [type, after, options.status]);
      const page = rows.map((row) => this.#entity(row));
      yield* page;
      const last = page.at(-1);
      if (last === undefined || page.length < PAGE_SIZE) return;
      after = last.key;
    }
  }

  async beginCreate(type: RecordedType, key: string, runId: string): Promise<void> {
    await this.#query(SQL.beginCreate, [type, key, runId, now()]);
  }

  async recordDone(
    type: RecordedType,
    key: string,
    result: { targetId: number; hash: string | null; data?: Record<string, unknown> | null; runId: string },
  ): Promise<void> {
    await this.#query(SQL.recordDone, [
      type,
      key,
      result.hash,
      result.targetId,
      toJson(result.data ?? null),
      result.data === undefined,
      result.runId,
      now(),
    ]);
  }

  async recordFailure(type: RecordedType, key: string, error: string, runId: string): Promise<void> {
    await this.#query(SQL.recordFailure, [type, key, withoutNul(error), runId, now()]);
  }

  async recordSkipped(type: RecordedType, key: string, reason: string, runId: string): Promise<void> {
    await this.#query(SQL.recordSkipped, [type, key, withoutNul(reason), runId, now()]);
  }

  async claim(type: RecordedType, key: string, owner: string, leaseMs: number, runId: string): Promise<ClaimOutcome> {
    checkClaim(owner, leaseMs);
    // A record removed between a refused claim and the look at it is claimed again; a second pass settles it.
    for (let pass = 0; pass < 3; pass++) {
      const { rowCount } = await this.#query(SQL.claim, [type, key, owner, leaseMs, runId, now()]);
      if (rowCount) return "granted";
      const { rows } = await this.#query(SQL.claimRefused, [type, key]);
      if (rows[0]) return FINISHED_STATUSES.includes(rows[0].status as EntityStatus) ? "done" : "held";
    }
    return "held";
  }

  async release(type: RecordedType, key: string, owner: string): Promise<void> {
    await this.#query(SQL.release, [type, key, owner, now()]);
  }

  async remove(type: RecordedType, key: string): Promise<void> {
    await this.#query(SQL.remove, [type, key]);
  }

  async counts(): Promise<StatusCounts> {
    return countRows((await this.#query(SQL.counts)).rows, this.location);
  }

  async countsByOwner(): Promise<OwnerCounts[]> {
    return countRowsByOwner((await this.#query(SQL.countsByOwner)).rows, this.location);
  }

  async startRun(run: { id: string; mode: RunRecord["mode"] }): Promise<RunRecord> {
    const { rows } = await this.#query(SQL.startRun, [run.id, run.mode, now()]);
    if (!rows[0]) throw new Error(`${this.location}: run ${run.id} was not recorded`);
    return this.#run(rows[0]);
  }

  async finishRun(id: string, result: { status: RunRecord["status"]; summary: Record<string, unknown> | null }): Promise<void> {
    const { rowCount } = await this.#query(SQL.finishRun, [id, result.status, now(), toJson(result.summary)]);
    if (!rowCount) throw new Error(`${this.location}: no run ${JSON.stringify(id)} to finish`);
  }

  async lastRun(): Promise<RunRecord | undefined> {
    const { rows } = await this.#query(SQL.lastRun);
    return rows[0] ? this.#run(rows[0]) : undefined;
  }

  async getWatermark(name: string): Promise<string | undefined> {
    const { rows } = await this.#query(SQL.getWatermark, [name]);
    const value = rows[0]?.value;
    return typeof value === "string" ? value : undefined;
  }

  async setWatermark(name: string, value: string): Promise<void> {
    await this.#query(SQL.setWatermark, [name, value, now()]);
  }

  async #open(): Promise<void> {
    const pool = new pg.Pool({
      connectionString: this.#url,
      max: POOL_SIZE,
      connectionTimeoutMillis: this.#connectTimeoutMs,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: "ztoq",
      // A forgotten close() must not keep a CLI process alive.
      allowExitOnIdle: true,
    });
    // An idle connection the server drops (restart, idle timeout) is reported here; the pool discards it
    // and the next query connects again. Without a listener the 'error' event would end the process.
    pool.on("error", () => {});
    try {
      const client = await pool.connect();
      let broken = false;
      try {
        await migrate(client, this.location);
      } catch (error) {
        // The connection may be mid-transaction or dead: discard it rather than return it to the pool.
        broken = true;
        throw error;
      } finally {
        client.release(broken);
      }
    } catch (error) {
      await pool.end().catch(() => {});
      throw asOpenError(error, this.#target, this.location);
    }
    this.#pool = pool;
  }

  #openPool(): pg.Pool {
    if (!this.#pool) throw new Error(`state store ${this.location} is not open`);
    return this.#pool;
  }

  /**
   * Every statement runs alone, in a transaction of its own. Under READ COMMITTED (the usual default) a
   * write that meets a row changed since its snapshot waits for the change and goes on with the latest
   * version; under a stricter server default (REPEATABLE READ, SERIALIZABLE) it fails with a serialization
   * failure instead, as two shards claiming one entity would see. Nothing of the failed statement stays,
   * so it is run again, with a new snapshot, which is what READ COMMITTED would have done.
   */
  async #query(text: string, values?: unknown[]): Promise<pg.QueryResult<Row>> {
    const pool = this.#openPool();
    for (let attempt = 1; ; attempt++) {
      try {
        return await pool.query<Row>(text, values);
      } catch (error) {
        if (sqlState(error) === SERIALIZATION_FAILURE && attempt < SERIALIZATION_ATTEMPTS) continue;
        throw connectionError(error, this.#target) ?? error;
      }
    }
  }

  #entity(row: Row): EntityRecord {
    const input = {
      ...row,
      targetId: fromBigint(row.targetId),
      updatedAt: fromTimestamp(row.updatedAt),
      leaseUntil: fromTimestamp(row.leaseUntil),
    };
    return validated(entityRecordSchema, input, this.location, "an entity row");
  }

  #run(row: Row): RunRecord {
    const input = { ...row, startedAt: fromTimestamp(row.startedAt), finishedAt: fromTimestamp(row.finishedAt) };
    return validated(runRecordSchema, input, this.location, "a run row");
  }
}

/**
 * Applies pending migrations in one transaction that first takes a transaction-level advisory lock, so
 * several jobs opening a new database at once migrate exactly once: the first creates the schema, the
 * others wait on the lock, then find it up to date. READ COMMITTED is spelled out because the inspection
 * must see what the lock holder committed; under REPEATABLE READ (a possible server default) the snapshot
 * would predate the wait. Nothing is written before the schema is known to be ZTOQ's or absent.
 */
async function migrate(client: pg.PoolClient, location: string): Promise<void> {
  await client.query("BEGIN ISOLATION LEVEL READ COMMITTED");
  try {
    await client.query(`SET LOCAL lock_timeout = '${MIGRATION_LOCK_TIMEOUT}'`);
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    const found = await inspect(client, location);
    if (found.version < SCHEMA_VERSION) await applyMigrations(client, found);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

interface Inspection {
  schemaExists: boolean;
  version: number;
}

/**
 * Classifies the `ztoq` schema without writing: absent or empty (a new store, perhaps a schema created
 * for ZTOQ by an administrator), a ZTOQ store this code can migrate, or something to refuse.
 */
async function inspect(client: pg.PoolClient, location: string): Promise<Inspection> {
  const schema = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [SCHEMA]);
  if (schema.rowCount === 0) return { schemaExists: false, version: 0 };
  const { rows: objects } = await client.query<{ name: string; kind: string }>(
    `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 ORDER BY c.relname`,
    [SCHEMA],
  );
  if (objects.length === 0) return { schemaExists: true, version: 0 };
  if (!objects.some((object) => object.name === "ztoq_meta" && ["r", "p", "v"].includes(object.kind))) {
    const names = objects.map((object) => object.name).slice(0, 5);
    throw new StateStoreError(
      `${location}: the schema "${SCHEMA}" holds ${names.join(", ")} and no ztoq_meta table, so it is not a ZTOQ state store; refusing to touch it`,
      "foreign",
    );
  }
  return { schemaExists: true, version: await storedVersion(client, location) };
}

async function storedVersion(client: pg.PoolClient, location: string): Promise<number> {
  let rows: { key: string; value: string }[];
  try {
    ({ rows } = await client.query(`SELECT key::text AS key, value::text AS value FROM ${SCHEMA}.ztoq_meta`));
  } catch (error) {
    if (sqlState(error) === "42501" || connectionError(error) !== undefined) throw error;
    throw new StateStoreError(
      `${location}: "${SCHEMA}.ztoq_meta" is not ZTOQ's (${errorMessage(error)}); refusing to touch it`,
      "foreign",
    );
  }
  const meta = new Map(rows.map((row) => [row.key, row.value]));
  if (meta.get("application") !== APPLICATION_ID) {
    throw new StateStoreError(
      `${location}: "${SCHEMA}.ztoq_meta" belongs to ${JSON.stringify(meta.get("application") ?? null)}, not ${APPLICATION_ID}; refusing to touch it`,
      "foreign",
    );
  }
  const version = Number(meta.get("schema_version"));
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new StateStoreError(
      `${location} is a ZTOQ state store without a valid schema version (${JSON.stringify(meta.get("schema_version") ?? null)})`,
      "corrupt",
    );
  }
  if (version > SCHEMA_VERSION) {
    throw new StateStoreError(
      `${location} has state schema version ${version}, but this ZTOQ knows up to version ${SCHEMA_VERSION}; it was written by a newer ZTOQ, upgrade to use it`,
      "newer",
    );
  }
  return version;
}

async function applyMigrations(client: pg.PoolClient, found: Inspection): Promise<void> {
  // Only when missing: CREATE SCHEMA IF NOT EXISTS still needs the CREATE privilege on the database, which
  // a user given a ready-made schema may not have.
  if (!found.schemaExists) await client.query(`CREATE SCHEMA ${SCHEMA}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.ztoq_meta (key text COLLATE "C" PRIMARY KEY, value text NOT NULL)`);
  const setMeta = `INSERT INTO ${SCHEMA}.ztoq_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`;
  await client.query(setMeta, ["application", APPLICATION_ID]);
  for (const step of MIGRATIONS.slice(found.version)) await client.query(step);
  await client.query(setMeta, ["schema_version", String(SCHEMA_VERSION)]);
}

/** The connection the driver would make, resolved without connecting; a malformed URL is refused here. */
function resolveTarget(url: string): Target {
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: url });
  } catch (error) {
    // The URL is left out of the message: it may carry a password.
    const detail = error instanceof Error ? error.message.replaceAll(url, "***") : "";
    throw new StateStoreError(`the PostgreSQL state location is not a valid URL (${detail})`, "unreachable");
  }
  const secrets = new Set<string>();
  for (const secret of [client.password, urlPassword(url)]) {
    if (typeof secret === "string" && secret !== "") {
      secrets.add(secret);
      secrets.add(encodeURIComponent(secret));
    }
  }
  return {
    user: client.user || undefined,
    host: client.host,
    port: client.port,
    database: client.database || undefined,
    secrets: [url, ...[...secrets].sort((a, b) => b.length - a.length)],
  };
}

function urlPassword(url: string): string | undefined {
  try {
    return new URL(url).password;
  } catch {
    return undefined;
  }
}

function address(target: Target): string {
  // An IPv6 address is bracketed so the port stays readable; a Unix socket directory is left as it is.
  const host = target.host.includes(":") && !target.host.startsWith("/") ? `[${target.host}]` : target.host;
  return `${host}:${target.port}`;
}

function describeTarget(target: Target): string {
  return `${target.user === undefined ? "" : `${target.user}@`}${address(target)}/${target.database ?? ""}`;
}

/** Node's codes for a server that cannot be reached or that went away. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EPIPE",
  "EADDRNOTAVAIL",
  "ENOENT", // a Unix socket that is not there
]);
const NAME_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME"]);
/** SQLSTATEs of a server that is there but will not serve now: shutting down, starting, full. */
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/**
 * A `StateStoreError` for an error that means the server cannot be used at all (unreachable, or the
 * login refused), with the password blanked out; undefined for any other error.
 */
function connectionError(error: unknown, target?: Target): StateStoreError | undefined {
  if (error instanceof StateStoreError) return error;
  const code = errorCode(error);
  const state = sqlState(error);
  const message = errorMessage(error);
  const text = target ? redact(message, target) : message;
  const where = target ? `PostgreSQL at ${address(target)}` : "PostgreSQL";
  const login = target ? `${target.user ?? "(no user)"}@${target.host}` : "the user";
  if (state === "28P01" || state === "28000") {
    return new StateStoreError(`${where} refused to log in ${login}: ${text}; check the user and password`, "credentials");
  }
  if (state === "3D000") {
    const database = JSON.stringify(target?.database ?? null);
    return new StateStoreError(
      `${where} has no database ${database} (${text}); create it or fix the state location`,
      "credentials",
    );
  }
  if (code !== undefined && NAME_CODES.has(code)) {
    return new StateStoreError(`cannot reach ${where}: the host ${target?.host ?? ""} is not found (${text})`, "unreachable");
  }
  if (
    (code !== undefined && NETWORK_CODES.has(code)) ||
    state?.startsWith("08") ||
    (state !== undefined && UNAVAILABLE_STATES.has(state)) ||
    /timeout|Connection terminated|server does not support SSL/i.test(message)
  ) {
    const detail = /timeout/i.test(message) ? `no answer within the connect timeout (${text})` : text;
    return new StateStoreError(`cannot reach ${where}: ${detail}`, "unreachable");
  }
  return undefined;
}

function asOpenError(error: unknown, target: Target, location: string): StateStoreError {
  const known = connectionError(error, target);
  if (known) return known;
  const text = redact(errorMessage(error), target);
  if (sqlState(error) === "42501") {
    return new StateStoreError(`${location}: ${target.user ?? "the user"} lacks a privilege ZTOQ needs (${text})`, "credentials");
  }
  if (sqlState(error) === "55P03") {
    return new StateStoreError(
      `${location}: another ZTOQ held the schema migration lock for over ${MIGRATION_LOCK_TIMEOUT} (${text})`,
      "unreachable",
    );
  }
  return new StateStoreError(`cannot open the state store ${location}: ${text}`, "unreachable");
}

function redact(text: string, target: Target): string {
  let redacted = text;
  for (const secret of target.secrets) redacted = redacted.replaceAll(secret, "***");
  return redacted;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/** The server's SQLSTATE, from a `DatabaseError` only (Node's own codes are not five-character states). */
function sqlState(error: unknown): string | undefined {
  return error instanceof pg.DatabaseError ? error.code : undefined;
}

/** Timestamps come from the process clock, the same one the rest of ZTOQ (and the SQLite store) uses. */
function now(): string {
  return new Date().toISOString();
}

function toJson(value: Record<string, unknown> | null): string | null {
  return value === null ? null : JSON.stringify(value);
}

/** PostgreSQL text cannot hold NUL; an error message (perhaps quoting a response body) may. */
function withoutNul(text: string): string {
  return text.replaceAll("\u0000", "\uFFFD");
}

/** The driver returns bigint as a string, so that nothing is rounded without asking. Ids fit a double. */
function fromBigint(value: unknown): unknown {
  return typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
}

/** The driver returns timestamptz as a Date; the records carry ISO 8601 strings, as the SQLite store's do. */
function fromTimestamp(value: unknown): unknown {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : value;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
