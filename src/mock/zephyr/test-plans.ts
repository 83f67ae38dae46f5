import type { TestPlan } from "../../zephyr/schemas.js";
import type { Snapshot } from "../../zephyr/snapshot.js";
import type { Context } from "./context.js";
import { index, replace } from "./entity-lists.js";
import { found } from "./errors.js";

/** Test plans, addressed by id or key. The API's writes to them are their links only. */
export class TestPlans {
  readonly #context: Context;
  readonly #list: TestPlan[];
  readonly #index = new Map<string, TestPlan>();

  constructor(snapshot: Snapshot, context: Context) {
    this.#context = context;
    this.#list = [...(snapshot.testPlans ?? [])].sort((a, b) => a.id - b.id);
    for (const plan of this.#list) index(this.#index, plan);
  }

  list(filter: { updatedAfter?: number } = {}): TestPlan[] {
    const { updatedAfter } = filter;
    if (updatedAfter === undefined) return this.#list;
    return this.#list.filter((p) => this.#context.updated.isAfter("testplan", p.id, updatedAfter));
  }

  get(idOrKey: string): TestPlan {
    return found(this.#index.get(idOrKey), `Test plan '${idOrKey}'`);
  }

  /** A plan deleted in Zephyr's UI (the API has no such call): gone from the list, by id and by key. */
  remove(idOrKey: string): void {
    const plan = this.get(idOrKey);
    this.#list.splice(this.#list.indexOf(plan), 1);
    this.#index.delete(String(plan.id));
    this.#index.delete(plan.key);
  }

  /** Swaps in the plan with new links: the snapshot's own objects are never changed in place. */
  setLinks(idOrKey: string, links: NonNullable<TestPlan["links"]>): void {
    replace(this.#list, this.#index, { ...this.get(idOrKey), links });
  }
}
