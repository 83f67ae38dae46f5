import { randomBytes } from "node:crypto";
import type { Snapshot } from "../zephyr/snapshot.js";
import { generateProject } from "./dataset/generate.js";
import { type FetchCallback, type Listening, listen } from "./http/listen.js";
import { RateLimit } from "./http/token-bucket.js";
import { type TrafficOptions, TrafficStats } from "./http/traffic.js";
import { jiraApp } from "./jira/app.js";
import { JiraIssues } from "./jira/issues.js";
import { qtestApp } from "./qtest/app.js";
import { QTestStore } from "./qtest/store.js";
import { zephyrApp } from "./zephyr/app.js";
import { ZephyrStore } from "./zephyr/store.js";

export interface MockOptions extends TrafficOptions {
  /** A Zephyr project snapshot to serve; otherwise one is generated. */
  dataset?: Snapshot;
  /** About how many test cases the generated project has (default 50). */
  generate?: number;
  /** The generated project's key (default `DEMO`): several, each with a key of its own, may share one qTest mock. */
  projectKey?: string;
  zephyrPort?: number;
  qtestPort?: number;
  jiraPort?: number;
  qtestProjectId?: number;
}

export interface RunningMocks {
  zephyr: { url: string; token: string; projectKey: string; store: ZephyrStore; stats: TrafficStats; rateLimit: RateLimit };
  qtest: {
    url: string;
    token: string;
    projectId: number;
    username: string;
    password: string;
    store: QTestStore;
    stats: TrafficStats;
    /** Changeable while serving: `rateLimit.set(50)`, `rateLimit.set(undefined)`. */
    rateLimit: RateLimit;
  };
  /** Jira Cloud, resolving the issue ids Zephyr links name; it knows the snapshot's `jiraIssues`. */
  jira: { url: string; email: string; token: string; stats: TrafficStats; rateLimit: RateLimit; issues: JiraIssues };
  /** The start contract: what `ztoq mock` prints as its one line. */
  describe(): {
    zephyr: { url: string; token: string; projectKey: string };
    qtest: { url: string; token: string; projectId: number; username: string; password: string };
    /** Always there; optional in the type only so that callers composing a description of their own still fit. */
    jira?: { url: string; email: string; token: string };
  };
  stop(): Promise<void>;
}

/** The `ZTOQ_*` variables that point ZTOQ at running mocks, from what their start contract gives. */
export function mockEnvironment(mocks: {
  zephyr: { url: string; token: string; projectKey: string };
  qtest: { url: string; token: string; projectId: number };
  jira?: { url: string; email: string; token: string };
}): Record<string, string> {
  return {
    ZTOQ_ZEPHYR_URL: mocks.zephyr.url,
    ZTOQ_ZEPHYR_TOKEN: mocks.zephyr.token,
    ZTOQ_ZEPHYR_PROJECT: mocks.zephyr.projectKey,
    ZTOQ_QTEST_URL: mocks.qtest.url,
    ZTOQ_QTEST_TOKEN: mocks.qtest.token,
    ZTOQ_QTEST_PROJECT: String(mocks.qtest.projectId),
    ...(mocks.jira && {
      ZTOQ_JIRA_URL: mocks.jira.url,
      ZTOQ_JIRA_EMAIL: mocks.jira.email,
      ZTOQ_JIRA_TOKEN: mocks.jira.token,
    }),
  };
}

/** Starts the Zephyr Scale, qTest and Jira Cloud mocks on 127.0.0.1, in this process. */
export async function startMocks(options: MockOptions = {}): Promise<RunningMocks> {
  const seed = options.seed ?? 1;
  let zephyrFetch: FetchCallback | undefined;
  let qtestFetch: FetchCallback | undefined;
  let jiraFetch: FetchCallback | undefined;
  const servers: Listening[] = [];
  try {
    servers.push(await listen((request, env) => (zephyrFetch as FetchCallback)(request, env), options.zephyrPort));
    servers.push(await listen((request, env) => (qtestFetch as FetchCallback)(request, env), options.qtestPort));
    servers.push(await listen((request, env) => (jiraFetch as FetchCallback)(request, env), options.jiraPort));
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }
  const [zephyrServer, qtestServer, jiraServer] = servers as [Listening, Listening, Listening];

  const zephyrUrl = `${zephyrServer.origin}/v2`;
  const snapshot =
    options.dataset ??
    generateProject({ testCases: options.generate ?? 50, seed, baseUrl: zephyrUrl, projectKey: options.projectKey });
  const zephyrStore = new ZephyrStore(snapshot, { baseUrl: zephyrUrl });
  const zephyrToken = fakeJwt();
  const zephyrStats = new TrafficStats();
  const zephyrRateLimit = new RateLimit(options.rateLimitRps);
  zephyrFetch = zephyrApp({
    ...options,
    seed,
    token: zephyrToken,
    store: zephyrStore,
    stats: zephyrStats,
    rateLimit: zephyrRateLimit,
  }).fetch;

  const projectId = options.qtestProjectId ?? 4242;
  const qtestStore = new QTestStore({
    origin: qtestServer.origin,
    projectId,
    // What qTest's own Jira integration would have imported, before any migration.
    jiraIssues: snapshot.jiraIssues,
    jiraUrl: jiraServer.origin,
  });
  const qtestToken = randomBytes(16).toString("hex");
  const qtestStats = new TrafficStats();
  const username = qtestStore.users[0]?.username ?? "admin@example.com";
  const password = randomBytes(9).toString("base64url");
  const qtestRateLimit = new RateLimit(options.rateLimitRps);
  qtestFetch = qtestApp({
    ...options,
    rateLimit: qtestRateLimit,
    // A different fault sequence from the Zephyr mock's, still fixed by the seed.
    seed: seed ^ 0x5a5a5a5a,
    token: qtestToken,
    username,
    password,
    store: qtestStore,
    stats: qtestStats,
  }).fetch;

  const jiraIssues = new JiraIssues(snapshot.jiraIssues ?? []);
  const jiraEmail = "ztoq-mock@example.com";
  const jiraToken = randomBytes(18).toString("base64url");
  const jiraStats = new TrafficStats();
  const jiraRateLimit = new RateLimit(options.rateLimitRps);
  jiraFetch = jiraApp({
    ...options,
    rateLimit: jiraRateLimit,
    // Yet another fault sequence, still fixed by the seed.
    seed: seed ^ 0x3c3c3c3c,
    email: jiraEmail,
    token: jiraToken,
    issues: jiraIssues,
    stats: jiraStats,
  }).fetch;

  const zephyr = {
    url: zephyrUrl,
    token: zephyrToken,
    projectKey: snapshot.project.key,
    store: zephyrStore,
    stats: zephyrStats,
    rateLimit: zephyrRateLimit,
  };
  const qtest = {
    url: qtestServer.origin,
    token: qtestToken,
    projectId,
    username,
    password,
    store: qtestStore,
    stats: qtestStats,
    rateLimit: qtestRateLimit,
  };
  const jira = {
    url: jiraServer.origin,
    email: jiraEmail,
    token: jiraToken,
    stats: jiraStats,
    rateLimit: jiraRateLimit,
    issues: jiraIssues,
  };
  return {
    zephyr,
    qtest,
    jira,
    describe: () => ({
      zephyr: { url: zephyr.url, token: zephyr.token, projectKey: zephyr.projectKey },
      qtest: { url: qtest.url, token: qtest.token, projectId, username, password },
      jira: { url: jira.url, email: jira.email, token: jira.token },
    }),
    stop: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}

/** Zephyr tokens are JWTs; the mock's has the same three-part shape so clients see a realistic value. */
function fakeJwt(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return [
    part({ alg: "HS256", typ: "JWT" }),
    part({ context: { user: { accountId: "5b10a2844c20165700ede21g" } }, iss: "ztoq-mock", jti: randomBytes(8).toString("hex") }),
    randomBytes(32).toString("base64url"),
  ].join(".");
}
