import type { TestCycle, TestCycleInput, TestCycleUpdate } from "../../zephyr/schemas.js";
import type { Snapshot } from "../../zephyr/snapshot.js";
import type { Context } from "./context.js";
import { index, maxKeyNumber, nextId, replace, Sequence } from "./entity-lists.js";
import { found } from "./errors.js";

/** Test cycles, addressed by id or key. */
export class TestCycles {
  readonly #context: Context;
  readonly #list: TestCycle[];
  readonly #index = new Map<string, TestCycle>();
  readonly #keys: Sequence;

  constructor(snapshot: Snapshot, context: Context) {
    this.#context = context;
    this.#list = [...snapshot.testCycles].sort((a, b) => a.id - b.id);
    for (const cycle of this.#list) index(this.#index, cycle);
    this.#keys = new Sequence(maxKeyNumber(this.#list, "R"));
  }

  list(filter: { folderId?: number; jiraProjectVersionId?: number; updatedAfter?: number } = {}): TestCycle[] {
    const { folderId, jiraProjectVersionId, updatedAfter } = filter;
    if (folderId === undefined && jiraProjectVersionId === undefined && updatedAfter === undefined) return this.#list;
    return this.#list.filter(
      (c) =>
        (folderId === undefined || c.folder?.id === folderId) &&
        (jiraProjectVersionId === undefined || c.jiraProjectVersion?.id === jiraProjectVersionId) &&
        (updatedAfter === undefined || this.#context.updated.isAfter("testcycle", c.id, updatedAfter)),
    );
  }

  get(idOrKey: string): TestCycle {
    return found(this.#index.get(idOrKey), `Test cycle '${idOrKey}'`);
  }

  create(input: TestCycleInput): { id: number; self: string; key: string } {
    const { reference, refs, customFields, updated } = this.#context;
    reference.checkProjectKey(input.projectKey);
    const status = reference.statusByName(input.statusName, "TEST_CYCLE");
    const folder = input.folderId == null ? null : reference.folderOfType(input.folderId, "TEST_CYCLE");
    const fields = customFields.check("testcycle", input.customFields);
    const id = nextId(this.#list);
    const key = `${reference.project.key}-R${this.#keys.next()}`;
    const cycle: TestCycle = {
      id,
      key,
      name: input.name,
      project: refs.project(),
      jiraProjectVersion: input.jiraProjectVersion == null ? null : { id: input.jiraProjectVersion, self: refs.url("version") },
      status: refs.to("statuses", status),
      folder: folder && refs.to("folders", folder),
      description: input.description ?? null,
      plannedStartDate: input.plannedStartDate ?? null,
      plannedEndDate: input.plannedEndDate ?? null,
      owner: input.ownerId ? refs.user(input.ownerId) : null,
      customFields: fields,
      links: { self: refs.url(`testcycles/${key}/links`), issues: [], webLinks: [], testPlans: [] },
    };
    this.#list.push(cycle);
    index(this.#index, cycle);
    updated.touch("testcycle", id);
    return { id, self: refs.url(`testcycles/${id}`), key };
  }

  /** PUT replaces the whole object, as for test cases, except the planned dates. */
  update(idOrKey: string, input: TestCycleUpdate): void {
    const { reference, refs, customFields, updated } = this.#context;
    const current = this.get(idOrKey);
    reference.statusOfType(input.status.id, "TEST_CYCLE");
    if (input.folder) reference.folderOfType(input.folder.id, "TEST_CYCLE");
    replace(this.#list, this.#index, {
      id: current.id,
      key: current.key,
      name: input.name,
      project: current.project,
      jiraProjectVersion: input.jiraProjectVersion ?? null,
      status: refs.to("statuses", reference.status(input.status.id)),
      folder: input.folder ? refs.to("folders", reference.folder(input.folder.id)) : null,
      description: input.description ?? null,
      // The 2026 spec: missing planned dates are left as they were, unlike every other field.
      plannedStartDate: input.plannedStartDate ?? current.plannedStartDate ?? null,
      plannedEndDate: input.plannedEndDate ?? current.plannedEndDate ?? null,
      owner: input.owner ?? null,
      customFields: customFields.check("testcycle", input.customFields, { requireAll: true }),
      links: current.links,
    });
    updated.touch("testcycle", current.id);
  }

  /** Swaps in the cycle with new links: the snapshot's own objects are never changed in place. */
  setLinks(idOrKey: string, links: NonNullable<TestCycle["links"]>): void {
    replace(this.#list, this.#index, { ...this.get(idOrKey), links });
  }
}
