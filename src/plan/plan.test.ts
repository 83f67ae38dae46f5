import { describe, expect, it } from "vitest";
import type { TestCase, TestExecution } from "../zephyr/schemas.js";
import { contentHash } from "./content-hash.js";
import { convertCustomField, UnmappedValue } from "./custom-fields.js";
import { withoutEmptyProperties } from "./managed-fields.js";
import { cycleKeyOfRun, runKey, testCaseKeyOfRun } from "./markers.js";
import type { Resolution } from "./resolution.js";
import { planTestCase } from "./test-case.js";
import { planPositionalLog, planTestLog } from "./test-execution.js";

const resolution: Resolution = {
  markerField: "Zephyr Key",
  projectKey: "QA",
  unmappedUsers: "fail",
  fieldIds: new Map([
    ["testCase.marker", 1],
    ["testCase.status", 2],
    ["testCase.priority", 3],
    ["testCase.assignedTo", 4],
    ["testCase.labels", 5],
    ["testCase.component", 6],
    ["testCase.estimatedTime", 7],
    ["testCase.links", 8],
    ["testSuite.marker", 30],
    ["testSuite.status", 31],
    ["testSuite.plannedStart", 32],
    ["testSuite.plannedEnd", 33],
    ["testSuite.assignedTo", 34],
    ["testRun.marker", 40],
    ["testLog.marker", 40],
    ["testLog.environment", 41],
  ]),
  custom: new Map([
    ["Build", { fieldId: 20, type: "number", values: new Map() }],
    [
      "Platforms",
      {
        fieldId: 21,
        type: "multiselect",
        values: new Map([
          ["Web", "901"],
          ["iOS", "902"],
        ]),
      },
    ],
    ["Reviewer", { fieldId: 22, type: "user", values: new Map() }],
  ]),
  choices: {
    testCaseStatus: new Map([[100, "201"]]),
    testCycleStatus: new Map(),
    priority: new Map([[7, "713"]]),
    environment: new Map([[5, "741"]]),
  },
  executionStatus: new Map([
    [300, 601],
    [301, 602],
  ]),
  users: new Map([["acc-1", "9002"]]),
};

const ref = (id: number) => ({ id, self: `https://x/${id}` });
const testCase: TestCase = {
  id: 1,
  key: "QA-T1",
  name: "Ünïcode & <b>HTML</b> 名前",
  project: ref(1),
  objective: "<p>Objective</p>",
  precondition: null,
  estimatedTime: 5_400_000,
  labels: ["Smoke", "UI"],
  priority: ref(7),
  status: ref(100),
  owner: { accountId: "acc-1" },
  customFields: { Build: 42, Platforms: ["iOS", "Web"], Reviewer: "acc-1" },
  links: { issues: [{ issueId: 10001, id: 1, type: "COVERAGE" }], webLinks: [] },
} as TestCase;

describe("planTestCase", () => {
  it("maps fields, properties, steps with test data and a call to a migrated case", () => {
    const plan = planTestCase(
      testCase,
      {
        kind: "steps",
        steps: [
          { inline: { description: "Open", testData: "user=a", expectedResult: "Opened" } },
          { testCase: { testCaseKey: "QA-T9", parameters: [{ name: "p", type: "DEFAULT_VALUE", value: "1" }] } },
          { inline: { description: "Close", testData: null, expectedResult: null } },
        ],
      },
      { resolution, moduleId: 77, migratedCaseId: (key) => (key === "QA-T9" ? 555 : undefined) },
    );
    expect(plan.waitingFor).toEqual([]);
    expect(plan.inlineStepPositions).toEqual([0, 2]);
    expect(plan.input).toMatchObject({ name: testCase.name, parent_id: 77, description: "<p>Objective</p>", precondition: "" });
    expect(plan.input.test_steps).toEqual([
      { description: "Open<br><br><b>Test data:</b> user=a", expected: "Opened", order: 1 },
      { description: "Call to test QA-T9 (p=1)", expected: "", called_test_case_id: 555, parameter_values: ["p=1"], order: 2 },
      { description: "Close", expected: "", order: 3 },
    ]);
    expect(Object.fromEntries(plan.input.properties.map((p) => [p.field_id, p.field_value]))).toEqual({
      1: "QA-T1",
      2: "201",
      3: "713",
      4: "9002",
      5: "Smoke, UI",
      // No component: written empty, so an update clears a component removed in Zephyr.
      6: "",
      7: "1h 30m",
      8: "COVERAGE issue 10001",
      20: "42",
      21: "[902,901]",
      22: "9002",
    });
  });

  it("waits for a callee that is not migrated yet, and keeps a script verbatim", () => {
    const waiting = planTestCase(
      testCase,
      { kind: "steps", steps: [{ testCase: { testCaseKey: "QA-T2" } }] },
      { resolution, moduleId: 1, migratedCaseId: () => undefined },
    );
    expect(waiting.waitingFor).toEqual(["QA-T2"]);
    expect(waiting.input.test_steps?.[0]?.description).toBe("Call to test QA-T2");
    const bdd = planTestCase(
      testCase,
      { kind: "script", script: { type: "bdd", text: "Feature: x\n  Scenario: y <role> & co" } },
      { resolution, moduleId: 1, migratedCaseId: () => undefined },
    );
    expect(bdd.input.test_steps).toEqual([
      { description: "<pre>Feature: x\n  Scenario: y &lt;role&gt; &amp; co</pre>", expected: "", order: 1 },
    ]);
    expect(bdd.inlineStepPositions).toEqual([]);
  });

  it("writes every field a case had emptied as the empty value, and leaves them out of the legacy body", () => {
    const emptied = {
      ...testCase,
      objective: null,
      labels: [],
      owner: null,
      estimatedTime: null,
      links: { issues: [], webLinks: [] },
      customFields: { Build: null, Platforms: [], Reviewer: null },
    } as TestCase;
    const plan = planTestCase(
      emptied,
      { kind: "steps", steps: [] },
      { resolution, moduleId: 1, migratedCaseId: () => undefined },
    );
    expect(plan.input.description).toBe("");
    expect(Object.fromEntries(plan.input.properties.map((p) => [p.field_id, p.field_value]))).toEqual({
      1: "QA-T1",
      2: "201",
      3: "713",
      4: "",
      5: "",
      6: "",
      7: "",
      8: "",
      20: "",
      21: "",
      22: "",
    });
    expect(withoutEmptyProperties(plan.input).properties?.map((p) => p.field_id)).toEqual([1, 2, 3]);
  });
});

describe("convertCustomField", () => {
  const target = (type: "number" | "date" | "select", values: Record<string, string> = {}) => ({
    fieldId: 1,
    type,
    values: new Map(Object.entries(values)),
  });
  it("converts by target type and names what cannot be converted", () => {
    expect(convertCustomField("2025-03-01", target("date"), new Map(), "fail")).toBe("2025-03-01T00:00:00.000Z");
    expect(convertCustomField(2.5, target("number"), new Map(), "fail")).toBe("2.5");
    expect(convertCustomField(true, target("select", { true: "11" }), new Map(), "fail")).toBe("11");
    expect(convertCustomField(null, target("number"), new Map(), "fail")).toBeNull();
    expect(() => convertCustomField("abc", target("number"), new Map(), "fail")).toThrow(UnmappedValue);
    expect(() => convertCustomField("Other", target("select", { A: "1" }), new Map(), "fail")).toThrow(
      /'Other' has no allowed value/,
    );
  });
});

describe("planTestLog", () => {
  const execution = {
    id: 9,
    key: "QA-E9",
    project: ref(1),
    testCase: { id: 1, self: "https://x/testcases/QA-T1/versions/1" },
    testExecutionStatus: ref(301),
    environment: ref(5),
    actualEndDate: "2025-05-01T10:00:00Z",
    executionTime: 60_000,
    comment: "Broke <b>again</b>",
  } as TestExecution;

  it("turns an execution into a log with start = end − duration and paired step logs", () => {
    const input = planTestLog(
      execution,
      [{ inline: { status: ref(300), actualResult: "ok" } }, { inline: { status: ref(301), actualResult: "bad" } }] as never,
      { versionId: 3, stepIds: [71, 72] },
      resolution,
    );
    expect(input).toEqual({
      status: { id: 602 },
      exe_start_date: "2025-05-01T09:59:00.000Z",
      exe_end_date: "2025-05-01T10:00:00.000Z",
      note: "Broke <b>again</b>",
      test_case_version_id: 3,
      properties: [
        { field_id: 40, field_value: "QA-E9" },
        { field_id: 41, field_value: "741" },
      ],
      test_step_logs: [
        { test_step_id: 71, status: { id: 601 }, actual_result: "ok", order: 1 },
        { test_step_id: 72, status: { id: 602 }, actual_result: "bad", order: 2 },
      ],
    });
  });

  it("makes no log for an execution that never ran", () => {
    expect(planTestLog({ ...execution, actualEndDate: null }, [], { versionId: 1, stepIds: [] }, resolution)).toBeNull();
    expect(runKey(null, "QA-T1")).toBe("ad-hoc/QA-T1");
    expect([cycleKeyOfRun("QA-R2/QA-T1"), testCaseKeyOfRun("QA-R2/QA-T1")]).toEqual(["QA-R2", "QA-T1"]);
    expect([cycleKeyOfRun(runKey(null, "QA-T1")), testCaseKeyOfRun(runKey(null, "QA-T1"))]).toEqual(["ad-hoc", "QA-T1"]);
  });

  it("plans a log by step position with every step result, or only as many as the case's current steps", () => {
    const steps = [1, 2, 3].map((n) => ({ inline: { status: ref(300), actualResult: `r${n}` } })) as never;
    const every = planPositionalLog(execution, steps, resolution);
    expect(every?.test_step_logs?.map((s) => [s.test_step_id, s.order])).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
    ]);
    // The case lost a step since it was executed: a log made now can hold two step logs.
    expect(planPositionalLog(execution, steps, resolution, 2)?.test_step_logs?.map((s) => s.order)).toEqual([1, 2]);
    expect(planPositionalLog(execution, steps, resolution, 5)?.test_step_logs).toHaveLength(3);
  });

  it("writes an execution's emptied environment as the empty value", () => {
    const input = planTestLog({ ...execution, environment: null }, [], { versionId: 1, stepIds: [] }, resolution);
    expect(input?.properties).toEqual([
      { field_id: 40, field_value: "QA-E9" },
      { field_id: 41, field_value: "" },
    ]);
  });
});

describe("hashing", () => {
  it("hashes content independently of key order", () => {
    expect(contentHash({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(contentHash({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });
});
