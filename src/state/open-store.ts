import { PostgresStateStore } from "./postgres-store.js";
import { SqliteStateStore } from "./sqlite-store.js";
import { type StateStore, StateStoreError } from "./store.js";

const SQLITE_PREFIX = "sqlite:";
const POSTGRES = /^postgres(ql)?:\/\//i;
/** Any other `scheme://`; a Windows drive (`C:\…`) has no `//` and stays a path. */
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The store a `--state` location names: `sqlite:PATH` or a plain path for the embedded file,
 * `postgres://…` for a shared database. Choosing a default location is the caller's job.
 */
export function createStateStore(location: string): StateStore {
  // The store's location, and any error it raises, leave out the password the URL may carry.
  if (POSTGRES.test(location)) return new PostgresStateStore(location);
  const path = location.startsWith(SQLITE_PREFIX) ? location.slice(SQLITE_PREFIX.length) : location;
  if (path === "") throw new StateStoreError(`the state location ${JSON.stringify(location)} names no file`, "unreachable");
  // `sqlite://x.db` would silently mean `/x.db`; the URL spelling is refused rather than guessed at.
  if (location.startsWith(`${SQLITE_PREFIX}//`)) {
    throw new StateStoreError(
      `write the state location as sqlite:PATH (sqlite:state/ztoq.db, sqlite:/abs/ztoq.db), not ${JSON.stringify(location)}`,
      "unreachable",
    );
  }
  if (URL_LIKE.test(path)) {
    throw new StateStoreError(
      `unsupported state location ${JSON.stringify(path.slice(0, path.indexOf("://") + 3))}: use a SQLite path or postgres://…`,
      "unreachable",
    );
  }
  return new SqliteStateStore(path);
}
