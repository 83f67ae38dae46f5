/*
 * The mock keeps each kind of object in a list ordered by id, as the NextGen cursor pages need, with
 * keyed objects also indexed by id and by key, since the API addresses them either way.
 */

export interface Keyed {
  id: number;
  key?: string | null;
}

/** Lists are sorted by id, so the next id is one past the last. */
export function nextId(list: readonly { id: number }[]): number {
  return (list.at(-1)?.id ?? 0) + 1;
}

export function index<T extends Keyed>(lookup: Map<string, T>, entity: T): void {
  lookup.set(String(entity.id), entity);
  if (entity.key) lookup.set(entity.key, entity);
}

/** Swaps in the updated object, found by id, in the list and in its index. */
export function replace<T extends Keyed>(list: T[], lookup: Map<string, T> | undefined, updated: T): void {
  list[list.findIndex((item) => item.id === updated.id)] = updated;
  if (lookup) index(lookup, updated);
}

/** The highest number of the keys `<PROJECT>-<letter><n>` in the list, so new keys continue from it. */
export function maxKeyNumber(list: readonly { key?: string | null }[], letter: string): number {
  const pattern = new RegExp(`-${letter}(\\d+)$`);
  let max = 0;
  for (const item of list) max = Math.max(max, Number(pattern.exec(item.key ?? "")?.[1] ?? 0));
  return max;
}

export function maxId(items: readonly { id?: number | null }[]): number {
  let max = 0;
  for (const item of items) max = Math.max(max, item.id ?? 0);
  return max;
}

/** Hands out the numbers after `last`: ids, or the number in a key. */
export class Sequence {
  #last: number;

  constructor(last: number) {
    this.#last = last;
  }

  next(): number {
    return ++this.#last;
  }
}
