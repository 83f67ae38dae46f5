import type { TestCase, TestCaseInput, TestStep, TestStepInput } from "../../qtest/schemas.js";
import { QTestApiError } from "./errors.js";
import type { Modules } from "./modules.js";
import type { StepRecord, TestCaseRecord } from "./records.js";
import { apiUrl, iso, portalUrl, type Site } from "./site.js";

/** Test cases with their steps and versions, under modules; a test case also answers to its pid. */
export class TestCases {
  readonly #site: Site;
  readonly #modules: Modules;
  readonly #byPid = new Map<string, number>();

  constructor(site: Site, modules: Modules) {
    this.#site = site;
    this.#modules = modules;
    site.tree.onRemove("test-case", (id) => {
      // The runs of a deleted test case go with it, wherever they sit.
      for (const run of site.records.testRuns.values()) if (run.testCaseId === id) site.tree.remove("test-run", run.id);
      this.#byPid.delete(site.records.testCases.get(id).pid);
      site.records.testCases.delete(id);
    });
  }

  list(parentId: number | undefined, options: { expandSteps: boolean; modifiedAfter?: number }): TestCase[] {
    const { records, tree } = this.#site;
    if (parentId !== undefined) records.modules.get(parentId);
    const candidates =
      parentId === undefined
        ? records.testCases.values()
        : tree.children("test-case", { type: "module", id: parentId }).map((id) => records.testCases.get(id));
    return candidates
      .filter((t) => options.modifiedAfter === undefined || t.modified > options.modifiedAfter)
      .map((t) => this.render(t, options.expandSteps));
  }

  get(idOrPid: string): TestCaseRecord {
    const { testCases } = this.#site.records;
    const record = testCases.find(Number(idOrPid)) ?? testCases.find(this.#byPid.get(idOrPid) ?? -1);
    if (!record) throw new QTestApiError(404, `Test case ${idOrPid} does not exist.`);
    return record;
  }

  create(input: TestCaseInput): TestCase {
    const { records, tree, fields, ids } = this.#site;
    if (input.parent_id != null) records.modules.get(input.parent_id);
    // Validate everything before anything is allocated, so a rejected create leaves no trace.
    const props = fields.merge("test-cases", input.properties ?? [], new Map());
    for (const step of input.test_steps ?? []) if (step.called_test_case_id != null) this.get(String(step.called_test_case_id));
    const parentId = input.parent_id ?? this.#modules.createdViaApi();
    const parent = { type: "module", id: parentId } as const;
    const record = records.testCases.add(() => ({
      name: input.name,
      order: tree.count("test-case", parent) + 1,
      description: input.description ?? "",
      precondition: input.precondition ?? "",
      props,
      versionId: ids.next(),
      version: 1,
      steps: (input.test_steps ?? []).map((s, i) => this.step(s, i + 1)),
    }));
    this.#byPid.set(record.pid, record.id);
    tree.place("test-case", record.id, parent);
    return this.render(record, true);
  }

  /** An update makes a new version, as qTest does; `test_steps`, when sent, replace the steps. */
  update(id: number, input: Partial<TestCaseInput>): TestCase {
    const { fields, tree, records } = this.#site;
    const record = this.get(String(id));
    if (input.parent_id !== undefined && input.parent_id !== null) {
      records.modules.get(input.parent_id);
      tree.move("test-case", record.id, { type: "module", id: input.parent_id });
    }
    if (input.name !== undefined) record.name = input.name;
    if (input.description !== undefined) record.description = input.description ?? "";
    if (input.precondition !== undefined) record.precondition = input.precondition ?? "";
    if (input.properties) record.props = fields.merge("test-cases", input.properties, record.props);
    if (input.test_steps) {
      const kept = new Set(record.steps.map((s) => s.id));
      record.steps = input.test_steps.map((s, i) => this.step(s, i + 1, s.id && kept.has(s.id) ? s.id : undefined));
    }
    this.newVersion(record);
    return this.render(record, true);
  }

  delete(id: number): void {
    this.#site.tree.remove("test-case", this.get(String(id)).id);
  }

  newVersion(record: TestCaseRecord): void {
    record.version++;
    record.versionId = this.#site.ids.next();
    this.#site.records.testCases.touch(record);
  }

  /** A step from its input; a step that calls another test case must name one that exists. */
  step(input: TestStepInput, order: number, id?: number): StepRecord {
    if (input.called_test_case_id != null) this.get(String(input.called_test_case_id));
    return {
      id: id ?? this.#site.ids.next(),
      description: input.description,
      expected: input.expected,
      order,
      ...(input.called_test_case_id != null && { calledTestCaseId: input.called_test_case_id }),
      ...(input.parameter_values != null && { parameterValues: input.parameter_values }),
    };
  }

  render(t: TestCaseRecord, withSteps: boolean): TestCase {
    const { fields, tree, users } = this.#site;
    return {
      links: [{ rel: "self", href: apiUrl(this.#site, `test-cases/${t.id}`) }],
      id: t.id,
      pid: t.pid,
      name: t.name,
      order: t.order,
      parent_id: tree.parent("test-case", t.id).id,
      description: t.description,
      precondition: t.precondition,
      properties: fields.render("test-cases", t.props),
      ...(withSteps && { test_steps: t.steps.map((s) => this.renderStep(s)) }),
      test_case_version_id: t.versionId,
      version: `0.${t.version}`,
      created_date: iso(t.created),
      last_modified_date: iso(t.modified),
      web_url: portalUrl(this.#site, `project#tab=testdesign&object=1&id=${t.id}`),
      creator_id: users[0]?.id,
    };
  }

  renderStep(s: StepRecord): TestStep {
    const called = s.calledTestCaseId === undefined ? undefined : this.#site.records.testCases.find(s.calledTestCaseId);
    return {
      links: [],
      id: s.id,
      description: s.description,
      expected: s.expected,
      order: s.order,
      attachments: [],
      ...(s.calledTestCaseId !== undefined && {
        called_test_case_id: s.calledTestCaseId,
        called_test_case_name: called?.name ?? "",
        root_called_test_case_id: s.calledTestCaseId,
      }),
      ...(s.parameterValues !== undefined && { parameter_values: s.parameterValues as TestStep["parameter_values"] }),
    };
  }
}
