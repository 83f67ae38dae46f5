import pg from "pg";
import { NAME_CODES, NETWORK_CODES } from "../network-codes.js";
import { errorMessage, StateStoreError } from "./store.js";

/** Where a PostgreSQL store connects, as the driver resolves it (URL, then PG* environment variables, then defaults). */
export interface PostgresConnection {
  user: string | undefined;
  host: string;
  port: number;
  database: string | undefined;
  /** Every spelling of the password that could turn up in a message, to be blanked out. */
  secrets: string[];
}

/** The connection the driver would make, resolved without connecting; a malformed URL is refused here. */
export function resolveConnection(url: string): PostgresConnection {
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

function address(connection: PostgresConnection): string {
  // An IPv6 address is bracketed so the port stays readable; a Unix socket directory is left as it is.
  const host = connection.host.includes(":") && !connection.host.startsWith("/") ? `[${connection.host}]` : connection.host;
  return `${host}:${connection.port}`;
}

/** `user@host:port/database`: the URL without its password. */
export function describeConnection(connection: PostgresConnection): string {
  return `${connection.user === undefined ? "" : `${connection.user}@`}${address(connection)}/${connection.database ?? ""}`;
}

/** SQLSTATEs of a server that is there but will not serve now: shutting down, starting, full. */
const UNAVAILABLE_STATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/**
 * A `StateStoreError` for an error that means the server cannot be used at all (unreachable, or the
 * login refused), with the password blanked out; undefined for any other error.
 */
export function connectionError(error: unknown, connection?: PostgresConnection): StateStoreError | undefined {
  if (error instanceof StateStoreError) return error;
  const code = errorCode(error);
  const state = sqlState(error);
  const message = errorMessage(error);
  const text = connection ? redact(message, connection) : message;
  const where = connection ? `PostgreSQL at ${address(connection)}` : "PostgreSQL";
  const login = connection ? `${connection.user ?? "(no user)"}@${connection.host}` : "the user";
  if (state === "28P01" || state === "28000") {
    return new StateStoreError(`${where} refused to log in ${login}: ${text}; check the user and password`, "credentials");
  }
  if (state === "3D000") {
    const database = JSON.stringify(connection?.database ?? null);
    return new StateStoreError(
      `${where} has no database ${database} (${text}); create it or fix the state location`,
      "credentials",
    );
  }
  if (code !== undefined && NAME_CODES.has(code)) {
    return new StateStoreError(`cannot reach ${where}: the host ${connection?.host ?? ""} is not found (${text})`, "unreachable");
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

export function redact(text: string, connection: PostgresConnection): string {
  let redacted = text;
  for (const secret of connection.secrets) redacted = redacted.replaceAll(secret, "***");
  return redacted;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/** The server's SQLSTATE, from a `DatabaseError` only (Node's own codes are not five-character states). */
export function sqlState(error: unknown): string | undefined {
  return error instanceof pg.DatabaseError ? error.code : undefined;
}
