import { describe, expect, it } from "vitest";
import type { TestCase, TestCycle, TestExecution, TestStep } from "../zephyr/schemas.js";
import { testCaseSchema, testCycleSchema, testExecutionSchema, testStepSchema } from "../zephyr/schemas.js";
import {
  compareKeys,
  NOT_CARRIED_KEY_CAP,
  type NotCarriedContext,
  type NotCarriedItem,
  NotCarriedTally,
  notCarriedContext,
  notCarriedOfTestCase,
  notCarriedOfTestCycle,
  notCarriedOfTestExecution,
  notCarriedOfTestPlan,
  notCarriedOfTestStep,
  notCarriedSectionSchema,
  REASONS,
} from "./not-carried.js";

const base = "https://api.zephyrscale.smartbear.com/v2";
const project = { id: 10005, self: `${base}/projects/10005` };

const context: NotCarriedContext = notCarriedContext(
  { customFields: { "Legacy Id": { ignore: true }, Reviewer: { field: "Reviewer", type: "user" } } },
  {
    custom: new Map([
      ["Build Number", { fieldId: 20, type: "number" as const, values: new Map() }],
      ["Reviewer", { fieldId: 21, type: "user" as const, values: new Map() }],
    ]),
    users: new Map([["5b10a2844c20165700ede21g", "7"]]),
    unmappedUsers: "keep",
  },
);

/** A test case as Zephyr sends it, parsed as the client parses it (loose: unknown keys survive). */
function testCase(extra: Record<string, unknown> = {}): TestCase {
  return testCaseSchema.parse({
    id: 1001,
    key: "QA-T1",
    name: "Login with a valid password",
    project,
    createdOn: "2025-01-06T09:00:00Z",
    objective: "<p>The user signs in.</p>",
    precondition: null,
    estimatedTime: 300_000,
    labels: ["Smoke"],
    component: null,
    priority: { id: 3, self: `${base}/priorities/3` },
    status: { id: 1, self: `${base}/statuses/1` },
    folder: { id: 40, self: `${base}/folders/40` },
    owner: {
      self: "https://example.atlassian.net/rest/api/2/user?accountId=5b10a2844c20165700ede21g",
      accountId: "5b10a2844c20165700ede21g",
    },
    testScript: { self: `${base}/testcases/QA-T1/testscript` },
    customFields: { "Build Number": 12, "Legacy Id": null, Reviewer: "5b10a2844c20165700ede21g" },
    links: { self: `${base}/testcases/QA-T1/links`, issues: [], webLinks: [] },
    ...extra,
  });
}

const fields = (items: readonly NotCarriedItem[]) => items.map((i) => [i.field, i.reason]);

describe("notCarriedOfTestCase", () => {
  it("lists nothing but the creation date for a case whose every other field ZTOQ carries", () => {
    expect(notCarriedOfTestCase(testCase(), context)).toEqual([
      { entity: "testCase", field: "createdOn", reason: REASONS.notRead, key: "QA-T1" },
    ]);
  });

  it("lists a field no code reads, whatever it is called", () => {
    expect(fields(notCarriedOfTestCase(testCase({ foo: "bar", createdOn: undefined }), context))).toEqual([
      ["foo", REASONS.notRead],
    ]);
  });

  it("leaves out empty values: null, empty text, empty lists, false", () => {
    const empty = testCase({ createdOn: undefined, foo: null, bar: "", baz: [], automated: false, extra: { self: "x" } });
    expect(notCarriedOfTestCase(empty, context)).toEqual([]);
  });

  it("lists a custom field set to ignore, and the accounts of a user field with no qTest user", () => {
    const items = notCarriedOfTestCase(
      testCase({
        createdOn: undefined,
        customFields: {
          "Build Number": 12,
          "Legacy Id": "LEG-4",
          Reviewer: ["5b10a2844c20165700ede21g", "712020:gone", "712020:left"],
        },
      }),
      context,
    );
    expect(fields(items)).toEqual([
      ["customFields.Legacy Id", REASONS.ignored],
      ["customFields.Reviewer", REASONS.keptAsAccountId],
      ["customFields.Reviewer", REASONS.keptAsAccountId],
    ]);
  });

  it("lists an owner with no qTest user, the component kept as its id, and a name longer than qTest takes", () => {
    const items = notCarriedOfTestCase(
      testCase({
        createdOn: undefined,
        name: "x".repeat(501),
        owner: { accountId: "712020:gone" },
        component: { id: 10003, self: "https://example.atlassian.net/rest/api/2/component/10003" },
      }),
      context,
    );
    expect(fields(items)).toEqual([
      ["name", "longer than qTest's limit of 500"],
      ["owner", REASONS.keptAsAccountId],
      ["component", REASONS.componentId],
    ]);
  });

  it("says an unmapped owner stops preflight when users are not kept", () => {
    const failing = { ...context, unmappedUsers: "fail" as const };
    expect(
      fields(notCarriedOfTestCase(testCase({ createdOn: undefined, owner: { accountId: "712020:gone" } }), failing)),
    ).toEqual([["owner", REASONS.noUser]]);
  });

  it("lists each issue link qTest has no relation for, leaving coverage links to the migration, and each attachment", () => {
    const items = notCarriedOfTestCase(
      testCase({
        createdOn: undefined,
        links: {
          self: `${base}/testcases/QA-T1/links`,
          issues: [
            { issueId: 20001, id: 1, type: "COVERAGE" },
            { issueId: 20002, id: 2, type: "BLOCKS" },
            { issueId: 20003, id: 3 },
          ],
          webLinks: [{ url: "https://wiki.example.com/page/1", type: "RELATED" }],
          confluencePages: [{ pageId: "9" }],
        },
        attachments: [
          { id: 1, filename: "screen.png" },
          { id: 2, filename: "log.txt" },
        ],
      }),
      context,
    );
    expect(fields(items)).toEqual([
      ["links.confluencePages", REASONS.notRead],
      ["links.issues", REASONS.issueLink("BLOCKS")],
      ["attachments", REASONS.attachments],
      ["attachments", REASONS.attachments],
    ]);
  });
});

describe("notCarriedOfTestStep", () => {
  const step = (value: unknown): TestStep => testStepSchema.parse(value);

  it("keys a step by its case and its number, listing what its parts hold that is not read", () => {
    const items = notCarriedOfTestStep(
      step({
        id: 77,
        inline: {
          description: "Open the login page",
          testData: "user=alice",
          expectedResult: "The form shows",
          customFields: { Browser: "Firefox" },
          reflectRef: "REF-1",
        },
      }),
      "QA-T10",
      2,
      context,
    );
    expect(items).toEqual([
      { entity: "testStep", field: "inline.reflectRef", reason: REASONS.notRead, key: "QA-T10#3" },
      { entity: "testStep", field: "inline.customFields.Browser", reason: REASONS.caseCustomFieldsOnly, key: "QA-T10#3" },
    ]);
  });

  it("lists nothing of a call whose key and parameters are carried", () => {
    const call = step({
      id: 78,
      testCase: { self: `${base}/testcases/QA-T2/teststeps`, testCaseKey: "QA-T2", parameters: [{ name: "user", value: "bob" }] },
    });
    expect(notCarriedOfTestStep(call, "QA-T10", 0, context)).toEqual([]);
  });
});

describe("notCarriedOfTestCycle", () => {
  const cycle = (extra: Record<string, unknown> = {}): TestCycle =>
    testCycleSchema.parse({
      id: 20001,
      key: "QA-R1",
      name: "Sprint 1",
      project,
      jiraProjectVersion: { id: 10002, self: "https://example.atlassian.net/rest/api/2/version/10002" },
      status: { id: 9, self: `${base}/statuses/9` },
      folder: null,
      description: "<p>First sprint</p>",
      plannedStartDate: "2025-02-01T00:00:00Z",
      plannedEndDate: "2025-02-14T00:00:00Z",
      owner: { accountId: "5b10a2844c20165700ede21g" },
      customFields: { "Sprint Goal": "Checkout works", "Legacy Id": "C-1" },
      links: {
        self: `${base}/testcycles/20001/links`,
        issues: [
          { issueId: 20005, type: "COVERAGE" },
          { issueId: 20006, type: "RELATED" },
        ],
        webLinks: [],
        testPlans: [
          { id: 5, testPlanId: 3, type: "RELATED" },
          { id: 6, testPlanId: 4, type: "RELATED" },
        ],
      },
      ...extra,
    });

  it("lists the version, the custom fields, and the links ZTOQ does not carry, a link each (coverage is the migration's)", () => {
    expect(fields(notCarriedOfTestCycle(cycle(), context))).toEqual([
      ["jiraProjectVersion", REASONS.notRead],
      ["links.testPlans", REASONS.notRead],
      ["links.testPlans", REASONS.notRead],
      ["links.issues", REASONS.cycleIssueLink("RELATED")],
      ["customFields.Sprint Goal", REASONS.caseCustomFieldsOnly],
      ["customFields.Legacy Id", REASONS.ignored],
    ]);
  });

  it("lists an unknown field, and an owner with no qTest user", () => {
    const items = notCarriedOfTestCycle(
      cycle({ jiraProjectVersion: null, customFields: {}, links: {}, foo: "bar", owner: { accountId: "712020:gone" } }),
      context,
    );
    expect(fields(items)).toEqual([
      ["foo", REASONS.notRead],
      ["owner", REASONS.keptAsAccountId],
    ]);
  });
});

describe("notCarriedOfTestExecution", () => {
  const execution = (extra: Record<string, unknown> = {}): TestExecution =>
    testExecutionSchema.parse({
      id: 50001,
      key: "QA-E1",
      project,
      testCase: { id: 1001, self: `${base}/testcases/QA-T1/versions/1` },
      environment: { id: 2, self: `${base}/environments/2` },
      jiraProjectVersion: null,
      testExecutionStatus: { id: 11, self: `${base}/statuses/11` },
      actualEndDate: "2025-02-02T10:00:00Z",
      estimatedTime: null,
      executionTime: 120_000,
      executedById: "5b10a2844c20165700ede21g",
      assignedToId: null,
      comment: "Passed on staging",
      automated: false,
      testCycle: { id: 20001, self: `${base}/testcycles/20001` },
      customFields: {},
      links: { self: `${base}/testexecutions/50001/links`, issues: [] },
      ...extra,
    });

  it("lists the executor and assignee, which no test log field carries", () => {
    expect(fields(notCarriedOfTestExecution(execution({ assignedToId: "712020:gone" }), context))).toEqual([
      ["executedById", REASONS.notRead],
      ["assignedToId", REASONS.notRead],
    ]);
  });

  it("keys an execution without a key by its id", () => {
    const items = notCarriedOfTestExecution(execution({ key: null, executedById: null, estimatedTime: 60_000 }), context);
    expect(items).toEqual([{ entity: "testExecution", field: "estimatedTime", reason: REASONS.notRead, key: "execution 50001" }]);
  });
});

describe("notCarriedOfTestPlan", () => {
  it("lists what a release cannot hold of a plan: its folder, its owner as a user; the rest is carried", () => {
    const plan = {
      id: 3,
      key: "QA-P1",
      name: "Release 2.0",
      project,
      status: { id: 15 },
      objective: null,
      folder: { id: 7 },
      owner: { accountId: "5b10a2844c20165700ede21g" },
      labels: ["release"],
      customFields: { Scope: "all" },
      links: {
        self: `${base}/testplans/3/links`,
        issues: [],
        webLinks: [{ url: "https://x.example/y" }],
        testCycles: [{ testCycleId: 1 }],
      },
    };
    expect(fields(notCarriedOfTestPlan(plan, context))).toEqual([
      ["folder", REASONS.notRead],
      ["owner", REASONS.ownerAsText],
    ]);
  });
});

describe("NotCarriedTally", () => {
  const item = (key: string, field = "createdOn"): NotCarriedItem => ({
    entity: "testCase",
    field,
    reason: REASONS.notRead,
    key,
  });

  it("counts per entity type, field and reason, listing each key once", () => {
    const tally = new NotCarriedTally();
    tally.addAll([item("QA-T2"), item("QA-T1"), item("QA-T1", "attachments"), item("QA-T1", "attachments")]);
    tally.add({ entity: "testStep", field: "inline.reflectRef", reason: REASONS.notRead, key: "QA-T1#1" });
    const section = tally.section();
    expect(notCarriedSectionSchema.parse(section)).toEqual(section);
    expect(section).toEqual({
      total: 5,
      items: [
        { entity: "testCase", field: "attachments", reason: REASONS.notRead, count: 2, keys: ["QA-T1"], moreKeys: false },
        { entity: "testCase", field: "createdOn", reason: REASONS.notRead, count: 2, keys: ["QA-T1", "QA-T2"], moreKeys: false },
        { entity: "testStep", field: "inline.reflectRef", reason: REASONS.notRead, count: 1, keys: ["QA-T1#1"], moreKeys: false },
      ],
    });
  });

  it(`keeps the ${NOT_CARRIED_KEY_CAP} smallest keys in natural order, whatever the order they arrive in, and counts on`, () => {
    const keys = Array.from({ length: 30 }, (_, i) => `QA-T${i + 1}`);
    const forward = new NotCarriedTally();
    forward.addAll(keys.map((k) => item(k)));
    const backward = new NotCarriedTally();
    backward.addAll(keys.toReversed().map((k) => item(k)));
    const [row] = forward.section().items;
    expect(row?.count).toBe(30);
    expect(row?.keys).toEqual(keys.slice(0, 20));
    expect(row?.moreKeys).toBe(true);
    expect(backward.section()).toEqual(forward.section());
  });

  it("merges sections as if every item had come to one tally", () => {
    const keys = Array.from({ length: 25 }, (_, i) => `QA-T${i + 1}`);
    const whole = new NotCarriedTally();
    whole.addAll(keys.map((k) => item(k)));
    const [odd, even] = [new NotCarriedTally(), new NotCarriedTally()];
    odd.addAll(keys.filter((_, i) => i % 2 === 0).map((k) => item(k)));
    even.addAll(keys.filter((_, i) => i % 2 === 1).map((k) => item(k)));
    const merged = new NotCarriedTally();
    merged.merge(odd.section());
    merged.merge(even.section());
    expect(merged.section()).toEqual(whole.section());
  });

  it("is empty before anything is added", () => {
    expect(new NotCarriedTally().section()).toEqual({ total: 0, items: [] });
  });
});

describe("compareKeys", () => {
  it("orders digit runs as numbers", () => {
    expect(["QA-T10", "QA-T2", "QA-T1#10", "QA-T1#2", "QA-R3"].sort(compareKeys)).toEqual([
      "QA-R3",
      "QA-T1#2",
      "QA-T1#10",
      "QA-T2",
      "QA-T10",
    ]);
  });
});
