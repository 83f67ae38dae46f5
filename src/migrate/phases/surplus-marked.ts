import type { RunContext } from "../context.js";

/**
 * Objects of this project that carry one marker more than once (made by two overlapping runs, each
 * with a state of its own): the oldest (lowest id) stays, the others are deleted — their links go with
 * them, and the next link pass puts any missing one on the one that stays. Returns the ids that stay.
 */
export async function withoutSurplus<T extends { id: number }>(
  context: RunContext,
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
      context.log.info({ key: marker, targetId: object.id }, "a second copy in qTest: deleted, the oldest stays");
      await remove(object.id);
    }
  }
  return kept;
}
