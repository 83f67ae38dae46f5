import { QTestApiError } from "./errors.js";
import type { IdSequence } from "./ids.js";

/** What every stored qTest object carries: its id and the instants it was created and last modified. */
export interface Stamped {
  id: number;
  created: number;
  modified: number;
}

/** What a record's creator supplies; the collection adds the id, the pid and the dates. */
export type Fields<R> = Omit<R, keyof Stamped | "pid">;

/**
 * The records of one kind of object, by id. Iteration follows creation order, so a list that no
 * parent narrows comes out oldest first.
 */
export class Collection<R extends Stamped> {
  readonly #records = new Map<number, R>();
  readonly #ids: IdSequence;
  readonly #clock: () => number;
  readonly #noun: string;
  readonly #pidPrefix: string | undefined;

  /** `noun` names the object in a 404 ("Test run 5 does not exist."); `pid` is the prefix of its pid, if it has one. */
  constructor(ids: IdSequence, clock: () => number, options: { noun: string; pid?: string }) {
    this.#ids = ids;
    this.#clock = clock;
    this.#noun = options.noun;
    this.#pidPrefix = options.pid;
  }

  /** Takes the id (then the pid) before `build` runs, so ids `build` allocates follow the record's own. */
  add(build: () => Fields<R>): R {
    const now = this.#clock();
    const id = this.#ids.next();
    const pid = this.#pidPrefix === undefined ? undefined : this.#ids.pid(this.#pidPrefix);
    const record = { id, ...(pid !== undefined && { pid }), created: now, modified: now, ...build() } as unknown as R;
    this.#records.set(id, record);
    return record;
  }

  get(id: number): R {
    const record = this.#records.get(id);
    if (!record) throw new QTestApiError(404, `${this.#noun} ${id} does not exist.`);
    return record;
  }

  find(id: number): R | undefined {
    return this.#records.get(id);
  }

  has(id: number): boolean {
    return this.#records.has(id);
  }

  touch(record: R): void {
    record.modified = this.#clock();
  }

  delete(id: number): void {
    this.#records.delete(id);
  }

  /** A copy, so a caller may delete while it walks the list. */
  values(): R[] {
    return [...this.#records.values()];
  }

  get size(): number {
    return this.#records.size;
  }
}

/** One page (1-based) of a list. */
export function pageOf<T>(all: readonly T[], page: number, size: number): T[] {
  return all.slice((page - 1) * size, page * size);
}
