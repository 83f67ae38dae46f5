/** The objects that sit in the project's tree, named as qTest names them in `parentType`. */
export type NodeKind =
  | "module"
  | "test-case"
  | "test-cycle"
  | "test-suite"
  | "test-run"
  | "test-log"
  | "requirement-module"
  | "requirement";

/**
 * A place in the tree: a node, the project root (id 0), or a release. The mock holds no releases,
 * but qTest accepts `parentType=release`, so a release can be named as a parent all the same.
 */
export interface Ref {
  type: NodeKind | "root" | "release";
  id: number;
}

export const ROOT: Ref = { type: "root", id: 0 };

const key = (ref: Ref) => `${ref.type}:${ref.id}`;

/**
 * Who holds whom in one qTest project: root → modules → modules/test cases, and root or a release →
 * test cycles → test cycles/test suites → test runs → test logs. It knows placement only; the
 * records live in their collections, and each collection says, through `onRemove`, what goes when
 * one of its nodes is removed. Children keep the order they were placed in (a move places anew).
 */
export class ContainerTree {
  readonly #parents = new Map<string, Ref>();
  /** Children per parent and kind, so lists and counts never scan a whole project. */
  readonly #children = new Map<string, Map<NodeKind, Set<number>>>();
  readonly #removers = new Map<NodeKind, ((id: number) => void)[]>();

  /** Registers what removing a node of `kind` must also clear: its record, an index, related objects. */
  onRemove(kind: NodeKind, remover: (id: number) => void): void {
    this.#removers.set(kind, [...(this.#removers.get(kind) ?? []), remover]);
  }

  place(kind: NodeKind, id: number, parent: Ref): void {
    this.#parents.set(key({ type: kind, id }), parent);
    const byKind = this.#children.get(key(parent)) ?? new Map<NodeKind, Set<number>>();
    byKind.set(kind, (byKind.get(kind) ?? new Set<number>()).add(id));
    this.#children.set(key(parent), byKind);
  }

  move(kind: NodeKind, id: number, parent: Ref): void {
    this.#detach({ type: kind, id });
    this.place(kind, id, parent);
  }

  parent(kind: NodeKind, id: number): Ref {
    return this.#parents.get(key({ type: kind, id })) ?? ROOT;
  }

  children(kind: NodeKind, parent: Ref): number[] {
    return [...(this.#children.get(key(parent))?.get(kind) ?? [])];
  }

  count(kind: NodeKind, parent: Ref): number {
    return this.#children.get(key(parent))?.get(kind)?.size ?? 0;
  }

  isEmpty(ref: Ref): boolean {
    return [...(this.#children.get(key(ref))?.values() ?? [])].every((ids) => ids.size === 0);
  }

  /** `ref` and the containers above it, nearest first, up to (not including) the root. */
  lineage(ref: Ref): Ref[] {
    const chain: Ref[] = [];
    for (let at: Ref | undefined = ref; at && at.type !== "root"; at = this.#parents.get(key(at))) chain.push(at);
    return chain;
  }

  /** Removes the node and everything below it, calling each kind's removers. */
  remove(kind: NodeKind, id: number): void {
    const doomed: Ref[] = [{ type: kind, id }];
    for (let i = 0; i < doomed.length; i++) {
      for (const [childKind, ids] of this.#children.get(key(doomed[i] as Ref)) ?? []) {
        for (const childId of ids) doomed.push({ type: childKind, id: childId });
      }
    }
    for (const node of doomed) {
      this.#detach(node);
      this.#children.delete(key(node));
      for (const remover of this.#removers.get(node.type as NodeKind) ?? []) remover(node.id);
    }
  }

  #detach(node: Ref): void {
    const parent = this.#parents.get(key(node));
    const siblings = parent && this.#children.get(key(parent))?.get(node.type as NodeKind);
    siblings?.delete(node.id);
    this.#parents.delete(key(node));
  }
}
