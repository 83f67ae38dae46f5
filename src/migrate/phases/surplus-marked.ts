import type { RecordedType } from "../../entity-types.js";
import type { RunContext } from "../context.js";

/**
 * Objects of this project that carry one marker more than once (made by two overlapping runs, each
 * with a state of its own). With `--reconcile` the oldest (lowest id) stays and the others are
 * deleted — their links go with them, and the link passes put any missing one on the one that stays —
 * counted as pruned, as `removeSurplus` does for test cases and suites; otherwise they are kept, the
 * oldest used, and verification names them. Returns the ids that stay in use.
 */
export async function withoutSurplus<T extends { id: number }>(
  context: RunContext,
  type: RecordedType,
  objects: readonly T[],
  markerOf: (object: T) => string | null,
  remove: (id: number) => Promise<void>,
): Promise<Set<number>> {
  const byMarker = new Map<string, T[]>();
  for (const object of objects) {
    const marker = markerOf(object);
    if (marker === null) continue;
    byMarker.set(marker, [...(byMarker.get(marker) ?? []), object]);
  }
  const kept = new Set<number>();
  for (const [marker, group] of byMarker) {
    const [first, ...surplus] = [...group].sort((a, b) => a.id - b.id);
    if (first) kept.add(first.id);
    for (const object of surplus) {
      if (!context.reconcile) {
        context.log.warn({ entity: type, key: marker, targetId: object.id }, "a second copy in qTest (--reconcile deletes it)");
        continue;
      }
      await remove(object.id);
      context.tally.count(type, "pruned", `${marker} #${object.id}`, "a second copy in qTest, deleted (--reconcile)");
      context.log.info({ entity: type, key: marker, targetId: object.id }, "a second copy in qTest: deleted, the oldest stays");
    }
  }
  return kept;
}
