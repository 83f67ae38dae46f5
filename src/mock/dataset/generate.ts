import { toZephyrDateTime as iso } from "../../zephyr/datetime.js";
import type {
  Folder,
  Status,
  StatusType,
  TestCase,
  TestCycle,
  TestExecution,
  TestExecutionStep,
  TestStep,
} from "../../zephyr/schemas.js";
import type { Snapshot } from "../../zephyr/snapshot.js";
import { SeededRandom } from "../random.js";
import { bddScript, expected, plainScript, richText, sentence, testData, title } from "./text.js";
import { generateTraceability } from "./traceability.js";

export interface GenerateOptions {
  /** About how many test cases the project has. */
  testCases: number;
  seed?: number;
  projectKey?: string;
  /** The Zephyr base URL (`…/v2`) the `self` links point at. */
  baseUrl?: string;
}

const PROJECT_ID = 10005;
const EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR = 3_600_000;

/**
 * A deterministic, realistic Zephyr Scale project: nested folders (some empty, one chain deep),
 * steps from none to 150 (so step paging matters), call-to-test steps with parameters, plain and
 * BDD scripts, custom fields of every value shape, cycles inside and outside folders, the same case
 * executed more than once in a cycle, executions outside any cycle, and step results.
 */
export function generateProject(options: GenerateOptions): Snapshot {
  const random = new SeededRandom(options.seed ?? 1);
  const key = options.projectKey ?? "DEMO";
  const base = options.baseUrl ?? "https://api.zephyrscale.smartbear.com/v2";
  const count = Math.max(1, Math.round(options.testCases));
  const project = { id: PROJECT_ID, jiraProjectId: 10100, key, enabled: true };
  const projectRef = { id: PROJECT_ID, self: `${base}/projects/${PROJECT_ID}` };
  const ref = (collection: string, id: number) => ({ id, self: `${base}/${collection}/${id}` });
  const users = Array.from({ length: 8 }, (_, i) => `5b10a2844c20165700ede2${(i + 10).toString(16).padStart(2, "0")}`);
  const owner = (r: SeededRandom) =>
    r.chance(0.8)
      ? ((id: string) => ({ self: `https://example.atlassian.net/rest/api/2/user?accountId=${id}`, accountId: id }))(
          r.pick(users),
        )
      : null;

  // ---- statuses, priorities, environments --------------------------------------------------
  const statuses: Status[] = [];
  const statusTypes: Record<string, StatusType> = {};
  const addStatus = (type: StatusType, name: string, color: string, extra: { default?: boolean; archived?: boolean } = {}) => {
    const id = 10000 + statuses.length;
    statuses.push({
      id,
      project: projectRef,
      name,
      description: null,
      index: statuses.filter((s) => statusTypes[String(s.id)] === type).length,
      color,
      archived: extra.archived ?? false,
      default: extra.default ?? false,
    });
    statusTypes[String(id)] = type;
    return id;
  };
  const caseStatuses = [
    addStatus("TEST_CASE", "Draft", "#cccccc", { default: true }),
    addStatus("TEST_CASE", "Approved", "#00ff00"),
    addStatus("TEST_CASE", "Deprecated", "#ff0000"),
  ];
  addStatus("TEST_CASE", "Legacy Review", "#999999", { archived: true });
  const cycleStatuses = [
    addStatus("TEST_CYCLE", "Not Executed", "#cccccc", { default: true }),
    addStatus("TEST_CYCLE", "In Progress", "#ffff00"),
    addStatus("TEST_CYCLE", "Done", "#00ff00"),
  ];
  const notExecuted = addStatus("TEST_EXECUTION", "Not Executed", "#cccccc", { default: true });
  const executionStatuses = [
    addStatus("TEST_EXECUTION", "In Progress", "#ffff00"),
    addStatus("TEST_EXECUTION", "Pass", "#00ff00"),
    addStatus("TEST_EXECUTION", "Fail", "#ff0000"),
    addStatus("TEST_EXECUTION", "Blocked", "#4444ff"),
  ];
  const stepStatuses = [notExecuted, ...executionStatuses];
  const priorities = ["Critical", "High", "Normal", "Low"].map((name, index) => ({
    id: 1 + index,
    project: projectRef,
    name,
    description: `${name} priority`,
    index,
    color: ["#ff0000", "#ff8800", "#0088ff", "#888888"][index] as string,
    default: name === "Normal",
  }));
  const environments = ["Chrome", "Firefox", "Safari", "iOS 18"].map((name, index) => ({
    id: 1 + index,
    project: projectRef,
    name,
    description: `${name} test environment`,
    index,
    archived: false,
  }));

  // ---- folders -----------------------------------------------------------------------------
  const folders: Folder[] = [];
  const folderNames = ["Authentication", "Checkout", "Reporting", "Admin", "Mobile", "API", "Billing", "Search"];
  const addFolder = (type: "TEST_CASE" | "TEST_CYCLE", parentId: number | null, name: string) => {
    const id = 100_000 + folders.length + 1;
    const siblings = folders.filter((f) => f.parentId === parentId && f.folderType === type).length;
    folders.push({ id, parentId, name, index: siblings, folderType: type, project: projectRef });
    return id;
  };
  const folderRandom = random.fork("folders");
  const caseFolderCount = Math.max(4, Math.round(count / 15));
  const caseFolders: number[] = [];
  for (let i = 0; i < caseFolderCount; i++) {
    const parent = i < 3 || caseFolders.length === 0 || folderRandom.chance(0.3) ? null : folderRandom.pick(caseFolders);
    const name = `${folderRandom.pick(folderNames)} ${i + 1}${folderRandom.chance(0.1) ? " – Größe & «Übersicht»" : ""}`;
    caseFolders.push(addFolder("TEST_CASE", parent, name));
  }
  // One deep chain, and empty folders that a migration must still create.
  let deepParent: number | null = null;
  for (let depth = 1; depth <= 7; depth++) deepParent = addFolder("TEST_CASE", deepParent, `Level ${depth}`);
  caseFolders.push(deepParent as number);
  const emptyParent = addFolder("TEST_CASE", null, "Empty area");
  addFolder("TEST_CASE", emptyParent, "Nothing here yet");
  const cycleFolders: number[] = [];
  for (let i = 0; i < Math.max(2, Math.round(count / 200)); i++) {
    const parent = cycleFolders.length > 0 && folderRandom.chance(0.4) ? folderRandom.pick(cycleFolders) : null;
    cycleFolders.push(addFolder("TEST_CYCLE", parent, `Release ${2025 + Math.floor(i / 4)}.${(i % 4) + 1}`));
  }
  addFolder("TEST_CYCLE", null, "Archive (empty)");

  // ---- test cases --------------------------------------------------------------------------
  const testCases: TestCase[] = [];
  const testSteps: Record<string, TestStep[]> = {};
  const testScripts: Record<string, { id: number; type: "plain" | "bdd"; text: string }> = {};
  const categories = ["Functional", "Security", "Performance", "Usability"];
  const platforms = ["Web", "Android", "iOS", "Desktop"];
  let stepId = 1;
  let scriptId = 1;
  const callable: string[] = [];
  for (let i = 1; i <= count; i++) {
    const r = random.fork(`case-${i}`);
    const caseKey = `${key}-T${i}`;
    const id = 1000 + i;
    testCases.push({
      id,
      key: caseKey,
      name: title(r).slice(0, 255),
      project: projectRef,
      createdOn: iso(EPOCH + i * HOUR),
      objective: r.chance(0.85) ? richText(r) : null,
      precondition: r.chance(0.6) ? richText(r) : null,
      estimatedTime: r.chance(0.7) ? r.int(1, 120) * 60_000 : null,
      labels: r.sample(["Regression", "Smoke", "Automated", "Performance", "UI", "API", "Flaky"], r.int(0, 3)),
      component: r.chance(0.5) ? jiraRef("component", 10000 + r.int(1, 5)) : null,
      priority: ref("priorities", r.pick(priorities).id),
      status: ref("statuses", r.pick(caseStatuses)),
      folder: r.chance(0.92) ? ref("folders", r.pick(caseFolders)) : null,
      owner: owner(r),
      testScript: { self: `${base}/testcases/${caseKey}/testscript` },
      customFields: {
        "Build Number": r.chance(0.8) ? r.int(1, 500) : null,
        "Release Date": r.chance(0.7) ? `2025-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}` : null,
        "Pre-Condition(s)": r.chance(0.5) ? `${sentence(r)}. <br> ${sentence(r)}.` : null,
        Implemented: r.chance(0.5),
        Category: r.chance(0.9) ? r.pick(categories) : null,
        Platforms: r.sample(platforms, r.int(0, 3)),
        Reviewer: r.chance(0.6) ? r.pick(users) : null,
        "Effort (days)": r.chance(0.5) ? r.int(1, 40) / 4 : null,
      },
      links: {
        self: `${base}/testcases/${caseKey}/links`,
        issues: Array.from({ length: r.int(0, 2) }, (_, n) => ({
          self: `${base}/links/${id * 10 + n}`,
          ...((issueId) => ({ issueId, target: jiraRef("issue", issueId).self }))(20000 + r.int(1, 300)),
          id: id * 10 + n,
          type: r.pick(["COVERAGE", "BLOCKS", "RELATED"] as const),
        })),
        webLinks: r.chance(0.2)
          ? [
              {
                self: `${base}/links/${id * 10 + 5}`,
                description: "Design doc",
                url: `https://wiki.example.com/page/${i}`,
                id: id * 10 + 5,
                type: "RELATED" as const,
              },
            ]
          : [],
      },
    });
    const roll = r.next();
    if (roll < 0.05) {
      testScripts[caseKey] = { id: scriptId++, type: "plain", text: plainScript(r) };
      continue;
    }
    if (roll < 0.1) {
      testScripts[caseKey] = { id: scriptId++, type: "bdd", text: bddScript(r) };
      continue;
    }
    const size = roll < 0.14 ? r.int(101, 150) : roll < 0.24 ? r.int(13, 60) : roll < 0.3 ? 0 : r.int(1, 12);
    const steps: TestStep[] = [];
    for (let n = 0; n < size; n++) {
      if (callable.length > 0 && r.chance(0.06)) {
        const target = r.pick(callable);
        steps.push({
          id: stepId++,
          testCase: {
            self: `${base}/testcases/${target}/teststeps`,
            testCaseKey: target,
            parameters: r.chance(0.5)
              ? [
                  { name: "username", type: "DEFAULT_VALUE", value: `user${r.int(1, 9)}@example.com` },
                  { name: "locale", type: "MANUAL_INPUT", value: r.pick(["en-GB", "de-DE", "ja-JP"]) },
                ]
              : [],
          },
        });
        continue;
      }
      steps.push({
        id: stepId++,
        inline: {
          description: richText(r),
          testData: testData(r),
          expectedResult: expected(r),
          customFields: {},
          reflectRef: null,
        },
      });
    }
    testSteps[caseKey] = steps;
    // Only cases whose steps are all inline are called, so calls never nest into cycles.
    if (size > 0 && size <= 12 && steps.every((s) => s.inline)) {
      callable.push(caseKey);
      // Chosen by index, not drawn: every seed keeps the data it had, placeholders aside.
      if (i % 2 === 0) takeParameters(steps, i);
    }
  }

  // ---- test cycles and executions ----------------------------------------------------------
  const testCycles: TestCycle[] = [];
  const testExecutions: TestExecution[] = [];
  const testExecutionSteps: Record<string, TestExecutionStep[]> = {};
  let executionStepId = 1;
  const cycleCount = Math.max(2, Math.round(count / 25));
  const addExecution = (r: SeededRandom, testCase: TestCase, cycle: TestCycle | null, when: number) => {
    const n = testExecutions.length + 1;
    const id = 50_000 + n;
    const status = r.pick(executionStatuses);
    testExecutions.push({
      id,
      key: `${key}-E${n}`,
      project: projectRef,
      testCase: { id: testCase.id, self: `${base}/testcases/${testCase.key}/versions/1` },
      environment: r.chance(0.75) ? ref("environments", r.pick(environments).id) : null,
      jiraProjectVersion: cycle?.jiraProjectVersion ?? null,
      testExecutionStatus: ref("statuses", status),
      actualEndDate: iso(when),
      estimatedTime: testCase.estimatedTime ?? null,
      executionTime: r.chance(0.8) ? r.int(5, 3600) * 1000 : null,
      executedById: r.chance(0.9) ? r.pick(users) : null,
      assignedToId: r.chance(0.5) ? r.pick(users) : null,
      comment: r.chance(0.4) ? richText(r) : null,
      automated: false,
      testCycle: cycle ? ref("testcycles", cycle.id) : null,
      customFields: {},
      links: { self: `${base}/testexecutions/${id}/links`, issues: [] },
    });
    const inline = (testSteps[testCase.key] ?? []).flatMap((s) => (s.inline ? [s.inline] : []));
    testExecutionSteps[String(id)] = inline.map((step) => ({
      id: executionStepId++,
      inline: {
        description: step.description ?? null,
        testData: step.testData ?? null,
        expectedResult: step.expectedResult ?? null,
        actualResult: r.chance(0.5) ? expected(r) : null,
        testDataRowNumber: null,
        reflectRef: null,
        status: ref("statuses", r.pick(stepStatuses)),
      },
    }));
  };
  for (let c = 1; c <= cycleCount; c++) {
    const r = random.fork(`cycle-${c}`);
    const start = EPOCH + (count + c * 24) * HOUR;
    const cycle: TestCycle = {
      id: 20_000 + c,
      key: `${key}-R${c}`,
      name: `${r.pick(["Sprint", "Regression", "Release", "Smoke"])} ${c}${r.chance(0.1) ? " — nächtlich 🌙" : ""}`,
      project: projectRef,
      jiraProjectVersion: r.chance(0.5) ? jiraRef("version", 10000 + r.int(1, 6)) : null,
      status: ref("statuses", r.pick(cycleStatuses)),
      folder: c === 1 ? null : r.chance(0.8) ? ref("folders", r.pick(cycleFolders)) : null,
      description: r.chance(0.7) ? richText(r) : null,
      plannedStartDate: iso(start),
      plannedEndDate: iso(start + r.int(2, 14) * 24 * HOUR),
      owner: owner(r),
      customFields: { "Sprint Goal": r.chance(0.5) ? sentence(r) : null },
      links: { self: `${base}/testcycles/${20_000 + c}/links`, issues: [], webLinks: [], testPlans: [] },
    };
    testCycles.push(cycle);
    const members = r.sample(testCases, Math.min(testCases.length, r.int(5, 40)));
    for (const testCase of members) {
      const runs = r.chance(0.12) ? r.int(2, 3) : 1;
      for (let k = 0; k < runs; k++) addExecution(r, testCase, cycle, start + (k + 1) * r.int(1, 20) * HOUR);
    }
  }
  const looseRandom = random.fork("executions-outside-cycles");
  for (let n = 0; n < Math.max(2, Math.round(count / 50)); n++) {
    addExecution(looseRandom, looseRandom.pick(testCases), null, EPOCH + (count + n) * HOUR);
  }

  // ---- test plans and Jira issues: last, from a generator of their own ----------------------
  const planStatuses = [
    addStatus("TEST_PLAN", "Draft", "#cccccc", { default: true }),
    addStatus("TEST_PLAN", "Approved", "#00ff00"),
    addStatus("TEST_PLAN", "Deprecated", "#ff0000"),
  ];
  const { testPlans, jiraIssues } = generateTraceability({
    seed: options.seed ?? 1,
    key,
    base,
    projectRef,
    testCases,
    testCycles,
    users,
    planStatuses,
  });

  return {
    project,
    folders,
    statuses,
    priorities,
    environments,
    testCases,
    testCycles,
    testExecutions,
    testSteps,
    testScripts,
    testExecutionSteps,
    statusTypes,
    testPlans,
    jiraIssues,
  };
}

/**
 * Placeholders for the parameters calls pass (`username`, `locale`), in a step's description, test
 * data and expected result; every fourth case in the mention span Zephyr Server's editor stores.
 */
function takeParameters(steps: TestStep[], i: number): void {
  const first = steps[0]?.inline;
  const last = steps.at(-1)?.inline;
  if (!first || !last) return;
  const username = i % 4 === 0 ? '<span class="atwho-inserted" data-atwho-at-query="{">{username}</span>' : "{username}";
  first.description = `${first.description ?? ""}<br>Sign in as ${username}`;
  if (first.testData) first.testData = `${first.testData}<br>locale = {locale}`;
  last.expectedResult = `${last.expectedResult ?? ""} (in {locale})`;
}

function jiraRef(kind: string, id: number) {
  return { id, self: `https://example.atlassian.net/rest/api/2/${kind}/${id}` };
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
