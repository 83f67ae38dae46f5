/**
 * Children of a target container by name, listed once per container and kept up to date as the
 * run creates more: modules and test cycles have no custom fields to carry a marker, so they are
 * reconciled by (parent, name) — an existing one with the same name is adopted, never duplicated.
 */
export class NamedChildren<Parent> {
  readonly #lists = new Map<string, Promise<Map<string, number>>>();
  readonly #list: (parent: Parent) => Promise<readonly { id: number; name: string }[]>;
  readonly #keyOf: (parent: Parent) => string;

  constructor(list: (parent: Parent) => Promise<readonly { id: number; name: string }[]>, keyOf: (parent: Parent) => string) {
    this.#list = list;
    this.#keyOf = keyOf;
  }

  async find(parent: Parent, name: string): Promise<number | undefined> {
    return (await this.#children(parent)).get(name);
  }

  async remember(parent: Parent, name: string, id: number): Promise<void> {
    (await this.#children(parent)).set(name, id);
  }

  #children(parent: Parent): Promise<Map<string, number>> {
    const key = this.#keyOf(parent);
    let children = this.#lists.get(key);
    if (!children) {
      children = this.#list(parent).then((items) => new Map(items.map((item) => [item.name, item.id])));
      // A failed listing must not be cached: the next caller tries again.
      children.catch(() => this.#lists.delete(key));
      this.#lists.set(key, children);
    }
    return children;
  }
}
