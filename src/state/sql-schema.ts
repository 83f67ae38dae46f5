import { errorMessage, StateStoreError } from "./store.js";

/** Written into `ztoq_meta` so a ZTOQ store can be told apart from anyone else's database or schema. */
export const APPLICATION_ID = "ztoq-state";

/** What inspecting and migrating a store needs from its engine, on the one connection that opens it. */
export interface SchemaAccess {
  readonly location: string;
  /** What holds ZTOQ's tables, for messages: `the SQLite database`, `the schema "ztoq"`. */
  readonly namespace: string;
  /**
   * The engine's schema migrations, applied in order; the schema version is how many have been applied.
   * Append only: a released step never changes, because stores out there already ran it.
   */
  readonly migrations: readonly string[];
  /** The objects in the namespace (none when it does not exist), and whether a ztoq_meta table is one of them. */
  objects(): Promise<{ names: string[]; meta: boolean }>;
  /** The `key, value` rows of ztoq_meta. */
  readMeta(): Promise<readonly Readonly<Record<string, unknown>>[]>;
  /** Whether an error reading ztoq_meta means the store cannot be read at all (corrupt, unreachable, not allowed). */
  unusable(error: unknown): boolean;
  /** Creates the namespace and ztoq_meta where missing. */
  createMeta(): Promise<void>;
  setMeta(key: string, value: string): Promise<void>;
  exec(sql: string): Promise<void>;
}

/**
 * Classifies a store without writing to it: empty (a new store), a ZTOQ store this code can migrate,
 * or something to refuse. Returns the schema version (0 for an empty store).
 */
export async function inspect(access: SchemaAccess): Promise<number> {
  const { location, namespace } = access;
  const objects = await access.objects();
  if (objects.names.length === 0) return 0;
  if (!objects.meta) {
    const names = objects.names.slice(0, 5).join(", ");
    throw new StateStoreError(
      `${location}: ${namespace} is not a ZTOQ state store (it holds ${names} and no ztoq_meta table); refusing to touch it`,
      "foreign",
    );
  }
  let rows: Awaited<ReturnType<SchemaAccess["readMeta"]>>;
  try {
    rows = await access.readMeta();
  } catch (error) {
    if (access.unusable(error)) throw error;
    throw new StateStoreError(
      `${location}: the ztoq_meta table in ${namespace} is not ZTOQ's (${errorMessage(error)}); refusing to touch it`,
      "foreign",
    );
  }
  const meta = new Map(rows.map((row) => [String(row.key), String(row.value)]));
  const application = JSON.stringify(meta.get("application") ?? null);
  if (meta.get("application") !== APPLICATION_ID) {
    throw new StateStoreError(
      `${location}: the ztoq_meta table in ${namespace} belongs to ${application}, not ${APPLICATION_ID}; refusing to touch it`,
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
  const known = access.migrations.length;
  if (version > known) {
    throw new StateStoreError(
      `${location} has state schema version ${version}, but this ZTOQ knows up to version ${known}; it was written by a newer ZTOQ, upgrade to use it`,
      "newer",
    );
  }
  return version;
}

/**
 * Applies the pending migrations. The caller holds the transaction (and lock) that makes several
 * processes opening one new store at once migrate it exactly once: the others wait, then find nothing to do.
 */
export async function upgrade(access: SchemaAccess): Promise<void> {
  const from = await inspect(access);
  if (from >= access.migrations.length) return;
  await access.createMeta();
  await access.setMeta("application", APPLICATION_ID);
  for (const step of access.migrations.slice(from)) await access.exec(step);
  await access.setMeta("schema_version", String(access.migrations.length));
}
