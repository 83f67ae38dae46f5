import { toZephyrDateTime } from "../../zephyr/datetime.js";
import type {
  TestCase,
  TestCaseInput,
  TestCaseUpdate,
  TestScript,
  TestScriptInput,
  TestStep,
  TestStepsInput,
} from "../../zephyr/schemas.js";
import type { Snapshot } from "../../zephyr/snapshot.js";
import type { Context } from "./context.js";
import { maxId, maxKeyNumber, nextId, replace, Sequence } from "./entity-lists.js";
import { found, ZephyrApiError } from "./errors.js";

type InlineStep = NonNullable<TestStep["inline"]>;

/** Test cases, each with either test steps or a test script. */
export class TestCases {
  readonly #context: Context;
  readonly #list: TestCase[];
  readonly #byKey = new Map<string, TestCase>();
  readonly #byId = new Map<number, TestCase>();
  readonly #steps = new Map<string, TestStep[]>();
  readonly #scripts = new Map<string, TestScript>();
  readonly #stepIds: Sequence;
  readonly #scriptIds: Sequence;
  readonly #keys: Sequence;

  constructor(snapshot: Snapshot, context: Context, stepIds: Sequence) {
    this.#context = context;
    this.#list = [...snapshot.testCases].sort((a, b) => a.id - b.id);
    for (const testCase of this.#list) {
      this.#byKey.set(testCase.key, testCase);
      this.#byId.set(testCase.id, testCase);
    }
    for (const [key, steps] of Object.entries(snapshot.testSteps)) this.#steps.set(key, steps);
    for (const [key, script] of Object.entries(snapshot.testScripts)) this.#scripts.set(key, script);
    this.#stepIds = stepIds;
    this.#scriptIds = new Sequence(maxId([...this.#scripts.values()]));
    this.#keys = new Sequence(maxKeyNumber(this.#list, "T"));
  }

  list(filter: { folderId?: number; updatedAfter?: number } = {}): TestCase[] {
    const { folderId, updatedAfter } = filter;
    if (folderId === undefined && updatedAfter === undefined) return this.#list;
    return this.#list.filter(
      (t) =>
        (folderId === undefined || t.folder?.id === folderId) &&
        (updatedAfter === undefined || this.#context.updated.isAfter("testcase", t.id, updatedAfter)),
    );
  }

  get(key: string): TestCase {
    return found(this.#byKey.get(key), `Test case '${key}'`);
  }

  byId(id: number): TestCase | undefined {
    return this.#byId.get(id);
  }

  steps(key: string): TestStep[] {
    this.get(key);
    const script = this.#scripts.get(key);
    if (script) {
      throw new ZephyrApiError(422, `Test case '${key}' has a ${script.type} test script, not test steps.`);
    }
    return this.#steps.get(key) ?? [];
  }

  /** The inline steps only: what an execution of the test case has steps for. */
  inlineSteps(key: string): InlineStep[] {
    return (this.#steps.get(key) ?? []).flatMap((s) => (s.inline ? [s.inline] : []));
  }

  script(key: string): TestScript {
    this.get(key);
    return found(this.#scripts.get(key), `Test script of test case '${key}'`);
  }

  create(input: TestCaseInput): { id: number; self: string; key: string } {
    const { reference, refs, customFields, updated, clock } = this.#context;
    reference.checkProjectKey(input.projectKey);
    // Every check before the key is taken: a rejected create leaves no gap in the keys.
    const priority = reference.priorityByName(input.priorityName);
    const status = reference.statusByName(input.statusName, "TEST_CASE");
    const folder = input.folderId == null ? null : reference.folderOfType(input.folderId, "TEST_CASE");
    const fields = customFields.check("testcase", input.customFields);
    const id = nextId(this.#list);
    const key = `${reference.project.key}-T${this.#keys.next()}`;
    const testCase: TestCase = {
      id,
      key,
      name: input.name,
      project: refs.project(),
      createdOn: toZephyrDateTime(clock()),
      objective: input.objective ?? null,
      precondition: input.precondition ?? null,
      estimatedTime: input.estimatedTime ?? null,
      labels: input.labels ?? [],
      component: input.componentId == null ? null : { id: input.componentId, self: refs.url("components") },
      priority: refs.to("priorities", priority),
      status: refs.to("statuses", status),
      folder: folder && refs.to("folders", folder),
      owner: input.ownerId ? refs.user(input.ownerId) : null,
      testScript: { self: refs.url(`testcases/${key}/testscript`) },
      customFields: fields,
      links: { self: refs.url(`testcases/${key}/links`), issues: [], webLinks: [] },
    };
    this.#list.push(testCase);
    this.#byKey.set(key, testCase);
    this.#byId.set(id, testCase);
    updated.touch("testcase", id);
    return { id, self: refs.url(`testcases/${key}`), key };
  }

  /** PUT replaces the whole object: what the body leaves out is cleared, as the API documents. */
  update(key: string, input: TestCaseUpdate): void {
    const { reference, refs, customFields, updated } = this.#context;
    const current = this.get(key);
    if (input.key !== undefined && input.key !== key) throw new ZephyrApiError(400, "The key of a test case cannot change.");
    reference.priority(input.priority.id);
    reference.statusOfType(input.status.id, "TEST_CASE");
    if (input.folder) reference.folderOfType(input.folder.id, "TEST_CASE");
    const next: TestCase = {
      id: current.id,
      key: current.key,
      name: input.name,
      project: current.project,
      createdOn: current.createdOn,
      objective: input.objective ?? null,
      precondition: input.precondition ?? null,
      estimatedTime: input.estimatedTime ?? null,
      labels: input.labels ?? [],
      component: input.component ?? null,
      priority: refs.to("priorities", reference.priority(input.priority.id)),
      status: refs.to("statuses", reference.status(input.status.id)),
      folder: input.folder ? refs.to("folders", reference.folder(input.folder.id)) : null,
      owner: input.owner ?? null,
      testScript: current.testScript,
      customFields: customFields.check("testcase", input.customFields, { requireAll: true }),
      links: current.links,
    };
    replace(this.#list, undefined, next);
    this.#byKey.set(key, next);
    this.#byId.set(next.id, next);
    updated.touch("testcase", next.id);
  }

  /** Steps arrive in at most 100 per request; posting steps removes a script, as the API does. */
  addSteps(key: string, input: TestStepsInput): { id: number; self: string } {
    const { refs, updated } = this.#context;
    const testCase = this.get(key);
    for (const item of input.items) {
      if (item.testCase) this.get(item.testCase.testCaseKey);
    }
    const existing = input.mode === "APPEND" && !this.#scripts.has(key) ? (this.#steps.get(key) ?? []) : [];
    const added: TestStep[] = input.items.map((item) =>
      item.inline
        ? {
            id: this.#stepIds.next(),
            inline: {
              description: item.inline.description ?? null,
              testData: item.inline.testData ?? null,
              expectedResult: item.inline.expectedResult ?? null,
              customFields: item.inline.customFields ?? {},
              reflectRef: null,
            },
          }
        : {
            id: this.#stepIds.next(),
            testCase: {
              self: refs.url(`testcases/${item.testCase?.testCaseKey}`),
              testCaseKey: item.testCase?.testCaseKey ?? "",
              parameters: item.testCase?.parameters ?? [],
            },
          },
    );
    this.#scripts.delete(key);
    this.#steps.set(key, [...existing, ...added]);
    updated.touch("testcase", testCase.id);
    return { id: testCase.id, self: refs.url(`testcases/${key}/teststeps`) };
  }

  /** Posting a script removes the steps, as the API does. */
  setScript(key: string, input: TestScriptInput): { id: number; self: string } {
    const testCase = this.get(key);
    const id = this.#scriptIds.next();
    this.#scripts.set(key, { id, type: input.type, text: input.text });
    this.#steps.delete(key);
    this.#context.updated.touch("testcase", testCase.id);
    return { id, self: this.#context.refs.url(`testcases/${key}/testscript`) };
  }

  /** Swaps in the test case with new links: the snapshot's own objects are never changed in place. */
  setLinks(key: string, links: NonNullable<TestCase["links"]>): void {
    const next = { ...this.get(key), links };
    replace(this.#list, undefined, next);
    this.#byKey.set(next.key, next);
    this.#byId.set(next.id, next);
  }

  /**
   * Not an API operation (Zephyr Scale Cloud has no delete): lets a test make a test case
   * disappear from the source between two migration runs.
   */
  remove(key: string): void {
    const testCase = this.get(key);
    this.#list.splice(this.#list.indexOf(testCase), 1);
    this.#byKey.delete(key);
    this.#byId.delete(testCase.id);
    this.#steps.delete(key);
    this.#scripts.delete(key);
  }
}
