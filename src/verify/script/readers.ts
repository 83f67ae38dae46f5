import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { BadInputError, ExitCode, ZtoqError } from "../../errors.js";
import { parseLocation, redact } from "../sql/location.js";

/** Rows fetched from a PostgreSQL cursor at a time: a script streams any table in bounded memory. */
const FETCH = 1000;

/**
 * The rows of `query`, streamed as objects, from the locations the `sql` kind takes (`postgres://…`,
 * `sqlite:PATH`, `${VAR}` references expanded); the database is opened read only where it can be.
 */
export async function* readRows(location: string, query: string, baseDir: string): AsyncGenerator<Record<string, unknown>> {
  const where = parseLocation(location, "source", baseDir);
  if (where.engine === "sqlite") {
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(where.connect, { readOnly: true });
    } catch (error) {
      throw new BadInputError(`rows(${where.display}): ${redact((error as Error).message, where)}`);
    }
    try {
      for (const row of db.prepare(query).iterate()) yield row as Record<string, unknown>;
    } catch (error) {
      throw new BadInputError(`rows(${where.display}): ${redact((error as Error).message, where)}`);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: where.connect });
  try {
    await client.connect();
  } catch (error) {
    throw new ZtoqError(`rows(${where.display}): unreachable: ${redact((error as Error).message, where)}`, ExitCode.incomplete);
  }
  try {
    await client.query("BEGIN READ ONLY");
    await client.query(`DECLARE ztoq_rows NO SCROLL CURSOR FOR ${query}`);
    for (;;) {
      const { rows } = await client.query(`FETCH ${FETCH} FROM ztoq_rows`);
      yield* rows as Record<string, unknown>[];
      if (rows.length < FETCH) break;
    }
  } catch (error) {
    if (error instanceof ZtoqError) throw error;
    throw new BadInputError(`rows(${where.display}): ${redact((error as Error).message, where)}`);
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/** A request's JSON body; anything but a 2xx answer, or a body that is not JSON, names the URL and why. */
export async function readJson(url: string, init: RequestInit = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new ZtoqError(`json(${url}): unreachable: ${(error as Error).message}`, ExitCode.incomplete);
  }
  const text = await response.text();
  if (!response.ok) throw new BadInputError(`json(${url}): HTTP ${response.status}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new BadInputError(`json(${url}): the body is not JSON`);
  }
}
