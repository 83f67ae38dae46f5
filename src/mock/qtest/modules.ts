import type { Module, ModuleInput } from "../../qtest/schemas.js";
import { QTestApiError } from "./errors.js";
import type { ModuleRecord } from "./records.js";
import { apiUrl, iso, type Site } from "./site.js";
import { type Ref, ROOT } from "./tree.js";

/** Where test cases without a `parent_id` land (docs/api-notes.md Q6). */
const CREATED_VIA_API = "Created via API";

const at = (id: number): Ref => ({ type: "module", id });

/** The test design tree's folders: modules under the root or under other modules. */
export class Modules {
  readonly #site: Site;

  constructor(site: Site) {
    this.#site = site;
    site.tree.onRemove("module", (id) => site.records.modules.delete(id));
  }

  list(parentId: number | undefined, expand: boolean, search?: string): Module[] {
    const { records, tree } = this.#site;
    if (parentId !== undefined) records.modules.get(parentId);
    return tree
      .children("module", parentId === undefined ? ROOT : at(parentId))
      .map((id) => records.modules.get(id))
      .filter((m) => !search || m.name.toLowerCase().includes(search.toLowerCase()))
      .map((m) => this.#render(m, expand));
  }

  get(id: number, expand: boolean): Module {
    return this.#render(this.#site.records.modules.get(id), expand);
  }

  create(input: ModuleInput, parentId: number | undefined): Module {
    const { records, tree } = this.#site;
    const parentModule = parentId ?? input.parent_id ?? null;
    if (parentModule !== null) records.modules.get(parentModule);
    const parent = parentModule === null ? ROOT : at(parentModule);
    const record = records.modules.add(() => ({
      name: input.name,
      description: input.description ?? "",
      order: tree.count("module", parent) + 1,
    }));
    tree.place("module", record.id, parent);
    return this.#render(record, false);
  }

  /** With `parentId` the module moves and the body is ignored; without it, the body renames. */
  update(id: number, input: Partial<ModuleInput>, parentId: number | undefined): Module {
    const { records, tree } = this.#site;
    const record = records.modules.get(id);
    if (parentId !== undefined) {
      if (tree.lineage(at(parentId)).some((r) => r.type === "module" && r.id === id)) {
        throw new QTestApiError(400, "A module cannot move into itself.");
      }
      tree.move("module", id, at(parentId));
    } else {
      if (input.name !== undefined) record.name = input.name;
      if (input.description !== undefined) record.description = input.description ?? "";
    }
    records.modules.touch(record);
    return this.#render(record, false);
  }

  /** A module with submodules or test cases goes only with `force`, taking all of them with it. */
  delete(id: number, force: boolean): void {
    const { records, tree } = this.#site;
    records.modules.get(id);
    if (!force && !tree.isEmpty(at(id))) {
      throw new QTestApiError(400, `Module ${id} is not empty; delete with force=true to remove its contents.`);
    }
    tree.remove("module", id);
  }

  /** The root module test cases without a parent go to, made on first use. */
  createdViaApi(): number {
    const { records, tree } = this.#site;
    const existing = tree
      .children("module", ROOT)
      .map((id) => records.modules.get(id))
      .find((m) => m.name === CREATED_VIA_API);
    return existing?.id ?? (this.create({ name: CREATED_VIA_API }, undefined).id as number);
  }

  #render(m: ModuleRecord, expand: boolean): Module {
    const { records, tree } = this.#site;
    const parent = tree.parent("module", m.id);
    const children = expand ? tree.children("module", at(m.id)).map((id) => records.modules.get(id)) : [];
    return {
      links: [{ rel: "self", href: apiUrl(this.#site, `modules/${m.id}`) }],
      id: m.id,
      name: m.name,
      order: m.order,
      pid: m.pid,
      created_date: iso(m.created),
      last_modified_date: iso(m.modified),
      parent_id: parent.type === "root" ? null : parent.id,
      description: m.description,
      shared: false,
      ...(expand && { children: children.map((c) => this.#render(c, true)) }),
    };
  }
}
