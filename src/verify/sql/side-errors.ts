/**
 * What a database error means for the check: the settings are wrong (bad input, exit 2: a login refused,
 * no such database, table or column, a condition or query that does not parse), or the database could
 * not be used now (exit 3: unreachable, shut down, connection lost; safe to re-run). Messages name the
 * side by its description and never carry a password.
 */
import { BadInputError, ExitCode, ZtoqError } from "../../errors.js";
import { NAME_CODES, NETWORK_CODES } from "../../network-codes.js";
import { type Location, redact } from "./location.js";

function field(error: unknown, name: string): unknown {
  return typeof error === "object" && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // AggregateError (every address of a host refused) carries the reasons inside.
  const inner = field(error, "errors");
  if (text === "" && Array.isArray(inner) && inner.length > 0) return messageOf(inner[0]);
  return text.replaceAll(/\s+/g, " ").trim();
}

/** A PostgreSQL error, for the side `what` (`the source postgres://h:5432/db`). */
export function postgresFailure(error: unknown, what: string, location: Location): ZtoqError {
  if (error instanceof ZtoqError) return error;
  const state = field(error, "code");
  const code = typeof state === "string" ? state : "";
  const text = redact(messageOf(error), location);
  if (code === "28P01" || code === "28000")
    return new BadInputError(`sql check: ${what} refused the login (${text}); check the user and password`);
  if (code === "3D000") return new BadInputError(`sql check: ${what}: ${text}`);
  if (
    NETWORK_CODES.has(code) ||
    NAME_CODES.has(code) ||
    /^(08|57|53)/.test(code) ||
    /timeout|terminated|ECONNREFUSED|not support SSL/i.test(text)
  ) {
    return new ZtoqError(`sql check: cannot reach ${what}: ${text || code} (safe to re-run)`, ExitCode.incomplete);
  }
  // Other SQLSTATEs of classes 22 (data), 42 (syntax, names, privileges): the settings' SQL or names.
  if (/^(22|42)/.test(code)) return new BadInputError(`sql check: ${what}: ${text}`);
  return new ZtoqError(`sql check: ${what} failed: ${text || code} (safe to re-run)`, ExitCode.incomplete);
}

/** A SQLite error, for the side `what`. */
export function sqliteFailure(error: unknown, what: string, location: Location): ZtoqError {
  if (error instanceof ZtoqError) return error;
  const text = redact(messageOf(error), location);
  const errcode = field(error, "errcode");
  // SQLITE_BUSY (5), SQLITE_LOCKED (6), SQLITE_IOERR (10): the file is in use or cannot be read now.
  if (errcode === 5 || errcode === 6 || (typeof errcode === "number" && (errcode & 0xff) === 10)) {
    return new ZtoqError(`sql check: ${what} could not be read now: ${text} (safe to re-run)`, ExitCode.incomplete);
  }
  return new BadInputError(`sql check: ${what}: ${text}`);
}
