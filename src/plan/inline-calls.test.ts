import { describe, expect, it } from "vitest";
import type { TestCase, TestStep } from "../zephyr/schemas.js";
import { callersOf, inlineCalls, parameterValues, readCallees, rememberedReads, substituteParameters } from "./inline-calls.js";
import type { Resolution } from "./resolution.js";
import { planTestCase, type TestCaseContent } from "./test-case.js";

const values = (entries: Record<string, string>) => new Map(Object.entries(entries));
const span = (name: string) => `<span class="atwho-inserted" data-atwho-at-query="{">{${name}}</span>`;
const step = (description: string, extra: { testData?: string; expectedResult?: string } = {}): TestStep => ({
  inline: { description, testData: extra.testData ?? null, expectedResult: extra.expectedResult ?? null },
});
const call = (testCaseKey: string, parameters: Record<string, string> = {}): TestStep => ({
  testCase: {
    testCaseKey,
    parameters: Object.entries(parameters).map(([name, value]) => ({ name, type: "DEFAULT_VALUE" as const, value })),
  },
});
const steps = (...list: TestStep[]): TestCaseContent => ({ kind: "steps", steps: list });

describe("substituteParameters", () => {
  it("puts each value in place of its {name} placeholder", () => {
    expect(substituteParameters("Log in as {user} in {locale}", values({ user: "ann", locale: "de-DE" }))).toBe(
      "Log in as ann in de-DE",
    );
  });

  it("replaces Zephyr Server's whole mention span, not only the braces inside it", () => {
    expect(substituteParameters(`Log in as ${span("user")}.`, values({ user: "ann" }))).toBe("Log in as ann.");
    expect(substituteParameters(`<span data-x="1" class="atwho-inserted">{user}</span>`, values({ user: "ann" }))).toBe("ann");
  });

  it("leaves a placeholder with no value as written, span and all, and JSON braces alone", () => {
    const text = `${span("user")} {locale} {"amount": 3}`;
    expect(substituteParameters(text, values({ other: "x" }))).toBe(text);
    expect(substituteParameters(text, new Map())).toBe(text);
  });

  it("escapes a value for the HTML it lands in, and does not substitute inside a value", () => {
    expect(substituteParameters("{a} {b}", values({ a: "<R&D>", b: "{a}" }))).toBe("&lt;R&amp;D&gt; {a}");
    expect(substituteParameters("{a}", values({ a: "<x>" }), (v) => v)).toBe("<x>");
  });
});

describe("parameterValues", () => {
  it("keeps named parameters that have a value", () => {
    expect(parameterValues([{ name: "a", value: "1" }, { name: "b" }, { value: "2" }, { name: "c", value: "" }])).toEqual(
      values({ a: "1", c: "" }),
    );
    expect(parameterValues(null).size).toBe(0);
  });
});

describe("inlineCalls", () => {
  it("puts the callee's steps in place of the call, in order, with the call's values substituted", () => {
    const callees = new Map([
      ["T2", steps(step("Sign in as {user}", { testData: "lang={locale}", expectedResult: `Hi ${span("user")}` }), step("{x}"))],
    ]);
    const result = inlineCalls("T1", [step("own {user}"), call("T2", { user: "ann", locale: "ja-JP" }), step("end")], callees);
    expect(result.steps).toEqual([
      { kind: "inline", description: "own {user}", testData: null, expectedResult: null, own: true },
      { kind: "inline", description: "Sign in as ann", testData: "lang=ja-JP", expectedResult: "Hi ann", own: false },
      { kind: "inline", description: "{x}", testData: null, expectedResult: null, own: false },
      { kind: "inline", description: "end", testData: null, expectedResult: null, own: true },
    ]);
    expect(result.inlined).toEqual(["T2"]);
  });

  it("inlines nested calls, each level filled by the call that reached it, the caller's values flowing through", () => {
    const callees = new Map([
      ["T2", steps(step("B {user}"), call("T3", { who: "{user}", fixed: "x" }))],
      ["T3", steps(step("C {who} {fixed} {user}"))],
    ]);
    const result = inlineCalls("T1", [call("T2", { user: "<ann>" })], callees);
    expect(result.steps.map((s) => (s.kind === "inline" ? s.description : s.kind))).toEqual([
      "B &lt;ann&gt;",
      // T3 is given `who` and `fixed` only: `{user}` is not its parameter, so it stays.
      "C &lt;ann&gt; x {user}",
    ]);
    expect(result.inlined).toEqual(["T2", "T3"]);
  });

  it("keeps a call that would loop as a call, and inlines the same case twice when it is no loop", () => {
    const callees = new Map([
      ["T2", steps(step("B"), call("T1", { p: "1" }), call("T3"))],
      ["T3", steps(step("C"), call("T3"))],
    ]);
    const result = inlineCalls("T1", [call("T2"), call("T3")], callees);
    expect(result.steps).toEqual([
      { kind: "inline", description: "B", testData: null, expectedResult: null, own: false },
      { kind: "call", testCaseKey: "T1", parameters: ["p=1"], reason: "cycle" },
      { kind: "inline", description: "C", testData: null, expectedResult: null, own: false },
      { kind: "call", testCaseKey: "T3", parameters: [], reason: "cycle" },
      { kind: "inline", description: "C", testData: null, expectedResult: null, own: false },
      { kind: "call", testCaseKey: "T3", parameters: [], reason: "cycle" },
    ]);
  });

  it("keeps a call to a case not in Zephyr as a call; a called script becomes its script", () => {
    const script = { type: "plain" as const, text: "1. {user}" };
    const callees = new Map<string, TestCaseContent | null>([
      ["T9", null],
      ["T4", { kind: "script", script }],
    ]);
    const result = inlineCalls("T1", [call("T9", { user: "ann" }), call("T4", { user: "ann" })], callees);
    expect(result.steps).toEqual([
      { kind: "call", testCaseKey: "T9", parameters: ["user=ann"], reason: "missing" },
      { kind: "script", script },
    ]);
    expect(result.inlined).toEqual(["T4", "T9"]);
  });
});

describe("readCallees", () => {
  it("reads every case called at any depth once, never the root, and marks absent cases null", async () => {
    const source: Record<string, TestCaseContent> = {
      T2: steps(call("T3"), call("T1")),
      T3: steps(call("T2"), step("c")),
    };
    const reads: string[] = [];
    const read = async (key: string) => {
      reads.push(key);
      return source[key];
    };
    const root = steps(call("T2"), call("T2"), call("T8"));
    const contents = await readCallees("T1", root, read);
    expect([...contents.keys()].sort()).toEqual(["T1", "T2", "T3", "T8"]);
    expect(contents.get("T8")).toBeNull();
    expect(reads.sort()).toEqual(["T2", "T3", "T8"]);
  });
});

describe("rememberedReads", () => {
  it("reads a key once, and again after a failed read", async () => {
    let calls = 0;
    let fail = true;
    const read = rememberedReads(async () => {
      calls++;
      if (fail) throw new Error("down");
      return steps();
    });
    await expect(read("T1")).rejects.toThrow("down");
    fail = false;
    await read("T1");
    await read("T1");
    expect(calls).toBe(2);
  });
});

describe("callersOf", () => {
  it("names the recorded callers of a changed case that were not planned already", () => {
    const inliners = new Map([
      ["T1", ["T2", "T3"]],
      ["T4", ["T3"]],
      ["T5", ["T6"]],
      ["T7", ["T3"]],
    ]);
    expect(callersOf(new Set(["T3"]), inliners, new Set(["T7"]))).toEqual(["T1", "T4"]);
  });
});

describe("planTestCase with callees (callToTest: inline)", () => {
  // The test case fields resolved, no custom field: only the steps are in question here.
  const resolution: Resolution = {
    markerField: "Zephyr Key",
    projectKey: "QA",
    unmappedUsers: "fail",
    fieldIds: new Map(
      ["marker", "status", "priority", "assignedTo", "labels", "component", "estimatedTime", "links", "unmappedUsers"].map(
        (name, i) => [`testCase.${name}`, i + 1],
      ),
    ),
    custom: new Map(),
    choices: {
      testCaseStatus: new Map([[100, "201"]]),
      testCycleStatus: new Map(),
      priority: new Map([[7, "713"]]),
      environment: new Map(),
    },
    executionStatus: new Map(),
    users: new Map(),
  };
  const testCase = {
    id: 1,
    key: "T1",
    name: "Caller",
    project: { id: 1 },
    priority: { id: 7 },
    status: { id: 100 },
  } as TestCase;

  it("writes the inlined steps, waits for nothing, and pairs execution steps with the case's own steps only", () => {
    const callees = new Map<string, TestCaseContent | null>([
      ["T2", steps(step("Sign in as {user}", { expectedResult: "ok" }), step("two"))],
      ["T9", null],
    ]);
    const plan = planTestCase(
      testCase,
      steps(step("first", { testData: "d" }), call("T2", { user: "ann" }), call("T9"), step("last")),
      { resolution, moduleId: 1, migratedCaseId: () => 555, callees },
    );
    expect(plan.input.test_steps).toEqual([
      { description: "first<br><br><b>Test data:</b> d", expected: "", order: 1 },
      { description: "Sign in as ann", expected: "ok", order: 2 },
      { description: "two", expected: "", order: 3 },
      { description: "Call to test T9", expected: "", order: 4 },
      { description: "last", expected: "", order: 5 },
    ]);
    expect(plan.waitingFor).toEqual([]);
    expect(plan.inlineStepPositions).toEqual([0, 4]);
    expect(plan.inlined).toEqual(["T2", "T9"]);
    expect(plan.unresolvedCalls).toEqual([{ key: "T9", reason: "missing" }]);
  });

  it("without callees keeps calls as calls", () => {
    const plan = planTestCase(testCase, steps(call("T2", { user: "ann" })), {
      resolution,
      moduleId: 1,
      migratedCaseId: () => 555,
    });
    expect(plan.input.test_steps?.[0]).toMatchObject({ called_test_case_id: 555, parameter_values: ["user=ann"] });
    expect(plan.inlined).toEqual([]);
  });
});
