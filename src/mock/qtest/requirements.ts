import { z } from "zod";
import { QTEST_NAME_MAX } from "../../qtest/limits.js";
import { propertyInputSchema } from "../../qtest/schemas.js";
import type { JiraIssue } from "../../zephyr/snapshot.js";
import { QTestApiError } from "./errors.js";
import type { ExternalProperties, RequirementRecord } from "./records.js";
import { apiUrl, iso, portalUrl, type Site } from "./site.js";
import { type Ref, ROOT } from "./tree.js";

/** The body of `POST`/`PUT /requirements` (Swagger `RequirementResource`, what a client writes). */
export const requirementInputSchema = z.object({
  name: z.string().min(1).max(QTEST_NAME_MAX),
  properties: z.array(propertyInputSchema).optional(),
});
export type RequirementInput = z.infer<typeof requirementInputSchema>;

/** Where qTest's Jira integration puts the requirements it imports, at the top of the Requirements tree. */
export const JIRA_MODULE = "Jira";

/**
 * Requirements, under modules. The Requirements tab keeps a module tree of its own, which `/modules`
 * (test design) does not list; the mock makes one such module, "Jira", for the requirements qTest's
 * Jira integration imported. A requirement may also be placed under a test design module.
 */
export class Requirements {
  readonly #site: Site;

  constructor(site: Site) {
    this.#site = site;
    site.tree.onRemove("requirement", (id) => site.records.requirements.delete(id));
    site.tree.onRemove("requirement-module", (id) => site.records.requirementModules.delete(id));
  }

  /** One requirement per issue qTest already holds (`qtest !== false`), under the top-level "Jira" module. */
  importFromJira(issues: readonly JiraIssue[], jiraUrl: string): void {
    const imported = issues.filter((issue) => issue.qtest !== false);
    if (imported.length === 0) return;
    const { records, tree } = this.#site;
    const module = records.requirementModules.add(() => ({
      name: JIRA_MODULE,
      description: "Imported by the Jira integration",
      order: tree.count("requirement-module", ROOT) + 1,
    }));
    tree.place("requirement-module", module.id, ROOT);
    for (const issue of imported) {
      this.#add(
        { name: `${issue.key} ${issue.fields.summary}`.slice(0, 500) },
        { type: "requirement-module", id: module.id },
        new Map(),
        { id: issue.id, link: `${jiraUrl}/browse/${issue.key}`, unique_id: issue.id },
      );
    }
  }

  /** The Requirements tab's modules, for tests (the API lists none of them). */
  modules(): { id: number; name: string }[] {
    return this.#site.records.requirementModules.values().map((m) => ({ id: m.id, name: m.name }));
  }

  list(parentId: number | undefined): RequirementRecord[] {
    const { records, tree } = this.#site;
    if (parentId === undefined) return records.requirements.values();
    return tree.children("requirement", this.#parent(parentId)).map((id) => records.requirements.get(id));
  }

  get(id: number): RequirementRecord {
    return this.#site.records.requirements.get(id);
  }

  create(input: RequirementInput, parentId: number | undefined): RequirementRecord {
    if (parentId === undefined) throw new QTestApiError(400, "parentId is required: the module to hold the requirement.");
    const parent = this.#parent(parentId);
    const props = this.#site.fields.merge("requirements", input.properties ?? [], new Map());
    return this.#add(input, parent, props);
  }

  update(id: number, input: Partial<RequirementInput>, parentId: number | undefined): RequirementRecord {
    const { records, fields, tree } = this.#site;
    const record = this.get(id);
    const parent = parentId === undefined ? undefined : this.#parent(parentId);
    const props = input.properties ? fields.merge("requirements", input.properties, record.props) : record.props;
    if (parent) tree.move("requirement", id, parent);
    if (input.name !== undefined) record.name = input.name;
    record.props = props;
    records.requirements.touch(record);
    return record;
  }

  delete(id: number): void {
    this.#site.tree.remove("requirement", this.get(id).id);
  }

  render(r: RequirementRecord, withExternal: boolean) {
    const { fields, tree } = this.#site;
    return {
      links: [{ rel: "self", href: apiUrl(this.#site, `requirements/${r.id}`) }],
      id: r.id,
      pid: r.pid,
      name: r.name,
      order: r.order,
      parent_id: tree.parent("requirement", r.id).id,
      properties: fields.render("requirements", r.props),
      web_url: portalUrl(this.#site, `project#tab=requirements&object=5&id=${r.id}`),
      created_date: iso(r.created),
      last_modified_date: iso(r.modified),
      ...(withExternal && r.external && { external_properties: r.external }),
    };
  }

  #add(input: RequirementInput, parent: Ref, props: Map<number, string>, external?: ExternalProperties): RequirementRecord {
    const { records, tree } = this.#site;
    const record = records.requirements.add(() => ({
      name: input.name,
      order: tree.count("requirement", parent) + 1,
      props,
      ...(external && { external }),
    }));
    tree.place("requirement", record.id, parent);
    return record;
  }

  /** A requirement module, or a test design module; anything else is a 404. */
  #parent(moduleId: number): Ref {
    const { records } = this.#site;
    if (records.requirementModules.has(moduleId)) return { type: "requirement-module", id: moduleId };
    if (records.modules.has(moduleId)) return { type: "module", id: moduleId };
    throw new QTestApiError(404, `Module ${moduleId} does not exist.`);
  }
}
