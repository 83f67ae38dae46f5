/**
 * The site's numbering. qTest hands out ids from one sequence across every kind of object (a test
 * case, its version and its steps never share an id), and a pid (`TC-3`) per prefix.
 */
export class IdSequence {
  #last = 100_000;
  readonly #pids = new Map<string, number>();

  next(): number {
    return ++this.#last;
  }

  pid(prefix: string): string {
    const n = (this.#pids.get(prefix) ?? 0) + 1;
    this.#pids.set(prefix, n);
    return `${prefix}-${n}`;
  }
}
