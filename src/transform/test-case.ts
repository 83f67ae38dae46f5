import type { PropertyInput, TestCaseInput, TestStepInput } from "../qtest/schemas.js";
import type { TestCase, TestScript, TestStep } from "../zephyr/schemas.js";
import { convertCustomField } from "./custom-fields.js";
import type { Resolution } from "./resolution.js";

/** A test case's body in Zephyr: inline and call-to-test steps, or a plain/BDD script. */
export type TestCaseContent = { kind: "steps"; steps: readonly TestStep[] } | { kind: "script"; script: TestScript };

export interface TestCaseContext {
  resolution: Resolution;
  moduleId: number;
  /** The qTest id of an already migrated test case, for call-to-test steps. */
  migratedCaseId: (key: string) => number | undefined;
  /** Steps of a called case, when calls are inlined. */
  calledSteps?: (key: string) => readonly TestStep[] | undefined;
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
}

/** PRODUCT.md §3: objective → description, steps with test data, calls, scripts, fields → properties. */
export function planTestCase(testCase: TestCase, content: TestCaseContent, context: TestCaseContext): TestCasePlan {
  const { resolution } = context;
  const fields = resolution.fields.testCase;
  const waitingFor: string[] = [];
  const inlineStepPositions: number[] = [];
  const steps: TestStepInput[] = [];
  if (content.kind === "script") steps.push(scriptStep(content.script));
  else {
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
      properties: compact([
        [fields.marker, testCase.key],
        [fields.status, resolution.testCaseStatus.get(testCase.status.id)],
        [fields.priority, resolution.priority.get(testCase.priority.id)],
        [fields.assignedTo, testCase.owner?.accountId ? resolution.users.get(testCase.owner.accountId) : undefined],
        [fields.labels, testCase.labels?.length ? testCase.labels.join(", ") : undefined],
        [fields.component, testCase.component ? String(testCase.component.id) : undefined],
        [fields.estimatedTime, testCase.estimatedTime != null ? formatDuration(testCase.estimatedTime) : undefined],
        [fields.links, formatLinks(testCase)],
        ...customProperties(testCase.customFields ?? {}, resolution),
      ]),
      test_steps: steps.map((step, i) => ({ ...step, order: i + 1 })),
    },
    waitingFor,
    inlineStepPositions,
  };

  function toSteps(step: TestStep): TestStepInput[] {
    if (step.inline) {
      const { description, testData, expectedResult } = step.inline;
      return [
        {
          description: testData ? `${description ?? ""}<br><br><b>Test data:</b> ${testData}` : (description ?? ""),
          expected: expectedResult ?? "",
        },
      ];
    }
    const call = step.testCase;
    if (!call) return [];
    const parameters = (call.parameters ?? []).map((p) => `${p.name}=${p.value ?? ""}`);
    if (resolution.callToTest === "inline") {
      const called = context.calledSteps?.(call.testCaseKey);
      if (called) return called.flatMap((s) => (s.inline ? toSteps(s) : []));
    }
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

function customProperties(values: Record<string, unknown>, resolution: Resolution): [number, string | undefined][] {
  const properties: [number, string | undefined][] = [];
  for (const [name, target] of resolution.fields.testCase.custom) {
    const converted = convertCustomField(values[name], target, resolution.users);
    properties.push([target.fieldId, converted ?? undefined]);
  }
  return properties;
}

/** Zephyr keeps estimates in milliseconds; qTest has no such field, so it is text a person can read. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes >= 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`;
}

function formatLinks(testCase: TestCase): string | undefined {
  const issues = (testCase.links?.issues ?? []).map((l) => `${l.type ?? "RELATED"} issue ${l.issueId}`);
  const web = (testCase.links?.webLinks ?? []).map(
    (l) => `${l.type ?? "RELATED"} ${l.url}${l.description ? ` (${l.description})` : ""}`,
  );
  const all = [...issues, ...web];
  return all.length > 0 ? all.join("\n") : undefined;
}

export function compact(pairs: readonly [number, string | undefined][]): PropertyInput[] {
  return pairs
    .filter((p): p is [number, string] => p[1] !== undefined)
    .map(([field_id, field_value]) => ({ field_id, field_value }));
}
