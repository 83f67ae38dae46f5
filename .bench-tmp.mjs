// src/mock/start.ts
import { randomBytes } from "node:crypto";

// src/zephyr/datetime.ts
function toZephyrDateTime(ms) {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

// src/mock/random.ts
var SeededRandom = class _SeededRandom {
  #state;
  constructor(seed) {
    this.#state = seed >>> 0 || 2654435769;
  }
  /** A float in [0, 1). */
  next() {
    this.#state = this.#state + 1831565813 >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  }
  /** An integer in [min, max], both inclusive. */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(probability) {
    return this.next() < probability;
  }
  pick(items) {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[Math.floor(this.next() * items.length)];
  }
  /** A few distinct items, in their original order. */
  sample(items, count) {
    const chosen = /* @__PURE__ */ new Set();
    const wanted = Math.min(count, items.length);
    while (chosen.size < wanted) chosen.add(Math.floor(this.next() * items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i]);
  }
  /** An independent stream, so that adding draws in one place does not shift another. */
  fork(label) {
    let h = this.#state ^ 2166136261;
    for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    return new _SeededRandom(h >>> 0);
  }
};

// src/mock/dataset/text.ts
var verbs = ["Verify", "Check", "Ensure", "Validate", "Confirm", "Test", "Open", "Submit", "Reject", "Export"];
var objects = [
  "login form",
  "password reset",
  "shopping cart",
  "invoice PDF",
  "search results",
  "user profile",
  "payment gateway",
  "audit log",
  "session timeout",
  "two-factor prompt",
  "CSV import",
  "dashboard widget",
  "notification email",
  "API rate limit",
  "dark mode toggle"
];
var qualifiers = [
  "with valid data",
  "with an expired token",
  "on a slow network",
  "after a page reload",
  "as a read-only user",
  "with 10,000 rows",
  "in Safari",
  "with an empty payload",
  "under concurrent edits",
  "with the keyboard only"
];
var foreign = [
  "\xDCberpr\xFCfung der W\xE4hrung (\u20AC)",
  "V\xE9rifier l'acc\xE8s \xAB invit\xE9 \xBB",
  "\u30ED\u30B0\u30A4\u30F3\u753B\u9762\u3092\u78BA\u8A8D\u3059\u308B",
  "\u68C0\u67E5\u8D2D\u7269\u8F66\u603B\u989D",
  "\u0627\u0644\u062A\u062D\u0642\u0642 \u0645\u0646 \u062A\u0633\u062C\u064A\u0644 \u0627\u0644\u062F\u062E\u0648\u0644",
  "\u041F\u0440\u043E\u0432\u0435\u0440\u043A\u0430 \u043E\u0442\u0447\u0451\u0442\u0430",
  "A\xE7\xE3o conclu\xEDda com \xEAxito \u2705",
  "\xC9moji handling \u{1F680}\u{1F525} in titles",
  `Quotes "double" and 'single' & <angle>`,
  "Backslash \\ and percent % and hash #"
];
function sentence(random) {
  return `${random.pick(verbs)} ${random.pick(objects)} ${random.pick(qualifiers)}`;
}
function title(random) {
  return random.chance(0.12) ? `${random.pick(foreign)} \u2014 ${sentence(random)}` : sentence(random);
}
function richText(random) {
  const roll = random.next();
  if (roll < 0.3) return sentence(random);
  if (roll < 0.55) return `${sentence(random)}.<br>${sentence(random)}.`;
  if (roll < 0.75) {
    return `<p><strong>${sentence(random)}</strong></p><ul><li>${sentence(random)}</li><li>${random.pick(foreign)}</li></ul>`;
  }
  if (roll < 0.9) {
    return `See <a href="https://example.com/spec?id=${random.int(1, 999)}&amp;v=2">the spec</a> &amp; ${random.pick(foreign)}`;
  }
  return `${random.pick(foreign)}<br><em>${sentence(random)}</em> &lt;tag&gt; 5 &gt; 3`;
}
function testData(random) {
  const roll = random.next();
  if (roll < 0.45) return null;
  if (roll < 0.8)
    return `username = user${random.int(1, 99)}@example.com<br>password = ${random.pick(["hunter2", "P@ss w0rd!", "p\xE4ssw\xF6rd"])}`;
  return `{"amount": ${random.int(1, 5e3) / 100}, "currency": "${random.pick(["EUR", "USD", "JPY"])}"}`;
}
function expected(random) {
  return random.pick([
    "The page shows a confirmation",
    "An error message names the invalid field",
    "The record is saved and listed first",
    "Nothing changes; the request is rejected with 403",
    "The download starts within 2 seconds",
    "Le total affich\xE9 est correct (TVA incluse)",
    "\u7D50\u679C\u304C\u8868\u793A\u3055\u308C\u308B",
    "<b>Success</b> banner is visible<br>and dismissible"
  ]);
}
var bddScript = (random) => [
  `Feature: ${sentence(random)}`,
  "",
  `  Scenario: ${sentence(random)}`,
  `    Given the user is on the ${random.pick(objects)} page`,
  `    When they ${random.pick(verbs).toLowerCase()} the ${random.pick(objects)}`,
  `    Then ${expected(random).toLowerCase()}`,
  "",
  "  Scenario Outline: parameterised",
  "    Given a <role> account",
  "    Then access is <result>",
  "    Examples:",
  "      | role   | result  |",
  "      | admin  | granted |",
  "      | viewer | denied  |"
].join("\n");
var plainScript = (random) => `1. ${sentence(random)}
2. ${sentence(random)}
3. ${expected(random)}

Note: ${random.pick(foreign)}`;

// src/mock/dataset/generate.ts
var PROJECT_ID = 10005;
var EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0);
var HOUR = 36e5;
function generateProject(options) {
  const random = new SeededRandom(options.seed ?? 1);
  const key = options.projectKey ?? "DEMO";
  const base = options.baseUrl ?? "https://api.zephyrscale.smartbear.com/v2";
  const count = Math.max(1, Math.round(options.testCases));
  const project = { id: PROJECT_ID, jiraProjectId: 10100, key, enabled: true };
  const projectRef = { id: PROJECT_ID, self: `${base}/projects/${PROJECT_ID}` };
  const ref = (collection, id3) => ({ id: id3, self: `${base}/${collection}/${id3}` });
  const users = Array.from({ length: 8 }, (_, i) => `5b10a2844c20165700ede2${(i + 10).toString(16).padStart(2, "0")}`);
  const owner = (r) => r.chance(0.8) ? ((id3) => ({ self: `https://example.atlassian.net/rest/api/2/user?accountId=${id3}`, accountId: id3 }))(
    r.pick(users)
  ) : null;
  const statuses = [];
  const statusTypes = {};
  const addStatus = (type, name, color, extra = {}) => {
    const id3 = 1e4 + statuses.length;
    statuses.push({
      id: id3,
      project: projectRef,
      name,
      description: null,
      index: statuses.filter((s) => statusTypes[String(s.id)] === type).length,
      color,
      archived: extra.archived ?? false,
      default: extra.default ?? false
    });
    statusTypes[String(id3)] = type;
    return id3;
  };
  const caseStatuses = [
    addStatus("TEST_CASE", "Draft", "#cccccc", { default: true }),
    addStatus("TEST_CASE", "Approved", "#00ff00"),
    addStatus("TEST_CASE", "Deprecated", "#ff0000")
  ];
  addStatus("TEST_CASE", "Legacy Review", "#999999", { archived: true });
  const cycleStatuses = [
    addStatus("TEST_CYCLE", "Not Executed", "#cccccc", { default: true }),
    addStatus("TEST_CYCLE", "In Progress", "#ffff00"),
    addStatus("TEST_CYCLE", "Done", "#00ff00")
  ];
  const notExecuted = addStatus("TEST_EXECUTION", "Not Executed", "#cccccc", { default: true });
  const executionStatuses2 = [
    addStatus("TEST_EXECUTION", "In Progress", "#ffff00"),
    addStatus("TEST_EXECUTION", "Pass", "#00ff00"),
    addStatus("TEST_EXECUTION", "Fail", "#ff0000"),
    addStatus("TEST_EXECUTION", "Blocked", "#4444ff")
  ];
  const stepStatuses = [notExecuted, ...executionStatuses2];
  const priorities = ["Critical", "High", "Normal", "Low"].map((name, index2) => ({
    id: 1 + index2,
    project: projectRef,
    name,
    description: `${name} priority`,
    index: index2,
    color: ["#ff0000", "#ff8800", "#0088ff", "#888888"][index2],
    default: name === "Normal"
  }));
  const environments = ["Chrome", "Firefox", "Safari", "iOS 18"].map((name, index2) => ({
    id: 1 + index2,
    project: projectRef,
    name,
    description: `${name} test environment`,
    index: index2,
    archived: false
  }));
  const folders = [];
  const folderNames = ["Authentication", "Checkout", "Reporting", "Admin", "Mobile", "API", "Billing", "Search"];
  const addFolder = (type, parentId, name) => {
    const id3 = 1e5 + folders.length + 1;
    const siblings = folders.filter((f) => f.parentId === parentId && f.folderType === type).length;
    folders.push({ id: id3, parentId, name, index: siblings, folderType: type, project: projectRef });
    return id3;
  };
  const folderRandom = random.fork("folders");
  const caseFolderCount = Math.max(4, Math.round(count / 15));
  const caseFolders = [];
  for (let i = 0; i < caseFolderCount; i++) {
    const parent = i < 3 || caseFolders.length === 0 || folderRandom.chance(0.3) ? null : folderRandom.pick(caseFolders);
    const name = `${folderRandom.pick(folderNames)} ${i + 1}${folderRandom.chance(0.1) ? " \u2013 Gr\xF6\xDFe & \xAB\xDCbersicht\xBB" : ""}`;
    caseFolders.push(addFolder("TEST_CASE", parent, name));
  }
  let deepParent = null;
  for (let depth = 1; depth <= 7; depth++) deepParent = addFolder("TEST_CASE", deepParent, `Level ${depth}`);
  caseFolders.push(deepParent);
  const emptyParent = addFolder("TEST_CASE", null, "Empty area");
  addFolder("TEST_CASE", emptyParent, "Nothing here yet");
  const cycleFolders = [];
  for (let i = 0; i < Math.max(2, Math.round(count / 200)); i++) {
    const parent = cycleFolders.length > 0 && folderRandom.chance(0.4) ? folderRandom.pick(cycleFolders) : null;
    cycleFolders.push(addFolder("TEST_CYCLE", parent, `Release ${2025 + Math.floor(i / 4)}.${i % 4 + 1}`));
  }
  addFolder("TEST_CYCLE", null, "Archive (empty)");
  const testCases = [];
  const testSteps = {};
  const testScripts = {};
  const categories = ["Functional", "Security", "Performance", "Usability"];
  const platforms = ["Web", "Android", "iOS", "Desktop"];
  let stepId = 1;
  let scriptId = 1;
  const callable = [];
  for (let i = 1; i <= count; i++) {
    const r = random.fork(`case-${i}`);
    const caseKey = `${key}-T${i}`;
    const id3 = 1e3 + i;
    testCases.push({
      id: id3,
      key: caseKey,
      name: title(r).slice(0, 255),
      project: projectRef,
      createdOn: toZephyrDateTime(EPOCH + i * HOUR),
      objective: r.chance(0.85) ? richText(r) : null,
      precondition: r.chance(0.6) ? richText(r) : null,
      estimatedTime: r.chance(0.7) ? r.int(1, 120) * 6e4 : null,
      labels: r.sample(["Regression", "Smoke", "Automated", "Performance", "UI", "API", "Flaky"], r.int(0, 3)),
      component: r.chance(0.5) ? jiraRef("component", 1e4 + r.int(1, 5)) : null,
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
        "Effort (days)": r.chance(0.5) ? r.int(1, 40) / 4 : null
      },
      links: {
        self: `${base}/testcases/${caseKey}/links`,
        issues: Array.from({ length: r.int(0, 2) }, (_, n2) => ({
          self: `${base}/links/${id3 * 10 + n2}`,
          ...((issueId) => ({ issueId, target: jiraRef("issue", issueId).self }))(2e4 + r.int(1, 300)),
          id: id3 * 10 + n2,
          type: r.pick(["COVERAGE", "BLOCKS", "RELATED"])
        })),
        webLinks: r.chance(0.2) ? [
          {
            self: `${base}/links/${id3 * 10 + 5}`,
            description: "Design doc",
            url: `https://wiki.example.com/page/${i}`,
            id: id3 * 10 + 5,
            type: "RELATED"
          }
        ] : []
      }
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
    const steps = [];
    for (let n2 = 0; n2 < size; n2++) {
      if (callable.length > 0 && r.chance(0.06)) {
        const target = r.pick(callable);
        steps.push({
          id: stepId++,
          testCase: {
            self: `${base}/testcases/${target}/teststeps`,
            testCaseKey: target,
            parameters: r.chance(0.5) ? [
              { name: "username", type: "DEFAULT_VALUE", value: `user${r.int(1, 9)}@example.com` },
              { name: "locale", type: "MANUAL_INPUT", value: r.pick(["en-GB", "de-DE", "ja-JP"]) }
            ] : []
          }
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
          reflectRef: null
        }
      });
    }
    testSteps[caseKey] = steps;
    if (size > 0 && size <= 12 && steps.every((s) => s.inline)) callable.push(caseKey);
  }
  const testCycles = [];
  const testExecutions = [];
  const testExecutionSteps = {};
  let executionStepId = 1;
  const cycleCount = Math.max(2, Math.round(count / 25));
  const addExecution = (r, testCase, cycle, when) => {
    const n2 = testExecutions.length + 1;
    const id3 = 5e4 + n2;
    const status = r.pick(executionStatuses2);
    testExecutions.push({
      id: id3,
      key: `${key}-E${n2}`,
      project: projectRef,
      testCase: { id: testCase.id, self: `${base}/testcases/${testCase.key}/versions/1` },
      environment: r.chance(0.75) ? ref("environments", r.pick(environments).id) : null,
      jiraProjectVersion: cycle?.jiraProjectVersion ?? null,
      testExecutionStatus: ref("statuses", status),
      actualEndDate: toZephyrDateTime(when),
      estimatedTime: testCase.estimatedTime ?? null,
      executionTime: r.chance(0.8) ? r.int(5, 3600) * 1e3 : null,
      executedById: r.chance(0.9) ? r.pick(users) : null,
      assignedToId: r.chance(0.5) ? r.pick(users) : null,
      comment: r.chance(0.4) ? richText(r) : null,
      automated: false,
      testCycle: cycle ? ref("testcycles", cycle.id) : null,
      customFields: {},
      links: { self: `${base}/testexecutions/${id3}/links`, issues: [] }
    });
    const inline = (testSteps[testCase.key] ?? []).flatMap((s) => s.inline ? [s.inline] : []);
    testExecutionSteps[String(id3)] = inline.map((step) => ({
      id: executionStepId++,
      inline: {
        description: step.description ?? null,
        testData: step.testData ?? null,
        expectedResult: step.expectedResult ?? null,
        actualResult: r.chance(0.5) ? expected(r) : null,
        testDataRowNumber: null,
        reflectRef: null,
        status: ref("statuses", r.pick(stepStatuses))
      }
    }));
  };
  for (let c = 1; c <= cycleCount; c++) {
    const r = random.fork(`cycle-${c}`);
    const start = EPOCH + (count + c * 24) * HOUR;
    const cycle = {
      id: 2e4 + c,
      key: `${key}-R${c}`,
      name: `${r.pick(["Sprint", "Regression", "Release", "Smoke"])} ${c}${r.chance(0.1) ? " \u2014 n\xE4chtlich \u{1F319}" : ""}`,
      project: projectRef,
      jiraProjectVersion: r.chance(0.5) ? jiraRef("version", 1e4 + r.int(1, 6)) : null,
      status: ref("statuses", r.pick(cycleStatuses)),
      folder: c === 1 ? null : r.chance(0.8) ? ref("folders", r.pick(cycleFolders)) : null,
      description: r.chance(0.7) ? richText(r) : null,
      plannedStartDate: toZephyrDateTime(start),
      plannedEndDate: toZephyrDateTime(start + r.int(2, 14) * 24 * HOUR),
      owner: owner(r),
      customFields: { "Sprint Goal": r.chance(0.5) ? sentence(r) : null },
      links: { self: `${base}/testcycles/${2e4 + c}/links`, issues: [], webLinks: [], testPlans: [] }
    };
    testCycles.push(cycle);
    const members = r.sample(testCases, Math.min(testCases.length, r.int(5, 40)));
    for (const testCase of members) {
      const runs = r.chance(0.12) ? r.int(2, 3) : 1;
      for (let k = 0; k < runs; k++) addExecution(r, testCase, cycle, start + (k + 1) * r.int(1, 20) * HOUR);
    }
  }
  const looseRandom = random.fork("executions-outside-cycles");
  for (let n2 = 0; n2 < Math.max(2, Math.round(count / 50)); n2++) {
    addExecution(looseRandom, looseRandom.pick(testCases), null, EPOCH + (count + n2) * HOUR);
  }
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
    statusTypes
  };
}
function jiraRef(kind, id3) {
  return { id: id3, self: `https://example.atlassian.net/rest/api/2/${kind}/${id3}` };
}
function pad(n2) {
  return String(n2).padStart(2, "0");
}

// src/mock/http/listen.ts
import { serve } from "@hono/node-server";
function listen(fetch, port = 0) {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname: "127.0.0.1" }, (info) => {
      resolve({
        origin: `http://127.0.0.1:${info.port}`,
        close: () => new Promise((done) => {
          if ("closeAllConnections" in server) server.closeAllConnections();
          server.close(() => done());
        })
      });
    });
    server.once("error", reject);
  });
}

// src/mock/http/traffic.ts
var TrafficStats = class {
  requests = 0;
  /** Writes (POST/PUT/DELETE) the client saw succeed. */
  writes = 0;
  throttled = 0;
  faults = 0;
  /** Faults injected after the request had been applied: the client cannot know whether it took effect. */
  faultsAfterApply = 0;
  byRoute = /* @__PURE__ */ new Map();
  count(route) {
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
  }
};
function latency(ms) {
  return async (_c, next) => {
    if (ms && ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
    await next();
  };
}
function faults(options, stats) {
  const rate = options.faultRate ?? 0;
  const random = new SeededRandom(options.seed ?? 1).fork("faults");
  const kinds = [500, 502, 503, "drop"];
  return async (c, next) => {
    if (rate <= 0 || !random.chance(rate)) return next();
    const fault = { kind: random.pick(kinds), afterApply: random.chance(0.5) };
    stats.faults++;
    if (!fault.afterApply) return injure(c, fault);
    await next();
    stats.faultsAfterApply++;
    c.res = void 0;
    c.res = injure(c, fault);
  };
}
function injure(c, fault) {
  if (fault.kind === "drop") {
    c.env.incoming.socket.destroy();
    return new Response(null, { status: 500 });
  }
  const reasons = { 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable" };
  return c.json({ message: reasons[fault.kind] }, fault.kind);
}

// src/mock/qtest/app.ts
import { randomUUID } from "node:crypto";
import { Hono } from "hono";

// src/qtest/schemas.ts
import { z } from "zod";
var linkSchema = z.looseObject({
  rel: z.string(),
  href: z.string()
});
var links = z.array(linkSchema).nullish();
var id = z.int();
var oauthTokenSchema = z.looseObject({
  access_token: z.string(),
  token_type: z.string(),
  refresh_token: z.string().nullish(),
  expires_in: z.int().nullish(),
  scope: z.string().nullish(),
  agent: z.string().nullish()
});
var errorSchema = z.looseObject({
  code: z.int().nullish(),
  message: z.string(),
  additionalInfo: z.looseObject({}).nullish()
});
function pagedSchema(item) {
  return z.looseObject({
    links,
    page: z.int(),
    page_size: z.int(),
    total: z.int(),
    items: z.array(item)
  });
}
var attachmentAuthorSchema = z.looseObject({
  id: id.nullish(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish()
});
var attachmentSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  content_type: z.string().nullish(),
  data: z.string().nullish(),
  web_url: z.string().nullish(),
  created_date: z.string().nullish(),
  author: attachmentAuthorSchema.nullish(),
  artifact_id: id.nullish()
});
var attachmentInputSchema = z.object({
  name: z.string().min(1),
  content_type: z.string().min(1),
  data: z.base64()
});
var linkedDefectSchema = z.looseObject({
  links,
  id: id.nullish(),
  external_defect_id: z.string().nullish(),
  connection_id: id.nullish(),
  external_project_id: z.string().nullish(),
  summary: z.string().nullish(),
  status: z.string().nullish(),
  pid: z.string().nullish(),
  web_url: z.string().nullish(),
  description: z.string().nullish()
});
var customFieldInfoSchema = z.looseObject({
  id: id.nullish(),
  value: z.string().nullish(),
  objectId: id.nullish(),
  type: z.string().nullish(),
  name: z.string().nullish(),
  stripHTMLValue: z.string().nullish(),
  propertyEditorComponent: z.boolean().nullish()
});
var customFieldInfoInputSchema = z.object({
  id: id.optional(),
  value: z.string().optional(),
  type: z.string().optional(),
  name: z.string().optional()
});
var testCaseRefSchema = z.looseObject({
  id,
  pid: z.string().nullish(),
  name: z.string().nullish()
});
var projectSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  description: z.string().nullish(),
  status_id: id.nullish(),
  start_date: z.string().nullish(),
  end_date: z.string().nullish(),
  admins: z.array(z.string()).nullish(),
  admin_ids: z.array(id).nullish(),
  sample: z.boolean().nullish(),
  // Per-artifact permission trees (`UserProfile`, `DefectTrackingSystem`); nothing here reads them.
  user_profile: z.looseObject({}).nullish(),
  defect_tracking_systems: z.array(z.looseObject({})).nullish(),
  x_explorer_access_level: z.int().nullish(),
  date_format: z.string().nullish(),
  automation: z.boolean().nullish(),
  template_id: id.nullish(),
  uuid: z.string().nullish()
});
var moduleSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  order: z.int().nullish(),
  pid: z.string(),
  created_date: z.string().nullish(),
  last_modified_date: z.string().nullish(),
  parent_id: id.nullish(),
  description: z.string().nullish(),
  shared: z.boolean().nullish(),
  projects_shared_to: z.array(id).nullish(),
  get children() {
    return z.array(moduleSchema).nullish();
  },
  recursive: z.boolean().nullish(),
  tosca_guid: z.string().nullish(),
  tosca_node_path: z.string().nullish(),
  tosca_state: z.string().nullish()
});
var moduleInputSchema = z.object({
  name: z.string().min(1).max(500),
  description: z.string().optional(),
  parent_id: id.optional()
});
var allowedValueSchema = z.looseObject({
  links,
  value: z.int(),
  label: z.string(),
  order: z.int().nullish(),
  is_default: z.boolean().nullish(),
  is_active: z.boolean().nullish(),
  color: z.string().nullish()
});
var fieldSchema = z.looseObject({
  instanceType: z.string().nullish(),
  links,
  id,
  label: z.string(),
  attribute_type: z.string().nullish(),
  required: z.boolean(),
  constrained: z.boolean(),
  order: z.int(),
  allowed_values: z.array(allowedValueSchema).nullish(),
  multiple: z.boolean(),
  data_type: z.int(),
  searchable: z.boolean(),
  free_text_search: z.boolean().nullish(),
  search_key: z.string().nullish(),
  default_value: z.string().nullish(),
  system_field: z.boolean(),
  original_name: z.string(),
  is_active: z.boolean()
});
var creatableDataTypes = /* @__PURE__ */ new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 17]);
var allowedValueInputSchema = z.object({
  value: z.int().optional(),
  label: z.string().min(1),
  order: z.int().optional(),
  is_default: z.boolean().optional(),
  is_active: z.boolean().optional(),
  color: z.string().optional()
});
var fieldInputSchema = z.object({
  label: z.string().min(1),
  data_type: z.int().refine((v) => creatableDataTypes.has(v), { message: "data_type must be one of 1-9, 12 or 17" }),
  required: z.boolean().optional(),
  order: z.int().optional(),
  allowed_values: z.array(allowedValueInputSchema).optional(),
  multiple: z.boolean().optional(),
  searchable: z.boolean().optional(),
  default_value: z.string().optional(),
  is_active: z.boolean().optional()
});
var propertySchema = z.looseObject({
  field_id: id,
  field_name: z.string().nullish(),
  field_value: z.string(),
  field_value_name: z.string().nullish()
});
var propertyInputSchema = z.object({
  field_id: id,
  field_value: z.string()
});
var testStepSchema = z.looseObject({
  customFieldInfo: z.array(customFieldInfoSchema).nullish(),
  links,
  id: id.nullish(),
  description: z.string(),
  expected: z.string(),
  order: z.int().nullish(),
  attachments: z.array(attachmentSchema).nullish(),
  group: z.int().nullish(),
  called_test_case_name: z.string().nullish(),
  root_called_test_case_id: id.nullish(),
  called_test_case: testCaseRefSchema.nullish(),
  parent_test_step_id: id.nullish(),
  // Swagger `TestStepInformationVM`: parameterised renderings of the step text.
  information: z.looseObject({}).nullish(),
  plain_value_text: z.string().nullish(),
  parameter_values: z.array(z.string()).nullish(),
  called_test_case_id: id.nullish()
});
var testStepInputSchema = z.object({
  id: id.optional(),
  description: z.string(),
  expected: z.string(),
  order: z.int().min(1).optional(),
  attachments: z.array(attachmentInputSchema).optional(),
  called_test_case_id: id.optional(),
  parent_test_step_id: id.optional(),
  parameter_values: z.array(z.string()).optional(),
  customFieldInfo: z.array(customFieldInfoInputSchema).optional()
});
var testCaseSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  order: z.int(),
  pid: z.string(),
  created_date: z.string(),
  last_modified_date: z.string(),
  // Required in the Swagger, but `GET /test-cases?expandProps=false` leaves it out.
  properties: z.array(propertySchema).nullish(),
  web_url: z.string(),
  attachments: z.array(attachmentSchema).nullish(),
  parent_id: id,
  test_case_version_id: id.nullish(),
  version: z.string().nullish(),
  description: z.string().nullish(),
  precondition: z.string().nullish(),
  creator_id: id.nullish(),
  agent_ids: z.array(id).nullish(),
  test_steps: z.array(testStepSchema).nullish(),
  tosca_guid: z.string().nullish(),
  tosca_node_path: z.string().nullish(),
  tosca_url: z.string().nullish(),
  tosca_test_case_unique_id: z.string().nullish(),
  tosca_state: z.string().nullish(),
  tosca_workspace_url: z.string().nullish(),
  last_modified_date_utc: z.string().nullish()
});
var testCaseInputSchema = z.object({
  name: z.string().min(1).max(500),
  properties: z.array(propertyInputSchema),
  parent_id: id.optional(),
  description: z.string().optional(),
  precondition: z.string().optional(),
  test_steps: z.array(testStepInputSchema).optional(),
  attachments: z.array(attachmentInputSchema).optional()
});
var testSuiteSchema = z.looseObject({
  parentId: id.nullish(),
  parentType: z.enum(["root", "release", "test-cycle"]).nullish(),
  links,
  id,
  name: z.string(),
  order: z.int().nullish(),
  pid: z.string(),
  created_date: z.string().nullish(),
  last_modified_date: z.string().nullish(),
  properties: z.array(propertySchema),
  web_url: z.string().nullish(),
  target_release_id: id.nullish(),
  target_build_id: id.nullish()
});
var testSuiteInputSchema = z.object({
  name: z.string().min(1).max(500),
  properties: z.array(propertyInputSchema),
  target_release_id: id.optional(),
  target_build_id: id.optional()
});
var testCycleSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  order: z.int().nullish(),
  pid: z.string(),
  created_date: z.string().nullish(),
  last_modified_date: z.string().nullish(),
  web_url: z.string().nullish(),
  description: z.string().nullish(),
  target_release_id: id.nullish(),
  target_build_id: id.nullish(),
  get "test-cycles"() {
    return z.array(testCycleSchema).nullish();
  },
  "test-suites": z.array(testSuiteSchema).nullish()
});
var testCycleInputSchema = z.object({
  name: z.string().min(1).max(500),
  description: z.string().optional(),
  target_release_id: id.optional(),
  target_build_id: id.optional()
});
var shortTestLogSchema = z.looseObject({
  status: z.string().nullish(),
  id: id.nullish(),
  exe_start_date: z.string().nullish(),
  exe_end_date: z.string().nullish()
});
var parameterTestStepSchema = z.looseObject({
  step_id: id.nullish(),
  description_parameter_values: z.array(z.string()).nullish(),
  expected_parameter_values: z.array(z.string()).nullish()
});
var testRunSchema = z.looseObject({
  parentId: id,
  parentType: z.enum(["root", "release", "test-cycle", "test-suite"]),
  automation: z.string().nullish(),
  created: z.string().nullish(),
  testCaseId: id.nullish(),
  links,
  id,
  name: z.string(),
  order: z.int().nullish(),
  pid: z.string(),
  created_date: z.string().nullish(),
  last_modified_date: z.string().nullish(),
  properties: z.array(propertySchema),
  test_case: testCaseRefSchema,
  latest_test_log: shortTestLogSchema.nullish(),
  test_case_version_id: id.nullish(),
  test_case_version: z.string().nullish(),
  creator_id: id.nullish(),
  assign_parameter_values: z.array(parameterTestStepSchema).nullish(),
  tosca_guid: z.string().nullish(),
  tosca_node_path: z.string().nullish(),
  tosca_workspace_url: z.string().nullish(),
  tosca_testevent_guid: z.string().nullish(),
  configuration_id: z.string().nullish()
});
var testRunInputSchema = z.object({
  name: z.string().min(1).max(500).optional(),
  test_case: z.object({ id }),
  test_case_version_id: id.optional(),
  properties: z.array(propertyInputSchema)
});
var statusRefSchema = z.looseObject({
  id,
  name: z.string().nullish()
});
var executionStatusSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  is_default: z.boolean().nullish(),
  color: z.string().nullish(),
  active: z.boolean().nullish()
});
var testStepLogSchema = z.looseObject({
  customFieldInfo: z.array(customFieldInfoSchema).nullish(),
  links,
  test_step_id: id.nullish(),
  test_step_log_id: id.nullish(),
  user_id: id.nullish(),
  status: statusRefSchema.nullish(),
  description: z.string().nullish(),
  expected_result: z.string().nullish(),
  actual_result: z.string().nullish(),
  called_test_case_id: id.nullish(),
  called_test_case_name: z.string().nullish(),
  order: z.int().nullish(),
  group: z.int().nullish(),
  test_step: testStepSchema.nullish(),
  defects: z.array(linkedDefectSchema).nullish(),
  get called_test_case_log() {
    return testLogSchema.nullish();
  },
  parent_test_step_id: id.nullish(),
  exe_date: z.string().nullish(),
  attachments: z.array(attachmentSchema).nullish()
});
var testLogSchema = z.looseObject({
  links,
  id,
  test_case_version_id: id.nullish(),
  exe_start_date: z.string(),
  exe_end_date: z.string(),
  note: z.string().nullish(),
  attachments: z.array(attachmentSchema).nullish(),
  name: z.string().nullish(),
  planned_exe_time: z.int().nullish(),
  actual_exe_time: z.int().nullish(),
  build_number: z.string().nullish(),
  build_url: z.string().nullish(),
  properties: z.array(propertySchema).nullish(),
  status: statusRefSchema,
  result_number: z.int().nullish(),
  get test_step_logs() {
    return z.array(testStepLogSchema).nullish();
  },
  test_run_id: id.nullish(),
  test_case: testCaseRefSchema.nullish(),
  defects: z.array(linkedDefectSchema).nullish()
});
var statusInputSchema = z.object({ id });
var testStepLogInputSchema = z.object({
  test_step_id: id.optional(),
  status: statusInputSchema,
  actual_result: z.string().optional(),
  description: z.string().optional(),
  expected_result: z.string().optional(),
  order: z.int().optional(),
  exe_date: z.string().optional(),
  called_test_case_id: id.optional(),
  parent_test_step_id: id.optional(),
  attachments: z.array(attachmentInputSchema).optional()
});
var testLogInputSchema = z.object({
  status: statusInputSchema,
  exe_start_date: z.string(),
  exe_end_date: z.string(),
  test_case_version_id: id.optional(),
  note: z.string().optional(),
  name: z.string().optional(),
  planned_exe_time: z.int().min(0).max(9999999).optional(),
  actual_exe_time: z.int().optional(),
  build_number: z.string().optional(),
  build_url: z.string().optional(),
  properties: z.array(propertyInputSchema).optional(),
  attachments: z.array(attachmentInputSchema).optional(),
  test_step_logs: z.array(testStepLogInputSchema).optional()
});
var searchBodySchema = z.object({
  object_type: z.enum([
    "releases",
    "requirements",
    "test-cases",
    "test-runs",
    "test-suites",
    "test-cycles",
    "test-logs",
    "builds",
    "defects"
  ]),
  fields: z.array(z.string()).optional(),
  query: z.string().optional()
});

// src/mock/http/requests.ts
var BadRequest = class extends Error {
};
function intQuery(c, name, options = {}) {
  const raw = c.req.query(name);
  if (raw === void 0 || raw === "") return options.default;
  if (!/^-?\d+$/.test(raw)) throw new BadRequest(`${name} must be an integer, got '${raw}'.`);
  const value = Number(raw);
  if (options.min !== void 0 && value < options.min) throw new BadRequest(`${name} must be at least ${options.min}.`);
  if (options.max !== void 0 && value > options.max) throw new BadRequest(`${name} must be at most ${options.max}.`);
  return value;
}
function boolQuery(c, name) {
  const raw = c.req.query(name);
  if (raw === void 0 || raw === "") return void 0;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw new BadRequest(`${name} must be true or false, got '${raw}'.`);
}
function dateQuery(c, name) {
  const raw = c.req.query(name);
  if (raw === void 0 || raw === "") return void 0;
  const value = Date.parse(raw);
  if (Number.isNaN(value)) throw new BadRequest(`${name} must be a date-time such as 2024-01-31T23:59:59Z, got '${raw}'.`);
  return value;
}
async function jsonBody(c, schema) {
  let body;
  try {
    body = await c.req.json();
  } catch {
    throw new BadRequest("The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new BadRequest(describeIssues(parsed.error));
  return parsed.data;
}
function describeIssues(error) {
  return error.issues.slice(0, 5).map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue.message}`).join("; ");
}
function urlWith(c, changes) {
  const url = new URL(c.req.url);
  for (const [key, value] of Object.entries(changes)) url.searchParams.set(key, String(value));
  return url.toString();
}

// src/mock/http/token-bucket.ts
var TokenBucket = class {
  #ratePerSecond;
  #capacity;
  #tokens;
  #lastRefill;
  #now;
  constructor(ratePerSecond, now = performance.now.bind(performance)) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    this.#ratePerSecond = ratePerSecond;
    this.#capacity = Math.max(1, ratePerSecond);
    this.#tokens = this.#capacity;
    this.#now = now;
    this.#lastRefill = now();
  }
  /** Takes one token if there is one; otherwise says how long until there will be. */
  take() {
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { granted: true, remaining: Math.floor(this.#tokens) };
    }
    return { granted: false, retryAfterMs: (1 - this.#tokens) / this.#ratePerSecond * 1e3 };
  }
  #refill() {
    const now = this.#now();
    const elapsed = (now - this.#lastRefill) / 1e3;
    this.#lastRefill = now;
    this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed * this.#ratePerSecond);
  }
};

// src/mock/qtest/errors.ts
var QTestApiError = class extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
  status;
};

// src/mock/qtest/search-query.ts
var TOKEN = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(!=|<=|>=|!~|=|<|>|~)|([A-Za-z_][\w]*))/y;
function tokenize(text) {
  const tokens = [];
  const source = text.trim();
  let position = 0;
  while (position < source.length) {
    TOKEN.lastIndex = position;
    const match = TOKEN.exec(source);
    if (!match) throw invalid(text, `unexpected text at '${source.slice(position, position + 20)}'`);
    position = TOKEN.lastIndex;
    const quoted = match[1] ?? match[2];
    if (quoted !== void 0) tokens.push({ text: quoted.replace(/\\(.)/g, "$1"), kind: "quoted" });
    else if (match[3] !== void 0) tokens.push({ text: match[3], kind: "op" });
    else tokens.push({ text: match[4], kind: "word" });
  }
  return tokens;
}
function parseQuery(text) {
  const tokens = tokenize(text);
  const query = [[]];
  for (let i = 0; i < tokens.length; ) {
    const [field, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    const isOp = op?.kind === "op" || op?.kind === "word" && op.text.toLowerCase() === "is";
    if (!field || field.kind === "op" || !isOp || value?.kind !== "quoted") {
      throw invalid(text, "expected 'Field' <operator> 'value'");
    }
    const operator = op.kind === "word" ? "is" : op.text;
    if (operator === "is" && !["empty", "not empty"].includes(value.text.toLowerCase())) {
      throw invalid(text, "'is' takes 'empty' or 'not empty'");
    }
    query.at(-1)?.push({ field: field.text, op: operator, value: value.text });
    i += 3;
    const joiner = tokens[i]?.kind === "word" ? tokens[i]?.text.toLowerCase() : void 0;
    if (i >= tokens.length) break;
    if (joiner === "or") query.push([]);
    else if (joiner !== "and") throw invalid(text, "criteria must be joined by 'and' or 'or'");
    i++;
    if (i >= tokens.length) throw invalid(text, "a criterion must follow 'and' / 'or'");
  }
  if (query[0]?.length === 0) throw invalid(text, "the query is empty");
  return query;
}
function matchesQuery(query, fieldValue) {
  return query.some((all) => all.every((criterion) => matches(criterion, fieldValue(criterion.field))));
}
function matches({ op, value }, actual) {
  if (op === "is") return value.toLowerCase() === "empty" === (actual === void 0 || actual === "");
  if (actual === void 0) return op === "!=" || op === "!~";
  if (op === "~") return actual.toLowerCase().includes(value.toLowerCase());
  if (op === "!~") return !actual.toLowerCase().includes(value.toLowerCase());
  const order = compare(actual, value);
  switch (op) {
    case "=":
      return order === 0;
    case "!=":
      return order !== 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
  }
}
function compare(a, b) {
  const looksLikeDate = /^\d{4}-\d{2}-\d{2}/;
  if (looksLikeDate.test(a) && looksLikeDate.test(b)) {
    const [x, y] = [Date.parse(a), Date.parse(b)];
    if (!Number.isNaN(x) && !Number.isNaN(y)) return Math.sign(x - y);
  }
  if (a !== "" && b !== "" && Number.isFinite(Number(a)) && Number.isFinite(Number(b))) return Math.sign(Number(a) - Number(b));
  return a === b ? 0 : a < b ? -1 : 1;
}
function invalid(text, why) {
  return new QTestApiError(400, `Invalid query "${text}": ${why}.`);
}

// src/mock/qtest/app.ts
var TOKEN_LIFETIME_SECONDS = 3599;
var MONTHLY_QUOTA = 1e6;
function qtestApp(options) {
  const { store, stats } = options;
  const app = new Hono();
  const issuedTokens = /* @__PURE__ */ new Map();
  const refreshTokens = /* @__PURE__ */ new Set();
  let monthly = MONTHLY_QUOTA;
  app.use(async (c, next) => {
    stats.requests++;
    await next();
    if (c.req.method !== "GET" && c.res.status < 400 && !c.req.path.startsWith("/oauth")) stats.writes++;
  });
  app.use(latency(options.latencyMs));
  if (options.rateLimitRps) {
    const bucket = new TokenBucket(options.rateLimitRps);
    app.use(async (c, next) => {
      const taken = bucket.take();
      monthly = Math.max(0, monthly - 1);
      c.header("x-ratelimit-remaining-month", String(monthly));
      if (!taken.granted) {
        stats.throttled++;
        c.header("x-ratelimit-remaining-minute", "0");
        return c.json({ code: 429, message: "API rate limit exceeded" }, 429);
      }
      await next();
      c.res.headers.set("x-ratelimit-remaining-minute", String(taken.remaining));
      c.res.headers.set("x-ratelimit-remaining-month", String(monthly));
    });
  }
  app.use(faults(options, stats));
  app.post("/oauth/token", async (c) => {
    const basic = /^Basic\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    const client = basic ? Buffer.from(basic[1], "base64").toString("utf8") : "";
    if (!basic || !client.endsWith(":")) {
      return c.json({ error: "unauthorized", error_description: "Full authentication is required" }, 401);
    }
    const form = await c.req.parseBody().catch(() => ({}));
    if (form.grant_type === "password") {
      if (form.username !== options.username || form.password !== options.password) {
        return c.json({ error: "invalid_grant", error_description: "Bad credentials" }, 400);
      }
    } else if (form.grant_type === "refresh_token") {
      if (typeof form.refresh_token !== "string" || !refreshTokens.delete(form.refresh_token)) {
        return c.json({ error: "invalid_grant", error_description: "Invalid refresh token" }, 400);
      }
    } else {
      return c.json({ error: "unsupported_grant_type", error_description: "Use grant_type=password or refresh_token" }, 400);
    }
    const token = randomUUID();
    const refresh = randomUUID();
    issuedTokens.set(token, Date.now() + TOKEN_LIFETIME_SECONDS * 1e3);
    refreshTokens.add(refresh);
    return c.json({
      access_token: token,
      token_type: "bearer",
      refresh_token: refresh,
      expires_in: TOKEN_LIFETIME_SECONDS,
      scope: "read write create delete administration execute import export share baseline"
    });
  });
  const bearer = (c) => {
    const token = /^bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!token) return void 0;
    if (token === options.token) return { token, expiresAt: 0 };
    const expiresAt = issuedTokens.get(token);
    return expiresAt !== void 0 && expiresAt > Date.now() ? { token, expiresAt } : void 0;
  };
  app.get("/oauth/status", (c) => {
    const session = bearer(c);
    if (!session) return c.json({ error: "invalid_token", error_description: "Invalid access token" }, 401);
    const validity = session.expiresAt === 0 ? 0 : session.expiresAt - Date.now();
    return c.json({ expiration: session.expiresAt, validityInMilliseconds: validity });
  });
  const api = new Hono();
  api.use(async (c, next) => {
    if (!c.req.header("authorization")) {
      return c.json({ error: "unauthorized", error_description: "Full authentication is required to access this resource" }, 401);
    }
    if (!bearer(c)) return c.json({ error: "invalid_token", error_description: "Invalid access token" }, 401);
    return next();
  });
  api.get("/projects", (c) => {
    c.header("X-Item-Total", "1");
    return c.json([store.project()]);
  });
  const project = new Hono();
  project.use(async (c, next) => {
    store.checkProject(c.req.param("projectId") ?? "");
    return next();
  });
  project.get("/", (c) => c.json(store.project()));
  project.get("/users", (c) => c.json(store.users.map((u) => ({ links: [], ...u, status: 1 }))));
  project.get(
    "/settings/:objectType/fields",
    (c) => c.json(store.fields(c.req.param("objectType"), boolQuery(c, "includeInactive") ?? false))
  );
  project.post(
    "/settings/:objectType/fields",
    async (c) => c.json(store.createField(c.req.param("objectType"), await jsonBody(c, fieldInputSchema)), 201)
  );
  project.get(
    "/settings/:objectType/fields/:fieldId",
    (c) => c.json(store.field(c.req.param("objectType"), numParam(c, "fieldId")))
  );
  project.get(
    "/modules",
    (c) => c.json(store.modules(intQuery(c, "parentId"), c.req.query("expand") === "descendants", c.req.query("search")))
  );
  project.post(
    "/modules",
    async (c) => c.json(store.createModule(await jsonBody(c, moduleInputSchema), intQuery(c, "parentId")), 201)
  );
  project.get("/modules/:id", (c) => c.json(store.module(numParam(c, "id"), c.req.query("expand") === "descendants")));
  project.put(
    "/modules/:id",
    async (c) => c.json(store.updateModule(numParam(c, "id"), await jsonBody(c, moduleInputSchema.partial()), intQuery(c, "parentId")))
  );
  project.delete("/modules/:id", (c) => {
    store.deleteModule(numParam(c, "id"), boolQuery(c, "force") ?? false);
    return c.body(null, 200);
  });
  project.get("/test-cases", (c) => {
    const page = intQuery(c, "page", { default: 1, min: 1 }) ?? 1;
    const size = intQuery(c, "size", { default: 20, min: 1, max: 999 }) ?? 20;
    const all = store.testCases(intQuery(c, "parentId"), {
      expandSteps: boolQuery(c, "expandSteps") ?? false,
      modifiedAfter: dateQuery(c, "modifiedAfter")
    });
    const items = all.slice((page - 1) * size, page * size);
    return c.json(boolQuery(c, "expandProps") === false ? items.map(({ properties: _, ...rest }) => rest) : items);
  });
  project.post("/test-cases", async (c) => c.json(store.createTestCase(await jsonBody(c, testCaseInputSchema))));
  project.get(
    "/test-cases/:id",
    (c) => c.json(store.testCase(c.req.param("id"), c.req.query("expand")?.includes("teststep") ?? false))
  );
  project.put(
    "/test-cases/:id",
    async (c) => c.json(store.updateTestCase(numParam(c, "id"), await jsonBody(c, testCaseInputSchema.partial())))
  );
  project.delete("/test-cases/:id", (c) => {
    store.deleteTestCase(numParam(c, "id"));
    return c.body(null, 200);
  });
  project.get("/test-cases/:id/test-steps", (c) => c.json(store.testSteps(c.req.param("id"))));
  project.post(
    "/test-cases/:id/test-steps",
    async (c) => c.json(store.addTestStep(c.req.param("id"), await jsonBody(c, testStepInputSchema)))
  );
  project.get("/test-cases/:id/test-steps/:stepId", (c) => c.json(store.testStep(c.req.param("id"), numParam(c, "stepId"))));
  project.put(
    "/test-cases/:id/test-steps/:stepId",
    async (c) => c.json(store.updateTestStep(c.req.param("id"), numParam(c, "stepId"), await jsonBody(c, testStepInputSchema)))
  );
  project.delete("/test-cases/:id/test-steps/:stepId", (c) => {
    store.deleteTestStep(c.req.param("id"), numParam(c, "stepId"));
    return c.body(null, 200);
  });
  project.get("/test-cycles", (c) => {
    const all = store.testCycles(intQuery(c, "parentId"), c.req.query("parentType"), c.req.query("expand") === "descendants");
    const pageSize = intQuery(c, "pageSize", { default: 100 }) ?? 100;
    if (pageSize < 0) return c.json(all);
    const page = intQuery(c, "page", { default: 1, min: 1 }) ?? 1;
    return c.json(all.slice((page - 1) * pageSize, page * pageSize));
  });
  project.post(
    "/test-cycles",
    async (c) => c.json(
      store.createTestCycle(await jsonBody(c, testCycleInputSchema), intQuery(c, "parentId"), c.req.query("parentType")),
      201
    )
  );
  project.get("/test-cycles/:id", (c) => c.json(store.testCycle(numParam(c, "id"), c.req.query("expand") === "descendants")));
  project.put(
    "/test-cycles/:id",
    async (c) => c.json(
      store.updateTestCycle(
        numParam(c, "id"),
        await jsonBody(c, testCycleInputSchema.partial()),
        intQuery(c, "parentId"),
        c.req.query("parentType")
      )
    )
  );
  project.delete("/test-cycles/:id", (c) => {
    store.deleteTestCycle(numParam(c, "id"), boolQuery(c, "force") ?? false);
    return c.body(null, 200);
  });
  project.get("/test-suites", (c) => c.json(store.testSuites(intQuery(c, "parentId"), c.req.query("parentType"))));
  project.post(
    "/test-suites",
    async (c) => c.json(store.createTestSuite(await jsonBody(c, testSuiteInputSchema), intQuery(c, "parentId"), c.req.query("parentType")))
  );
  project.get("/test-suites/:id", (c) => c.json(store.testSuite(numParam(c, "id"))));
  project.put(
    "/test-suites/:id",
    async (c) => c.json(
      store.updateTestSuite(
        numParam(c, "id"),
        await jsonBody(c, testSuiteInputSchema.partial()),
        intQuery(c, "parentId"),
        c.req.query("parentType")
      )
    )
  );
  project.delete("/test-suites/:id", (c) => {
    store.deleteTestSuite(numParam(c, "id"));
    return c.body(null, 200);
  });
  project.get("/test-runs/execution-statuses", (c) => c.json(store.executionStatuses()));
  project.get(
    "/test-runs",
    (c) => c.json(paged(c, store.testRuns(intQuery(c, "parentId"), c.req.query("parentType"), c.req.query("expand") === "descendants")))
  );
  project.post(
    "/test-runs",
    async (c) => c.json(store.createTestRun(await jsonBody(c, testRunInputSchema), intQuery(c, "parentId"), c.req.query("parentType")), 201)
  );
  project.get("/test-runs/:id", (c) => c.json(store.testRun(numParam(c, "id"))));
  project.put(
    "/test-runs/:id",
    async (c) => c.json(
      store.updateTestRun(
        numParam(c, "id"),
        await jsonBody(c, testRunInputSchema.partial()),
        intQuery(c, "parentId"),
        c.req.query("parentType")
      )
    )
  );
  project.delete("/test-runs/:id", (c) => {
    store.deleteTestRun(numParam(c, "id"));
    return c.body(null, 200);
  });
  project.get("/test-runs/:id/test-logs", (c) => c.json(paged(c, store.testLogs(numParam(c, "id")))));
  project.post(
    "/test-runs/:id/test-logs",
    async (c) => c.json(store.createTestLog(numParam(c, "id"), await jsonBody(c, testLogInputSchema)), 201)
  );
  project.get("/test-runs/:id/test-logs/last-run", (c) => c.json(store.lastTestLog(numParam(c, "id"))));
  project.get("/test-runs/:id/test-logs/:logId", (c) => c.json(store.testLog(numParam(c, "id"), numParam(c, "logId"))));
  project.post("/search", async (c) => {
    const body = await jsonBody(c, searchBodySchema);
    const criteria = body.query ? parseQuery(body.query) : void 0;
    const hits = store.searchable(body.object_type).filter((candidate) => !criteria || matchesQuery(criteria, candidate.value)).map((candidate) => selectFields(candidate.item, body.fields ?? ["*"]));
    return c.json(paged(c, hits));
  });
  project.post("/:objectType/:objectId/blob-handles", async (c) => {
    const fileName = c.req.header("file-name");
    if (!fileName) throw new BadRequest("The File-Name header is required.");
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const contentType = c.req.header("content-type") ?? "application/octet-stream";
    return c.json(
      store.addAttachment(
        c.req.param("objectType") ?? "",
        numParam(c, "objectId"),
        decodeURIComponent(fileName),
        contentType,
        bytes
      ),
      201
    );
  });
  project.get(
    "/:objectType/:objectId/attachments",
    (c) => c.json(store.attachments(c.req.param("objectType"), numParam(c, "objectId")))
  );
  project.get("/:objectType/:objectId/attachments/:attachmentId", (c) => {
    const record = store.attachment(c.req.param("objectType"), numParam(c, "objectId"), numParam(c, "attachmentId"));
    c.header("Content-Type", record.contentType);
    c.header("Content-Disposition", `attachment; filename="${encodeURIComponent(record.name)}"`);
    return c.body(record.bytes);
  });
  api.route("/projects/:projectId", project);
  app.route("/api/v3", api);
  app.notFound((c) => c.json({ code: 404, message: `No endpoint ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    if (error instanceof QTestApiError) return c.json({ code: error.status, message: error.message }, error.status);
    if (error instanceof BadRequest) return c.json({ code: 400, message: error.message }, 400);
    return c.json({ code: 500, message: "Internal server error" }, 500);
  });
  return app;
}
function numParam(c, name) {
  const raw = c.req.param(name) ?? "";
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new BadRequest(`'${raw}' is not a valid ${name}.`);
  return value;
}
function paged(c, all) {
  const page = intQuery(c, "page", { default: 1, min: 1 }) ?? 1;
  const pageSize = intQuery(c, "pageSize", { default: 100, min: 1, max: 999 }) ?? 100;
  const items = all.slice((page - 1) * pageSize, page * pageSize);
  const links2 = page * pageSize < all.length ? [{ rel: "next", href: urlWith(c, { page: page + 1, pageSize }) }] : [];
  return { links: links2, page, page_size: pageSize, total: all.length, items };
}
function selectFields(item, fields) {
  if (fields.includes("*")) return item;
  const record = item;
  return Object.fromEntries(Object.entries(record).filter(([key]) => key === "id" || fields.includes(key)));
}

// src/mock/qtest/system-fields.ts
var DataType = {
  textBox: 1,
  textArea: 2,
  comboBox: 3,
  datePicker: 4,
  userList: 5,
  richText: 6,
  number: 7,
  checkBox: 8,
  dateTimePicker: 9,
  url: 12,
  multiSelect: 17
};
var attributeTypeOf = {
  1: "ShortText",
  2: "LongText",
  3: "Number",
  4: "Date",
  5: "User",
  6: "RichText",
  7: "Number",
  8: "ArrayNumber",
  9: "DateTime",
  12: "URL",
  17: "ArrayNumber"
};
var OBJECT_TYPES = [
  "requirements",
  "test-cases",
  "defects",
  "test-runs",
  "test-suites",
  "releases",
  "builds",
  "test-steps"
];
var executionStatuses = [
  { id: 601, name: "Passed", is_default: false, color: "#0cdda8", active: true },
  { id: 602, name: "Failed", is_default: false, color: "#ff6464", active: true },
  { id: 603, name: "Incomplete", is_default: false, color: "#ffbc3c", active: true },
  { id: 604, name: "Blocked", is_default: false, color: "#9c9c9c", active: true },
  { id: 605, name: "Unexecuted", is_default: true, color: "#e0e0e0", active: true }
];
var systemFields = {
  "test-cases": [
    {
      id: 3001,
      label: "Status",
      data_type: DataType.comboBox,
      original_name: "TestCaseStatus",
      search_key: "status",
      allowed_values: [
        { value: 201, label: "New", is_default: true },
        { value: 202, label: "Ready for Review" },
        { value: 203, label: "Approved" },
        { value: 204, label: "Obsolete" }
      ]
    },
    {
      id: 3002,
      label: "Type",
      data_type: DataType.comboBox,
      original_name: "TestCaseType",
      search_key: "type",
      allowed_values: [
        { value: 701, label: "Manual", is_default: true },
        { value: 702, label: "Automation" },
        { value: 703, label: "Performance" },
        { value: 704, label: "Scenario" }
      ]
    },
    {
      id: 3003,
      label: "Priority",
      data_type: DataType.comboBox,
      original_name: "TestCasePriority",
      search_key: "priority",
      allowed_values: [
        { value: 711, label: "Urgent" },
        { value: 712, label: "High" },
        { value: 713, label: "Medium", is_default: true },
        { value: 714, label: "Low" }
      ]
    },
    { id: 3004, label: "Assigned To", data_type: DataType.userList, original_name: "AssignedTo", search_key: "assignedTo" },
    {
      id: 3005,
      label: "Automation",
      data_type: DataType.comboBox,
      original_name: "Automation",
      search_key: "automation",
      allowed_values: [
        { value: 721, label: "Yes" },
        { value: 722, label: "No", is_default: true }
      ]
    },
    {
      id: 3006,
      label: "Automation Content",
      data_type: DataType.textBox,
      original_name: "AutomationContent",
      search_key: "automationContent"
    }
  ],
  "test-runs": [
    {
      id: 4001,
      label: "Status",
      data_type: DataType.comboBox,
      original_name: "TestRunStatus",
      search_key: "status",
      readOnly: true,
      allowed_values: executionStatuses.map((s) => ({ value: s.id, label: s.name, is_default: s.is_default }))
    },
    {
      id: 4002,
      label: "Priority",
      data_type: DataType.comboBox,
      original_name: "TestRunPriority",
      search_key: "priority",
      allowed_values: [
        { value: 731, label: "Urgent" },
        { value: 732, label: "High" },
        { value: 733, label: "Medium", is_default: true },
        { value: 734, label: "Low" }
      ]
    },
    { id: 4003, label: "Assigned To", data_type: DataType.userList, original_name: "AssignedTo", search_key: "assignedTo" },
    {
      id: 4004,
      label: "Planned Start Date",
      data_type: DataType.dateTimePicker,
      original_name: "PlannedStartDate",
      search_key: "plannedStartDate"
    },
    {
      id: 4005,
      label: "Planned End Date",
      data_type: DataType.dateTimePicker,
      original_name: "PlannedEndDate",
      search_key: "plannedEndDate"
    },
    {
      id: 4006,
      label: "Execution Type",
      data_type: DataType.comboBox,
      original_name: "ExecutionTypeTestRun",
      search_key: "type",
      allowed_values: [
        { value: 501, label: "Functional", is_default: true },
        { value: 502, label: "Regression" }
      ]
    },
    {
      id: 4007,
      label: "Environment",
      data_type: DataType.comboBox,
      original_name: "Environment",
      search_key: "environment",
      allowed_values: [
        { value: 741, label: "Chrome" },
        { value: 742, label: "Firefox" },
        { value: 743, label: "Safari" },
        { value: 744, label: "Edge" }
      ]
    }
  ],
  "test-suites": [
    {
      id: 5001,
      label: "Status",
      data_type: DataType.comboBox,
      original_name: "TestSuiteStatus",
      search_key: "status",
      allowed_values: [
        { value: 751, label: "New", is_default: true },
        { value: 752, label: "In Progress" },
        { value: 753, label: "Done" }
      ]
    },
    { id: 5002, label: "Assigned To", data_type: DataType.userList, original_name: "AssignedTo", search_key: "assignedTo" },
    {
      id: 5003,
      label: "Planned Start Date",
      data_type: DataType.dateTimePicker,
      original_name: "PlannedStartDate",
      search_key: "plannedStartDate"
    },
    {
      id: 5004,
      label: "Planned End Date",
      data_type: DataType.dateTimePicker,
      original_name: "PlannedEndDate",
      search_key: "plannedEndDate"
    },
    {
      id: 5005,
      label: "Environment",
      data_type: DataType.comboBox,
      original_name: "Environment",
      search_key: "environment",
      allowed_values: [
        { value: 761, label: "Chrome" },
        { value: 762, label: "Firefox" },
        { value: 763, label: "Safari" },
        { value: 764, label: "Edge" }
      ]
    }
  ],
  "test-steps": [],
  requirements: [
    {
      id: 6001,
      label: "Status",
      data_type: DataType.comboBox,
      original_name: "RequirementStatus",
      search_key: "status",
      allowed_values: [
        { value: 771, label: "New", is_default: true },
        { value: 772, label: "Approved" }
      ]
    }
  ],
  defects: [],
  releases: [],
  builds: []
};
var defaultUsers = [
  { id: 9001, username: "admin@example.com", email: "admin@example.com", first_name: "Site", last_name: "Admin" },
  { id: 9002, username: "ana.silva@example.com", email: "ana.silva@example.com", first_name: "Ana", last_name: "Silva" },
  { id: 9003, username: "kenji.sato@example.com", email: "kenji.sato@example.com", first_name: "Kenji", last_name: "Sato" },
  { id: 9004, username: "zoe.muller@example.com", email: "zoe.muller@example.com", first_name: "Zo\xEB", last_name: "M\xFCller" },
  { id: 9005, username: "omar.haddad@example.com", email: "omar.haddad@example.com", first_name: "Omar", last_name: "Haddad" }
];

// src/mock/qtest/field-values.ts
function fieldFromSeed(seed, system) {
  const allowed = seed.allowed_values ?? [];
  return {
    links: [],
    id: seed.id,
    label: seed.label,
    attribute_type: attributeTypeOf[seed.data_type] ?? "ShortText",
    required: seed.required ?? false,
    constrained: allowed.length > 0,
    order: seed.id % 100,
    multiple: seed.data_type === DataType.checkBox || seed.data_type === DataType.multiSelect,
    data_type: seed.data_type,
    searchable: true,
    free_text_search: seed.data_type === DataType.textBox || seed.data_type === DataType.textArea,
    search_key: seed.search_key,
    system_field: system,
    original_name: seed.original_name,
    is_active: true,
    ...allowed.length > 0 && {
      allowed_values: allowed.map((v, i) => ({
        links: [],
        value: v.value,
        label: v.label,
        order: i + 1,
        is_default: v.is_default ?? false,
        is_active: true,
        ...v.color && { color: v.color }
      }))
    }
  };
}
function mergeProperties(objectType, fields, input, current, context, options = {}) {
  const next = new Map(current);
  for (const [i, property] of input.entries()) {
    const field = fields.find((f) => f.id === property.field_id);
    if (!field) throw new QTestApiError(400, `properties[${i}]: field_id ${property.field_id} is not a field of ${objectType}.`);
    if (context.readOnly.has(field.id) && !options.partial) {
      throw new QTestApiError(
        400,
        `properties[${i}]: field '${field.label}' (${field.id}) is computed by qTest and cannot be set.`
      );
    }
    const value = property.field_value == null ? "" : String(property.field_value);
    if (value !== "") checkValue(field, value, `properties[${i}] (${field.label})`, context);
    next.set(field.id, value);
  }
  if (options.partial) return next;
  for (const field of fields) {
    if (next.get(field.id)) continue;
    const fallback = field.allowed_values?.find((v) => v.is_default);
    if (fallback && !field.multiple) next.set(field.id, String(fallback.value));
    else if (field.required) throw new QTestApiError(400, `Field '${field.label}' (${field.id}) is required.`);
  }
  return next;
}
function renderProperties(fields, props, users) {
  return fields.map((field) => {
    const value = props.get(field.id) ?? "";
    return { field_id: field.id, field_name: field.label, field_value: value, field_value_name: valueName(field, value, users) };
  });
}
function valueName(field, value, users) {
  if (value === "") return "";
  if (field.data_type === DataType.userList) {
    const user = users.find((u) => String(u.id) === value);
    return user ? `${user.first_name} ${user.last_name}` : value;
  }
  if (!field.allowed_values || field.allowed_values.length === 0) return value;
  const label = (v) => field.allowed_values?.find((a) => String(a.value) === v)?.label ?? v;
  if (field.multiple) return `[${parseList(value).map(label).join(", ")}]`;
  return label(value);
}
function checkValue(field, value, where, context) {
  const allowed = field.allowed_values ?? [];
  if (field.data_type === DataType.userList) {
    if (!context.users.some((u) => String(u.id) === value)) {
      throw new QTestApiError(400, `${where}: '${value}' is not a user of project ${context.projectId}.`);
    }
    return;
  }
  if (allowed.length > 0) {
    const values = field.multiple ? parseList(value) : [value];
    for (const v of values) {
      if (!allowed.some((a) => String(a.value) === v && a.is_active !== false)) {
        const choices = allowed.map((a) => `${a.value} (${a.label})`).join(", ");
        throw new QTestApiError(400, `${where}: value '${v}' is not allowed; allowed values: ${choices}.`);
      }
    }
    return;
  }
  if (field.data_type === DataType.number && !Number.isFinite(Number(value))) {
    throw new QTestApiError(400, `${where}: '${value}' is not a number.`);
  }
  const isDate = field.data_type === DataType.datePicker || field.data_type === DataType.dateTimePicker;
  if (isDate && Number.isNaN(Date.parse(value))) throw new QTestApiError(400, `${where}: '${value}' is not a date.`);
}
function parseList(value) {
  return value.replace(/^\[|\]$/g, "").split(",").map((v) => v.trim()).filter((v) => v !== "");
}

// src/mock/qtest/store.ts
var ATTACHABLE = ["releases", "builds", "requirements", "test-cases", "test-logs", "test-steps", "test-step-logs", "defects"];
var QTestStore = class {
  projectId;
  projectName;
  #origin;
  #clock;
  #nextId = 1e5;
  #pidCounters = /* @__PURE__ */ new Map();
  #fields = /* @__PURE__ */ new Map();
  #modules = /* @__PURE__ */ new Map();
  #testCases = /* @__PURE__ */ new Map();
  #cycles = /* @__PURE__ */ new Map();
  #suites = /* @__PURE__ */ new Map();
  #runs = /* @__PURE__ */ new Map();
  #logs = /* @__PURE__ */ new Map();
  #attachments = /* @__PURE__ */ new Map();
  users = defaultUsers;
  /** Children per parent (`kind:parentType:parentId`), so lists and orders never scan a whole project. */
  #children = /* @__PURE__ */ new Map();
  #logsByRun = /* @__PURE__ */ new Map();
  #testCaseByPid = /* @__PURE__ */ new Map();
  /** Fields qTest computes itself (a run's Status); writing them is refused. */
  #readOnlyFields = /* @__PURE__ */ new Set();
  constructor(options) {
    this.#origin = options.origin;
    this.projectId = options.projectId;
    this.projectName = options.projectName ?? "ZTOQ Target";
    this.#clock = options.clock ?? Date.now;
    for (const type of OBJECT_TYPES)
      this.#fields.set(
        type,
        systemFields[type].map((seed) => fieldFromSeed(seed, true))
      );
    for (const seed of Object.values(systemFields).flat()) if (seed.readOnly) this.#readOnlyFields.add(seed.id);
  }
  // ---- project, users, fields --------------------------------------------------------------
  checkProject(projectId) {
    if (projectId !== String(this.projectId)) {
      throw new QTestApiError(404, `Project ${projectId} does not exist or you do not have permission to access it.`);
    }
  }
  project() {
    const now = iso(this.#clock());
    return {
      links: [{ rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}` }],
      id: this.projectId,
      name: this.projectName,
      description: "Target project of a Zephyr Scale migration",
      status_id: 101,
      start_date: now,
      end_date: null,
      sample: false,
      admins: [this.users[0]?.username],
      automation: false,
      template_id: null,
      uuid: `00000000-0000-4000-8000-${String(this.projectId).padStart(12, "0")}`,
      date_format: "yyyy/MM/dd"
    };
  }
  fields(objectType, includeInactive = false) {
    const fields = this.#fields.get(this.#objectType(objectType)) ?? [];
    return includeInactive ? fields : fields.filter((f) => f.is_active !== false);
  }
  field(objectType, fieldId) {
    const field = this.fields(objectType, true).find((f) => f.id === fieldId);
    if (!field) throw new QTestApiError(404, `Field ${fieldId} does not exist for ${objectType}.`);
    return field;
  }
  createField(objectType, input) {
    const type = this.#objectType(objectType);
    if (type === "test-steps") throw new QTestApiError(400, "Custom fields cannot be created for test-steps.");
    const fields = this.#fields.get(type) ?? [];
    if (fields.some((f) => f.label.toLowerCase() === input.label.toLowerCase())) {
      throw new QTestApiError(400, `A field labelled '${input.label}' already exists for ${type}.`);
    }
    if (!Object.hasOwn(attributeTypeOf, input.data_type)) {
      throw new QTestApiError(400, `data_type ${input.data_type} is not a valid field type.`);
    }
    let nextValue = Math.max(1e3, ...fields.flatMap((f) => (f.allowed_values ?? []).map((v) => v.value))) + 1;
    const field = fieldFromSeed(
      {
        id: this.#id(),
        label: input.label,
        data_type: input.data_type,
        original_name: input.label,
        search_key: input.label,
        required: input.required ?? false,
        allowed_values: (input.allowed_values ?? []).map((v) => ({
          value: v.value ?? nextValue++,
          label: v.label,
          is_default: v.is_default ?? false
        }))
      },
      false
    );
    fields.push(field);
    this.#fields.set(type, fields);
    return field;
  }
  executionStatuses() {
    return executionStatuses;
  }
  // ---- modules -----------------------------------------------------------------------------
  modules(parentId, expand, search) {
    if (parentId !== void 0) this.#module(parentId);
    return this.#childRecords(this.#modules, "module", "module", parentId ?? null).filter((m) => !search || m.name.toLowerCase().includes(search.toLowerCase())).map((m) => this.#renderModule(m, expand));
  }
  module(id3, expand) {
    return this.#renderModule(this.#module(id3), expand);
  }
  createModule(input, parentId) {
    const parent = parentId ?? input.parent_id ?? null;
    if (parent !== null) this.#module(parent);
    const now = this.#clock();
    const record = {
      id: this.#id(),
      pid: this.#pid("MD"),
      created: now,
      modified: now,
      name: input.name,
      description: input.description ?? "",
      parentId: parent,
      order: this.#childCount("module", "module", parent) + 1
    };
    this.#modules.set(record.id, record);
    this.#link("module", "module", parent, record.id);
    return this.#renderModule(record, false);
  }
  updateModule(id3, input, parentId) {
    const record = this.#module(id3);
    if (parentId !== void 0) {
      if (this.#moduleAncestors(parentId).includes(id3)) throw new QTestApiError(400, "A module cannot move into itself.");
      this.#unlink("module", "module", record.parentId, id3);
      record.parentId = parentId;
      this.#link("module", "module", parentId, id3);
    } else {
      if (input.name !== void 0) record.name = input.name;
      if (input.description !== void 0) record.description = input.description ?? "";
    }
    record.modified = this.#clock();
    return this.#renderModule(record, false);
  }
  deleteModule(id3, force) {
    this.#module(id3);
    const doomed = this.#moduleSubtree(id3);
    const cases = doomed.flatMap((m) => this.#childRecords(this.#testCases, "case", "module", m));
    if (!force && (doomed.length > 1 || cases.length > 0)) {
      throw new QTestApiError(400, `Module ${id3} is not empty; delete with force=true to remove its contents.`);
    }
    for (const t of cases) this.deleteTestCase(t.id);
    for (const m of doomed) {
      this.#unlink("module", "module", this.#module(m).parentId, m);
      this.#modules.delete(m);
    }
  }
  // ---- test cases --------------------------------------------------------------------------
  testCases(parentId, options) {
    if (parentId !== void 0) this.#module(parentId);
    const candidates = parentId === void 0 ? [...this.#testCases.values()] : this.#childRecords(this.#testCases, "case", "module", parentId);
    return candidates.filter((t) => options.modifiedAfter === void 0 || t.modified > options.modifiedAfter).map((t) => this.#renderTestCase(t, options.expandSteps));
  }
  testCase(idOrPid, expandSteps) {
    return this.#renderTestCase(this.#testCaseByIdOrPid(idOrPid), expandSteps);
  }
  createTestCase(input) {
    if (input.parent_id != null) this.#module(input.parent_id);
    const props = this.#properties("test-cases", input.properties ?? [], /* @__PURE__ */ new Map());
    for (const step of input.test_steps ?? [])
      if (step.called_test_case_id != null) this.#testCaseByIdOrPid(String(step.called_test_case_id));
    const parentId = input.parent_id ?? this.#createdViaApiModule();
    const now = this.#clock();
    const record = {
      id: this.#id(),
      pid: this.#pid("TC"),
      created: now,
      modified: now,
      name: input.name,
      parentId,
      order: this.#childCount("case", "module", parentId) + 1,
      description: input.description ?? "",
      precondition: input.precondition ?? "",
      props,
      steps: [],
      versionId: this.#id(),
      version: 1
    };
    record.steps = (input.test_steps ?? []).map((s, i) => this.#step(s, i + 1));
    this.#testCases.set(record.id, record);
    this.#testCaseByPid.set(record.pid, record.id);
    this.#link("case", "module", parentId, record.id);
    return this.#renderTestCase(record, true);
  }
  /** An update makes a new version, as qTest does; `test_steps`, when sent, replace the steps. */
  updateTestCase(id3, input) {
    const record = this.#testCaseByIdOrPid(String(id3));
    if (input.parent_id !== void 0 && input.parent_id !== null) {
      this.#module(input.parent_id);
      this.#unlink("case", "module", record.parentId, record.id);
      record.parentId = input.parent_id;
      this.#link("case", "module", record.parentId, record.id);
    }
    if (input.name !== void 0) record.name = input.name;
    if (input.description !== void 0) record.description = input.description ?? "";
    if (input.precondition !== void 0) record.precondition = input.precondition ?? "";
    if (input.properties) record.props = this.#properties("test-cases", input.properties, record.props);
    if (input.test_steps) {
      const kept = new Set(record.steps.map((s) => s.id));
      record.steps = input.test_steps.map((s, i) => this.#step(s, i + 1, s.id && kept.has(s.id) ? s.id : void 0));
    }
    this.#newVersion(record);
    return this.#renderTestCase(record, true);
  }
  deleteTestCase(id3) {
    const record = this.#testCaseByIdOrPid(String(id3));
    for (const run of [...this.#runs.values()]) if (run.testCaseId === record.id) this.deleteTestRun(run.id);
    this.#unlink("case", "module", record.parentId, record.id);
    this.#testCaseByPid.delete(record.pid);
    this.#testCases.delete(record.id);
  }
  testSteps(testCaseId) {
    return this.#testCaseByIdOrPid(testCaseId).steps.map((s) => this.#renderStep(s));
  }
  testStep(testCaseId, stepId) {
    return this.#renderStep(this.#stepOf(this.#testCaseByIdOrPid(testCaseId), stepId));
  }
  addTestStep(testCaseId, input) {
    const record = this.#testCaseByIdOrPid(testCaseId);
    const step = this.#step(input, record.steps.length + 1);
    record.steps.push(step);
    this.#newVersion(record);
    return this.#renderStep(step);
  }
  updateTestStep(testCaseId, stepId, input) {
    const record = this.#testCaseByIdOrPid(testCaseId);
    const index2 = record.steps.indexOf(this.#stepOf(record, stepId));
    const step = this.#step(input, record.steps[index2]?.order ?? index2 + 1, stepId);
    record.steps[index2] = step;
    this.#newVersion(record);
    return this.#renderStep(step);
  }
  deleteTestStep(testCaseId, stepId) {
    const record = this.#testCaseByIdOrPid(testCaseId);
    record.steps = record.steps.filter((s) => s.id !== this.#stepOf(record, stepId).id);
    record.steps.forEach((s, i) => {
      s.order = i + 1;
    });
    this.#newVersion(record);
  }
  // ---- test cycles and suites --------------------------------------------------------------
  testCycles(parentId, parentType, expand) {
    const type = this.#containerType(parentType ?? (parentId ? "test-cycle" : "root"));
    const parent = type === "root" ? 0 : parentId ?? 0;
    if (type === "test-cycle") this.#cycle(parent);
    return this.#childRecords(this.#cycles, "cycle", type, parent).map((c) => this.#renderCycle(c, expand));
  }
  testCycle(id3, expand) {
    return this.#renderCycle(this.#cycle(id3), expand);
  }
  createTestCycle(input, parentId, parentType) {
    const { id: parent, type } = this.#container(parentId, parentType);
    const now = this.#clock();
    const record = {
      id: this.#id(),
      pid: this.#pid("CL"),
      created: now,
      modified: now,
      name: input.name,
      description: input.description ?? "",
      parentId: parent,
      parentType: type,
      order: this.#childCount("cycle", type, parent) + 1
    };
    this.#cycles.set(record.id, record);
    this.#link("cycle", type, parent, record.id);
    return this.#renderCycle(record, false);
  }
  updateTestCycle(id3, input, parentId, parentType) {
    const record = this.#cycle(id3);
    if (parentId !== void 0 || parentType !== void 0) {
      const { id: parent, type } = this.#container(parentId, parentType);
      if (type === "test-cycle" && this.#cycleAncestors(parent).includes(id3)) {
        throw new QTestApiError(400, "A test cycle cannot move into itself.");
      }
      this.#unlink("cycle", record.parentType, record.parentId, id3);
      record.parentId = parent;
      record.parentType = type;
      this.#link("cycle", type, parent, id3);
    } else {
      if (input.name !== void 0) record.name = input.name;
      if (input.description !== void 0) record.description = input.description ?? "";
    }
    record.modified = this.#clock();
    return this.#renderCycle(record, false);
  }
  deleteTestCycle(id3, force) {
    const record = this.#cycle(id3);
    const childCycles = this.#childRecords(this.#cycles, "cycle", "test-cycle", id3);
    const suites = this.#childRecords(this.#suites, "suite", "test-cycle", id3);
    const runs = this.#childRecords(this.#runs, "run", "test-cycle", id3);
    if (!force && childCycles.length + suites.length + runs.length > 0) {
      throw new QTestApiError(400, `Test cycle ${id3} is not empty; delete with force=true to remove its contents.`);
    }
    for (const c of childCycles) this.deleteTestCycle(c.id, true);
    for (const s of suites) this.deleteTestSuite(s.id);
    for (const r of runs) this.deleteTestRun(r.id);
    this.#unlink("cycle", record.parentType, record.parentId, id3);
    this.#cycles.delete(id3);
  }
  testSuites(parentId, parentType) {
    const type = this.#containerType(parentType ?? (parentId ? "test-cycle" : "root"));
    const parent = type === "root" ? 0 : parentId ?? 0;
    if (type === "test-cycle") this.#cycle(parent);
    return this.#childRecords(this.#suites, "suite", type, parent).map((s) => this.#renderSuite(s));
  }
  testSuite(id3) {
    return this.#renderSuite(this.#suite(id3));
  }
  createTestSuite(input, parentId, parentType) {
    const { id: parent, type } = this.#container(parentId, parentType);
    const props = this.#properties("test-suites", input.properties ?? [], /* @__PURE__ */ new Map());
    const now = this.#clock();
    const record = {
      id: this.#id(),
      pid: this.#pid("TS"),
      created: now,
      modified: now,
      name: input.name,
      parentId: parent,
      parentType: type,
      order: this.#childCount("suite", type, parent) + 1,
      props
    };
    this.#suites.set(record.id, record);
    this.#link("suite", type, parent, record.id);
    return this.#renderSuite(record);
  }
  updateTestSuite(id3, input, parentId, parentType) {
    const record = this.#suite(id3);
    if (parentId !== void 0 || parentType !== void 0) {
      const { id: parent, type } = this.#container(parentId, parentType);
      this.#unlink("suite", record.parentType, record.parentId, id3);
      record.parentId = parent;
      record.parentType = type;
      this.#link("suite", type, parent, id3);
    } else {
      if (input.name !== void 0) record.name = input.name;
      if (input.properties) record.props = this.#properties("test-suites", input.properties, record.props);
    }
    record.modified = this.#clock();
    return this.#renderSuite(record);
  }
  deleteTestSuite(id3) {
    const record = this.#suite(id3);
    for (const r of this.#childRecords(this.#runs, "run", "test-suite", id3)) this.deleteTestRun(r.id);
    this.#unlink("suite", record.parentType, record.parentId, id3);
    this.#suites.delete(id3);
  }
  // ---- test runs and logs ------------------------------------------------------------------
  testRuns(parentId, parentType, expand) {
    const type = parentType ?? (parentId ? "test-suite" : "root");
    if (!["root", "release", "test-cycle", "test-suite"].includes(type)) {
      throw new QTestApiError(400, `parentType '${parentType}' must be root, release, test-cycle or test-suite.`);
    }
    const parent = type === "root" ? 0 : parentId ?? 0;
    if (type === "test-suite") this.#suite(parent);
    if (type === "test-cycle") this.#cycle(parent);
    if (!expand) return this.#childRecords(this.#runs, "run", type, parent).map((r) => this.#renderRun(r));
    const within = (run) => type === "root" || this.#runAncestors(run).some((a) => a.type === type && a.id === parent);
    return [...this.#runs.values()].filter(within).map((r) => this.#renderRun(r));
  }
  testRun(id3) {
    return this.#renderRun(this.#run(id3));
  }
  createTestRun(input, parentId, parentType) {
    const type = parentType ?? "root";
    const parent = type === "root" ? 0 : parentId ?? 0;
    if (type === "test-suite") this.#suite(parent);
    else if (type === "test-cycle") this.#cycle(parent);
    else if (type !== "root") throw new QTestApiError(400, `parentType '${parentType}' cannot hold test runs.`);
    const testCase = this.#testCaseByIdOrPid(String(input.test_case.id));
    const versionId = input.test_case_version_id ?? testCase.versionId;
    if (versionId !== testCase.versionId) {
      throw new QTestApiError(400, `test_case_version_id ${versionId} is not a version of test case ${testCase.id}.`);
    }
    const props = this.#properties("test-runs", input.properties ?? [], /* @__PURE__ */ new Map());
    const now = this.#clock();
    const record = {
      id: this.#id(),
      pid: this.#pid("TR"),
      created: now,
      modified: now,
      name: input.name ?? testCase.name,
      parentId: parent,
      parentType: type,
      order: this.#childCount("run", type, parent) + 1,
      testCaseId: testCase.id,
      testCaseVersionId: versionId,
      props
    };
    this.#runs.set(record.id, record);
    this.#link("run", type, parent, record.id);
    return this.#renderRun(record);
  }
  updateTestRun(id3, input, parentId, parentType) {
    const record = this.#run(id3);
    if (parentId !== void 0 || parentType !== void 0) {
      const type = parentType ?? "test-suite";
      if (type === "test-suite") this.#suite(parentId ?? 0);
      else if (type === "test-cycle") this.#cycle(parentId ?? 0);
      this.#unlink("run", record.parentType, record.parentId, id3);
      record.parentType = type;
      record.parentId = type === "root" ? 0 : parentId ?? 0;
      this.#link("run", type, record.parentId, id3);
    } else {
      if (input.name !== void 0) record.name = input.name;
      if (input.properties) record.props = this.#properties("test-runs", input.properties, record.props);
    }
    record.modified = this.#clock();
    return this.#renderRun(record);
  }
  deleteTestRun(id3) {
    const record = this.#run(id3);
    for (const logId of this.#logsByRun.get(id3) ?? []) this.#logs.delete(logId);
    this.#logsByRun.delete(id3);
    this.#unlink("run", record.parentType, record.parentId, id3);
    this.#runs.delete(id3);
  }
  testLogs(runId) {
    this.#run(runId);
    return (this.#logsByRun.get(runId) ?? []).map((id3) => this.#renderLog(this.#logs.get(id3)));
  }
  testLog(runId, logId) {
    const log = this.#logs.get(logId);
    if (!log || log.runId !== runId) throw new QTestApiError(404, `Test log ${logId} does not exist in test run ${runId}.`);
    return this.#renderLog(log);
  }
  lastTestLog(runId) {
    const log = this.#latestLog(this.#run(runId).id);
    if (!log) throw new QTestApiError(404, `Test run ${runId} has no test log.`);
    return this.#renderLog(log);
  }
  createTestLog(runId, input) {
    const run = this.#run(runId);
    const testCase = this.#testCases.get(run.testCaseId);
    const statusId = this.#executionStatus(input.status.id, "status");
    const start = Date.parse(input.exe_start_date);
    const end = Date.parse(input.exe_end_date);
    if (Number.isNaN(start)) throw new QTestApiError(400, `exe_start_date '${input.exe_start_date}' is not a date.`);
    if (Number.isNaN(end)) throw new QTestApiError(400, `exe_end_date '${input.exe_end_date}' is not a date.`);
    if (end < start) throw new QTestApiError(400, "exe_end_date must not be before exe_start_date.");
    const stepIds = new Set(testCase?.steps.map((s) => s.id));
    const stepLogs = (input.test_step_logs ?? []).map((s, i) => {
      if (s.test_step_id != null && !stepIds.has(s.test_step_id) && s.called_test_case_id == null) {
        throw new QTestApiError(400, `test_step_logs[${i}].test_step_id ${s.test_step_id} is not a step of the test case.`);
      }
      const step = testCase?.steps.find((t) => t.id === s.test_step_id);
      return {
        id: this.#id(),
        testStepId: s.test_step_id ?? null,
        statusId: this.#executionStatus(s.status.id, `test_step_logs[${i}].status`),
        actualResult: s.actual_result ?? "",
        order: s.order ?? i + 1,
        description: s.description ?? step?.description ?? "",
        expectedResult: s.expected_result ?? step?.expected ?? "",
        exeDate: s.exe_date ?? null,
        ...s.called_test_case_id != null && { calledTestCaseId: s.called_test_case_id },
        ...s.parent_test_step_id != null && { parentTestStepId: s.parent_test_step_id }
      };
    });
    const now = this.#clock();
    const record = {
      id: this.#id(),
      runId: run.id,
      statusId,
      exeStart: input.exe_start_date,
      exeEnd: input.exe_end_date,
      note: input.note ?? "",
      testCaseVersionId: input.test_case_version_id ?? run.testCaseVersionId,
      // The Swagger lists no field settings for logs; their properties share the test-run fields.
      props: this.#properties("test-runs", input.properties ?? [], /* @__PURE__ */ new Map(), { partial: true }),
      stepLogs,
      created: now,
      modified: now
    };
    this.#logs.set(record.id, record);
    this.#logsByRun.set(run.id, [...this.#logsByRun.get(run.id) ?? [], record.id]);
    run.modified = now;
    return this.#renderLog(record);
  }
  // ---- attachments -------------------------------------------------------------------------
  addAttachment(objectType, objectId, name, contentType, bytes) {
    this.#attachable(objectType, objectId);
    const record = {
      id: this.#id(),
      name,
      contentType,
      bytes,
      objectType,
      objectId,
      created: this.#clock()
    };
    this.#attachments.set(record.id, record);
    return this.#renderAttachment(record);
  }
  attachments(objectType, objectId) {
    this.#attachable(objectType, objectId);
    return [...this.#attachments.values()].filter((a) => a.objectType === objectType && a.objectId === objectId).map((a) => this.#renderAttachment(a));
  }
  attachment(objectType, objectId, attachmentId) {
    const record = this.#attachments.get(attachmentId);
    if (!record || record.objectType !== objectType || record.objectId !== objectId) {
      throw new QTestApiError(404, `Attachment ${attachmentId} does not exist on ${objectType} ${objectId}.`);
    }
    return record;
  }
  // ---- search ------------------------------------------------------------------------------
  /** The objects of one type with their searchable values, for `POST /search`. */
  searchable(objectType) {
    const withProps = (item, extra) => ({
      item,
      value: (criterion) => {
        const key = criterion.toLowerCase();
        if (key in extra) return extra[key];
        if (key === "id") return String(item.id);
        if (key === "name") return item.name ?? void 0;
        const property = item.properties?.find((p) => p.field_name?.toLowerCase() === key || String(p.field_id) === key);
        return property ? String(property.field_value_name ?? property.field_value ?? "") : void 0;
      }
    });
    const stamps = (r) => ({
      pid: r.pid,
      "created date": iso(r.created),
      "last modified date": iso(r.modified)
    });
    switch (objectType) {
      case "test-cases":
        return [...this.#testCases.values()].map((t) => withProps(this.#renderTestCase(t, false), stamps(t)));
      case "test-runs":
        return [...this.#runs.values()].map((r) => withProps(this.#renderRun(r), stamps(r)));
      case "test-suites":
        return [...this.#suites.values()].map((s) => withProps(this.#renderSuite(s), stamps(s)));
      case "test-cycles":
        return [...this.#cycles.values()].map((c) => withProps(this.#renderCycle(c, false), stamps(c)));
      case "test-logs":
        return [...this.#logs.values()].map(
          (l) => withProps(this.#renderLog(l), {
            "execution start date": l.exeStart,
            "execution end date": l.exeEnd,
            "last modified date": iso(l.modified),
            "test run id": String(l.runId)
          })
        );
      case "requirements":
      case "releases":
      case "builds":
      case "defects":
        return [];
      default:
        throw new QTestApiError(400, `object_type '${objectType}' cannot be searched.`);
    }
  }
  /** Counts per collection, for tests that assert nothing was written. */
  counts() {
    return {
      modules: this.#modules.size,
      testCases: this.#testCases.size,
      testCycles: this.#cycles.size,
      testSuites: this.#suites.size,
      testRuns: this.#runs.size,
      testLogs: this.#logs.size,
      attachments: this.#attachments.size
    };
  }
  // ---- rendering ---------------------------------------------------------------------------
  #renderModule(m, expand) {
    const children = expand ? this.#childRecords(this.#modules, "module", "module", m.id) : [];
    return {
      links: [{ rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}/modules/${m.id}` }],
      id: m.id,
      name: m.name,
      order: m.order,
      pid: m.pid,
      created_date: iso(m.created),
      last_modified_date: iso(m.modified),
      parent_id: m.parentId,
      description: m.description,
      shared: false,
      ...expand && { children: children.map((c) => this.#renderModule(c, true)) }
    };
  }
  #renderTestCase(t, withSteps) {
    return {
      links: [{ rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}/test-cases/${t.id}` }],
      id: t.id,
      pid: t.pid,
      name: t.name,
      order: t.order,
      parent_id: t.parentId,
      description: t.description,
      precondition: t.precondition,
      properties: this.#renderProperties("test-cases", t.props),
      ...withSteps && { test_steps: t.steps.map((s) => this.#renderStep(s)) },
      test_case_version_id: t.versionId,
      version: `0.${t.version}`,
      created_date: iso(t.created),
      last_modified_date: iso(t.modified),
      web_url: `${this.#origin}/p/${this.projectId}/portal/project#tab=testdesign&object=1&id=${t.id}`,
      creator_id: this.users[0]?.id
    };
  }
  #renderStep(s) {
    const called = s.calledTestCaseId === void 0 ? void 0 : this.#testCases.get(s.calledTestCaseId);
    return {
      links: [],
      id: s.id,
      description: s.description,
      expected: s.expected,
      order: s.order,
      attachments: [],
      ...s.calledTestCaseId !== void 0 && {
        called_test_case_id: s.calledTestCaseId,
        called_test_case_name: called?.name ?? "",
        root_called_test_case_id: s.calledTestCaseId
      },
      ...s.parameterValues !== void 0 && { parameter_values: s.parameterValues }
    };
  }
  #renderCycle(c, expand) {
    const base = {
      links: [{ rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}/test-cycles/${c.id}` }],
      id: c.id,
      name: c.name,
      order: c.order,
      pid: c.pid,
      created_date: iso(c.created),
      last_modified_date: iso(c.modified),
      web_url: `${this.#origin}/p/${this.projectId}/portal/project#tab=testexecution&object=2&id=${c.id}`,
      description: c.description,
      target_release_id: c.parentType === "release" ? c.parentId : null,
      target_build_id: null
    };
    if (!expand) return base;
    return {
      ...base,
      "test-cycles": this.#childRecords(this.#cycles, "cycle", "test-cycle", c.id).map((x) => this.#renderCycle(x, true)),
      "test-suites": this.#childRecords(this.#suites, "suite", "test-cycle", c.id).map((s) => this.#renderSuite(s))
    };
  }
  #renderSuite(s) {
    return {
      links: [{ rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}/test-suites/${s.id}` }],
      id: s.id,
      pid: s.pid,
      name: s.name,
      parentId: s.parentId,
      parentType: s.parentType,
      order: s.order,
      created_date: iso(s.created),
      last_modified_date: iso(s.modified),
      properties: this.#renderProperties("test-suites", s.props),
      web_url: `${this.#origin}/p/${this.projectId}/portal/project#tab=testexecution&object=3&id=${s.id}`
    };
  }
  #renderRun(r) {
    const testCase = this.#testCases.get(r.testCaseId);
    const latest = this.#latestLog(r.id);
    const props = new Map(r.props);
    props.set(4001, String(latest?.statusId ?? 605));
    return {
      links: [{ rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}/test-runs/${r.id}` }],
      id: r.id,
      pid: r.pid,
      name: r.name,
      order: r.order,
      parentId: r.parentId,
      parentType: r.parentType,
      test_case: { id: r.testCaseId, pid: testCase?.pid, name: testCase?.name },
      testCaseId: r.testCaseId,
      test_case_version_id: r.testCaseVersionId,
      creator_id: this.users[0]?.id,
      properties: this.#renderProperties("test-runs", props),
      created_date: iso(r.created),
      last_modified_date: iso(r.modified),
      web_url: `${this.#origin}/p/${this.projectId}/portal/project#tab=testexecution&object=3&id=${r.id}`,
      ...latest && {
        latest_test_log: {
          id: latest.id,
          status: this.#statusName(latest.statusId),
          exe_start_date: latest.exeStart,
          exe_end_date: latest.exeEnd
        }
      }
    };
  }
  #renderLog(l) {
    return {
      links: [
        { rel: "self", href: `${this.#origin}/api/v3/projects/${this.projectId}/test-runs/${l.runId}/test-logs/${l.id}` },
        { rel: "test-run", href: `${this.#origin}/api/v3/projects/${this.projectId}/test-runs/${l.runId}` }
      ],
      id: l.id,
      test_case_version_id: l.testCaseVersionId,
      exe_start_date: l.exeStart,
      exe_end_date: l.exeEnd,
      note: l.note,
      status: { id: l.statusId, name: this.#statusName(l.statusId) },
      properties: this.#renderProperties("test-runs", l.props).filter((p) => l.props.has(p.field_id)),
      test_step_logs: l.stepLogs.map((s) => ({
        test_step_log_id: s.id,
        test_step_id: s.testStepId ?? void 0,
        test_log_id: l.id,
        status: { id: s.statusId, name: this.#statusName(s.statusId) },
        actual_result: s.actualResult,
        order: s.order,
        description: s.description,
        expected_result: s.expectedResult,
        ...s.exeDate && { exe_date: s.exeDate },
        ...s.calledTestCaseId !== void 0 && { called_test_case_id: s.calledTestCaseId },
        ...s.parentTestStepId !== void 0 && { parent_test_step_id: s.parentTestStepId }
      })),
      attachments: [],
      created_date: iso(l.created),
      last_modified_date: iso(l.modified),
      test_run_id: l.runId
    };
  }
  #renderAttachment(a) {
    return {
      links: [],
      id: a.id,
      name: a.name,
      content_type: a.contentType,
      web_url: `${this.#origin}/p/${this.projectId}/portal/attachment/${a.objectType}/attachmentId/${a.id}`,
      created_date: iso(a.created),
      author: { id: this.users[0]?.id, username: this.users[0]?.username },
      artifact_id: a.objectId
    };
  }
  // ---- validation --------------------------------------------------------------------------
  #properties(objectType, input, current, options = {}) {
    const context = { users: this.users, projectId: this.projectId, readOnly: this.#readOnlyFields };
    return mergeProperties(objectType, this.fields(objectType), input, current, context, options);
  }
  #renderProperties(objectType, props) {
    return renderProperties(this.fields(objectType), props, this.users);
  }
  #executionStatus(id3, where) {
    if (!executionStatuses.some((s) => s.id === id3)) {
      const choices = executionStatuses.map((s) => `${s.id} (${s.name})`).join(", ");
      throw new QTestApiError(400, `${where}: ${id3} is not an execution status; allowed: ${choices}.`);
    }
    return id3;
  }
  #step(input, order, id3) {
    if (input.called_test_case_id != null) this.#testCaseByIdOrPid(String(input.called_test_case_id));
    return {
      id: id3 ?? this.#id(),
      description: input.description,
      expected: input.expected,
      order,
      ...input.called_test_case_id != null && { calledTestCaseId: input.called_test_case_id },
      ...input.parameter_values != null && { parameterValues: input.parameter_values }
    };
  }
  // ---- lookups -----------------------------------------------------------------------------
  #objectType(objectType) {
    if (!OBJECT_TYPES.includes(objectType)) {
      throw new QTestApiError(400, `objectType '${objectType}' must be one of ${OBJECT_TYPES.join(", ")}.`);
    }
    return objectType;
  }
  #module(id3) {
    const record = this.#modules.get(id3);
    if (!record) throw new QTestApiError(404, `Module ${id3} does not exist.`);
    return record;
  }
  #moduleAncestors(id3) {
    const chain = [];
    for (let m = this.#modules.get(id3); m; m = m.parentId === null ? void 0 : this.#modules.get(m.parentId)) chain.push(m.id);
    return chain;
  }
  #moduleSubtree(id3) {
    const ids = [id3];
    for (let i = 0; i < ids.length; i++) {
      for (const m of this.#childRecords(this.#modules, "module", "module", ids[i])) ids.push(m.id);
    }
    return ids;
  }
  #createdViaApiModule() {
    const existing = [...this.#modules.values()].find((m) => m.parentId === null && m.name === "Created via API");
    return existing?.id ?? this.createModule({ name: "Created via API" }, void 0).id;
  }
  #testCaseByIdOrPid(idOrPid) {
    const record = this.#testCases.get(Number(idOrPid)) ?? this.#testCases.get(this.#testCaseByPid.get(idOrPid) ?? -1);
    if (!record) throw new QTestApiError(404, `Test case ${idOrPid} does not exist.`);
    return record;
  }
  #stepOf(record, stepId) {
    const step = record.steps.find((s) => s.id === stepId);
    if (!step) throw new QTestApiError(404, `Test step ${stepId} does not exist in test case ${record.id}.`);
    return step;
  }
  #newVersion(record) {
    record.version++;
    record.versionId = this.#id();
    record.modified = this.#clock();
  }
  #cycle(id3) {
    const record = this.#cycles.get(id3);
    if (!record) throw new QTestApiError(404, `Test cycle ${id3} does not exist.`);
    return record;
  }
  #cycleAncestors(id3) {
    const chain = [];
    for (let c = this.#cycles.get(id3); c; c = c.parentType === "test-cycle" ? this.#cycles.get(c.parentId) : void 0) {
      chain.push(c.id);
    }
    return chain;
  }
  #suite(id3) {
    const record = this.#suites.get(id3);
    if (!record) throw new QTestApiError(404, `Test suite ${id3} does not exist.`);
    return record;
  }
  #run(id3) {
    const record = this.#runs.get(id3);
    if (!record) throw new QTestApiError(404, `Test run ${id3} does not exist.`);
    return record;
  }
  #runAncestors(run) {
    const chain = [];
    let type = run.parentType;
    let id3 = run.parentId;
    while (type !== "root") {
      chain.push({ type, id: id3 });
      const parent = type === "test-suite" ? this.#suites.get(id3) : type === "test-cycle" ? this.#cycles.get(id3) : void 0;
      if (!parent) break;
      type = parent.parentType;
      id3 = parent.parentId;
    }
    return chain;
  }
  #latestLog(runId) {
    const id3 = this.#logsByRun.get(runId)?.at(-1);
    return id3 === void 0 ? void 0 : this.#logs.get(id3);
  }
  #containerType(parentType) {
    if (parentType === "root" || parentType === "release" || parentType === "test-cycle") return parentType;
    throw new QTestApiError(400, `parentType '${parentType}' must be root, release or test-cycle.`);
  }
  #container(parentId, parentType) {
    const type = this.#containerType(parentType ?? (parentId ? "test-cycle" : "root"));
    if (type === "release") throw new QTestApiError(404, `Release ${parentId} does not exist.`);
    if (type === "test-cycle") this.#cycle(parentId ?? 0);
    return { id: type === "root" ? 0 : parentId ?? 0, type };
  }
  #attachable(objectType, objectId) {
    if (!ATTACHABLE.includes(objectType)) {
      throw new QTestApiError(400, `objectType '${objectType}' must be one of ${ATTACHABLE.join(", ")}.`);
    }
    const exists = objectType === "test-cases" ? this.#testCases.has(objectId) : objectType === "test-logs" ? this.#logs.has(objectId) : objectType === "test-steps" ? [...this.#testCases.values()].some((t) => t.steps.some((s) => s.id === objectId)) : false;
    if (!exists) throw new QTestApiError(404, `${objectType} ${objectId} does not exist.`);
  }
  #statusName(id3) {
    return executionStatuses.find((s) => s.id === id3)?.name ?? String(id3);
  }
  #link(kind, parentType, parentId, id3) {
    const key = `${kind}:${parentType}:${parentId}`;
    const set = this.#children.get(key) ?? /* @__PURE__ */ new Set();
    set.add(id3);
    this.#children.set(key, set);
  }
  #unlink(kind, parentType, parentId, id3) {
    this.#children.get(`${kind}:${parentType}:${parentId}`)?.delete(id3);
  }
  #childCount(kind, parentType, parentId) {
    return this.#children.get(`${kind}:${parentType}:${parentId}`)?.size ?? 0;
  }
  #childRecords(records, kind, parentType, parentId) {
    const ids = this.#children.get(`${kind}:${parentType}:${parentId}`) ?? [];
    return [...ids].map((id3) => records.get(id3));
  }
  #id() {
    return ++this.#nextId;
  }
  #pid(prefix) {
    const n2 = (this.#pidCounters.get(prefix) ?? 0) + 1;
    this.#pidCounters.set(prefix, n2);
    return `${prefix}-${n2}`;
  }
};
function iso(ms) {
  return new Date(ms).toISOString();
}

// src/mock/zephyr/app.ts
import { Hono as Hono2 } from "hono";
import { z as z3 } from "zod";

// src/zephyr/schemas.ts
import { z as z2 } from "zod";
var specProjectKey = /([A-Z][A-Z_0-9]+)/;
var specTestCaseKey = /(.+-T[0-9]+)/;
var specTestCycleKey = /.+-[R|C][0-9]+/;
var specTestCycleIdOrKey = /([0-9]+)|(.+-R[0-9]+)/;
var accountIdPattern = /^[-:a-zA-Z0-9]{1,128}$/;
var id2 = z2.number().int();
var refSchema = z2.looseObject({ id: id2, self: z2.string().optional() });
var accountRefSchema = z2.looseObject({ self: z2.string().optional(), accountId: z2.string().nullable() });
var customFieldsSchema = z2.record(z2.string(), z2.unknown());
function pagedListSchema(item) {
  return z2.looseObject({
    next: z2.string().nullish(),
    startAt: z2.number().int(),
    maxResults: z2.number().int(),
    total: z2.number().int().optional(),
    isLast: z2.boolean().optional(),
    values: z2.array(item)
  });
}
function cursorPagedListSchema(item) {
  return z2.looseObject({
    next: z2.string().nullish(),
    nextStartAtId: z2.number().int().nullable(),
    limit: z2.number().int(),
    values: z2.array(item)
  });
}
var projectSchema2 = z2.looseObject({
  id: id2,
  jiraProjectId: id2,
  key: z2.string(),
  enabled: z2.boolean()
});
var folderTypeSchema = z2.enum(["TEST_CASE", "TEST_PLAN", "TEST_CYCLE"]);
var folderSchema = z2.looseObject({
  id: id2,
  /** The spec says a required integer ≥ 1, but root folders have none: the API sends null. */
  parentId: id2.nullable(),
  name: z2.string(),
  index: z2.number().int(),
  folderType: folderTypeSchema,
  project: refSchema.optional()
});
var statusTypeSchema = z2.enum(["TEST_CASE", "TEST_PLAN", "TEST_CYCLE", "TEST_EXECUTION"]);
var optionValueShape = {
  id: id2,
  project: refSchema,
  name: z2.string(),
  description: z2.string().nullish(),
  index: z2.number().int()
};
var statusSchema = z2.looseObject({
  ...optionValueShape,
  color: z2.string().optional(),
  archived: z2.boolean().default(false),
  default: z2.boolean().default(false)
});
var prioritySchema = z2.looseObject({
  ...optionValueShape,
  color: z2.string().optional(),
  default: z2.boolean().default(false)
});
var environmentSchema = z2.looseObject({
  ...optionValueShape,
  archived: z2.boolean().default(false)
});
var linkTypeSchema = z2.enum(["COVERAGE", "BLOCKS", "RELATED"]);
var issueLinkSchema = z2.looseObject({
  self: z2.string().optional(),
  issueId: id2,
  id: id2.optional(),
  target: z2.string().optional(),
  type: linkTypeSchema.optional()
});
var webLinkSchema = z2.looseObject({
  self: z2.string().optional(),
  description: z2.string().optional(),
  url: z2.string(),
  id: id2.optional(),
  type: linkTypeSchema.optional()
});
var testCaseLinksSchema = z2.looseObject({
  self: z2.string().optional(),
  issues: z2.array(issueLinkSchema).optional(),
  webLinks: z2.array(webLinkSchema).optional()
});
var testCycleLinksSchema = testCaseLinksSchema.extend({
  testPlans: z2.array(
    z2.looseObject({
      id: id2.optional(),
      self: z2.string().optional(),
      testPlanId: id2.optional(),
      type: linkTypeSchema.optional(),
      target: z2.string().optional()
    })
  ).optional()
});
var testExecutionLinksSchema = z2.looseObject({
  self: z2.string().optional(),
  issues: z2.array(issueLinkSchema).optional()
});
var testCaseSchema2 = z2.looseObject({
  id: id2,
  key: z2.string(),
  name: z2.string(),
  project: refSchema,
  createdOn: z2.string().optional(),
  objective: z2.string().nullish(),
  precondition: z2.string().nullish(),
  /** Milliseconds. */
  estimatedTime: z2.number().int().nullish(),
  labels: z2.array(z2.string()).optional(),
  component: refSchema.nullish(),
  priority: refSchema,
  status: refSchema,
  folder: refSchema.nullish(),
  owner: accountRefSchema.nullish(),
  testScript: z2.looseObject({ self: z2.string().optional() }).optional(),
  customFields: customFieldsSchema.optional(),
  links: testCaseLinksSchema.optional()
});
var scriptTypeSchema = z2.enum(["plain", "bdd"]);
var testScriptSchema = z2.looseObject({
  id: id2.optional(),
  type: scriptTypeSchema,
  text: z2.string()
});
var testStepInlineSchema = z2.looseObject({
  description: z2.string().nullish(),
  testData: z2.string().nullish(),
  expectedResult: z2.string().nullish(),
  customFields: customFieldsSchema.optional(),
  reflectRef: z2.string().nullish()
});
var parameterTypeSchema = z2.enum(["MANUAL_INPUT", "DEFAULT_VALUE"]);
var testStepCallSchema = z2.looseObject({
  self: z2.string().optional(),
  testCaseKey: z2.string(),
  parameters: z2.array(
    z2.looseObject({
      name: z2.string().optional(),
      type: parameterTypeSchema.optional(),
      value: z2.string().optional()
    })
  ).nullish()
});
function hasExactlyOneKind(step) {
  return step.inline == null !== (step.testCase == null);
}
var exactlyOneKind = { message: "A test step must have exactly one of `inline` or `testCase`." };
var testStepSchema2 = z2.looseObject({
  /** 2026: steps carry an id (attachments are addressed by it); older data may lack it. */
  id: id2.nullish(),
  inline: testStepInlineSchema.nullish(),
  testCase: testStepCallSchema.nullish()
}).refine(hasExactlyOneKind, exactlyOneKind);
var testCycleSchema2 = z2.looseObject({
  id: id2,
  key: z2.string(),
  name: z2.string(),
  project: refSchema,
  jiraProjectVersion: refSchema.nullish(),
  status: refSchema,
  folder: refSchema.nullish(),
  description: z2.string().nullish(),
  plannedStartDate: z2.string().nullish(),
  plannedEndDate: z2.string().nullish(),
  owner: accountRefSchema.nullish(),
  customFields: customFieldsSchema.optional(),
  links: testCycleLinksSchema.optional()
});
var testExecutionSchema = z2.looseObject({
  id: id2,
  key: z2.string().nullish(),
  project: refSchema,
  /**
   * The spec's TestCaseVersionLink and TestCycleLink leave `id` optional; it is required here
   * because every example carries it and nothing can be migrated without it. The test case key
   * and version are only in `self` (`/testcases/{KEY}/versions/{n}`).
   */
  testCase: refSchema,
  environment: refSchema.nullish(),
  jiraProjectVersion: refSchema.nullish(),
  testExecutionStatus: refSchema,
  /** The spec says optional only; an execution not yet run has no end date, which the API sends as null. */
  actualEndDate: z2.string().nullish(),
  estimatedTime: z2.number().int().nullish(),
  executionTime: z2.number().int().nullish(),
  executedById: z2.string().nullish(),
  assignedToId: z2.string().nullish(),
  comment: z2.string().nullish(),
  automated: z2.boolean().optional(),
  testCycle: refSchema.nullish(),
  customFields: customFieldsSchema.optional(),
  links: testExecutionLinksSchema.optional()
});
var testExecutionStepSchema = z2.looseObject({
  id: id2.nullish(),
  /** The spec requires nothing here, but an execution step is nothing except its `inline` part. */
  inline: z2.looseObject({
    description: z2.string().nullish(),
    testData: z2.string().nullish(),
    expectedResult: z2.string().nullish(),
    actualResult: z2.string().nullish(),
    testDataRowNumber: z2.number().int().nullish(),
    reflectRef: z2.string().nullish(),
    status: refSchema.optional()
  })
});
var errorSchema2 = z2.looseObject({ errorCode: z2.number().int(), message: z2.string() });
var unauthorizedSchema = z2.looseObject({ error: z2.string() });
var createdResourceSchema = z2.looseObject({ id: id2, self: z2.string() });
var keyedCreatedResourceSchema = createdResourceSchema.extend({ key: z2.string() });
var nameInput = z2.string().min(1).max(255).regex(/^(?!\s*$).+/, "must not be blank");
var nameRefInput = z2.string().min(1).max(255);
var labelsInput = z2.array(z2.string()).max(50);
var dateTimeInput = z2.iso.datetime({ offset: true });
var accountIdInput = z2.string().regex(accountIdPattern);
var refInput = z2.object({ id: id2.min(1), self: z2.string().optional() });
var refOrIdInput = z2.union([refInput, id2.min(1).transform((value) => ({ id: value }))]);
var ownerInput = z2.union([
  z2.object({ self: z2.string().optional(), accountId: accountIdInput }),
  accountIdInput.transform((accountId) => ({ accountId }))
]);
var folderInputSchema = z2.object({
  /** Must be null (or absent) for a root folder. */
  parentId: id2.min(1).nullish(),
  name: z2.string().min(1).max(255).regex(/^[^/\\]*$/, "must not contain '/' or '\\'"),
  projectKey: z2.string().regex(specProjectKey),
  folderType: folderTypeSchema
});
var testCaseInputSchema2 = z2.object({
  projectKey: z2.string().regex(specProjectKey),
  name: nameInput,
  objective: z2.string().nullish(),
  precondition: z2.string().nullish(),
  estimatedTime: z2.number().int().min(0).optional(),
  componentId: z2.number().int().min(0).optional(),
  priorityName: nameRefInput.optional(),
  statusName: nameRefInput.optional(),
  folderId: id2.min(1).optional(),
  ownerId: accountIdInput.nullish(),
  labels: labelsInput.optional(),
  customFields: customFieldsSchema.optional()
});
var testCaseUpdateSchema = z2.object({
  id: id2.min(1),
  key: z2.string().regex(specTestCaseKey),
  name: nameInput,
  project: refInput,
  objective: z2.string().nullish(),
  precondition: z2.string().nullish(),
  estimatedTime: z2.number().int().min(0).nullish(),
  labels: labelsInput.optional(),
  component: refOrIdInput.nullish(),
  priority: refInput,
  status: refInput,
  folder: refOrIdInput.nullish(),
  owner: ownerInput.nullish(),
  customFields: customFieldsSchema.optional()
});
var testScriptInputSchema = z2.object({
  type: scriptTypeSchema,
  text: z2.string().min(1)
});
var testStepInput = z2.object({
  inline: z2.object({
    description: z2.string().optional(),
    testData: z2.string().optional(),
    expectedResult: z2.string().optional(),
    customFields: customFieldsSchema.optional(),
    reflectRef: z2.string().optional()
  }).optional(),
  testCase: z2.object({
    self: z2.string().optional(),
    testCaseKey: z2.string().regex(specTestCaseKey),
    parameters: z2.array(
      z2.object({
        name: z2.string().optional(),
        type: parameterTypeSchema.optional(),
        value: z2.string().optional()
      })
    ).optional()
  }).optional()
}).refine(hasExactlyOneKind, exactlyOneKind);
var testStepsInputSchema = z2.object({
  mode: z2.enum(["APPEND", "OVERWRITE"]),
  items: z2.array(testStepInput).max(100)
});
var testCycleInputSchema2 = z2.object({
  projectKey: z2.string().regex(specProjectKey),
  name: nameInput,
  description: z2.string().nullish(),
  plannedStartDate: dateTimeInput.optional(),
  plannedEndDate: dateTimeInput.optional(),
  /** A Jira version id, not a reference object. */
  jiraProjectVersion: id2.min(1).optional(),
  statusName: nameRefInput.optional(),
  folderId: id2.min(1).optional(),
  ownerId: accountIdInput.nullish(),
  customFields: customFieldsSchema.optional()
});
var testCycleUpdateSchema = z2.object({
  id: id2.min(1),
  key: z2.string().regex(specTestCycleKey),
  name: nameInput,
  project: refInput,
  jiraProjectVersion: refOrIdInput.nullish(),
  status: refInput,
  folder: refOrIdInput.nullish(),
  description: z2.string().nullish(),
  plannedStartDate: dateTimeInput.nullish(),
  plannedEndDate: dateTimeInput.nullish(),
  owner: ownerInput.nullish(),
  customFields: customFieldsSchema.optional()
});
var testExecutionInputSchema = z2.object({
  projectKey: z2.string().regex(specProjectKey),
  testCaseKey: z2.string().regex(specTestCaseKey),
  testCycleKey: z2.string().regex(specTestCycleIdOrKey),
  statusName: nameRefInput,
  testScriptResults: z2.array(
    z2.object({
      statusName: nameRefInput,
      actualEndDate: dateTimeInput.optional(),
      actualResult: z2.string().optional()
    })
  ).optional(),
  environmentName: z2.string().optional(),
  actualEndDate: dateTimeInput.optional(),
  executionTime: z2.number().int().min(0).optional(),
  executedById: accountIdInput.nullish(),
  assignedToId: accountIdInput.nullish(),
  comment: z2.string().nullish(),
  customFields: customFieldsSchema.optional()
});
var testExecutionUpdateSchema = z2.object({
  statusName: nameRefInput.optional(),
  environmentName: z2.string().optional(),
  actualEndDate: dateTimeInput.optional(),
  executionTime: z2.number().int().min(0).optional(),
  executedById: accountIdInput.nullish(),
  assignedToId: accountIdInput.nullish(),
  comment: z2.string().nullish()
});

// src/mock/zephyr/store.ts
var ZephyrApiError = class extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
  status;
};
var ZephyrStore = class {
  project;
  #baseUrl;
  #clock;
  #folders;
  #statuses;
  /** The API never says which type a status is except through the `statusType` filter. */
  #statusTypes;
  #priorities;
  #environments;
  #testCases;
  #testCaseByKey = /* @__PURE__ */ new Map();
  #testCaseById = /* @__PURE__ */ new Map();
  #steps = /* @__PURE__ */ new Map();
  #scripts = /* @__PURE__ */ new Map();
  #cycles;
  #executions;
  #executionSteps = /* @__PURE__ */ new Map();
  /** Cycles and executions by id and by key: the API addresses them either way. */
  #cycleIndex = /* @__PURE__ */ new Map();
  #executionIndex = /* @__PURE__ */ new Map();
  /** Zephyr exposes no updated timestamp; the mock keeps one so `updatedAfter` can work. */
  #updatedAt = /* @__PURE__ */ new Map();
  #customFieldNames;
  /** Last id or key number handed out per sequence, so creates never rescan the project. */
  #last;
  constructor(snapshot, options) {
    this.#baseUrl = options.baseUrl;
    this.#clock = options.clock ?? Date.now;
    this.project = snapshot.project;
    const byId = (a, b) => a.id - b.id;
    this.#folders = [...snapshot.folders].sort(byId);
    this.#statuses = [...snapshot.statuses].sort(byId);
    this.#priorities = [...snapshot.priorities].sort(byId);
    this.#environments = [...snapshot.environments].sort(byId);
    this.#testCases = [...snapshot.testCases].sort(byId);
    this.#cycles = [...snapshot.testCycles].sort(byId);
    this.#executions = [...snapshot.testExecutions].sort(byId);
    for (const testCase of this.#testCases) {
      this.#testCaseByKey.set(testCase.key, testCase);
      this.#testCaseById.set(testCase.id, testCase);
    }
    for (const cycle of this.#cycles) index(this.#cycleIndex, cycle);
    for (const execution of this.#executions) index(this.#executionIndex, execution);
    for (const [key, steps] of Object.entries(snapshot.testSteps)) this.#steps.set(key, steps);
    for (const [key, script] of Object.entries(snapshot.testScripts)) this.#scripts.set(key, script);
    for (const [id3, steps] of Object.entries(snapshot.testExecutionSteps)) this.#executionSteps.set(Number(id3), steps);
    const now = this.#clock();
    for (const t of this.#testCases) this.#updatedAt.set(`testcase:${t.id}`, now);
    for (const c of this.#cycles) this.#updatedAt.set(`testcycle:${c.id}`, now);
    for (const e of this.#executions) this.#updatedAt.set(`testexecution:${e.id}`, now);
    this.#statusTypes = this.#inferStatusTypes(snapshot);
    this.#last = {
      stepId: maxId([...this.#steps.values()].flat()),
      scriptId: maxId([...this.#scripts.values()]),
      executionStepId: maxId([...this.#executionSteps.values()].flat()),
      T: maxKeyNumber(this.#testCases, "T"),
      R: maxKeyNumber(this.#cycles, "R"),
      E: maxKeyNumber(this.#executions, "E")
    };
    this.#customFieldNames = {
      testcase: fieldNames(this.#testCases),
      testcycle: fieldNames(this.#cycles),
      testexecution: fieldNames(this.#executions)
    };
  }
  // ---- reads -------------------------------------------------------------------------------
  getProject(idOrKey) {
    if (idOrKey === this.project.key || idOrKey === String(this.project.id)) return this.project;
    throw new ZephyrApiError(404, `Project '${idOrKey}' does not exist or you do not have access to it.`);
  }
  /** Filters by project key as the list endpoints do; an unknown key is a client error. */
  checkProjectKey(projectKey) {
    if (projectKey !== void 0 && projectKey !== this.project.key) {
      throw new ZephyrApiError(400, `Project with key '${projectKey}' was not found.`);
    }
  }
  folders(folderType) {
    return folderType ? this.#folders.filter((f) => f.folderType === folderType) : this.#folders;
  }
  folder(id3) {
    return found(
      this.#folders.find((f) => f.id === id3),
      `Folder ${id3}`
    );
  }
  statuses(statusType) {
    if (!statusType) return this.#statuses;
    return this.#statuses.filter((s) => this.#statusTypes.get(s.id)?.has(statusType) ?? true);
  }
  status(id3) {
    return found(
      this.#statuses.find((s) => s.id === id3),
      `Status ${id3}`
    );
  }
  priorities() {
    return this.#priorities;
  }
  priority(id3) {
    return found(
      this.#priorities.find((p) => p.id === id3),
      `Priority ${id3}`
    );
  }
  environments() {
    return this.#environments;
  }
  environment(id3) {
    return found(
      this.#environments.find((e) => e.id === id3),
      `Environment ${id3}`
    );
  }
  testCases(filter = {}) {
    const { folderId, updatedAfter } = filter;
    if (folderId === void 0 && updatedAfter === void 0) return this.#testCases;
    return this.#testCases.filter(
      (t) => (folderId === void 0 || t.folder?.id === folderId) && (updatedAfter === void 0 || this.#isUpdatedAfter("testcase", t.id, updatedAfter))
    );
  }
  testCase(key) {
    return found(this.#testCaseByKey.get(key), `Test case '${key}'`);
  }
  testSteps(key) {
    this.testCase(key);
    const script = this.#scripts.get(key);
    if (script) {
      throw new ZephyrApiError(422, `Test case '${key}' has a ${script.type} test script, not test steps.`);
    }
    return this.#steps.get(key) ?? [];
  }
  testScript(key) {
    this.testCase(key);
    return found(this.#scripts.get(key), `Test script of test case '${key}'`);
  }
  testCycles(filter = {}) {
    const { folderId, jiraProjectVersionId, updatedAfter } = filter;
    if (folderId === void 0 && jiraProjectVersionId === void 0 && updatedAfter === void 0) return this.#cycles;
    return this.#cycles.filter(
      (c) => (folderId === void 0 || c.folder?.id === folderId) && (jiraProjectVersionId === void 0 || c.jiraProjectVersion?.id === jiraProjectVersionId) && (updatedAfter === void 0 || this.#isUpdatedAfter("testcycle", c.id, updatedAfter))
    );
  }
  testCycle(idOrKey) {
    const cycle = this.#cycleIndex.get(idOrKey);
    return found(cycle, `Test cycle '${idOrKey}'`);
  }
  testExecutions(filter = {}) {
    const cycleId = filter.testCycle === void 0 ? void 0 : this.testCycle(filter.testCycle).id;
    const caseKey = filter.testCase === void 0 ? void 0 : this.testCase(filter.testCase).key;
    const matches2 = this.#executions.filter((e) => {
      if (cycleId !== void 0 && e.testCycle?.id !== cycleId) return false;
      if (caseKey !== void 0 && this.executionTestCaseKey(e) !== caseKey) return false;
      const end = e.actualEndDate ? Date.parse(e.actualEndDate) : void 0;
      if (filter.actualEndDateAfter !== void 0 && !(end !== void 0 && end > filter.actualEndDateAfter)) return false;
      if (filter.actualEndDateBefore !== void 0 && !(end !== void 0 && end < filter.actualEndDateBefore)) return false;
      if (filter.updatedAfter !== void 0 && !this.#isUpdatedAfter("testexecution", e.id, filter.updatedAfter)) return false;
      return true;
    });
    if (!filter.onlyLastExecutions) return matches2;
    const last = /* @__PURE__ */ new Map();
    const itemOf = (e) => `${e.testCycle?.id}|${this.executionTestCaseKey(e)}`;
    for (const e of matches2) if (e.testCycle) last.set(itemOf(e), e);
    return matches2.filter((e) => !e.testCycle || last.get(itemOf(e)) === e);
  }
  testExecution(idOrKey) {
    const execution = this.#executionIndex.get(idOrKey);
    return found(execution, `Test execution '${idOrKey}'`);
  }
  testExecutionSteps(idOrKey) {
    return this.#executionSteps.get(this.testExecution(idOrKey).id) ?? [];
  }
  /** The execution's test case reference has no key field; the key sits in its `self` URL. */
  executionTestCaseKey(execution) {
    const byId = this.#testCaseById.get(execution.testCase.id);
    if (byId) return byId.key;
    return /\/testcases\/([^/]+)/.exec(execution.testCase.self ?? "")?.[1];
  }
  // ---- writes ------------------------------------------------------------------------------
  createFolder(input) {
    this.checkProjectKey(input.projectKey);
    if (/[/\\]/.test(input.name)) throw new ZephyrApiError(400, "Folder name must not contain '/' or '\\'.");
    if (input.parentId != null) {
      const parent = this.folder(input.parentId);
      if (parent.folderType !== input.folderType) {
        throw new ZephyrApiError(400, `Parent folder ${parent.id} is not a ${input.folderType} folder.`);
      }
    }
    const siblings = this.#folders.filter((f) => (f.parentId ?? null) === (input.parentId ?? null));
    if (siblings.some((f) => f.name === input.name && f.folderType === input.folderType)) {
      throw new ZephyrApiError(400, `A folder named '${input.name}' already exists at that level.`);
    }
    const id3 = nextId(this.#folders);
    this.#folders.push({
      id: id3,
      parentId: input.parentId ?? null,
      name: input.name,
      index: siblings.length,
      folderType: input.folderType,
      project: this.#projectRef()
    });
    return { id: id3, self: `${this.#baseUrl}/folders/${id3}` };
  }
  createTestCase(input) {
    this.checkProjectKey(input.projectKey);
    const priority = this.#priorityByName(input.priorityName);
    const status = this.#statusByName(input.statusName, "TEST_CASE");
    const folder = input.folderId == null ? null : this.#folderOfType(input.folderId, "TEST_CASE");
    const customFields = this.#customFields("testcase", input.customFields);
    const id3 = nextId(this.#testCases);
    const key = `${this.project.key}-T${++this.#last.T}`;
    const testCase = {
      id: id3,
      key,
      name: input.name,
      project: this.#projectRef(),
      createdOn: toZephyrDateTime(this.#clock()),
      objective: input.objective ?? null,
      precondition: input.precondition ?? null,
      estimatedTime: input.estimatedTime ?? null,
      labels: input.labels ?? [],
      component: input.componentId == null ? null : { id: input.componentId, self: `${this.#baseUrl}/components` },
      priority: this.#ref("priorities", priority),
      status: this.#ref("statuses", status),
      folder: folder && this.#ref("folders", folder),
      owner: input.ownerId ? { accountId: input.ownerId, self: `${this.#baseUrl}/user?accountId=${input.ownerId}` } : null,
      testScript: { self: `${this.#baseUrl}/testcases/${key}/testscript` },
      customFields,
      links: { self: `${this.#baseUrl}/testcases/${key}/links`, issues: [], webLinks: [] }
    };
    this.#testCases.push(testCase);
    this.#testCaseByKey.set(key, testCase);
    this.#testCaseById.set(id3, testCase);
    this.#touch("testcase", id3);
    return { id: id3, self: `${this.#baseUrl}/testcases/${key}`, key };
  }
  /** PUT replaces the whole object: what the body leaves out is cleared, as the API documents. */
  updateTestCase(key, input) {
    const current = this.testCase(key);
    if (input.key !== void 0 && input.key !== key) throw new ZephyrApiError(400, "The key of a test case cannot change.");
    this.priority(input.priority.id);
    this.#statusOfType(input.status.id, "TEST_CASE");
    if (input.folder) this.#folderOfType(input.folder.id, "TEST_CASE");
    const updated = {
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
      priority: this.#ref("priorities", this.priority(input.priority.id)),
      status: this.#ref("statuses", this.status(input.status.id)),
      folder: input.folder ? this.#ref("folders", this.folder(input.folder.id)) : null,
      owner: input.owner ?? null,
      testScript: current.testScript,
      customFields: this.#customFields("testcase", input.customFields, { requireAll: true }),
      links: current.links
    };
    this.#replace(this.#testCases, void 0, updated);
    this.#testCaseByKey.set(key, updated);
    this.#testCaseById.set(updated.id, updated);
    this.#touch("testcase", updated.id);
  }
  /** Steps arrive in at most 100 per request; posting steps removes a script, as the API does. */
  addTestSteps(key, input) {
    const testCase = this.testCase(key);
    for (const item of input.items) {
      if (item.testCase) this.testCase(item.testCase.testCaseKey);
    }
    const existing = input.mode === "APPEND" && !this.#scripts.has(key) ? this.#steps.get(key) ?? [] : [];
    const added = input.items.map(
      (item) => item.inline ? {
        id: ++this.#last.stepId,
        inline: {
          description: item.inline.description ?? null,
          testData: item.inline.testData ?? null,
          expectedResult: item.inline.expectedResult ?? null,
          customFields: item.inline.customFields ?? {},
          reflectRef: null
        }
      } : {
        id: ++this.#last.stepId,
        testCase: {
          self: `${this.#baseUrl}/testcases/${item.testCase?.testCaseKey}`,
          testCaseKey: item.testCase?.testCaseKey ?? "",
          parameters: item.testCase?.parameters ?? []
        }
      }
    );
    this.#scripts.delete(key);
    this.#steps.set(key, [...existing, ...added]);
    this.#touch("testcase", testCase.id);
    return { id: testCase.id, self: `${this.#baseUrl}/testcases/${key}/teststeps` };
  }
  setTestScript(key, input) {
    const testCase = this.testCase(key);
    const id3 = ++this.#last.scriptId;
    this.#scripts.set(key, { id: id3, type: input.type, text: input.text });
    this.#steps.delete(key);
    this.#touch("testcase", testCase.id);
    return { id: id3, self: `${this.#baseUrl}/testcases/${key}/testscript` };
  }
  createTestCycle(input) {
    this.checkProjectKey(input.projectKey);
    const status = this.#statusByName(input.statusName, "TEST_CYCLE");
    const folder = input.folderId == null ? null : this.#folderOfType(input.folderId, "TEST_CYCLE");
    const customFields = this.#customFields("testcycle", input.customFields);
    const id3 = nextId(this.#cycles);
    const key = `${this.project.key}-R${++this.#last.R}`;
    this.#cycles.push({
      id: id3,
      key,
      name: input.name,
      project: this.#projectRef(),
      jiraProjectVersion: input.jiraProjectVersion == null ? null : { id: input.jiraProjectVersion, self: `${this.#baseUrl}/version` },
      status: this.#ref("statuses", status),
      folder: folder && this.#ref("folders", folder),
      description: input.description ?? null,
      plannedStartDate: input.plannedStartDate ?? null,
      plannedEndDate: input.plannedEndDate ?? null,
      owner: input.ownerId ? { accountId: input.ownerId, self: `${this.#baseUrl}/user?accountId=${input.ownerId}` } : null,
      customFields,
      links: { self: `${this.#baseUrl}/testcycles/${key}/links`, issues: [], webLinks: [], testPlans: [] }
    });
    index(this.#cycleIndex, this.#cycles.at(-1));
    this.#touch("testcycle", id3);
    return { id: id3, self: `${this.#baseUrl}/testcycles/${id3}`, key };
  }
  updateTestCycle(idOrKey, input) {
    const current = this.testCycle(idOrKey);
    this.#statusOfType(input.status.id, "TEST_CYCLE");
    if (input.folder) this.#folderOfType(input.folder.id, "TEST_CYCLE");
    this.#replace(this.#cycles, this.#cycleIndex, {
      id: current.id,
      key: current.key,
      name: input.name,
      project: current.project,
      jiraProjectVersion: input.jiraProjectVersion ?? null,
      status: this.#ref("statuses", this.status(input.status.id)),
      folder: input.folder ? this.#ref("folders", this.folder(input.folder.id)) : null,
      description: input.description ?? null,
      // The 2026 spec: missing planned dates are left as they were, unlike every other field.
      plannedStartDate: input.plannedStartDate ?? current.plannedStartDate ?? null,
      plannedEndDate: input.plannedEndDate ?? current.plannedEndDate ?? null,
      owner: input.owner ?? null,
      customFields: this.#customFields("testcycle", input.customFields, { requireAll: true }),
      links: current.links
    });
    this.#touch("testcycle", current.id);
  }
  createTestExecution(input) {
    this.checkProjectKey(input.projectKey);
    const testCase = this.testCase(input.testCaseKey);
    const cycle = this.testCycle(input.testCycleKey);
    const status = this.#statusByName(input.statusName, "TEST_EXECUTION");
    const environment = input.environmentName ? this.#environmentByName(input.environmentName) : void 0;
    const customFields = this.#customFields("testexecution", input.customFields);
    const steps = this.#executionStepsFor(testCase.key, input.testScriptResults ?? []);
    const id3 = nextId(this.#executions);
    const key = `${this.project.key}-E${++this.#last.E}`;
    this.#executions.push({
      id: id3,
      key,
      project: this.#projectRef(),
      testCase: { id: testCase.id, self: `${this.#baseUrl}/testcases/${testCase.key}/versions/1` },
      environment: environment ? this.#ref("environments", environment) : null,
      jiraProjectVersion: null,
      testExecutionStatus: this.#ref("statuses", status),
      actualEndDate: input.actualEndDate ?? null,
      estimatedTime: testCase.estimatedTime ?? null,
      executionTime: input.executionTime ?? null,
      executedById: input.executedById ?? null,
      assignedToId: input.assignedToId ?? null,
      comment: input.comment ?? null,
      automated: false,
      testCycle: { id: cycle.id, self: `${this.#baseUrl}/testcycles/${cycle.id}` },
      customFields,
      links: { self: `${this.#baseUrl}/testexecutions/${id3}/links`, issues: [] }
    });
    index(this.#executionIndex, this.#executions.at(-1));
    this.#executionSteps.set(id3, steps);
    this.#touch("testexecution", id3);
    return { id: id3, self: `${this.#baseUrl}/testexecutions/${id3}` };
  }
  /** Unlike the other PUTs, this one ignores what is null or missing (2026 spec). */
  updateTestExecution(idOrKey, input) {
    const current = this.testExecution(idOrKey);
    const updated = { ...current };
    if (input.statusName != null) {
      updated.testExecutionStatus = this.#ref("statuses", this.#statusByName(input.statusName, "TEST_EXECUTION"));
    }
    if (input.environmentName != null) {
      updated.environment = this.#ref("environments", this.#environmentByName(input.environmentName));
    }
    if (input.actualEndDate != null) updated.actualEndDate = input.actualEndDate;
    if (input.executionTime != null) updated.executionTime = input.executionTime;
    if (input.executedById != null) updated.executedById = input.executedById;
    if (input.assignedToId != null) updated.assignedToId = input.assignedToId;
    if (input.comment != null) updated.comment = input.comment;
    this.#replace(this.#executions, this.#executionIndex, updated);
    this.#touch("testexecution", current.id);
  }
  /** Positional, as the API: one entry per execution step, in order. */
  updateTestExecutionSteps(idOrKey, steps) {
    const execution = this.testExecution(idOrKey);
    const current = this.#executionSteps.get(execution.id) ?? [];
    if (steps.length !== current.length) {
      throw new ZephyrApiError(422, "Sent steps are not matching test execution steps");
    }
    this.#executionSteps.set(
      execution.id,
      current.map((step, i) => {
        const change = steps[i] ?? {};
        return {
          ...step,
          inline: {
            ...step.inline,
            actualResult: change.actualResult ?? step.inline.actualResult,
            status: change.statusName ? this.#ref("statuses", this.#statusByName(change.statusName, "TEST_EXECUTION")) : step.inline.status
          }
        };
      })
    );
    this.#touch("testexecution", execution.id);
  }
  /**
   * Not an API operation (Zephyr Scale Cloud has no delete): lets a test make a test case
   * disappear from the source between two migration runs.
   */
  removeTestCase(key) {
    const testCase = this.testCase(key);
    this.#testCases.splice(this.#testCases.indexOf(testCase), 1);
    this.#testCaseByKey.delete(key);
    this.#testCaseById.delete(testCase.id);
    this.#steps.delete(key);
    this.#scripts.delete(key);
  }
  // ---- helpers -----------------------------------------------------------------------------
  #isUpdatedAfter(kind, id3, after) {
    return (this.#updatedAt.get(`${kind}:${id3}`) ?? 0) > after;
  }
  #touch(kind, id3) {
    this.#updatedAt.set(`${kind}:${id3}`, this.#clock());
  }
  #projectRef() {
    return { id: this.project.id, self: `${this.#baseUrl}/projects/${this.project.id}` };
  }
  #ref(collection, entity) {
    return { id: entity.id, self: `${this.#baseUrl}/${collection}/${entity.id}` };
  }
  #priorityByName(name) {
    if (name === void 0) return found(this.#priorities.find((p) => p.default) ?? this.#priorities[0], "Default priority");
    const priority = this.#priorities.find((p) => p.name === name);
    if (!priority) throw new ZephyrApiError(400, `Priority '${name}' was not found for project ${this.project.key}.`);
    return priority;
  }
  #defaultStatus(type) {
    const candidates = this.statuses(type).filter((s) => !s.archived);
    return found(candidates.find((s) => s.default) ?? candidates[0], `Default ${type} status`);
  }
  #statusByName(name, type) {
    if (name === void 0) return this.#defaultStatus(type);
    const status = this.statuses(type).find((s) => s.name === name);
    if (!status) throw new ZephyrApiError(400, `Status '${name}' was not found for ${type} in project ${this.project.key}.`);
    if (status.archived) throw new ZephyrApiError(400, `Status '${name}' is archived and cannot be assigned.`);
    return status;
  }
  #statusOfType(id3, type) {
    const status = this.status(id3);
    if (!(this.#statusTypes.get(id3)?.has(type) ?? true)) {
      throw new ZephyrApiError(400, `Status ${id3} is not a ${type} status.`);
    }
    return status;
  }
  #environmentByName(name) {
    const environment = this.#environments.find((e) => e.name === name);
    if (!environment) throw new ZephyrApiError(400, `Environment '${name}' was not found for project ${this.project.key}.`);
    return environment;
  }
  #folderOfType(id3, type) {
    const folder = this.#folders.find((f) => f.id === id3);
    if (!folder) throw new ZephyrApiError(400, `Folder ${id3} was not found.`);
    if (folder.folderType !== type) throw new ZephyrApiError(400, `Folder ${id3} is not a ${type} folder.`);
    return folder;
  }
  #customFields(kind, values, options = {}) {
    const known = this.#customFieldNames[kind];
    for (const name of Object.keys(values ?? {})) {
      if (!known.has(name)) {
        throw new ZephyrApiError(400, `A custom field name in the body does not exist for the project: '${name}'.`);
      }
    }
    if (options.requireAll) {
      const missing = [...known].filter((name) => !(name in (values ?? {})));
      if (missing.length > 0) {
        throw new ZephyrApiError(400, `Every custom field must be present on update; missing: ${missing.join(", ")}.`);
      }
    }
    return { ...values };
  }
  #executionStepsFor(testCaseKey, results) {
    const notExecuted = this.#defaultStatus("TEST_EXECUTION");
    const inline = (this.#steps.get(testCaseKey) ?? []).flatMap((s) => s.inline ? [s.inline] : []);
    return inline.map((step, i) => {
      const result = results[i];
      const status = result?.statusName ? this.#statusByName(result.statusName, "TEST_EXECUTION") : notExecuted;
      return {
        id: ++this.#last.stepId,
        inline: {
          description: step.description ?? null,
          testData: step.testData ?? null,
          expectedResult: step.expectedResult ?? null,
          actualResult: result?.actualResult ?? null,
          testDataRowNumber: null,
          reflectRef: null,
          status: this.#ref("statuses", status)
        }
      };
    });
  }
  #inferStatusTypes(snapshot) {
    const types = /* @__PURE__ */ new Map();
    const mark = (id3, type) => {
      if (id3 === void 0) return;
      const set = types.get(id3) ?? /* @__PURE__ */ new Set();
      set.add(type);
      types.set(id3, set);
    };
    for (const [id3, type] of Object.entries(snapshot.statusTypes ?? {})) mark(Number(id3), type);
    for (const t of snapshot.testCases) mark(t.status.id, "TEST_CASE");
    for (const c of snapshot.testCycles) mark(c.status?.id, "TEST_CYCLE");
    for (const e of snapshot.testExecutions) mark(e.testExecutionStatus.id, "TEST_EXECUTION");
    for (const steps of Object.values(snapshot.testExecutionSteps)) {
      for (const s of steps) mark(s.inline.status?.id, "TEST_EXECUTION");
    }
    return types;
  }
  #replace(list, lookup, updated) {
    list[list.findIndex((item) => item.id === updated.id)] = updated;
    if (lookup) index(lookup, updated);
  }
};
function index(lookup, entity) {
  lookup.set(String(entity.id), entity);
  if (entity.key) lookup.set(entity.key, entity);
}
function found(value, what) {
  if (value === void 0) throw new ZephyrApiError(404, `${what} does not exist or you do not have access to it.`);
  return value;
}
function fieldNames(entities) {
  const names = /* @__PURE__ */ new Set();
  for (const entity of entities) for (const name of Object.keys(entity.customFields ?? {})) names.add(name);
  return names;
}
function nextId(list) {
  return (list.at(-1)?.id ?? 0) + 1;
}
function maxKeyNumber(list, letter) {
  const pattern = new RegExp(`-${letter}(\\d+)$`);
  let max = 0;
  for (const item of list) max = Math.max(max, Number(pattern.exec(item.key ?? "")?.[1] ?? 0));
  return max;
}
function maxId(items) {
  let max = 0;
  for (const item of items) max = Math.max(max, item.id ?? 0);
  return max;
}

// src/mock/zephyr/app.ts
var MAX_RESULTS_CAP = 1e3;
var STEPS_PAGE_CAP = 100;
function zephyrApp(options) {
  const { store, stats } = options;
  const app = new Hono2();
  app.use(async (c, next) => {
    stats.requests++;
    await next();
    if (c.req.method !== "GET" && c.res.status < 400) stats.writes++;
  });
  app.use(latency(options.latencyMs));
  if (options.rateLimitRps) {
    const bucket = new TokenBucket(options.rateLimitRps);
    app.use(async (c, next) => {
      const taken = bucket.take();
      if (taken.granted) return next();
      stats.throttled++;
      c.header("Retry-After", String(Math.max(1, Math.ceil(taken.retryAfterMs / 1e3))));
      return c.json({ message: "Too Many Requests" }, 429);
    });
  }
  app.use(faults(options, stats));
  app.use(async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) return c.json({ error: "Authorization header is missing." }, 401);
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || match[1] !== options.token) return c.json({ error: "Invalid JWT token." }, 401);
    return next();
  });
  const v2 = new Hono2();
  v2.get("/healthcheck", (c) => c.body(null, 200));
  v2.get("/projects", (c) => c.json(offsetPage(c, [store.project])));
  v2.get("/projects/:idOrKey", (c) => c.json(store.getProject(c.req.param("idOrKey"))));
  v2.get("/folders", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    const folderType = enumQuery(c, "folderType", folderTypeSchema);
    return c.json(offsetPage(c, store.folders(folderType)));
  });
  v2.get("/folders/:id", (c) => c.json(store.folder(idParam(c))));
  v2.post("/folders", async (c) => c.json(store.createFolder(await jsonBody(c, folderInputSchema)), 201));
  v2.get("/statuses", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    return c.json(offsetPage(c, store.statuses(enumQuery(c, "statusType", statusTypeSchema))));
  });
  v2.get("/statuses/:id", (c) => c.json(store.status(idParam(c))));
  v2.get("/priorities", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    return c.json(offsetPage(c, store.priorities()));
  });
  v2.get("/priorities/:id", (c) => c.json(store.priority(idParam(c))));
  v2.get("/environments", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    return c.json(offsetPage(c, store.environments()));
  });
  v2.get("/environments/:id", (c) => c.json(store.environment(idParam(c))));
  v2.get("/testcases", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    return c.json(offsetPage(c, store.testCases({ folderId: intQuery(c, "folderId", { min: 1 }) })));
  });
  v2.get("/testcases/nextgen", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    const filter = { folderId: intQuery(c, "folderId", { min: 1 }), updatedAfter: dateQuery(c, "updatedAfter") };
    return c.json(cursorPage(c, store.testCases(filter)));
  });
  v2.post("/testcases", async (c) => c.json(store.createTestCase(await jsonBody(c, testCaseInputSchema2)), 201));
  v2.get("/testcases/:key", (c) => c.json(store.testCase(c.req.param("key"))));
  v2.put("/testcases/:key", async (c) => {
    store.updateTestCase(c.req.param("key"), await jsonBody(c, testCaseUpdateSchema));
    return c.body(null, 200);
  });
  v2.get("/testcases/:key/links", (c) => c.json(store.testCase(c.req.param("key")).links ?? {}));
  v2.get("/testcases/:key/teststeps", (c) => c.json(offsetPage(c, store.testSteps(c.req.param("key")), STEPS_PAGE_CAP)));
  v2.post(
    "/testcases/:key/teststeps",
    async (c) => c.json(store.addTestSteps(c.req.param("key"), await jsonBody(c, testStepsInputSchema)), 201)
  );
  v2.get("/testcases/:key/testscript", (c) => c.json(store.testScript(c.req.param("key"))));
  v2.post(
    "/testcases/:key/testscript",
    async (c) => c.json(store.setTestScript(c.req.param("key"), await jsonBody(c, testScriptInputSchema)), 201)
  );
  v2.get("/testcycles", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    const filter = {
      folderId: intQuery(c, "folderId", { min: 1 }),
      jiraProjectVersionId: intQuery(c, "jiraProjectVersionId", { min: 1 })
    };
    return c.json(offsetPage(c, store.testCycles(filter)));
  });
  v2.get("/testcycles/nextgen", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    const filter = {
      folderId: intQuery(c, "folderId", { min: 1 }),
      jiraProjectVersionId: intQuery(c, "jiraProjectVersionId", { min: 1 }),
      updatedAfter: dateQuery(c, "updatedAfter")
    };
    return c.json(cursorPage(c, store.testCycles(filter)));
  });
  v2.post("/testcycles", async (c) => c.json(store.createTestCycle(await jsonBody(c, testCycleInputSchema2)), 201));
  v2.get("/testcycles/:idOrKey", (c) => c.json(store.testCycle(c.req.param("idOrKey"))));
  v2.put("/testcycles/:idOrKey", async (c) => {
    store.updateTestCycle(c.req.param("idOrKey"), await jsonBody(c, testCycleUpdateSchema));
    return c.body(null, 200);
  });
  v2.get("/testcycles/:idOrKey/links", (c) => c.json(store.testCycle(c.req.param("idOrKey")).links ?? {}));
  const executionFilter = (c) => ({
    testCycle: c.req.query("testCycle") || void 0,
    testCase: c.req.query("testCase") || void 0,
    actualEndDateAfter: dateQuery(c, "actualEndDateAfter"),
    actualEndDateBefore: dateQuery(c, "actualEndDateBefore"),
    onlyLastExecutions: boolQuery(c, "onlyLastExecutions")
  });
  v2.get("/testexecutions", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    return c.json(offsetPage(c, store.testExecutions(executionFilter(c))));
  });
  v2.get("/testexecutions/nextgen", (c) => {
    store.checkProjectKey(c.req.query("projectKey"));
    const filter = { ...executionFilter(c), updatedAfter: dateQuery(c, "updatedAfter") };
    return c.json(cursorPage(c, store.testExecutions(filter)));
  });
  v2.post("/testexecutions", async (c) => c.json(store.createTestExecution(await jsonBody(c, testExecutionInputSchema)), 201));
  v2.get("/testexecutions/:idOrKey", (c) => c.json(store.testExecution(c.req.param("idOrKey"))));
  v2.put("/testexecutions/:idOrKey", async (c) => {
    store.updateTestExecution(c.req.param("idOrKey"), await jsonBody(c, testExecutionUpdateSchema));
    return c.body(null, 200);
  });
  v2.get(
    "/testexecutions/:idOrKey/teststeps",
    (c) => c.json(offsetPage(c, store.testExecutionSteps(c.req.param("idOrKey")), STEPS_PAGE_CAP))
  );
  v2.put("/testexecutions/:idOrKey/teststeps", async (c) => {
    const body = await jsonBody(c, executionStepsUpdateSchema);
    store.updateTestExecutionSteps(c.req.param("idOrKey"), body.steps);
    return c.body(null, 200);
  });
  v2.get("/testexecutions/:idOrKey/links", (c) => c.json(store.testExecution(c.req.param("idOrKey")).links ?? {}));
  app.route("/v2", v2);
  app.notFound((c) => c.json({ message: "Missing Authentication Token" }, 403));
  app.onError((error, c) => {
    if (error instanceof ZephyrApiError) return c.json({ errorCode: error.status, message: error.message }, error.status);
    if (error instanceof BadRequest) return c.json({ errorCode: 400, message: error.message }, 400);
    return c.json({ errorCode: 500, message: "Internal server error" }, 500);
  });
  return app;
}
var executionStepsUpdateSchema = z3.object({
  steps: z3.array(z3.object({ actualResult: z3.string().nullish(), statusName: z3.string().nullish() }))
});
function idParam(c) {
  const raw = c.req.param("id") ?? "";
  const id3 = Number(raw);
  if (!Number.isInteger(id3) || id3 < 1) throw new BadRequest(`'${raw}' is not a valid id.`);
  return id3;
}
function enumQuery(c, name, schema) {
  const raw = c.req.query(name);
  if (raw === void 0 || raw === "") return void 0;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new BadRequest(`${name} '${raw}' is not one of the allowed values.`);
  return parsed.data;
}
function offsetPage(c, items, cap = MAX_RESULTS_CAP) {
  const startAt = intQuery(c, "startAt", { default: 0, min: 0, max: 1e6 }) ?? 0;
  const maxResults = Math.min(intQuery(c, "maxResults", { default: 10, min: 1 }) ?? 10, cap);
  const values = items.slice(startAt, startAt + maxResults);
  const isLast = startAt + maxResults >= items.length;
  return {
    next: isLast ? null : urlWith(c, { startAt: startAt + maxResults, maxResults }),
    startAt,
    maxResults,
    total: items.length,
    isLast,
    values
  };
}
function cursorPage(c, items) {
  const limit = Math.min(intQuery(c, "limit", { default: 10, min: 1 }) ?? 10, MAX_RESULTS_CAP);
  const startAtId = intQuery(c, "startAtId", { default: 0, min: 0 }) ?? 0;
  const first = lowerBound(items, startAtId);
  const values = items.slice(first, first + limit);
  const following = items[first + limit];
  return {
    next: following ? urlWith(c, { startAtId: following.id, limit }) : null,
    nextStartAtId: following ? following.id : null,
    limit,
    values
  };
}
function lowerBound(items, id3) {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    if (items[mid].id < id3) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// src/mock/start.ts
async function startMocks(options = {}) {
  const seed = options.seed ?? 1;
  let zephyrFetch;
  let qtestFetch;
  const servers = [];
  try {
    servers.push(await listen((request, env) => zephyrFetch(request, env), options.zephyrPort));
    servers.push(await listen((request, env) => qtestFetch(request, env), options.qtestPort));
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }
  const [zephyrServer, qtestServer] = servers;
  const zephyrUrl = `${zephyrServer.origin}/v2`;
  const snapshot = options.dataset ?? generateProject({ testCases: options.generate ?? 50, seed, baseUrl: zephyrUrl });
  const zephyrStore = new ZephyrStore(snapshot, { baseUrl: zephyrUrl });
  const zephyrToken = fakeJwt();
  const zephyrStats = new TrafficStats();
  zephyrFetch = zephyrApp({ ...options, seed, token: zephyrToken, store: zephyrStore, stats: zephyrStats }).fetch;
  const projectId = options.qtestProjectId ?? 4242;
  const qtestStore = new QTestStore({ origin: qtestServer.origin, projectId });
  const qtestToken = randomBytes(16).toString("hex");
  const qtestStats = new TrafficStats();
  const username = qtestStore.users[0]?.username ?? "admin@example.com";
  const password = randomBytes(9).toString("base64url");
  qtestFetch = qtestApp({
    ...options,
    // A different fault sequence from the Zephyr mock's, still fixed by the seed.
    seed: seed ^ 1515870810,
    token: qtestToken,
    username,
    password,
    store: qtestStore,
    stats: qtestStats
  }).fetch;
  const zephyr = { url: zephyrUrl, token: zephyrToken, projectKey: snapshot.project.key, store: zephyrStore, stats: zephyrStats };
  const qtest = {
    url: qtestServer.origin,
    token: qtestToken,
    projectId,
    username,
    password,
    store: qtestStore,
    stats: qtestStats
  };
  return {
    zephyr,
    qtest,
    describe: () => ({
      zephyr: { url: zephyr.url, token: zephyr.token, projectKey: zephyr.projectKey },
      qtest: { url: qtest.url, token: qtest.token, projectId, username, password }
    }),
    stop: async () => {
      await Promise.all(servers.map((s) => s.close()));
    }
  };
}
function fakeJwt() {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return [
    part({ alg: "HS256", typ: "JWT" }),
    part({ context: { user: { accountId: "5b10a2844c20165700ede21g" } }, iss: "ztoq-mock", jti: randomBytes(8).toString("hex") }),
    randomBytes(32).toString("base64url")
  ].join(".");
}

// src/cli/errors.ts
var ExitCode = {
  ok: 0,
  /** Verification failed, or entities failed permanently. */
  failed: 1,
  /** Bad input: config, flags, credentials, unknown project, unmapped values. */
  badInput: 2,
  /** Could not finish (network, server errors beyond retries, state store unreachable); safe to re-run. */
  incomplete: 3
};
var ZtoqError = class extends Error {
  constructor(message, exitCode) {
    super(message);
    this.exitCode = exitCode;
    this.name = "ZtoqError";
  }
  exitCode;
};
var BadInputError = class extends ZtoqError {
  constructor(message) {
    super(message, ExitCode.badInput);
  }
};

// src/http/errors.ts
var EXCERPT_LENGTH = 300;
var ApiError = class extends Error {
  status;
  method;
  url;
  bodyExcerpt;
  kind;
  attempts;
  constructor(init) {
    const url = redactUrl(init.url);
    const kind = init.kind ?? kindOfStatus(init.status);
    const bodyExcerpt = excerpt(init.body ?? "");
    const what = init.status === null ? kind === "timeout" ? "timed out" : "network error" : `HTTP ${init.status} (${kind})`;
    const tail = bodyExcerpt === "" ? "" : `: ${bodyExcerpt}`;
    super(`${init.method} ${url} failed: ${what}${tail}`, init.cause === void 0 ? void 0 : { cause: init.cause });
    this.name = "ApiError";
    this.status = init.status;
    this.method = init.method;
    this.url = url;
    this.bodyExcerpt = bodyExcerpt;
    this.kind = kind;
    this.attempts = init.attempts ?? 1;
  }
};
function kindOfStatus(status) {
  if (status === null) return "network";
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "notFound";
  if (status === 429) return "throttled";
  if (status === 400 || status === 409 || status === 413 || status === 422) return "badRequest";
  if (status >= 500) return "server";
  return "other";
}
function isAmbiguous(error) {
  if (!(error instanceof ApiError)) return false;
  return error.kind === "network" || error.kind === "timeout" || error.kind === "server";
}
var UnexpectedResponseError = class extends Error {
  constructor(method, url, detail) {
    super(`${method} ${redactUrl(url)} returned an unexpected body: ${detail}`);
    this.method = method;
    this.url = url;
    this.name = "UnexpectedResponseError";
  }
  method;
  url;
};
function parseResponse(schema, data, method, url) {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue.message}`).join("; ");
  throw new UnexpectedResponseError(method, url, issues);
}
var SECRET_PARAM = /token|passw|secret|signature|api[-_]?key|auth|credential|session|sig$/i;
function redactUrl(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    return raw.replace(/\?.*$/, "");
  }
  url.username = "";
  url.password = "";
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) url.searchParams.set(name, "redacted");
  }
  return url.toString();
}
function excerpt(body) {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH)}\u2026` : flat;
}

// src/http/request.ts
import ky, { isTimeoutError } from "ky";

// src/http/backoff.ts
function backoffDelay(retry, options) {
  const random = options.random ?? Math.random;
  const exponential = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, retry - 1));
  return exponential / 2 + random() * (exponential / 2);
}
function parseRetryAfter(value, now = Date.now) {
  if (value == null) return void 0;
  const text = value.trim();
  if (text === "") return void 0;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1e3;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return void 0;
  return Math.max(0, at - now());
}
function sleep(ms, signal) {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// src/http/stats.ts
function newHttpStats() {
  return { requests: 0, retries: 0, throttled: 0, failures: 0, bytesSent: 0, bytesReceived: 0 };
}

// src/http/request.ts
var IDEMPOTENT = /* @__PURE__ */ new Set(["GET", "PUT", "DELETE", "HEAD"]);
var RETRYABLE_STATUS = /* @__PURE__ */ new Set([408, 500, 502, 503, 504]);
var REMAINING_HEADERS = ["x-ratelimit-remaining-minute", "x-ratelimit-remaining", "ratelimit-remaining"];
var HttpClient = class {
  baseUrl;
  stats;
  gate;
  #ky;
  #options;
  #random;
  constructor(options) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.gate = options.gate;
    this.stats = options.stats ?? newHttpStats();
    this.#options = options;
    this.#random = options.random ?? Math.random;
    this.#ky = ky.create({
      timeout: options.timeoutMs,
      retry: 0,
      throwHttpErrors: false,
      headers: options.headers
    });
  }
  /** The absolute URL for a path (an absolute URL is kept as it is) with query parameters added. */
  url(path, searchParams) {
    const url = new URL(/^https?:\/\//.test(path) ? path : `${this.baseUrl}${path.startsWith("/") ? "" : "/"}${path}`);
    for (const [name, value] of Object.entries(searchParams ?? {})) {
      if (value !== void 0 && value !== null) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }
  /** Sends the request, retrying as the module comment says; resolves with a 2xx, throws `ApiError` otherwise. */
  async request(method, path, options = {}) {
    const verb = method.toUpperCase();
    const url = this.url(path, options.searchParams);
    const idempotent = options.idempotent ?? IDEMPOTENT.has(verb);
    const headers = { accept: "application/json", ...options.headers };
    let body = options.body;
    if (options.json !== void 0) {
      body = JSON.stringify(options.json);
      headers["content-type"] = "application/json";
    }
    const bodySize = body === void 0 ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body instanceof URLSearchParams ? body.toString().length : body.byteLength;
    const { retries, throttleRetries = 30 } = this.#options;
    let attempt = 0;
    let failedRetries = 0;
    let throttledRetries = 0;
    for (; ; ) {
      attempt++;
      if (attempt > 1) this.stats.retries++;
      const permit = await this.gate.acquire(options.signal);
      let outcome;
      try {
        this.stats.requests++;
        this.stats.bytesSent += bodySize;
        outcome = await this.#send(verb, url, headers, body, attempt, options.signal);
      } catch (error) {
        permit.release();
        throw error;
      }
      if (outcome.kind === "failure") {
        permit.release();
        const error = outcome.error;
        if (idempotent && failedRetries < retries) {
          failedRetries++;
          const delay = this.#backoff(failedRetries);
          this.#log(verb, url, { status: null, kind: error.kind, attempt, delayMs: delay }, "retrying after a failed attempt");
          await sleep(delay, options.signal);
          continue;
        }
        throw this.#fail(error, verb, url, attempt);
      }
      const response = outcome.response;
      if (response.status === 429) {
        this.stats.throttled++;
        const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
        const pause = this.gate.throttled(permit, retryAfter);
        permit.release();
        if (throttledRetries < throttleRetries) {
          throttledRetries++;
          this.#log(verb, url, { status: 429, kind: "throttled", attempt, pauseMs: Math.round(pause) }, "throttled; gate paused");
          continue;
        }
        throw this.#fail(this.#httpError(response, attempt), verb, url, attempt);
      }
      this.gate.responded(permit, remainingOf(response.headers));
      permit.release();
      if (response.status >= 200 && response.status < 300) return response;
      if (idempotent && RETRYABLE_STATUS.has(response.status) && failedRetries < retries) {
        failedRetries++;
        const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
        const delay = retryAfter === void 0 ? this.#backoff(failedRetries) : Math.min(retryAfter, this.#options.maxRetryAfterMs ?? 12e4);
        this.#log(verb, url, { status: response.status, kind: "server", attempt, delayMs: Math.round(delay) }, "retrying after an error status");
        await sleep(delay, options.signal);
        continue;
      }
      throw this.#fail(this.#httpError(response, attempt), verb, url, attempt);
    }
  }
  async #send(method, url, headers, body, attempt, signal) {
    try {
      const pending = this.#ky(url, { method, headers, body, signal });
      const raw = await pending;
      const bytes = new Uint8Array(await pending.arrayBuffer());
      this.stats.bytesReceived += bytes.byteLength;
      return { kind: "response", response: makeResponse(method, url, raw.status, raw.headers, bytes) };
    } catch (error) {
      if (signal?.aborted) throw error;
      const kind = isTimeoutError(error) || error?.name === "TimeoutError" ? "timeout" : "network";
      return { kind: "failure", error: new ApiError({ status: null, method, url, kind, attempts: attempt, cause: error }) };
    }
  }
  #httpError(response, attempts) {
    return new ApiError({ status: response.status, method: response.method, url: response.url, body: response.text(), attempts });
  }
  #fail(error, method, url, attempt) {
    this.stats.failures++;
    this.#log(method, url, { status: error.status, kind: error.kind, attempt }, "request failed");
    return error.attempts === attempt ? error : new ApiError({
      status: error.status,
      method: error.method,
      url: error.url,
      body: error.bodyExcerpt,
      kind: error.kind,
      attempts: attempt,
      cause: error.cause
    });
  }
  #backoff(retry) {
    return backoffDelay(retry, {
      baseMs: this.#options.retryBaseMs ?? 500,
      maxMs: this.#options.retryMaxMs ?? 3e4,
      random: this.#random
    });
  }
  /** One debug line: host, method, path (never the query, headers or body), status, attempt. */
  #log(method, url, fields, message) {
    const logger = this.#options.logger;
    if (!logger) return;
    const { host, pathname } = new URL(url);
    logger.debug({ host, method, path: pathname, ...fields }, message);
  }
};
function makeResponse(method, url, status, headers, bytes) {
  let text;
  const readText = () => {
    text ??= new TextDecoder().decode(bytes);
    return text;
  };
  return {
    method,
    url,
    status,
    headers,
    bytes,
    text: readText,
    json: () => {
      const body = readText();
      if (body.trim() === "") return void 0;
      try {
        return JSON.parse(body);
      } catch {
        throw new UnexpectedResponseError(method, url, "the body is not JSON");
      }
    }
  };
}
function remainingOf(headers) {
  let least;
  for (const name of REMAINING_HEADERS) {
    const raw = headers.get(name);
    if (raw === null || raw.trim() === "") continue;
    const value = Number(raw);
    if (Number.isFinite(value)) least = least === void 0 ? value : Math.min(least, value);
  }
  return least;
}

// src/http/rate-gate.ts
var RateGate = class {
  #rate;
  #burst;
  #minFactor;
  #recovery;
  #throttleBaseMs;
  #throttleMaxMs;
  #lowRemaining;
  #now;
  #random;
  #concurrency;
  #tokens;
  #refilledAt;
  #factor = 1;
  #pausedUntil = 0;
  /** When the rate was last cut; responses to permits issued before it do not cut again. */
  #lastCutAt = Number.NEGATIVE_INFINITY;
  #consecutiveThrottles = 0;
  #active = 0;
  #waiters = [];
  #timer;
  #timerAt = Number.POSITIVE_INFINITY;
  /** Counters for reports and tests. */
  counters = { granted: 0, throttles: 0, slowdowns: 0, pausedMs: 0 };
  constructor(options) {
    if (!(options.ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be positive, got ${options.ratePerSecond}`);
    if (!(Number.isInteger(options.concurrency) && options.concurrency >= 1)) {
      throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
    }
    this.#rate = options.ratePerSecond;
    this.#concurrency = options.concurrency;
    this.#burst = Math.max(1, options.burst ?? Math.min(10, Math.max(2, this.#rate / 10)));
    this.#minFactor = options.minRateFactor ?? 0.1;
    this.#recovery = options.recoveryPerSuccess ?? 0.02;
    this.#throttleBaseMs = options.throttleBaseMs ?? 250;
    this.#throttleMaxMs = options.throttleMaxMs ?? 6e4;
    this.#lowRemaining = options.lowRemaining ?? 2;
    this.#now = options.now ?? (() => performance.now());
    this.#random = options.random ?? Math.random;
    this.#tokens = this.#burst;
    this.#refilledAt = this.#now();
  }
  get state() {
    return {
      ratePerSecond: this.#rate,
      rateFactor: this.#factor,
      active: this.#active,
      waiting: this.#waiters.length,
      pausedForMs: Math.max(0, this.#pausedUntil - this.#now())
    };
  }
  /** Waits for a token and a free slot (first come, first served). */
  acquire(signal) {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          const index2 = this.#waiters.indexOf(waiter);
          if (index2 >= 0) this.#waiters.splice(index2, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
      this.#pump();
    });
  }
  /** Runs `task` holding a permit. */
  async run(task, signal) {
    const permit = await this.acquire(signal);
    try {
      return await task(permit);
    } finally {
      permit.release();
    }
  }
  /**
   * The server answered 429 to a request sent under `permit`. Pauses the gate for `retryAfterMs`
   * (or an exponential, jittered delay) and cuts the rate. Returns the pause in milliseconds.
   */
  throttled(permit, retryAfterMs) {
    const now = this.#now();
    this.counters.throttles++;
    if (permit.issuedAt >= this.#lastCutAt) {
      this.#consecutiveThrottles++;
      this.#cut(now, 0.5);
    }
    const pause = Math.min(
      this.#throttleMaxMs,
      retryAfterMs ?? backoffDelay(this.#consecutiveThrottles, {
        baseMs: this.#throttleBaseMs,
        maxMs: this.#throttleMaxMs,
        random: this.#random
      })
    );
    const until = now + pause;
    if (until > this.#pausedUntil) {
      this.counters.pausedMs += until - Math.max(now, this.#pausedUntil);
      this.#pausedUntil = until;
    }
    this.#tokens = 0;
    this.#refilledAt = Math.max(this.#refilledAt, this.#pausedUntil);
    this.#pump();
    return pause;
  }
  /**
   * The server answered (anything but 429) to a request sent under `permit`. `remaining` is the
   * server's `x-ratelimit-remaining-*` when it sent one.
   */
  responded(permit, remaining) {
    const now = this.#now();
    if (remaining !== void 0 && remaining <= this.#lowRemaining) {
      if (permit.issuedAt >= this.#lastCutAt) {
        this.counters.slowdowns++;
        this.#cut(now, remaining <= 0 ? 0.7 : 0.9);
      }
      return;
    }
    this.#consecutiveThrottles = 0;
    if (this.#factor < 1) this.#factor = Math.min(1, this.#factor + this.#recovery);
  }
  #cut(now, multiplier) {
    this.#refill(now);
    this.#factor = Math.max(this.#minFactor, this.#factor * multiplier);
    this.#lastCutAt = now;
  }
  #currentRate() {
    return this.#rate * this.#factor;
  }
  #refill(now) {
    if (now <= this.#refilledAt) return;
    const rate = this.#currentRate();
    this.#tokens = rate === Number.POSITIVE_INFINITY ? this.#burst : Math.min(this.#burst, this.#tokens + (now - this.#refilledAt) / 1e3 * rate);
    this.#refilledAt = now;
  }
  #pump() {
    while (this.#waiters.length > 0 && this.#active < this.#concurrency) {
      const now = this.#now();
      if (now < this.#pausedUntil) {
        this.#wake(this.#pausedUntil - now);
        return;
      }
      this.#refill(now);
      if (this.#tokens < 1) {
        this.#wake((1 - this.#tokens) / this.#currentRate() * 1e3);
        return;
      }
      this.#tokens -= 1;
      const waiter = this.#waiters.shift();
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort);
      this.#active++;
      this.counters.granted++;
      let released = false;
      waiter.resolve({
        issuedAt: now,
        release: () => {
          if (released) return;
          released = true;
          this.#active--;
          this.#pump();
        }
      });
    }
  }
  /** Runs the pump again in `ms` (keeping an earlier wake-up if one is set). */
  #wake(ms) {
    const at = this.#now() + ms;
    if (this.#timer !== void 0 && this.#timerAt <= at + 0.5) return;
    if (this.#timer !== void 0) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timer = void 0;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#pump();
      },
      Math.max(0, Math.ceil(ms))
    );
  }
};

// src/zephyr/client.ts
var PAGE_SIZE = 1e3;
var ZephyrClient = class {
  projectKey;
  #http;
  #baseUrl;
  constructor(options) {
    this.projectKey = options.projectKey;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#http = new HttpClient({
      baseUrl: this.#baseUrl,
      gate: options.gate ?? new RateGate({ ratePerSecond: options.rateLimit, concurrency: options.concurrency }),
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      retryBaseMs: options.retryBaseMs,
      headers: { authorization: `Bearer ${options.token}`, "user-agent": "ztoq" },
      logger: options.logger
    });
  }
  /** A copy of the request counters so far. */
  stats() {
    return { ...this.#http.stats };
  }
  get gate() {
    return this.#http.gate;
  }
  /** The project, which also proves the URL, the token and the key. */
  async project() {
    try {
      return await this.#get(`/projects/${encodeURIComponent(this.projectKey)}`, projectSchema2);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        throw new BadInputError(`Zephyr project '${this.projectKey}' not found at ${this.#baseUrl}`);
      }
      if (error instanceof ApiError && error.status === 403) throw this.#rejectedToken(403);
      throw error;
    }
  }
  folders(folderType) {
    return this.#allOffsetPages("/folders", folderSchema, { projectKey: this.projectKey, folderType });
  }
  statuses(statusType) {
    return this.#allOffsetPages("/statuses", statusSchema, { projectKey: this.projectKey, statusType });
  }
  priorities() {
    return this.#allOffsetPages("/priorities", prioritySchema, { projectKey: this.projectKey });
  }
  environments() {
    return this.#allOffsetPages("/environments", environmentSchema, { projectKey: this.projectKey });
  }
  testCases(options = {}) {
    return this.#cursorPages("/testcases/nextgen", testCaseSchema2, options);
  }
  testCycles(options = {}) {
    return this.#cursorPages("/testcycles/nextgen", testCycleSchema2, options);
  }
  testExecutions(options = {}) {
    return this.#cursorPages("/testexecutions/nextgen", testExecutionSchema, options);
  }
  /** All steps of a test case; a case with a plain or BDD script answers 422, so its script is read instead. */
  async testSteps(testCaseKey) {
    const key = encodeURIComponent(testCaseKey);
    try {
      return { kind: "steps", steps: await this.#allOffsetPages(`/testcases/${key}/teststeps`, testStepSchema2, {}) };
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 422)) throw error;
    }
    return { kind: "script", script: await this.#get(`/testcases/${key}/testscript`, testScriptSchema) };
  }
  testExecutionSteps(idOrKey) {
    return this.#allOffsetPages(`/testexecutions/${encodeURIComponent(idOrKey)}/teststeps`, testExecutionStepSchema, {});
  }
  // ---- plumbing ------------------------------------------------------------------------------
  /** A GET parsed with `schema`. A 401 on any call is a rejected token: bad input, not a failure to retry. */
  async #get(path, schema, searchParams) {
    let response;
    try {
      response = await this.#http.request("GET", path, { searchParams });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw this.#rejectedToken(401);
      throw error;
    }
    return parseResponse(schema, response.json(), "GET", response.url);
  }
  #rejectedToken(status) {
    return new BadInputError(`Zephyr rejected the token (HTTP ${status}) at ${this.#baseUrl}`);
  }
  /**
   * Every page of an offset list. The next page starts after what this one held, so a server that
   * answers fewer than `maxResults` (its own cap) loses nothing. Stops on an empty page, `isLast`,
   * a null `next`, or when `total` is reached.
   */
  async #allOffsetPages(path, item, query) {
    const schema = pagedListSchema(item);
    const all = [];
    let startAt = 0;
    for (; ; ) {
      const page = await this.#get(path, schema, { ...query, startAt, maxResults: PAGE_SIZE });
      const values = page.values;
      all.push(...values);
      startAt = page.startAt + values.length;
      if (values.length === 0 || page.isLast === true || page.next === null) break;
      if (page.total !== void 0 && startAt >= page.total) break;
    }
    return all;
  }
  /** The pages of a NextGen list, following `nextStartAtId` until it is null. */
  async *#cursorPages(path, item, options) {
    const schema = cursorPagedListSchema(item);
    const updatedAfter = formatUpdatedAfter(options.updatedAfter);
    let startAtId = 0;
    while (startAtId !== null) {
      const page = await this.#get(path, schema, {
        projectKey: this.projectKey,
        limit: PAGE_SIZE,
        startAtId,
        updatedAfter
      });
      const values = page.values;
      if (values.length > 0) yield values;
      if (values.length === 0 || page.nextStartAtId === startAtId) break;
      startAtId = page.nextStartAtId;
    }
  }
};
function formatUpdatedAfter(value) {
  if (value === void 0) return void 0;
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  if (Number.isNaN(ms)) throw new BadInputError(`updatedAfter '${String(value)}' is not a date-time such as 2024-01-31T23:59:59Z`);
  return toZephyrDateTime(ms);
}

// src/qtest/client.ts
import { z as z4 } from "zod";
var userSchema = z4.looseObject({
  id: z4.int(),
  username: z4.string(),
  email: z4.string().nullish(),
  first_name: z4.string().nullish(),
  last_name: z4.string().nullish(),
  status: z4.int().nullish()
});
var searchSchemas = {
  "test-cases": testCaseSchema,
  "test-suites": testSuiteSchema,
  "test-runs": testRunSchema,
  "test-logs": testLogSchema,
  "test-cycles": testCycleSchema
};
var partialSearchResultSchema = z4.looseObject({ id: z4.int() });
var PAGED_SIZE = 999;
var TEST_CASE_PAGE = 100;
var CYCLE_PAGE = 100;
var OAUTH_CLIENT = `Basic ${Buffer.from("ztoq:").toString("base64")}`;
var QTestClient = class {
  projectId;
  #stats = { ...newHttpStats(), reconciled: 0, logins: 0 };
  #http;
  #baseUrl;
  #auth;
  #retries;
  #retryBaseMs;
  #logger;
  #session;
  #loggingIn;
  constructor(options) {
    this.projectId = options.projectId;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#auth = options.auth;
    this.#retries = options.retries;
    this.#retryBaseMs = options.retryBaseMs ?? 500;
    this.#logger = options.logger;
    if (options.auth.kind === "token") this.#session = { header: `bearer ${options.auth.token}` };
    this.#http = new HttpClient({
      baseUrl: this.#baseUrl,
      gate: options.gate ?? new RateGate({ ratePerSecond: options.rateLimit, concurrency: options.concurrency }),
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      retryBaseMs: options.retryBaseMs,
      headers: { "user-agent": "ztoq" },
      logger: options.logger,
      stats: this.#stats
    });
  }
  get gate() {
    return this.#http.gate;
  }
  /** A copy of the request counters so far, with creates reconciled and logins. */
  stats() {
    return { ...this.#stats };
  }
  // ---- project, settings, users ----------------------------------------------------------------
  /** The project, which also proves the URL and the credentials. */
  async project() {
    try {
      return await this.#get("", projectSchema);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        throw new BadInputError(`qTest project ${this.projectId} not found at ${this.#baseUrl}`);
      }
      if (error instanceof ApiError && error.status === 403) {
        throw new BadInputError(`qTest denied access to project ${this.projectId} (HTTP 403) at ${this.#baseUrl}`);
      }
      throw error;
    }
  }
  fields(objectType, options = {}) {
    return this.#get(`/settings/${objectType}/fields`, z4.array(fieldSchema), { includeInactive: options.includeInactive });
  }
  /** Creates a field; after an ambiguous failure, a field with the same label is taken as this one. */
  createField(objectType, input) {
    return this.#create(
      `field '${input.label}'`,
      () => this.#post(`/settings/${objectType}/fields`, fieldSchema, { json: input }),
      async () => lastBy(await this.fields(objectType, { includeInactive: true }), (f) => sameLabel(f.label, input.label))
    );
  }
  executionStatuses() {
    return this.#get("/test-runs/execution-statuses", z4.array(executionStatusSchema));
  }
  users() {
    return this.#get("/users", z4.array(userSchema));
  }
  // ---- modules -------------------------------------------------------------------------------------
  /** The modules directly under `parentId` (the top-level modules without it). */
  modules(parentId) {
    return this.#get("/modules", z4.array(moduleSchema), { parentId });
  }
  /** The top-level modules with all their descendants nested in `children`. */
  moduleTree() {
    return this.#get("/modules", z4.array(moduleSchema), { expand: "descendants" });
  }
  /** Creates a module; after an ambiguous failure, a sibling with the same name is taken as this one. */
  createModule(input, parentId) {
    return this.#create(
      `module '${input.name}'`,
      () => this.#post("/modules", moduleSchema, { json: input, searchParams: { parentId } }),
      async () => lastBy(await this.modules(parentId), (m) => m.name === input.name)
    );
  }
  /** Deletes a module (with its contents when `force`). One that is already gone counts as deleted. */
  deleteModule(id3, options = {}) {
    return this.#delete(`/modules/${id3}`, { force: options.force });
  }
  // ---- test cases ----------------------------------------------------------------------------------
  /** The test cases of a module, a page at a time (properties included). */
  async *testCases(moduleId, options = {}) {
    for (let page = 1; ; page++) {
      const items = await this.#get("/test-cases", z4.array(testCaseSchema), {
        parentId: moduleId,
        page,
        size: TEST_CASE_PAGE,
        expandProps: true,
        expandSteps: options.withSteps ?? false
      });
      if (items.length > 0) yield items;
      if (items.length < TEST_CASE_PAGE) return;
    }
  }
  testCase(id3, options = {}) {
    return this.#get(`/test-cases/${id3}`, testCaseSchema, { expand: options.withSteps ? "teststep" : void 0 });
  }
  /** `input.properties` must carry the marker; `marker` names it for the search after an ambiguous failure. */
  createTestCase(input, marker) {
    return this.#create(
      `test case ${marker.value}`,
      () => this.#post("/test-cases", testCaseSchema, { json: input }),
      async () => (await this.findByMarker("test-cases", marker.fieldName, marker.value))[0]
    );
  }
  updateTestCase(id3, input) {
    return this.#put(`/test-cases/${id3}`, testCaseSchema, input);
  }
  /** Deletes a test case (and its runs). One that is already gone counts as deleted. */
  deleteTestCase(id3) {
    return this.#delete(`/test-cases/${id3}`);
  }
  // ---- test cycles and suites ----------------------------------------------------------------------
  /** The test cycles directly under `parent`. */
  async testCycles(parent) {
    return this.#allBarePages("/test-cycles", testCycleSchema, parentQuery(parent), "pageSize", CYCLE_PAGE);
  }
  /** The top-level test cycles with their descendants nested in `test-cycles` / `test-suites`. */
  testCycleTree() {
    return this.#allBarePages(
      "/test-cycles",
      testCycleSchema,
      { parentId: 0, parentType: "root", expand: "descendants" },
      "pageSize",
      CYCLE_PAGE
    );
  }
  /** Creates a test cycle; after an ambiguous failure, a sibling with the same name is taken as this one. */
  createTestCycle(input, parent) {
    return this.#create(
      `test cycle '${input.name}'`,
      () => this.#post("/test-cycles", testCycleSchema, { json: input, searchParams: parentQuery(parent) }),
      async () => lastBy(await this.testCycles(parent), (c) => c.name === input.name)
    );
  }
  testSuites(parent) {
    return this.#get("/test-suites", z4.array(testSuiteSchema), parentQuery(parent));
  }
  /** `input.properties` must carry the marker; `marker` names it for the search after an ambiguous failure. */
  createTestSuite(input, parent, marker) {
    return this.#create(
      `test suite ${marker.value}`,
      () => this.#post("/test-suites", testSuiteSchema, { json: input, searchParams: parentQuery(parent) }),
      async () => (await this.findByMarker("test-suites", marker.fieldName, marker.value))[0]
    );
  }
  updateTestSuite(id3, input) {
    return this.#put(`/test-suites/${id3}`, testSuiteSchema, input);
  }
  // ---- test runs and logs --------------------------------------------------------------------------
  /** The test runs under `parent` (all levels below it with `descendants`), a page at a time. */
  testRuns(parent, options = {}) {
    return this.#pages(
      "/test-runs",
      testRunSchema,
      { ...parentQuery(parent), expand: options.descendants ? "descendants" : void 0 },
      "GET"
    );
  }
  /** `input.properties` must carry the marker; `marker` names it for the search after an ambiguous failure. */
  createTestRun(input, parent, marker) {
    return this.#create(
      `test run ${marker.value}`,
      () => this.#post("/test-runs", testRunSchema, { json: input, searchParams: parentQuery(parent) }),
      async () => (await this.findByMarker("test-runs", marker.fieldName, marker.value))[0]
    );
  }
  /** Deletes a test run (and its logs). One that is already gone counts as deleted. */
  deleteTestRun(id3) {
    return this.#delete(`/test-runs/${id3}`);
  }
  testLogs(runId) {
    return this.#pages(`/test-runs/${runId}/test-logs`, testLogSchema, {}, "GET");
  }
  /** `input.properties` must carry the marker; `marker` names it for the search after an ambiguous failure. */
  createTestLog(runId, input, marker) {
    return this.#create(
      `test log ${marker.value}`,
      () => this.#post(`/test-runs/${runId}/test-logs`, testLogSchema, { json: input }),
      async () => {
        const found2 = await this.findByMarker("test-logs", marker.fieldName, marker.value);
        return found2.find((log) => log.test_run_id == null || log.test_run_id === runId);
      }
    );
  }
  search(objectType, query, options = {}) {
    const whole = options.fields === void 0 || options.fields.includes("*");
    const schema = whole ? searchSchemas[objectType] : partialSearchResultSchema;
    return this.#pages("/search", schema, {}, "POST", {
      object_type: objectType,
      fields: options.fields ?? ["*"],
      query
    });
  }
  /** Every object of `objectType` whose `markerFieldName` equals `value` exactly. */
  async findByMarker(objectType, markerFieldName, value) {
    const found2 = [];
    for await (const page of this.search(objectType, markerQuery(markerFieldName, value))) found2.push(...page);
    return found2;
  }
  // ---- attachments ---------------------------------------------------------------------------------
  /** Uploads raw bytes; after an ambiguous failure, an attachment of the object with the same name is taken as this one. */
  uploadAttachment(objectType, objectId, file) {
    const path = `/${objectType}/${objectId}`;
    return this.#create(
      `attachment '${file.name}'`,
      () => this.#post(`${path}/blob-handles`, attachmentSchema, {
        body: file.bytes,
        headers: { "file-name": encodeURIComponent(file.name), "content-type": file.contentType }
      }),
      async () => lastBy(await this.#get(`${path}/attachments`, z4.array(attachmentSchema)), (a) => a.name === file.name)
    );
  }
  // ---- plumbing ------------------------------------------------------------------------------------
  /**
   * A create that is never repeated blindly: after an ambiguous failure `find` looks for what the
   * failed POST may have made; found → returned, not found → posted again, at most `retries` times.
   */
  async #create(what, post, find) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await post();
      } catch (error) {
        if (!isAmbiguous(error) || attempt > this.#retries) throw error;
        const delay = backoffDelay(attempt, { baseMs: this.#retryBaseMs, maxMs: 3e4 });
        this.#logger?.debug(
          { objectType: what, kind: error.kind, status: error.status, attempt },
          "create failed ambiguously; looking for it before posting again"
        );
        await sleep(delay);
        const found2 = await find();
        if (found2 !== void 0) {
          this.#stats.reconciled++;
          return found2;
        }
      }
    }
  }
  #projectPath(path) {
    return `/api/v3/projects/${this.projectId}${path}`;
  }
  async #get(path, schema, searchParams) {
    const response = await this.#call("GET", this.#projectPath(path), { searchParams });
    return parseResponse(schema, response.json(), "GET", response.url);
  }
  async #post(path, schema, options) {
    const response = await this.#call("POST", this.#projectPath(path), options);
    return parseResponse(schema, response.json(), "POST", response.url);
  }
  async #put(path, schema, json) {
    const response = await this.#call("PUT", this.#projectPath(path), { json });
    return parseResponse(schema, response.json(), "PUT", response.url);
  }
  /** DELETE is idempotent: a 404 (already gone, perhaps by an earlier attempt whose answer was lost) is success. */
  async #delete(path, searchParams) {
    try {
      await this.#call("DELETE", this.#projectPath(path), { searchParams });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return;
      throw error;
    }
  }
  /** A bare-array list paged with `page` and a size parameter, read to the first short page. */
  async #allBarePages(path, item, query, sizeParam, size) {
    const all = [];
    for (let page = 1; ; page++) {
      const items = await this.#get(path, z4.array(item), { ...query, page, [sizeParam]: size });
      all.push(...items);
      if (items.length < size) return all;
    }
  }
  /** The pages of a `{page, page_size, total, items}` list (GET, or the POST of a search). */
  async *#pages(path, item, query, method, json) {
    const schema = pagedSchema(item);
    for (let page = 1; ; page++) {
      const searchParams = { ...query, page, pageSize: PAGED_SIZE };
      const response = await this.#call(method, this.#projectPath(path), { searchParams, json, idempotent: true });
      const body = parseResponse(schema, response.json(), method, response.url);
      const items = body.items;
      if (items.length > 0) yield items;
      const pageSize = body.page_size > 0 ? body.page_size : PAGED_SIZE;
      if (items.length === 0 || items.length < pageSize || page * pageSize >= body.total) return;
    }
  }
  /**
   * One request with the session's Authorization header. On a 401 with username/password the
   * client logs in again — once, shared by every request that saw the same stale session — and
   * repeats the request once. A 401 that survives that, or any 401 with a token, is bad input.
   */
  async #call(method, path, options) {
    const session = await this.#currentSession();
    try {
      return await this.#http.request(method, path, withAuthorization(options, session.header));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
      if (this.#auth.kind === "token") throw new BadInputError(`qTest rejected the token (HTTP 401) at ${this.#baseUrl}`);
    }
    const renewed = await this.#currentSession(session);
    try {
      return await this.#http.request(method, path, withAuthorization(options, renewed.header));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        throw new BadInputError(`qTest rejected the session of '${this.#username()}' (HTTP 401) at ${this.#baseUrl}`);
      }
      throw error;
    }
  }
  /** The session to use; a new login when there is none yet or the caller saw `stale` rejected. */
  #currentSession(stale) {
    if (this.#loggingIn) return this.#loggingIn;
    if (this.#session && this.#session !== stale) return Promise.resolve(this.#session);
    const login = this.#logIn().then((session) => {
      this.#session = session;
      return session;
    });
    this.#loggingIn = login;
    const clear = () => {
      if (this.#loggingIn === login) this.#loggingIn = void 0;
    };
    login.then(clear, clear);
    return login;
  }
  /**
   * `POST /oauth/token` with the password grant. Retried like a read: a second token is harmless.
   * A 400 or 401 means the credentials (or the client header) were refused.
   */
  async #logIn() {
    if (this.#auth.kind !== "password") throw new Error("a token session needs no login");
    this.#stats.logins++;
    const form = new URLSearchParams({ grant_type: "password", username: this.#auth.username, password: this.#auth.password });
    let response;
    try {
      response = await this.#http.request("POST", "/oauth/token", {
        body: form.toString(),
        headers: { authorization: OAUTH_CLIENT, "content-type": "application/x-www-form-urlencoded" },
        idempotent: true
      });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 400 || error.status === 401)) {
        throw new BadInputError(`qTest rejected the username/password at ${this.#baseUrl}`);
      }
      throw error;
    }
    const token = parseResponse(oauthTokenSchema, response.json(), "POST", response.url);
    return { header: `${token.token_type || "bearer"} ${token.access_token}` };
  }
  #username() {
    return this.#auth.kind === "password" ? this.#auth.username : "token";
  }
};
function withAuthorization(options, header) {
  return { ...options, headers: { ...options.headers, authorization: header } };
}
function parentQuery(parent) {
  return { parentId: parent.type === "root" ? 0 : parent.id, parentType: parent.type };
}
function markerQuery(fieldName, value) {
  return `'${escapeQuoted(fieldName)}' = '${escapeQuoted(value)}'`;
}
function escapeQuoted(text) {
  return text.replace(/\\/g, "\\\\").replace(/'/g, "\\'");
}
function lastBy(items, match) {
  let best;
  for (const item of items) if (match(item) && (best === void 0 || item.id > best.id)) best = item;
  return best;
}
function sameLabel(a, b) {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

// ../../tmp/ztoq/bench.ts
var rps = Number(process.env.RPS ?? 50);
var n = Number(process.env.N ?? 300);
var conc = Number(process.env.CONC ?? 8);
var mocks = await startMocks({ generate: 20, seed: 1, rateLimitRps: rps });
try {
  const z5 = new ZephyrClient({ baseUrl: mocks.zephyr.url, token: mocks.zephyr.token, projectKey: mocks.zephyr.projectKey, rateLimit: Number(process.env.CLIENT_RPS ?? rps), timeoutMs: 5e3, retries: 3, concurrency: conc });
  let t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => z5.priorities()));
  let secs = (performance.now() - t0) / 1e3;
  console.log(`zephyr: ${n} GETs in ${secs.toFixed(2)}s = ${(n / secs).toFixed(1)} req/s (attempts ${z5.stats().requests} \u2192 ${(z5.stats().requests / secs).toFixed(1)}/s); 429s client=${z5.stats().throttled} server=${mocks.zephyr.stats.throttled}`);
  const q = new QTestClient({ baseUrl: mocks.qtest.url, auth: { kind: "token", token: mocks.qtest.token }, projectId: mocks.qtest.projectId, rateLimit: Number(process.env.CLIENT_RPS ?? rps), timeoutMs: 5e3, retries: 3, concurrency: conc });
  t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => q.executionStatuses()));
  secs = (performance.now() - t0) / 1e3;
  console.log(`qtest: ${n} GETs in ${secs.toFixed(2)}s = ${(n / secs).toFixed(1)} req/s (attempts ${q.stats().requests}); 429s client=${q.stats().throttled} server=${mocks.qtest.stats.throttled}; gate ${JSON.stringify(q.gate.state)}`);
} finally {
  await mocks.stop();
}
