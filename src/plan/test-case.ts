import type { PropertyInput, TestCaseInput, TestStepInput } from "../qtest/schemas.js";
import type { TestCase, TestScript, TestStep } from "../zephyr/schemas.js";
import { convertCustomField, UnmappedValue } from "./custom-fields.js";
import { type CalleeContents, type InlinedStep, inlineCalls } from "./inline-calls.js";
import { EMPTY, managedProperties, TEST_CASE_FIELDS } from "./managed-fields.js";
import type { Resolution } from "./resolution.js";

/** A test case's body in Zephyr: inline and call-to-test steps, or a plain/BDD script. */
export type TestCaseContent = { kind: "steps"; steps: readonly TestStep[] } | { kind: "script"; script: TestScript };

export interface TestCaseContext {
  resolution: Resolution;
  moduleId: number;
  /** The qTest id of an already migrated test case, for call-to-test steps. */
  migratedCaseId: (key: string) => number | undefined;
  /**
   * `migration.callToTest: inline`: the content of every case this one calls, at any depth (`readCallees`);
   * its calls become those cases' steps. Absent: calls stay calls.
   */
  callees?: CalleeContents;
}

export interface TestCasePlan {
  input: TestCaseInput;
  /** Called test cases not migrated yet: the caller must wait for them, or fall back to text. */
  waitingFor: string[];
  /**
   * Positions (in `input.test_steps`) of the steps made from the case's own inline steps: Zephyr's
   * execution steps pair with these, in order.
   */
  inlineStepPositions: number[];
  /** Inline mode: the cases the steps were made from or looked for (a change to one re-plans this case). */
  inlined: string[];
  /** Inline mode: calls left as text, because the callee is not in Zephyr or calling it would loop. */
  unresolvedCalls: { key: string; reason: "missing" | "cycle" }[];
}

/**
 * What a Zephyr test case becomes in qTest: objective → description, inline steps with their test data,
 * calls to migrated cases (or, with `context.callees`, the called cases' steps in their place), scripts
 * as one step, the managed fields and the custom fields as properties.
 */
export function planTestCase(testCase: TestCase, content: TestCaseContent, context: TestCaseContext): TestCasePlan {
  const { resolution } = context;
  const waitingFor: string[] = [];
  const inlineStepPositions: number[] = [];
  const steps: TestStepInput[] = [];
  let inlined: string[] = [];
  const unresolvedCalls: TestCasePlan["unresolvedCalls"] = [];
  if (content.kind === "script") steps.push(scriptStep(content.script));
  else if (context.callees) {
    const result = inlineCalls(testCase.key, content.steps, context.callees);
    inlined = result.inlined;
    for (const step of result.steps) {
      // Only the case's own steps: Zephyr's execution steps stand for those (docs/call-to-test.md).
      if (step.kind === "inline" && step.own) inlineStepPositions.push(steps.length);
      if (step.kind === "call") unresolvedCalls.push({ key: step.testCaseKey, reason: step.reason });
      steps.push(fromInlined(step));
    }
  } else {
    for (const step of content.steps) {
      if (step.inline) inlineStepPositions.push(steps.length);
      steps.push(...toSteps(step));
    }
  }
  return {
    input: {
      name: testCase.name,
      parent_id: context.moduleId,
      description: testCase.objective ?? "",
      precondition: testCase.precondition ?? "",
      properties: [
        ...managedProperties(TEST_CASE_FIELDS, testCase, resolution),
        ...customProperties(testCase.key, testCase.customFields ?? {}, resolution),
      ],
      test_steps: steps.map((step, i) => ({ ...step, order: i + 1 })),
    },
    waitingFor,
    inlineStepPositions,
    inlined,
    unresolvedCalls,
  };

  function toSteps(step: TestStep): TestStepInput[] {
    if (step.inline) return [inlineStep(step.inline)];
    const call = step.testCase;
    if (!call) return [];
    const parameters = (call.parameters ?? []).map((p) => `${p.name}=${p.value ?? ""}`);
    const calledId = context.migratedCaseId(call.testCaseKey);
    if (calledId === undefined) {
      waitingFor.push(call.testCaseKey);
      return [{ description: callText(call.testCaseKey, parameters), expected: "" }];
    }
    return [
      {
        description: callText(call.testCaseKey, parameters),
        expected: "",
        called_test_case_id: calledId,
        ...(parameters.length > 0 && { parameter_values: parameters }),
      },
    ];
  }
}

function inlineStep(parts: {
  description?: string | null;
  testData?: string | null;
  expectedResult?: string | null;
}): TestStepInput {
  const { description, testData, expectedResult } = parts;
  return {
    description: testData ? `${description ?? ""}<br><br><b>Test data:</b> ${testData}` : (description ?? ""),
    expected: expectedResult ?? "",
  };
}

function fromInlined(step: InlinedStep): TestStepInput {
  if (step.kind === "inline") return inlineStep(step);
  if (step.kind === "script") return scriptStep(step.script);
  return { description: callText(step.testCaseKey, step.parameters), expected: "" };
}

export function callText(key: string, parameters: readonly string[]): string {
  return parameters.length > 0 ? `Call to test ${key} (${parameters.join(", ")})` : `Call to test ${key}`;
}

/**
 * A script becomes one step holding it verbatim: plain prose as it is; BDD Gherkin preformatted and
 * escaped, so `<role>` placeholders show as written instead of vanishing as unknown HTML tags.
 */
function scriptStep(script: TestScript): TestStepInput {
  return { description: script.type === "bdd" ? `<pre>${escapeHtml(script.text)}</pre>` : script.text, expected: "" };
}

export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function customProperties(key: string, values: Record<string, unknown>, resolution: Resolution): PropertyInput[] {
  const properties: PropertyInput[] = [];
  for (const [name, target] of resolution.custom) {
    let converted: string | null;
    try {
      converted = convertCustomField(values[name], target, resolution.users, resolution.unmappedUsers);
    } catch (error) {
      // Preflight resolved every value in use; one that still fails changed in Zephyr since. Named, so
      // the run can stop as bad input rather than as something a re-run would fix.
      if (error instanceof UnmappedValue) throw new UnmappedValue(`test case ${key}, custom field '${name}': ${error.message}`);
      throw error;
    }
    properties.push({ field_id: target.fieldId, field_value: converted ?? EMPTY });
  }
  return properties;
}
