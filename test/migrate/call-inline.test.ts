import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.js";
import { Progress } from "../../src/progress/progress.js";
import type { MigrationReport } from "../../src/report/migration-report.js";
import { verify } from "../../src/verify/run.js";
import type { TestStep } from "../../src/zephyr/schemas.js";
import { readSource, type SourceProject } from "../support/expected-target.js";
import { httpClient } from "../support/http.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";
import { propertyValue, type QTestTarget, readTarget } from "../support/qtest-target.js";

/**
 * `migration.callToTest: inline` through the mocks: a generated project migrated, every qTest case read
 * back through the qTest API and checked step by step against its Zephyr steps with each call replaced
 * by the callee's steps, parameter values put in (worked out here on its own, not by the product's
 * rules); `verify` agrees. Then a called case is edited in Zephyr — and made to call another case —
 * and one incremental run brings its unchanged callers up to date; a second run writes nothing.
 */

const SPAN = (name: string) => `<span class="atwho-inserted" data-atwho-at-query="{">{${name}}</span>`;

interface Step {
  description: string;
  expected: string;
}

function fill(text: string, values: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [name, value] of values) out = out.replaceAll(SPAN(name), value).replaceAll(`{${name}}`, value);
  return out;
}

/** What a Zephyr case becomes with its calls inlined: the generated project has neither loops nor scripts called. */
function expectedSteps(source: SourceProject, key: string, values: ReadonlyMap<string, string> = new Map()): Step[] {
  const content = source.cases.find((c) => c.testCase.key === key)?.content;
  if (content?.kind !== "steps") throw new Error(`${key} is not a case with steps`);
  return content.steps.flatMap((step): Step[] => {
    if (step.inline) {
      const { description, testData, expectedResult } = step.inline;
      const data = testData ? `<br><br><b>Test data:</b> ${fill(testData, values)}` : "";
      return [{ description: fill(description ?? "", values) + data, expected: fill(expectedResult ?? "", values) }];
    }
    const call = step.testCase as NonNullable<TestStep["testCase"]>;
    const given = new Map<string, string>();
    for (const p of call.parameters ?? []) if (p.name && p.value != null) given.set(p.name, fill(p.value, values));
    return expectedSteps(source, call.testCaseKey, given);
  });
}

const callsOf = (source: SourceProject, key: string) => {
  const content = source.cases.find((c) => c.testCase.key === key)?.content;
  return content?.kind === "steps" ? content.steps.flatMap((s) => (s.testCase ? [s.testCase] : [])) : [];
};

function actualSteps(target: QTestTarget, key: string) {
  const found = target.testCases.filter((t) => propertyValue(t.properties, "Zephyr Key") === key);
  expect(found, key).toHaveLength(1);
  return [...(found[0]?.test_steps ?? [])].sort((a, b) => a.order - b.order);
}

/** Each case with calls: its qTest steps are the expected ones, in order, and call nothing. */
function checkInlined(source: SourceProject, target: QTestTarget, keys: readonly string[]) {
  for (const key of keys) {
    const actual = actualSteps(target, key);
    expect(
      actual.map((s) => ({ description: s.description, expected: s.expected })),
      key,
    ).toEqual(expectedSteps(source, key));
    expect(
      actual.map((s) => s.order),
      key,
    ).toEqual(actual.map((_, i) => i + 1));
    expect(
      actual.filter((s) => s.called_test_case_id != null),
      key,
    ).toEqual([]);
  }
}

describe("callToTest: inline, through the mocks", () => {
  let f: MigrationFixture;
  let before: SourceProject;
  let after: SourceProject;
  let firstTarget: QTestTarget;
  let full: { report: MigrationReport; exitCode: number };
  let incremental: { report: MigrationReport; exitCode: number };
  let again: { report: MigrationReport; exitCode: number };
  let writesBeforeAgain = 0;
  const verified: { exitCode: number; status: string }[] = [];
  const picked = { callee: "", nested: "", callers: [] as string[] };

  const runVerify = async () => {
    const log = createLogger({ test: true });
    log.level = "warn";
    const { report, exitCode } = await verify({
      config: f.config,
      reportPath: join(f.dir, "verification-report.json"),
      log,
      progress: new Progress({ quiet: true }),
    });
    verified.push({ exitCode, status: report.status });
  };

  beforeAll(async () => {
    f = await migrationFixture({ generate: 60, seed: 5 });
    f.config.migration.callToTest = "inline";
    // The mock marks every loaded case changed when it starts: two seconds on (whole seconds, one
    // earlier), the next incremental run sees only what changes after this run.
    await sleep(2100);
    full = await f.run();
    before = readSource(f.mocks.zephyr.store);
    firstTarget = await readTarget(f.mocks.qtest);
    await runVerify();

    // The callee: called with parameters, its steps holding placeholders. Its edit keeps its number
    // of steps (its executions keep pairing), rewrites their text and calls another case.
    const hasPlaceholder = (key: string) =>
      callsOf(before, key).length === 0 && JSON.stringify(expectedSteps(before, key)).includes("{username}");
    const calledWithValues = before.cases.flatMap((c) =>
      callsOf(before, c.testCase.key).filter((call) => (call.parameters ?? []).length > 0),
    );
    const callee = calledWithValues.map((call) => call.testCaseKey).find(hasPlaceholder) ?? "";
    const nested = before.cases.map((c) => c.testCase.key).find((key) => key !== callee && hasPlaceholder(key)) ?? "";
    Object.assign(picked, {
      callee,
      nested,
      callers: before.cases
        .filter((c) => callsOf(before, c.testCase.key).some((call) => call.testCaseKey === callee))
        .map((c) => c.testCase.key),
    });
    expect(picked.callee).not.toBe("");
    expect(picked.nested).not.toBe("");

    // Zephyr's `updatedAfter` has whole-second precision.
    await sleep(1100);
    const zephyr = httpClient(f.mocks.zephyr.url, f.mocks.zephyr.token);
    const old = expectedSteps(before, callee);
    const edit = await zephyr.post(`/testcases/${callee}/teststeps`, {
      mode: "OVERWRITE",
      items: [
        ...old.map((_, i) => ({
          inline: { description: `Edited ${i + 1} for ${SPAN("username")}`, expectedResult: "Works in {locale}" },
        })),
        {
          testCase: {
            testCaseKey: nested,
            parameters: [
              { name: "username", type: "DEFAULT_VALUE", value: "{username}" },
              { name: "locale", type: "MANUAL_INPUT", value: "fr-FR" },
            ],
          },
        },
      ],
    });
    expect(edit.status, JSON.stringify(edit.body)).toBeLessThan(300);
    after = readSource(f.mocks.zephyr.store);
    incremental = await f.run({ mode: "incremental" });
    await runVerify();
    writesBeforeAgain = f.mocks.qtest.stats.writes;
    again = await f.run({ mode: "incremental" });
  }, 120_000);
  afterAll(async () => {
    await f?.close();
  });

  it("migrates with exit code 0, and verify passes (exit 0)", () => {
    expect(full.report.error).toBeNull();
    expect(full.exitCode).toBe(0);
    expect(verified[0]).toEqual({ exitCode: 0, status: "passed" });
  });

  it("puts each called case's steps in place of the call, values substituted, as qTest reads them back", () => {
    const callers = before.cases.filter((c) => callsOf(before, c.testCase.key).length > 0).map((c) => c.testCase.key);
    expect(callers.length).toBeGreaterThan(3);
    checkInlined(before, firstTarget, callers);

    // What was checked holds both: placeholders a call gave values for, and placeholders it did not.
    const texts = callers.flatMap((key) => actualSteps(firstTarget, key).map((s) => `${s.description} ${s.expected}`));
    expect(texts.some((t) => /Sign in as user\d@example\.com/.test(t))).toBe(true);
    expect(texts.some((t) => /\(in (en-GB|de-DE|ja-JP)\)/.test(t))).toBe(true);
    expect(texts.some((t) => t.includes("{username}"))).toBe(true);
    expect(texts.some((t) => t.includes("atwho-inserted"))).toBe(true);
  });

  it("after a callee's edit, one incremental run brings its unchanged callers up to date, nested call included", async () => {
    expect(incremental.exitCode).toBe(0);
    expect(picked.callers.length).toBeGreaterThan(0);
    const testCase = incremental.report.entities.find((e) => e.type === "testCase");
    // The callee and each of its callers; none of the callers changed in Zephyr.
    expect(testCase?.updated).toBe(1 + picked.callers.length);
    const target = await readTarget(f.mocks.qtest);
    checkInlined(after, target, [picked.callee, ...picked.callers]);
    const texts = picked.callers.flatMap((key) => actualSteps(target, key).map((s) => s.description));
    expect(texts.some((t) => /^Edited 1 for user\d@example\.com$/.test(t))).toBe(true);
    // The nested case got the caller's username through the callee, and the callee's own locale.
    const nested = expectedSteps(after, picked.nested, new Map([["locale", "fr-FR"]])).at(-1)?.expected ?? "?";
    const expectedTexts = picked.callers.flatMap((key) => actualSteps(target, key).map((s) => s.expected));
    expect(nested).toMatch(/\(in fr-FR\)$/);
    expect(expectedTexts).toContain(nested);
    expect(verified[1]).toEqual({ exitCode: 0, status: "passed" });
  });

  it("a second incremental run writes nothing", () => {
    expect(again.exitCode).toBe(0);
    expect(again.report.totals.created + again.report.totals.updated).toBe(0);
    expect(f.mocks.qtest.stats.writes).toBe(writesBeforeAgain);
  });
});
