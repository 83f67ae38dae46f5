/**
 * The stage the action end-to-end tests play on: the Zephyr and qTest mocks in this process, a
 * provisioned qTest target, a temp workspace holding `ztoq.config.yml` (the mapping only; the
 * connection comes through the action inputs), the GitHub REST stand-in, and a fresh artifact
 * service per workflow run. The actions run from the bundles in dist/ (`npm run build`).
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import YAML from "yaml";
import { demoMapping, provisionDemoTarget } from "../../src/mock/demo-target.js";
import { type RunningMocks, startMocks } from "../../src/mock/start.js";
import { type ActionResult, FAKE_GITHUB_TOKEN, runAction } from "../support/action-runner.js";
import { readZip, type StoredArtifact, startArtifactService } from "../support/artifact-service.js";
import { type GitHubApi, startGitHubApi } from "../support/github-api.js";

export const ROOT = join(import.meta.dirname, "..", "..");
export const MIGRATE_ACTION = join(ROOT, "action.yml");
export const VERIFY_ACTION = join(ROOT, "verify", "action.yml");

export interface StepRun extends ActionResult {
  /** The artifacts this run uploaded, by name (each workflow run has its own artifact service). */
  artifacts: Map<string, StoredArtifact>;
}

export interface StepOptions {
  inputs?: Record<string, string>;
  eventName?: string;
  eventPayload?: unknown;
  env?: Record<string, string>;
}

export interface Stage {
  mocks: RunningMocks;
  workspace: string;
  github: GitHubApi;
  /** The connection inputs both actions take, pointing at the mocks, and `config`. */
  connection: Record<string, string>;
  /** Runs one action as a step of a new workflow run; `inputs` are added to (and win over) `connection`. */
  run(actionYml: string, options?: StepOptions): Promise<StepRun>;
  close(): Promise<void>;
}

export function assertBuilt(): void {
  for (const bundle of ["migrate.js", "verify.js", "sql-worker.js"]) {
    if (!existsSync(join(ROOT, "dist", bundle))) throw new Error(`dist/${bundle} is missing: run \`npm run build\` first`);
  }
}

export async function startStage(options: { generate?: number; seed?: number } = {}): Promise<Stage> {
  assertBuilt();
  const mocks = await startMocks({ generate: options.generate ?? 40, seed: options.seed ?? 7 });
  const workspace = await mkdtemp(join(tmpdir(), "ztoq-action-ws-"));
  let github: GitHubApi | undefined;
  try {
    await provisionDemoTarget(mocks);
    // The mapping, and request rates the local mocks can take (the defaults pace a real site at 10/s).
    const config = { zephyr: { rateLimit: 500 }, qtest: { rateLimit: 500 }, mapping: await demoMapping(mocks) };
    await writeFile(join(workspace, "ztoq.config.yml"), YAML.stringify(config));
    github = await startGitHubApi({ token: FAKE_GITHUB_TOKEN });
  } catch (error) {
    await mocks.stop();
    await rm(workspace, { recursive: true, force: true });
    throw error;
  }
  const api = github;
  const connection = {
    config: "ztoq.config.yml",
    "zephyr-url": mocks.zephyr.url,
    "zephyr-token": mocks.zephyr.token,
    "zephyr-project": mocks.zephyr.projectKey,
    "qtest-url": mocks.qtest.url,
    "qtest-token": mocks.qtest.token,
    "qtest-project": String(mocks.qtest.projectId),
  };
  return {
    mocks,
    workspace,
    github: api,
    connection,
    run: async (actionYml, step = {}) => {
      const artifacts = await startArtifactService();
      try {
        const result = await runAction({
          actionYml,
          workspace,
          inputs: { ...connection, ...step.inputs },
          env: { ...artifacts.env(), ...step.env },
          githubApiUrl: api.url,
          ...(step.eventName !== undefined && { eventName: step.eventName }),
          ...(step.eventPayload !== undefined && { eventPayload: step.eventPayload }),
        });
        return { ...result, artifacts: artifacts.artifacts };
      } finally {
        await artifacts.stop();
      }
    },
    close: async () => {
      await api.stop();
      await mocks.stop();
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

/** The files of the one finalized artifact a run uploaded. */
export function onlyArtifact(run: StepRun): { artifact: StoredArtifact; files: Map<string, Buffer> } {
  const artifacts = [...run.artifacts.values()];
  if (artifacts.length !== 1) throw new Error(`expected one artifact, got ${artifacts.map((a) => a.name).join(", ") || "none"}`);
  const artifact = artifacts[0] as StoredArtifact;
  if (!artifact.finalized) throw new Error(`artifact ${artifact.name} was not finalized`);
  return { artifact, files: readZip(artifact.bytes) };
}

/** A readable account of a step, for assertion messages. */
export function describeRun(run: ActionResult): string {
  return `exit ${run.exitCode}\n--- stdout\n${run.stdout.slice(-4000)}\n--- stderr\n${run.stderr.slice(-4000)}`;
}

/** Lines that print `secret` in clear: every line holding it except the `::add-mask::` commands. */
export function clearTextLeaks(run: ActionResult, secret: string): string[] {
  return run.lines.filter((line) => line.includes(secret) && !line.startsWith("::add-mask::"));
}

/** The sum of the qTest mock's collections that a migration creates (per entity type). */
export function targetCounts(mocks: RunningMocks): Record<string, number> {
  const c = mocks.qtest.store.counts();
  const t = mocks.qtest.store.traceCounts();
  return {
    module: c.modules,
    testCase: c.testCases,
    testCycle: c.testCycles,
    testSuite: c.testSuites,
    testRun: c.testRuns,
    testLog: c.testLogs,
    release: t.releases,
    requirement: t.requirements,
  };
}
