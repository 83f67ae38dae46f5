/** The kinds of object `updatedAfter` filters, and custom fields belong to. */
export type Kind = "testcase" | "testcycle" | "testexecution" | "testplan";

/** Zephyr exposes no updated timestamp; the mock keeps one so `updatedAfter` can work. */
export class UpdatedAt {
  readonly #at = new Map<string, number>();
  readonly #clock: () => number;

  constructor(clock: () => number) {
    this.#clock = clock;
  }

  /** Marks the object changed now; `at` sets a given instant instead (a snapshot's objects, on load). */
  touch(kind: Kind, id: number, at = this.#clock()): void {
    this.#at.set(`${kind}:${id}`, at);
  }

  isAfter(kind: Kind, id: number, after: number): boolean {
    return (this.#at.get(`${kind}:${id}`) ?? 0) > after;
  }
}
