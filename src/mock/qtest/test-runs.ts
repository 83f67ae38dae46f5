import type { TestRun, TestRunInput } from "../../qtest/schemas.js";
import { runContainer, runDestination, runListParent } from "./containers.js";
import { QTestApiError } from "./errors.js";
import { statusName, UNEXECUTED } from "./execution-statuses.js";
import type { LogRecord, RunRecord } from "./records.js";
import { apiUrl, iso, portalUrl, type Site } from "./site.js";
import type { TestCases } from "./test-cases.js";

/** Test runs: one version of a test case, placed under the root, a cycle or a suite, holding its logs. */
export class TestRuns {
  readonly #site: Site;
  readonly #testCases: TestCases;

  constructor(site: Site, testCases: TestCases) {
    this.#site = site;
    this.#testCases = testCases;
    site.tree.onRemove("test-run", (id) => site.records.testRuns.delete(id));
  }

  /** `expand` lists every run below the parent, at any depth, instead of its direct children. */
  list(parentId: number | undefined, parentType: string | undefined, expand: boolean): TestRun[] {
    const { records, tree } = this.#site;
    const parent = runListParent(this.#site, parentId, parentType);
    if (!expand) return tree.children("test-run", parent).map((id) => this.render(records.testRuns.get(id)));
    const within = (run: RunRecord): boolean =>
      parent.type === "root" ||
      tree.lineage(tree.parent("test-run", run.id)).some((a) => a.type === parent.type && a.id === parent.id);
    return records.testRuns
      .values()
      .filter(within)
      .map((r) => this.render(r));
  }

  get(id: number): TestRun {
    return this.render(this.#site.records.testRuns.get(id));
  }

  /** A run pins the test case's current version; naming an older one is refused. */
  create(input: TestRunInput, parentId: number | undefined, parentType: string | undefined): TestRun {
    const { records, tree, fields } = this.#site;
    const parent = runContainer(this.#site, parentId, parentType);
    const testCase = this.#testCases.get(String(input.test_case.id));
    const versionId = input.test_case_version_id ?? testCase.versionId;
    if (versionId !== testCase.versionId) {
      throw new QTestApiError(400, `test_case_version_id ${versionId} is not a version of test case ${testCase.id}.`);
    }
    const props = fields.merge("test-runs", input.properties ?? [], new Map());
    const record = records.testRuns.add(() => ({
      name: input.name ?? testCase.name,
      order: tree.count("test-run", parent) + 1,
      testCaseId: testCase.id,
      testCaseVersionId: versionId,
      props,
    }));
    tree.place("test-run", record.id, parent);
    return this.render(record);
  }

  update(id: number, input: Partial<TestRunInput>, parentId?: number, parentType?: string): TestRun {
    const { records, tree, fields } = this.#site;
    const record = records.testRuns.get(id);
    if (parentId !== undefined || parentType !== undefined) {
      // qTest ignores the body when the run is moved.
      tree.move("test-run", id, runDestination(this.#site, parentId, parentType));
    } else {
      if (input.name !== undefined) record.name = input.name;
      if (input.properties) record.props = fields.merge("test-runs", input.properties, record.props);
    }
    records.testRuns.touch(record);
    return this.render(record);
  }

  /** Its logs go with it. */
  delete(id: number): void {
    this.#site.records.testRuns.get(id);
    this.#site.tree.remove("test-run", id);
  }

  latestLog(runId: number): LogRecord | undefined {
    const id = this.#site.tree.children("test-log", { type: "test-run", id: runId }).at(-1);
    return id === undefined ? undefined : this.#site.records.testLogs.find(id);
  }

  render(r: RunRecord): TestRun {
    const { records, tree, fields, users } = this.#site;
    const testCase = records.testCases.find(r.testCaseId);
    const parent = tree.parent("test-run", r.id);
    const latest = this.latestLog(r.id);
    const props = new Map(r.props);
    // A run's Status is computed by qTest from its latest log.
    props.set(4001, String(latest?.statusId ?? UNEXECUTED));
    return {
      links: [{ rel: "self", href: apiUrl(this.#site, `test-runs/${r.id}`) }],
      id: r.id,
      pid: r.pid,
      name: r.name,
      order: r.order,
      parentId: parent.id,
      parentType: parent.type as TestRun["parentType"],
      test_case: { id: r.testCaseId, pid: testCase?.pid, name: testCase?.name },
      testCaseId: r.testCaseId,
      test_case_version_id: r.testCaseVersionId,
      creator_id: users[0]?.id,
      properties: fields.render("test-runs", props),
      created_date: iso(r.created),
      last_modified_date: iso(r.modified),
      web_url: portalUrl(this.#site, `project#tab=testexecution&object=3&id=${r.id}`),
      ...(latest && {
        latest_test_log: {
          id: latest.id,
          status: statusName(latest.statusId),
          exe_start_date: latest.exeStart,
          exe_end_date: latest.exeEnd,
        },
      }),
    };
  }
}
