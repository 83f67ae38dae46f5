/**
 * What a migrated qTest project must hold, derived independently from the Zephyr source (the mock's
 * store), and a field-by-field comparison of it with what was read back through the qTest API.
 * The mapping rules are written out here from the README's `ztoq migrate` section, not taken from
 * src/transform, so the comparison checks the engine rather than repeating it.
 */
import type { ZephyrStore } from "../../src/mock/zephyr/store.js";
import type { TestCase, TestCycle, TestExecution, TestExecutionStep, TestScript, TestStep } from "../../src/zephyr/schemas.js";
import {
  type Property,
  propertyName,
  propertyValue,
  type QTestTarget,
  type TargetLog,
  type TargetRun,
  type TargetSuite,
  type TargetTestCase,
} from "./qtest-target.js";

export const MARKER = "Zephyr Key";
export const AD_HOC = "ad-hoc";
export const AD_HOC_SUITE = "Ad hoc executions";
/** The ad-hoc suite's marker names its project: `<project key>-ad-hoc`. */
export const adHocSuiteMarker = (projectKey: string) => `${projectKey}-${AD_HOC}`;

/** The default mapping between the generated project's values and a new qTest project's (by name). */
export const EXPECTED_VALUES = {
  testCaseStatus: { Draft: "New", Approved: "Approved", Deprecated: "Obsolete" } as Record<string, string>,
  priority: { Critical: "Urgent", High: "High", Normal: "Medium", Low: "Low" } as Record<string, string>,
  cycleStatus: { "Not Executed": "New", "In Progress": "In Progress", Done: "Done" } as Record<string, string>,
  executionStatus: {
    Pass: "Passed",
    Fail: "Failed",
    Blocked: "Blocked",
    "In Progress": "Incomplete",
    "Not Executed": "Unexecuted",
  } as Record<string, string>,
  environment: { Chrome: "Chrome", Firefox: "Firefox", Safari: "Safari", "iOS 18": "Safari" } as Record<string, string>,
};

export type SourceContent = { kind: "steps"; steps: TestStep[] } | { kind: "script"; script: TestScript };

export interface SourceCase {
  testCase: TestCase;
  content: SourceContent;
  /** Folder names from the top down; empty when the case has no folder. */
  folderPath: string[];
}

export interface SourceCycle {
  cycle: TestCycle;
  folderPath: string[];
}

export interface SourceExecution {
  execution: TestExecution;
  /** The execution's marker: its key (or `<project key>-execution-<id>` when Zephyr gave it none). */
  marker: string;
  caseKey: string;
  /** Key of its cycle, or null for an execution outside any cycle. */
  cycleKey: string | null;
  steps: TestExecutionStep[];
}

export interface SourceProject {
  projectKey: string;
  caseFolderPaths: string[][];
  cycleFolderPaths: string[][];
  cases: SourceCase[];
  cycles: SourceCycle[];
  executions: SourceExecution[];
  /** Test plan keys: each becomes a release. */
  planKeys: string[];
  statusName: (id: number) => string;
  priorityName: (id: number) => string;
  environmentName: (id: number) => string;
}

/** The run marker of an execution: `<cycle key or ad-hoc>/<test case key>`. */
export const runMarker = (e: { cycleKey: string | null; caseKey: string }) => `${e.cycleKey ?? AD_HOC}/${e.caseKey}`;

/** Everything in the Zephyr project, read from the mock's store. */
export function readSource(store: ZephyrStore): SourceProject {
  const folders = [...store.folders()];
  const byId = new Map(folders.map((f) => [f.id, f]));
  const pathOf = (id: number | null | undefined): string[] => {
    const names: string[] = [];
    for (let f = id == null ? undefined : byId.get(id); f; f = f.parentId == null ? undefined : byId.get(f.parentId)) {
      names.unshift(f.name);
    }
    return names;
  };
  const statuses = new Map(store.statuses().map((s) => [s.id, s.name]));
  const priorities = new Map(store.priorities().map((p) => [p.id, p.name]));
  const environments = new Map(store.environments().map((e) => [e.id, e.name]));
  const cycles = store.testCycles().map((cycle) => ({ cycle, folderPath: pathOf(cycle.folder?.id) }));
  const cycleKeyById = new Map(cycles.map((c) => [c.cycle.id, c.cycle.key]));
  return {
    projectKey: store.project.key,
    caseFolderPaths: folders.filter((f) => f.folderType === "TEST_CASE").map((f) => pathOf(f.id)),
    cycleFolderPaths: folders.filter((f) => f.folderType === "TEST_CYCLE").map((f) => pathOf(f.id)),
    cases: store.testCases().map((testCase) => ({
      testCase,
      content: contentOf(store, testCase.key),
      folderPath: pathOf(testCase.folder?.id),
    })),
    cycles,
    executions: store.testExecutions().map((execution) => ({
      execution,
      marker: execution.key ?? `${store.project.key}-execution-${execution.id}`,
      caseKey: store.executionTestCaseKey(execution) ?? "?",
      cycleKey: execution.testCycle ? (cycleKeyById.get(execution.testCycle.id) ?? "?") : null,
      steps: store.testExecutionSteps(String(execution.id)),
    })),
    planKeys: store.testPlans().map((p) => p.key),
    statusName: (id) => statuses.get(id) ?? `#${id}`,
    priorityName: (id) => priorities.get(id) ?? `#${id}`,
    environmentName: (id) => environments.get(id) ?? `#${id}`,
  };
}

function contentOf(store: ZephyrStore, key: string): SourceContent {
  try {
    return { kind: "steps", steps: store.testSteps(key) };
  } catch {
    return { kind: "script", script: store.testScript(key) };
  }
}

/** What the generated project holds of each feature the migration must handle; all must be > 0. */
export function sourceFeatures(source: SourceProject) {
  const steps = source.cases.flatMap((c) => (c.content.kind === "steps" ? c.content.steps : []));
  const perItem = new Map<string, number>();
  for (const e of source.executions) if (e.cycleKey) perItem.set(runMarker(e), (perItem.get(runMarker(e)) ?? 0) + 1);
  const nonAscii = { test: (text: string) => [...text].some((ch) => (ch.codePointAt(0) ?? 0) > 0x7f) };
  const html = /<[a-z][^>]*>|&amp;|&lt;/i;
  return {
    casesWithMoreThan100Steps: source.cases.filter((c) => c.content.kind === "steps" && c.content.steps.length > 100).length,
    callToTestSteps: steps.filter((s) => s.testCase).length,
    callToTestStepsWithParameters: steps.filter((s) => (s.testCase?.parameters ?? []).length > 0).length,
    inlineStepsWithTestData: steps.filter((s) => s.inline?.testData).length,
    plainScripts: source.cases.filter((c) => c.content.kind === "script" && c.content.script.type === "plain").length,
    bddScripts: source.cases.filter((c) => c.content.kind === "script" && c.content.script.type === "bdd").length,
    unicodeNames: source.cases.filter((c) => nonAscii.test(c.testCase.name)).length,
    htmlObjectives: source.cases.filter((c) => html.test(c.testCase.objective ?? "")).length,
    htmlPreconditions: source.cases.filter((c) => html.test(c.testCase.precondition ?? "")).length,
    unicodeFolders: [...source.caseFolderPaths].filter((p) => nonAscii.test(p.at(-1) ?? "")).length,
    casesWithoutFolder: source.cases.filter((c) => c.folderPath.length === 0).length,
    casesWithLabels: source.cases.filter((c) => (c.testCase.labels ?? []).length > 0).length,
    executionsOutsideCycles: source.executions.filter((e) => e.cycleKey === null).length,
    casesExecutedTwiceInOneCycle: [...perItem.values()].filter((n) => n >= 2).length,
    executionsWithComment: source.executions.filter((e) => e.execution.comment).length,
    executionsWithStepResults: source.executions.filter((e) => e.steps.length > 0).length,
  };
}

export interface ComparisonFacts {
  /** Atlassian accountId → qTest username or user id (the configured user mapping). */
  users: Record<string, string | number>;
  /** The qTest project's users. */
  qtestUsers: readonly { id: number; username: string }[];
}

export interface ComparisonOptions {
  /** Markers of test cases gone from Zephyr that must still be in qTest (no --prune). */
  keptCases?: ReadonlySet<string>;
  /**
   * Test cases updated after their runs and logs were made: a run keeps the name it was made with
   * and an older log's step logs point at the steps of the version it was made on.
   */
  updatedCases?: ReadonlySet<string>;
}

export interface Comparison {
  /** Every difference found, one line each; empty when the target is right. */
  problems: string[];
  /** How many of each thing were actually compared (so a pass cannot be vacuous). */
  checked: {
    modules: number;
    testCases: number;
    steps: number;
    casesWithMoreThan100Steps: number;
    callToTestSteps: number;
    plainScripts: number;
    bddScripts: number;
    customFieldValues: number;
    cycles: number;
    suites: number;
    runs: number;
    logs: number;
    adHocLogs: number;
    runsWithSeveralLogs: number;
    stepLogs: number;
  };
}

const key = (path: readonly string[]) => path.join(" / ");

/** Compares, field by field, what qTest holds with what the Zephyr project says it must hold. */
export function compareTarget(
  source: SourceProject,
  target: QTestTarget,
  facts: ComparisonFacts,
  options: ComparisonOptions = {},
): Comparison {
  const problems: string[] = [];
  const checked: Comparison["checked"] = {
    modules: 0,
    testCases: 0,
    steps: 0,
    casesWithMoreThan100Steps: 0,
    callToTestSteps: 0,
    plainScripts: 0,
    bddScripts: 0,
    customFieldValues: 0,
    cycles: 0,
    suites: 0,
    runs: 0,
    logs: 0,
    adHocLogs: 0,
    runsWithSeveralLogs: 0,
    stepLogs: 0,
  };
  const same = (what: string, actual: unknown, expected: unknown) => {
    if (actual !== expected) problems.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  };
  const root = source.projectKey;
  problems.push(...target.inconsistencies);
  const userId = (accountId: string | null | undefined): string => {
    if (!accountId) return "";
    const mapped = facts.users[accountId];
    const user = facts.qtestUsers.find((u) => u.username === mapped || u.id === Number(mapped));
    return user ? String(user.id) : `(unmapped ${accountId})`;
  };

  // ---- modules: the folder tree under the root module --------------------------------------------
  const expectedModules = [[root], ...source.caseFolderPaths.map((p) => [root, ...p])].map(key).sort();
  const actualModules = target.modules.map((m) => key(m.path)).sort();
  same("module tree (paths)", JSON.stringify(actualModules), JSON.stringify(expectedModules));
  checked.modules = target.modules.length;

  // ---- test cases -----------------------------------------------------------------------------------
  const casesByMarker = groupBy(target.testCases, (t) => propertyValue(t.properties, MARKER) ?? "");
  const qtestCaseId = (caseKey: string) => casesByMarker.get(caseKey)?.[0]?.id;
  const sourceKeys = new Set(source.cases.map((c) => c.testCase.key));
  for (const [marker, found] of casesByMarker) {
    if (!sourceKeys.has(marker) && !options.keptCases?.has(marker)) {
      problems.push(`test case marked ${JSON.stringify(marker)} (qTest ${found.map((t) => t.id).join(", ")}) has no source`);
    }
  }
  for (const kept of options.keptCases ?? []) {
    same(`test case ${kept} (gone from Zephyr, kept in qTest): copies`, casesByMarker.get(kept)?.length ?? 0, 1);
  }
  same("test cases in qTest", target.testCases.length, source.cases.length + (options.keptCases?.size ?? 0));
  for (const sourceCase of source.cases) {
    const t = sourceCase.testCase;
    const found = casesByMarker.get(t.key) ?? [];
    if (found.length !== 1) {
      problems.push(`test case ${t.key}: ${found.length} copies in qTest, expected exactly 1`);
      continue;
    }
    const q = found[0] as TargetTestCase;
    checked.testCases++;
    const at = `test case ${t.key}`;
    same(`${at}: module`, key(q.modulePath), key([root, ...sourceCase.folderPath]));
    same(`${at}: name`, q.name, t.name);
    same(`${at}: description`, q.description, t.objective ?? "");
    same(`${at}: precondition`, q.precondition, t.precondition ?? "");
    compareSteps(at, sourceCase.content, q, qtestCaseId);
    compareCaseProperties(at, t, q.properties);
  }

  function compareSteps(at: string, content: SourceContent, q: TargetTestCase, caseId: (key: string) => number | undefined) {
    const steps = [...q.test_steps].sort((a, b) => a.order - b.order);
    if (content.kind === "script") {
      const { script } = content;
      same(`${at}: steps (one holding the ${script.type} script)`, steps.length, 1);
      same(
        `${at}: script step`,
        steps[0]?.description,
        script.type === "bdd" ? `<pre>${htmlEscaped(script.text)}</pre>` : script.text,
      );
      if (script.type === "bdd") checked.bddScripts++;
      else checked.plainScripts++;
      return;
    }
    same(`${at}: number of steps`, steps.length, content.steps.length);
    if (content.steps.length > 100 && steps.length === content.steps.length) checked.casesWithMoreThan100Steps++;
    content.steps.forEach((z, i) => {
      const s = steps[i];
      const where = `${at} step ${i + 1}`;
      if (!s) return;
      checked.steps++;
      same(`${where}: order`, s.order, i + 1);
      if (z.inline) {
        const description = z.inline.description ?? "";
        const testData = z.inline.testData;
        if (testData) {
          if (
            !s.description.startsWith(description) ||
            !s.description.endsWith(testData) ||
            !s.description.includes("Test data:")
          ) {
            problems.push(
              `${where}: description should hold ${JSON.stringify(description)} then "Test data: ${testData}"; got ${JSON.stringify(s.description)}`,
            );
          }
        } else {
          same(`${where}: description`, s.description, description);
        }
        same(`${where}: expected result`, s.expected, z.inline.expectedResult ?? "");
        if (s.called_test_case_id != null) problems.push(`${where}: an inline step calls test case ${s.called_test_case_id}`);
      } else if (z.testCase) {
        checked.callToTestSteps++;
        const callee = z.testCase.testCaseKey;
        const calleeId = caseId(callee);
        if (calleeId === undefined) problems.push(`${where}: called test case ${callee} is not in qTest`);
        same(`${where}: called_test_case_id (→ ${callee})`, s.called_test_case_id, calleeId);
        if (!s.description.includes(callee))
          problems.push(`${where}: description ${JSON.stringify(s.description)} does not name ${callee}`);
        const text = JSON.stringify([s.description, s.parameter_values ?? null]);
        for (const p of z.testCase.parameters ?? []) {
          if (p.value && !text.includes(p.value)) problems.push(`${where}: parameter ${p.name}=${p.value} lost (${text})`);
        }
      }
    });
  }

  function compareCaseProperties(at: string, t: TestCase, props: Property[]) {
    same(`${at}: ${MARKER}`, propertyValue(props, MARKER), t.key);
    const status = source.statusName(t.status.id);
    same(`${at}: Status (${status})`, propertyName(props, "Status"), EXPECTED_VALUES.testCaseStatus[status]);
    const priority = source.priorityName(t.priority.id);
    same(`${at}: Priority (${priority})`, propertyName(props, "Priority"), EXPECTED_VALUES.priority[priority]);
    same(`${at}: Assigned To`, propertyValue(props, "Assigned To"), userId(t.owner?.accountId));
    same(`${at}: Zephyr Labels`, propertyValue(props, "Zephyr Labels"), (t.labels ?? []).join(", "));
    const estimate = propertyValue(props, "Zephyr Estimated Time") ?? "";
    if ((t.estimatedTime != null) !== (estimate !== "")) {
      problems.push(`${at}: Zephyr Estimated Time ${JSON.stringify(estimate)} for an estimate of ${t.estimatedTime} ms`);
    }
    const component = propertyValue(props, "Zephyr Component") ?? "";
    if (t.component ? !component.includes(String(t.component.id)) : component !== "") {
      problems.push(`${at}: Zephyr Component ${JSON.stringify(component)} for component ${JSON.stringify(t.component ?? null)}`);
    }
    const links = propertyValue(props, "Zephyr Links") ?? "";
    const linkParts = [...(t.links?.issues ?? []).map((l) => String(l.issueId)), ...(t.links?.webLinks ?? []).map((l) => l.url)];
    if (linkParts.length === 0 ? links !== "" : linkParts.some((part) => !links.includes(part))) {
      problems.push(`${at}: Zephyr Links ${JSON.stringify(links)} for links ${JSON.stringify(linkParts)}`);
    }
    for (const [name, value] of Object.entries(t.customFields ?? {})) {
      const where = `${at}: custom field ${name}`;
      const stored = propertyValue(props, name);
      const shown = propertyName(props, name);
      if (stored === undefined) {
        problems.push(`${where}: no such field on the qTest test case`);
        continue;
      }
      checked.customFieldValues++;
      const empty = value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
      if (empty) {
        same(where, stored, "");
        continue;
      }
      switch (name) {
        case "Build Number":
        case "Effort (days)":
          same(where, Number(stored), value);
          break;
        case "Release Date":
          same(where, Date.parse(stored), Date.parse(`${String(value)}T00:00:00Z`));
          break;
        case "Implemented":
          same(where, shown, value === true ? "Yes" : "No");
          break;
        case "Category":
          same(where, shown, value);
          break;
        case "Platforms":
          same(
            where,
            JSON.stringify(
              (shown ?? "")
                .replace(/^\[|\]$/g, "")
                .split(",")
                .map((v) => v.trim())
                .filter(Boolean)
                .sort(),
            ),
            JSON.stringify([...(value as string[])].sort()),
          );
          break;
        case "Reviewer":
          same(where, stored, userId(String(value)));
          break;
        default:
          same(where, stored, String(value));
      }
    }
  }

  // ---- test cycles and suites -----------------------------------------------------------------------
  const expectedCycles = [[root], ...source.cycleFolderPaths.map((p) => [root, ...p])].map(key).sort();
  same("test cycle tree (paths)", JSON.stringify(target.cycles.map((c) => key(c.path)).sort()), JSON.stringify(expectedCycles));
  checked.cycles = target.cycles.length;

  const suitesByMarker = groupBy(target.suites, (s) => propertyValue(s.properties, MARKER) ?? "");
  const adHoc = source.executions.some((e) => e.cycleKey === null);
  const adHocMarker = adHocSuiteMarker(source.projectKey);
  const expectedSuiteMarkers = new Set([...source.cycles.map((c) => c.cycle.key), ...(adHoc ? [adHocMarker] : [])]);
  for (const [marker, found] of suitesByMarker) {
    if (!expectedSuiteMarkers.has(marker))
      problems.push(`test suite marked ${JSON.stringify(marker)} (${found.length}) has no source`);
  }
  same("test suites in qTest", target.suites.length, expectedSuiteMarkers.size);
  const suiteOf = (marker: string): TargetSuite | undefined => {
    const found = suitesByMarker.get(marker) ?? [];
    if (found.length !== 1) problems.push(`test suite ${marker}: ${found.length} copies in qTest, expected exactly 1`);
    return found.length === 1 ? found[0] : undefined;
  };
  for (const { cycle, folderPath } of source.cycles) {
    const s = suiteOf(cycle.key);
    if (!s) continue;
    checked.suites++;
    const at = `test suite ${cycle.key}`;
    same(`${at}: name`, s.name, cycle.name);
    same(`${at}: test cycle`, key(s.cyclePath), key([root, ...folderPath]));
    const status = cycle.status ? source.statusName(cycle.status.id) : undefined;
    if (status) same(`${at}: Status (${status})`, propertyName(s.properties, "Status"), EXPECTED_VALUES.cycleStatus[status]);
    for (const [label, value] of [
      ["Planned Start Date", cycle.plannedStartDate],
      ["Planned End Date", cycle.plannedEndDate],
    ] as const) {
      const stored = propertyValue(s.properties, label) ?? "";
      if (value) same(`${at}: ${label}`, Date.parse(stored), Date.parse(value));
    }
    same(`${at}: Assigned To`, propertyValue(s.properties, "Assigned To"), userId(cycle.owner?.accountId));
    same(`${at}: Description`, propertyValue(s.properties, "Description") ?? "", cycle.description ?? "");
  }
  if (adHoc) {
    const s = suiteOf(adHocMarker);
    if (s) {
      checked.suites++;
      same("ad-hoc suite: name", s.name, AD_HOC_SUITE);
      same("ad-hoc suite: test cycle", key(s.cyclePath), key([root]));
    }
  }

  // ---- test runs ------------------------------------------------------------------------------------
  const runsByMarker = groupBy(target.runs, (r) => propertyValue(r.properties, MARKER) ?? "");
  const expectedRuns = new Map<string, SourceExecution>();
  for (const e of source.executions) if (!expectedRuns.has(runMarker(e))) expectedRuns.set(runMarker(e), e);
  for (const [marker, found] of runsByMarker) {
    if (!expectedRuns.has(marker)) problems.push(`test run marked ${JSON.stringify(marker)} (${found.length}) has no source`);
  }
  same("test runs in qTest", target.runs.length, expectedRuns.size);
  same("test runs anywhere in the project (root, descendants)", target.allRunIds.length, target.runs.length);
  const caseByKey = new Map(source.cases.map((c) => [c.testCase.key, c]));
  const runOf = new Map<string, TargetRun>();
  for (const [marker, e] of expectedRuns) {
    const found = runsByMarker.get(marker) ?? [];
    if (found.length !== 1) {
      problems.push(`test run ${marker}: ${found.length} copies in qTest, expected exactly 1`);
      continue;
    }
    const r = found[0] as TargetRun;
    runOf.set(marker, r);
    checked.runs++;
    const suite = suitesByMarker.get(e.cycleKey ?? adHocMarker)?.[0];
    same(`test run ${marker}: suite`, r.suiteId, suite?.id);
    same(`test run ${marker}: test case`, r.test_case.id, qtestCaseId(e.caseKey));
    if (!options.updatedCases?.has(e.caseKey)) {
      same(`test run ${marker}: name`, r.name, caseByKey.get(e.caseKey)?.testCase.name);
    }
  }

  // ---- test logs ------------------------------------------------------------------------------------
  const logsByMarker = groupBy(target.logs, (l) => propertyValue(l.properties, MARKER) ?? "");
  const executed = source.executions.filter((e) => e.execution.actualEndDate);
  const expectedLogs = new Set(executed.map((e) => e.marker));
  for (const [marker, found] of logsByMarker) {
    if (!expectedLogs.has(marker)) problems.push(`test log marked ${JSON.stringify(marker)} (${found.length}) has no source`);
  }
  same("test logs in qTest", target.logs.length, expectedLogs.size);
  const logsPerRun = new Map<number, number>();
  for (const e of executed) {
    const found = logsByMarker.get(e.marker) ?? [];
    if (found.length !== 1) {
      problems.push(`test log ${e.marker}: ${found.length} copies in qTest, expected exactly 1`);
      continue;
    }
    const l = found[0] as TargetLog;
    const at = `test log ${e.marker} (${runMarker(e)})`;
    checked.logs++;
    if (e.cycleKey === null) checked.adHocLogs++;
    const run = runOf.get(runMarker(e));
    same(`${at}: run`, l.runId, run?.id);
    if (run) logsPerRun.set(run.id, (logsPerRun.get(run.id) ?? 0) + 1);
    const x = e.execution;
    const status = source.statusName(x.testExecutionStatus.id);
    same(`${at}: status (${status})`, l.status.name, EXPECTED_VALUES.executionStatus[status]);
    const end = Date.parse(x.actualEndDate ?? "");
    same(`${at}: exe_end_date (${x.actualEndDate})`, Date.parse(l.exe_end_date), end);
    same(`${at}: exe_start_date`, Date.parse(l.exe_start_date), end - (x.executionTime ?? 0));
    same(`${at}: note`, l.note ?? "", x.comment ?? "");
    const environment = x.environment ? EXPECTED_VALUES.environment[source.environmentName(x.environment.id)] : "";
    same(`${at}: Environment`, propertyName(l.properties, "Environment") ?? "", environment);
    const withStatus = e.steps.filter((s) => s.inline.status);
    const stepLogs = [...l.test_step_logs].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
    same(`${at}: number of step logs`, stepLogs.length, withStatus.length);
    const sourceCase = caseByKey.get(e.caseKey);
    const qCase = casesByMarker.get(e.caseKey)?.[0];
    const inlineStepIds =
      sourceCase?.content.kind === "steps" && qCase
        ? [...qCase.test_steps]
            .sort((a, b) => a.order - b.order)
            .filter((_, i) => (sourceCase.content as { steps: TestStep[] }).steps[i]?.inline)
            .map((s) => s.id)
        : [];
    withStatus.forEach((step, i) => {
      const log = stepLogs[i];
      if (!log) return;
      checked.stepLogs++;
      const name = source.statusName(step.inline.status?.id ?? 0);
      same(`${at} step log ${i + 1}: status (${name})`, log.status.name, EXPECTED_VALUES.executionStatus[name]);
      same(`${at} step log ${i + 1}: actual result`, log.actual_result ?? "", step.inline.actualResult ?? "");
      // A log made against an earlier version of its case points at that version's steps (not served here).
      const onCurrentVersion = l.test_case_version_id == null || l.test_case_version_id === qCase?.test_case_version_id;
      if (!options.updatedCases?.has(e.caseKey) && onCurrentVersion) {
        same(`${at} step log ${i + 1}: test step`, log.test_step_id, inlineStepIds[i]);
      }
    });
  }
  checked.runsWithSeveralLogs = [...logsPerRun.values()].filter((n) => n > 1).length;
  return { problems, checked };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

/** Source counts per qTest object type, for report and completeness checks. */
export function expectedCounts(source: SourceProject) {
  const runs = new Set(source.executions.map(runMarker));
  return {
    module: source.caseFolderPaths.length + 1,
    testCase: source.cases.length,
    testCycle: source.cycleFolderPaths.length + 1,
    testSuite: source.cycles.length + (source.executions.some((e) => e.cycleKey === null) ? 1 : 0),
    testRun: runs.size,
    testLog: source.executions.filter((e) => e.execution.actualEndDate).length,
    release: source.planKeys.length,
    // No requirement is made unless mapping.requirements.create asks (these fixtures do not).
    requirement: 0,
  };
}

/** The counts of what was read back, by the same names. */
export function targetCounts(target: QTestTarget) {
  return {
    module: target.modules.length,
    testCase: target.testCases.length,
    testCycle: target.cycles.length,
    testSuite: target.suites.length,
    testRun: target.runs.length,
    testLog: target.logs.length,
    release: target.releases.length,
    requirement: target.requirements.length,
  };
}

/** Written out again rather than imported: the expectation must not share the engine's code. */
function htmlEscaped(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
