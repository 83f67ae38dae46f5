import type { TestScript, TestStep } from "../zephyr/schemas.js";
import type { TestCaseContent } from "./test-case.js";

/**
 * `migration.callToTest: inline`: a call-to-test step becomes the called case's steps, with the call's
 * parameter values put in. The rules here are pure; the source is read by whoever plans (migrate,
 * verify) through `readCallees`, with a reader of their own.
 */

/** The content of each case a case calls, directly or not; null: the case is not in Zephyr. */
export type CalleeContents = ReadonlyMap<string, TestCaseContent | null>;

type Call = NonNullable<TestStep["testCase"]>;
type Parameter = NonNullable<Call["parameters"]>[number];

/** A step of the inlined case: text parts already substituted. */
export type InlinedStep =
  | {
      kind: "inline";
      description: string | null;
      testData: string | null;
      expectedResult: string | null;
      /** The case's own step (execution steps pair with these), not one inlined from a callee. */
      own: boolean;
    }
  | { kind: "script"; script: TestScript }
  /** A call that stays a call: its callee is missing or calling it would loop. */
  | { kind: "call"; testCaseKey: string; parameters: string[]; reason: "missing" | "cycle" };

export interface Inlined {
  steps: InlinedStep[];
  /** Every case whose content the steps were made from or looked for, at any depth, in key order. */
  inlined: string[];
}

/**
 * A placeholder: `{name}` as Zephyr Cloud stores it, or the whole mention span Zephyr Server's
 * editor wraps it in — replacing only the braces would leave an empty styled span behind.
 */
const PLACEHOLDER = /<span\b[^>]*\batwho-inserted\b[^>]*>\s*\{([^{}<>"\n]+)\}\s*<\/span>|\{([^{}<>"\n]+)\}/g;

/**
 * Puts each placeholder's value in; a placeholder with no value stays as written. `encode` makes a
 * value fit the text it lands in: HTML-escaped for step text, as it is for another parameter's value.
 */
export function substituteParameters(
  text: string,
  values: ReadonlyMap<string, string>,
  encode: (value: string) => string = escapeText,
): string {
  if (values.size === 0) return text;
  return text.replace(PLACEHOLDER, (match, spanName: string | undefined, bareName: string | undefined) => {
    const value = values.get((spanName ?? bareName ?? "").trim());
    return value === undefined ? match : encode(value);
  });
}

/** The values a call gives, by name; one with no value gives none, so its placeholder stays. */
export function parameterValues(parameters: readonly Parameter[] | null | undefined): Map<string, string> {
  const values = new Map<string, string>();
  for (const p of parameters ?? []) if (p.name && p.value != null) values.set(p.name, p.value);
  return values;
}

/**
 * `steps` of case `rootKey` with every call replaced by its callee's steps, recursively, each level's
 * placeholders filled by the call that reached it. A call to a case not in `callees` (or null there)
 * stays a call, as does one to a case already being inlined above it (a cycle).
 */
export function inlineCalls(rootKey: string, steps: readonly TestStep[], callees: CalleeContents): Inlined {
  const out: InlinedStep[] = [];
  const inlined = new Set<string>();
  const expand = (level: readonly TestStep[], values: ReadonlyMap<string, string>, path: readonly string[]) => {
    const own = path.length === 1;
    for (const step of level) {
      if (step.inline) {
        const put = (text: string | null | undefined) => (text == null ? null : substituteParameters(text, values));
        const { description, testData, expectedResult } = step.inline;
        out.push({
          kind: "inline",
          description: put(description),
          testData: put(testData),
          expectedResult: put(expectedResult),
          own,
        });
        continue;
      }
      const call = step.testCase;
      if (!call) continue;
      // The call's own values may name the caller's parameters: filled first, unescaped.
      const given = (call.parameters ?? []).map((p) => ({
        ...p,
        value: p.value == null ? p.value : substituteParameters(p.value, values, (v) => v),
      }));
      const key = call.testCaseKey;
      const content = callees.get(key);
      const parameters = given.map((p) => `${p.name}=${p.value ?? ""}`);
      if (path.includes(key)) {
        out.push({ kind: "call", testCaseKey: key, parameters, reason: "cycle" });
        continue;
      }
      inlined.add(key);
      if (!content) out.push({ kind: "call", testCaseKey: key, parameters, reason: "missing" });
      else if (content.kind === "script") out.push({ kind: "script", script: content.script });
      else expand(content.steps, parameterValues(given), [...path, key]);
    }
  };
  expand(steps, new Map(), [rootKey]);
  return { steps: out, inlined: [...inlined].sort() };
}

/** The keys a case's steps call. */
export function calledKeys(content: TestCaseContent): string[] {
  return content.kind === "steps" ? content.steps.flatMap((s) => (s.testCase ? [s.testCase.testCaseKey] : [])) : [];
}

/**
 * The content of every case `content` calls, at any depth, each read once through `read` (undefined:
 * not in Zephyr). Level by level, each level's reads at once; the root is never read again.
 */
export async function readCallees(
  rootKey: string,
  content: TestCaseContent,
  read: (key: string) => Promise<TestCaseContent | undefined>,
): Promise<Map<string, TestCaseContent | null>> {
  const contents = new Map<string, TestCaseContent | null>([[rootKey, content]]);
  let level = [...new Set(calledKeys(content))].filter((key) => !contents.has(key));
  while (level.length > 0) {
    const read_ = await Promise.all(level.map(async (key) => [key, (await read(key)) ?? null] as const));
    for (const [key, value] of read_) contents.set(key, value);
    level = [...new Set(read_.flatMap(([, value]) => (value ? calledKeys(value) : [])))].filter((key) => !contents.has(key));
  }
  return contents;
}

/**
 * `read` remembered: a called case's content is read once however many cases call it. A failed read
 * is forgotten, so a retry reads again. Bounded: a project calls a few cases many times, not every case.
 */
export function rememberedReads(
  read: (key: string) => Promise<TestCaseContent | undefined>,
  cap = 5000,
): (key: string) => Promise<TestCaseContent | undefined> {
  const reads = new Map<string, Promise<TestCaseContent | undefined>>();
  return (key) => {
    let content = reads.get(key);
    if (!content) {
      if (reads.size >= cap) reads.clear();
      content = read(key);
      content.catch(() => reads.delete(key));
      reads.set(key, content);
    }
    return content;
  };
}

/**
 * The cases to plan again because a case they inlined changed or went: `inliners` maps each
 * recorded caller to what it inlined; callers already planned this run (`planned`) are left out.
 */
export function callersOf(
  changed: ReadonlySet<string>,
  inliners: ReadonlyMap<string, readonly string[]>,
  planned: ReadonlySet<string>,
): string[] {
  const callers: string[] = [];
  for (const [caller, inlined] of inliners) {
    if (!planned.has(caller) && inlined.some((key) => changed.has(key))) callers.push(caller);
  }
  return callers.sort();
}

function escapeText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
