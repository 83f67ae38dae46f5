import type { TestSuite, TestSuiteInput } from "../../qtest/schemas.js";
import { cycleContainer, cycleListParent } from "./containers.js";
import type { SuiteRecord } from "./records.js";
import { apiUrl, iso, portalUrl, type Site } from "./site.js";

/** Test suites: under the root or a test cycle, holding test runs. */
export class TestSuites {
  readonly #site: Site;

  constructor(site: Site) {
    this.#site = site;
    site.tree.onRemove("test-suite", (id) => site.records.testSuites.delete(id));
  }

  list(parentId: number | undefined, parentType: string | undefined): TestSuite[] {
    const { records, tree } = this.#site;
    const parent = cycleListParent(this.#site, parentId, parentType);
    return tree.children("test-suite", parent).map((id) => this.render(records.testSuites.get(id)));
  }

  get(id: number): TestSuite {
    return this.render(this.#site.records.testSuites.get(id));
  }

  create(input: TestSuiteInput, parentId: number | undefined, parentType: string | undefined): TestSuite {
    const { records, tree, fields } = this.#site;
    const parent = cycleContainer(this.#site, parentId, parentType);
    const props = fields.merge("test-suites", input.properties ?? [], new Map());
    const record = records.testSuites.add(() => ({
      name: input.name,
      order: tree.count("test-suite", parent) + 1,
      props,
    }));
    tree.place("test-suite", record.id, parent);
    return this.render(record);
  }

  /** With a parent the suite moves and the body is ignored. */
  update(id: number, input: Partial<TestSuiteInput>, parentId?: number, parentType?: string): TestSuite {
    const { records, tree, fields } = this.#site;
    const record = records.testSuites.get(id);
    if (parentId !== undefined || parentType !== undefined) {
      tree.move("test-suite", id, cycleContainer(this.#site, parentId, parentType));
    } else {
      if (input.name !== undefined) record.name = input.name;
      if (input.properties) record.props = fields.merge("test-suites", input.properties, record.props);
    }
    records.testSuites.touch(record);
    return this.render(record);
  }

  /** Its runs go with it. */
  delete(id: number): void {
    this.#site.records.testSuites.get(id);
    this.#site.tree.remove("test-suite", id);
  }

  render(s: SuiteRecord): TestSuite {
    const parent = this.#site.tree.parent("test-suite", s.id);
    return {
      links: [{ rel: "self", href: apiUrl(this.#site, `test-suites/${s.id}`) }],
      id: s.id,
      pid: s.pid,
      name: s.name,
      parentId: parent.id,
      parentType: parent.type as TestSuite["parentType"],
      order: s.order,
      created_date: iso(s.created),
      last_modified_date: iso(s.modified),
      properties: this.#site.fields.render("test-suites", s.props),
      web_url: portalUrl(this.#site, `project#tab=testexecution&object=3&id=${s.id}`),
    };
  }
}
