import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * The server the PostgreSQL tests use: the local one (trust authentication, user postgres) unless
 * ZTOQ_TEST_POSTGRES_URL names another. The URL names a database to administer from (CREATE/DROP
 * DATABASE); each test database is created next to it.
 */
export const ADMIN_URL = process.env.ZTOQ_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  name: string;
  /** Runs one statement in the test database on a connection of its own. */
  sql<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

/** A new database with a random name, so that runs (and tests) never see each other's state. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `ztoq_test_${randomBytes(8).toString("hex")}`;
  await withClient(ADMIN_URL, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = urlForDatabase(name);
  return {
    url,
    name,
    sql: async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
      withClient(url, async (client) => (await client.query<R>(text, values)).rows),
    drop: async () => {
      await withClient(ADMIN_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** The admin URL pointed at another database (which need not exist). */
export function urlForDatabase(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.href;
}

/** Runs one statement in the admin database (roles are cluster-wide, so they are made and dropped here). */
export async function adminSql(text: string, values?: unknown[]): Promise<void> {
  await withClient(ADMIN_URL, (client) => client.query(text, values));
}

/** Whether the test server answers, within a couple of seconds. */
export async function postgresAvailable(): Promise<boolean> {
  try {
    await withClient(ADMIN_URL, (client) => client.query("SELECT 1"), 2_000);
    return true;
  } catch {
    return false;
  }
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A connection the server ends (DROP DATABASE … WITH (FORCE) elsewhere) must not crash the test run.
  client.on("error", () => {});
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => {});
  }
}
