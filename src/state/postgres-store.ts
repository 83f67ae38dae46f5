import pg from "pg";
import {
  connectionError,
  describeConnection,
  type PostgresConnection,
  redact,
  resolveConnection,
  sqlState,
} from "./postgres-connection.js";
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
 * Everything ZTOQ keeps lives in this schema: a shared database is normal for PostgreSQL, so other
 * schemas (and `public`) may hold anything, and only this one has to be ZTOQ's.
 */
export const SCHEMA = "ztoq";

/**
 * Schema migrations (see `SchemaAccess.migrations`). Every name is qualified with the schema, so nothing
 * depends on the connection's search_path.
 *
 * Text that is compared or ordered (keys, names) is `COLLATE "C"`: byte order, which for UTF-8 is code
 * point order, the order the SQLite store lists in, whatever the database's default collation. The
 * enumerated columns (type, status, mode) have no CHECK, like the SQLite store's: rows are validated
 * against the zod schemas when read. Timestamps come from the process clock (see `now()` in sql-values.ts), except lease
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
  // 3: the process working a run and its heartbeat (see MigrationRun), to tell a killed run from a live one.
  `
  ALTER TABLE ${SCHEMA}.runs ADD COLUMN host text, ADD COLUMN pid integer, ADD COLUMN heartbeat_at timestamptz;
  `,
  // 4: the hold a run that writes keeps on the store, and the project the store belongs to (see hold.ts).
  // since and heartbeat_at are the server's clock, as lease ends are.
  `
  CREATE TABLE ${SCHEMA}.holds (
    holder text COLLATE "C" PRIMARY KEY,
    command text NOT NULL,
    shard text,
    host text NOT NULL,
    pid integer NOT NULL,
    scope text,
    workflow json CHECK (workflow IS NULL OR json_typeof(workflow) = 'object'),
    since timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL
  );
  CREATE TABLE ${SCHEMA}.project (
    id integer PRIMARY KEY CHECK (id = 1),
    zephyr_project text NOT NULL,
    qtest_url text NOT NULL,
    qtest_project bigint NOT NULL,
    recorded_at timestamptz NOT NULL
  );
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

/**
 * The transaction-level advisory lock every hold decision takes ("ztoqhold"), so decisions on one
 * database happen one at a time: each then reads what the one before it committed.
 */
const HOLD_LOCK = "8823800102799764580";
/** How long a hold decision waits for another one (each takes milliseconds) before the run gives up. */
const HOLD_LOCK_TIMEOUT = "30s";

const SERIALIZATION_FAILURE = "40001";
/** Each attempt has a newer snapshot than the last, so a second one almost always does; more are spare. */
const SERIALIZATION_ATTEMPTS = 5;

/** A few connections: enough for a page read while writes go on, few enough for a shared server. */
const POOL_SIZE = 4;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Unnamed statements only: named (server-side prepared) statements break behind PgBouncer in transaction
 * mode, a usual way to share a PostgreSQL server, and these statements are cheap to plan.
 */
const SPELLING = {
  tablePrefix: `${SCHEMA}.`,
  keyIn: "key = ANY(:keys::text[])",
  // The server's clock, read when the row is decided, so every shard measures leases by the same clock.
  leaseNow: "clock_timestamp()",
  leaseEnd: "clock_timestamp() + :leaseMs::double precision * interval '1 millisecond'",
  clockAgo: "clock_timestamp() - :agoMs::double precision * interval '1 millisecond'",
};

const statementTexts = new Map<number, Record<StatementName, { text: string; names: string[] }>>();

/** The statements for a store of this schema version (only reads are run on an older one). */
function statementsFor(version: number): Record<StatementName, { text: string; names: string[] }> {
  let texts = statementTexts.get(version);
  if (!texts) {
    texts = positional(statements(SPELLING, version));
    statementTexts.set(version, texts);
  }
  return texts;
}

export interface PostgresStateStoreOptions extends SqlStateStoreOptions {
  /** How long to wait for the server to accept a connection; 10 s unless told. */
  connectTimeoutMs?: number;
}

/** The migration state in a (shared) PostgreSQL database, in the `ztoq` schema. */
export class PostgresStateStore extends SqlStateStore {
  constructor(url: string, options: PostgresStateStoreOptions = {}) {
    super(new PostgresDialect(url, options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS), options);
  }
}

class PostgresDialect implements SqlDialect {
  /** `user@host:port/database`: the URL without its password. */
  readonly location: string;
  readonly shared = true;
  readonly #url: string;
  readonly #connection: PostgresConnection;
  readonly #connectTimeoutMs: number;
  #pool: pg.Pool | undefined;
  #statements: Record<StatementName, { text: string; names: string[] }> = statementsFor(SCHEMA_VERSION);

  constructor(url: string, connectTimeoutMs: number) {
    this.#url = url;
    this.#connection = resolveConnection(url);
    this.location = describeConnection(this.#connection);
    this.#connectTimeoutMs = connectTimeoutMs;
  }

  async open(): Promise<void> {
    const pool = this.#newPool(false);
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
      throw asOpenError(error, this.#connection, this.location);
    }
    this.#pool = pool;
    this.#statements = statementsFor(SCHEMA_VERSION);
  }

  /**
   * An absent or empty `ztoq` schema is no store, and stays absent: nothing is created, no lock taken.
   * Every session is read-only (default_transaction_read_only), so the server refuses any write too.
   */
  async openExisting(): Promise<boolean> {
    const pool = this.#newPool(true);
    let version: number;
    try {
      const client = await pool.connect();
      try {
        version = await inspect(schemaAccess(client, this.location));
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => {});
      throw asOpenError(error, this.#connection, this.location);
    }
    if (version === 0) {
      await pool.end();
      return false;
    }
    this.#pool = pool;
    this.#statements = statementsFor(version);
    return true;
  }

  #newPool(readOnly: boolean): pg.Pool {
    const pool = new pg.Pool({
      connectionString: this.#url,
      max: POOL_SIZE,
      connectionTimeoutMillis: this.#connectTimeoutMs,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: "ztoq",
      // A forgotten close() must not keep a CLI process alive.
      allowExitOnIdle: true,
      ...(readOnly && { options: "-c default_transaction_read_only=on" }),
    });
    // An idle connection the server drops (restart, idle timeout) is reported here; the pool discards it
    // and the next query connects again. Without a listener the 'error' event would end the process.
    pool.on("error", () => {});
    return pool;
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  /**
   * Every statement runs alone, in a transaction of its own. Under READ COMMITTED (the usual default) a
   * write that meets a row changed since its snapshot waits for the change and goes on with the latest
   * version; under a stricter server default (REPEATABLE READ, SERIALIZABLE) it fails with a serialization
   * failure instead, as two shards claiming one entity would see. Nothing of the failed statement stays,
   * so it is run again, with a new snapshot, which is what READ COMMITTED would have done.
   */
  async all(statement: StatementName, params: Params): Promise<Row[]> {
    const pool = this.#pool;
    if (!pool) throw new Error(`state store ${this.location} is not open`);
    const { text, names } = this.#statements[statement];
    const values = names.map((name) => params[name]);
    for (let attempt = 1; ; attempt++) {
      try {
        return (await pool.query<Row>(text, values)).rows;
      } catch (error) {
        if (sqlState(error) === SERIALIZATION_FAILURE && attempt < SERIALIZATION_ATTEMPTS) continue;
        throw connectionError(error, this.#connection) ?? error;
      }
    }
  }

  /**
   * One connection, READ COMMITTED (each statement sees what was committed before it, which a stricter
   * server default would not), the advisory lock first: a decision waits for the one before it, then
   * reads what it committed. The lock goes with the transaction, so a process that dies mid-decision
   * holds nothing once the server notices the connection gone.
   */
  async transaction<T>(work: (all: (statement: StatementName, params: Params) => Promise<Row[]>) => Promise<T>): Promise<T> {
    const pool = this.#pool;
    if (!pool) throw new Error(`state store ${this.location} is not open`);
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw connectionError(error, this.#connection) ?? error;
    }
    let broken = false;
    try {
      await client.query("BEGIN ISOLATION LEVEL READ COMMITTED");
      await client.query(`SET LOCAL lock_timeout = '${HOLD_LOCK_TIMEOUT}'`);
      await client.query(`SELECT pg_advisory_xact_lock(${HOLD_LOCK})`);
      const result = await work(async (statement, params) => {
        const { text, names } = this.#statements[statement];
        return (
          await client.query<Row>(
            text,
            names.map((name) => params[name]),
          )
        ).rows;
      });
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw connectionError(error, this.#connection) ?? error;
    } finally {
      client.release(broken);
    }
  }

  /** PostgreSQL text cannot hold NUL; an error message (perhaps quoting a response body) may. */
  storableText(text: string): string {
    return text.replaceAll("\u0000", "\uFFFD");
  }
}

/**
 * The statements with PostgreSQL's `$n` for each `:name`, and the names in `$n` order. A `::type` cast
 * is not a parameter.
 */
function positional(texts: Record<StatementName, string>): Record<StatementName, { text: string; names: string[] }> {
  const compile = (sql: string) => {
    const names: string[] = [];
    const text = sql.replace(/(?<![:\w]):(\w+)/g, (_, name: string) => {
      if (!names.includes(name)) names.push(name);
      return `$${names.indexOf(name) + 1}`;
    });
    return { text, names };
  };
  const entries = Object.entries(texts).map(([name, sql]) => [name, compile(sql)]);
  return Object.fromEntries(entries) as Record<StatementName, { text: string; names: string[] }>;
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
    await upgrade(schemaAccess(client, location));
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** An absent or empty `ztoq` schema (perhaps made for ZTOQ by an administrator) is a new store. */
function schemaAccess(client: pg.PoolClient, location: string): SchemaAccess {
  return {
    location,
    namespace: `the schema "${SCHEMA}"`,
    migrations: MIGRATIONS,
    async objects() {
      const { rows } = await client.query<{ name: string; kind: string }>(
        `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 ORDER BY c.relname`,
        [SCHEMA],
      );
      const meta = rows.some((row) => row.name === "ztoq_meta" && ["r", "p", "v"].includes(row.kind));
      return { names: rows.map((row) => row.name), meta };
    },
    readMeta: async () => (await client.query(`SELECT key::text AS key, value::text AS value FROM ${SCHEMA}.ztoq_meta`)).rows,
    unusable: (error) => sqlState(error) === "42501" || connectionError(error) !== undefined,
    async createMeta() {
      // Only when missing: CREATE SCHEMA IF NOT EXISTS still needs the CREATE privilege on the database,
      // which a user given a ready-made schema may not have.
      const schema = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [SCHEMA]);
      if (schema.rowCount === 0) await client.query(`CREATE SCHEMA ${SCHEMA}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${SCHEMA}.ztoq_meta (key text COLLATE "C" PRIMARY KEY, value text NOT NULL)`,
      );
    },
    async setMeta(key, value) {
      await client.query(
        `INSERT INTO ${SCHEMA}.ztoq_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [key, value],
      );
    },
    async exec(sql) {
      await client.query(sql);
    },
  };
}

function asOpenError(error: unknown, connection: PostgresConnection, location: string): StateStoreError {
  const known = connectionError(error, connection);
  if (known) return known;
  const text = redact(errorMessage(error), connection);
  if (sqlState(error) === "42501") {
    return new StateStoreError(
      `${location}: ${connection.user ?? "the user"} lacks a privilege ZTOQ needs (${text})`,
      "credentials",
    );
  }
  if (sqlState(error) === "55P03") {
    return new StateStoreError(
      `${location}: another ZTOQ held the schema migration lock for over ${MIGRATION_LOCK_TIMEOUT} (${text})`,
      "unreachable",
    );
  }
  return new StateStoreError(`cannot open the state store ${location}: ${text}`, "unreachable");
}
