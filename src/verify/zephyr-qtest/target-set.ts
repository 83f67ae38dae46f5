import { legacyMarkerOf } from "../../plan/markers.js";

/** What is kept of one target object between reading it and pairing it: its id, marker and a digest. */
export interface TargetRecord {
  id: number;
  /** The marker field's value; null when the object carries none. */
  marker: string | null;
}

/**
 * The compact records of one target object type, indexed by id and by marker. Pairing `take`s the
 * objects of a marker; whatever is never taken is extra.
 */
export class TargetSet<R extends TargetRecord> {
  readonly #byId = new Map<number, R>();
  readonly #byMarker = new Map<string, number[]>();
  readonly #taken = new Set<number>();

  add(record: R): void {
    if (this.#byId.has(record.id)) return;
    this.#byId.set(record.id, record);
    if (record.marker === null) return;
    const ids = this.#byMarker.get(record.marker);
    if (ids) ids.push(record.id);
    else this.#byMarker.set(record.marker, [record.id]);
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: number): R | undefined {
    return this.#byId.get(id);
  }

  markerOf(id: number): string | undefined {
    return this.#byId.get(id)?.marker ?? undefined;
  }

  /** The id of the one object carrying `marker`; undefined when none or several do. */
  uniqueId(marker: string): number | undefined {
    const ids = this.#byMarker.get(marker);
    return ids?.length === 1 ? ids[0] : undefined;
  }

  /**
   * The objects carrying `marker`, oldest (lowest id) first, marked as paired; then those carrying the
   * form an earlier ZTOQ gave that marker (`legacyMarkerOf`: `ad-hoc`, `execution-<id>`). The set holds
   * only the migrated area of one project, so where a legacy object sits ties it to the project.
   */
  takeOwn(marker: string): R[] {
    const legacy = legacyMarkerOf(marker);
    return [...this.take(marker), ...(legacy === undefined ? [] : this.take(legacy))];
  }

  /** The objects carrying `marker`, oldest (lowest id) first, marked as paired. */
  take(marker: string): R[] {
    const ids = [...(this.#byMarker.get(marker) ?? [])].sort((a, b) => a - b);
    for (const id of ids) this.#taken.add(id);
    return ids.flatMap((id) => {
      const record = this.#byId.get(id);
      return record ? [record] : [];
    });
  }

  /** Every object, taken or not. */
  values(): IterableIterator<R> {
    return this.#byId.values();
  }

  /** Objects never taken: without a marker, or with one the source does not have. */
  *leftovers(): Generator<R> {
    for (const [id, record] of this.#byId) if (!this.#taken.has(id)) yield record;
  }
}

/** A path of names as a map key (names may hold any character, so not a joined string). */
export function pathKey(path: readonly string[]): string {
  return JSON.stringify(path);
}

export function showPath(key: string): string {
  return (JSON.parse(key) as string[]).join(" / ");
}

/** A tree of named nodes, walked into `id → path` for the subtrees under `roots`. */
export function treePaths<N extends { id: number; name: string }>(
  roots: readonly N[],
  children: (node: N) => readonly N[] | null | undefined,
): Map<number, string[]> {
  const paths = new Map<number, string[]>();
  const walk = (nodes: readonly N[], parent: string[]) => {
    for (const node of nodes) {
      if (paths.has(node.id)) continue;
      const path = [...parent, node.name];
      paths.set(node.id, path);
      walk(children(node) ?? [], path);
    }
  };
  walk(roots, []);
  return paths;
}
