import type { TestCycle, TestCycleInput } from "../../qtest/schemas.js";
import { cycleContainer, cycleListParent } from "./containers.js";
import { QTestApiError } from "./errors.js";
import type { CycleRecord } from "./records.js";
import { apiUrl, iso, portalUrl, type Site } from "./site.js";
import type { TestSuites } from "./test-suites.js";
import type { Ref } from "./tree.js";

const at = (id: number): Ref => ({ type: "test-cycle", id });

/** Test cycles: under the root, a release or another cycle, holding cycles, suites and runs. */
export class TestCycles {
  readonly #site: Site;
  readonly #suites: TestSuites;

  constructor(site: Site, suites: TestSuites) {
    this.#site = site;
    this.#suites = suites;
    site.tree.onRemove("test-cycle", (id) => site.records.testCycles.delete(id));
  }

  list(parentId: number | undefined, parentType: string | undefined, expand: boolean): TestCycle[] {
    const { records, tree } = this.#site;
    const parent = cycleListParent(this.#site, parentId, parentType);
    return tree.children("test-cycle", parent).map((id) => this.render(records.testCycles.get(id), expand));
  }

  get(id: number, expand: boolean): TestCycle {
    return this.render(this.#site.records.testCycles.get(id), expand);
  }

  create(input: TestCycleInput, parentId: number | undefined, parentType: string | undefined): TestCycle {
    const { records, tree } = this.#site;
    const parent = cycleContainer(this.#site, parentId, parentType);
    const record = records.testCycles.add(() => ({
      name: input.name,
      description: input.description ?? "",
      order: tree.count("test-cycle", parent) + 1,
    }));
    tree.place("test-cycle", record.id, parent);
    return this.render(record, false);
  }

  /** With a parent the cycle moves and the body is ignored; without one, the body renames. */
  update(id: number, input: Partial<TestCycleInput>, parentId?: number, parentType?: string): TestCycle {
    const { records, tree } = this.#site;
    const record = records.testCycles.get(id);
    if (parentId !== undefined || parentType !== undefined) {
      const parent = cycleContainer(this.#site, parentId, parentType);
      if (tree.lineage(parent).some((r) => r.type === "test-cycle" && r.id === id)) {
        throw new QTestApiError(400, "A test cycle cannot move into itself.");
      }
      tree.move("test-cycle", id, parent);
    } else {
      if (input.name !== undefined) record.name = input.name;
      if (input.description !== undefined) record.description = input.description ?? "";
    }
    records.testCycles.touch(record);
    return this.render(record, false);
  }

  /** A cycle holding cycles, suites or runs goes only with `force`, taking all of them with it. */
  delete(id: number, force: boolean): void {
    const { records, tree } = this.#site;
    records.testCycles.get(id);
    if (!force && !tree.isEmpty(at(id))) {
      throw new QTestApiError(400, `Test cycle ${id} is not empty; delete with force=true to remove its contents.`);
    }
    tree.remove("test-cycle", id);
  }

  render(c: CycleRecord, expand: boolean): TestCycle {
    const { records, tree } = this.#site;
    const parent = tree.parent("test-cycle", c.id);
    const base = {
      links: [{ rel: "self", href: apiUrl(this.#site, `test-cycles/${c.id}`) }],
      id: c.id,
      name: c.name,
      order: c.order,
      pid: c.pid,
      created_date: iso(c.created),
      last_modified_date: iso(c.modified),
      web_url: portalUrl(this.#site, `project#tab=testexecution&object=2&id=${c.id}`),
      description: c.description,
      target_release_id: parent.type === "release" ? parent.id : null,
      target_build_id: null,
    };
    if (!expand) return base;
    return {
      ...base,
      "test-cycles": tree.children("test-cycle", at(c.id)).map((id) => this.render(records.testCycles.get(id), true)),
      "test-suites": tree.children("test-suite", at(c.id)).map((id) => this.#suites.render(records.testSuites.get(id))),
    };
  }
}
