/**
 * The migrate action under `@github/local-action` (`npx local-action . src/actions/migrate-main.ts
 * .env`): it imports the TypeScript entry, stubs @actions/core, @actions/artifact and @actions/github,
 * and calls the `run()` the entry exports — the way action authors debug an action on their machine.
 * Against the in-process mocks, with the inputs in the dotenv file it reads.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { demoMapping, provisionDemoTarget } from "../../src/mock/demo-target.js";
import { type RunningMocks, startMocks } from "../../src/mock/start.js";
import { migrationReportSchema } from "../../src/report/migration-report.js";
import { ROOT } from "./harness.js";

interface Run {
  exitCode: number | null;
  output: string;
}

/** Runs `npx local-action` in the repository (it finds the stubbed packages with `npm ls` there). */
function localAction(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    // npx resolves local-action from node_modules/.bin, whose `node` is the Node 24 dependency.
    const child = spawn("npx", ["--no-install", "local-action", ...args], {
      cwd: ROOT,
      env: {
        PATH: [dirname(process.execPath), process.env.PATH ?? ""].join(delimiter),
        HOME: process.env.HOME ?? "",
        NO_COLOR: "1",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ exitCode, output }));
  });
}

/** The dotenv line of an input, named as the runner names it (`INPUT_` + upper case, hyphens kept). */
function inputLine(name: string, value: string): string {
  return `INPUT_${name.toUpperCase()}=${JSON.stringify(value)}`;
}

describe("the migrate action under @github/local-action", () => {
  let mocks: RunningMocks;
  let workspace: string;
  let run: Run;

  beforeAll(async () => {
    mocks = await startMocks({ generate: 15, seed: 3 });
    workspace = await mkdtemp(join(tmpdir(), "ztoq-local-action-"));
    await provisionDemoTarget(mocks);
    // local-action runs in the repository, so everything the run writes is pointed at the temp workspace
    // (outside the working directory, so the run warns that it uploads no artifact: that part is not tested here).
    const config = {
      zephyr: { rateLimit: 500 },
      qtest: { rateLimit: 500 },
      state: join(workspace, "state.db"),
      report: { dir: join(workspace, "reports") },
      mapping: await demoMapping(mocks),
    };
    await writeFile(join(workspace, "ztoq.config.yml"), YAML.stringify(config));
    const inputs = {
      config: join(workspace, "ztoq.config.yml"),
      "zephyr-url": mocks.zephyr.url,
      "zephyr-token": mocks.zephyr.token,
      "zephyr-project": mocks.zephyr.projectKey,
      "qtest-url": mocks.qtest.url,
      "qtest-token": mocks.qtest.token,
      "qtest-project": String(mocks.qtest.projectId),
      "github-token": "ghs_local_action",
    };
    const dotenv = join(workspace, ".env");
    await writeFile(
      dotenv,
      `${Object.entries(inputs)
        .map(([name, value]) => inputLine(name, value))
        .join("\n")}\n`,
    );
    run = await localAction([".", "src/actions/migrate-main.ts", dotenv], {
      GITHUB_STEP_SUMMARY: join(workspace, "summary.md"),
      GITHUB_REPOSITORY: "ztoq-org/ztoq-demo",
      GITHUB_RUN_ID: "1",
    });
  }, 120_000);

  afterAll(async () => {
    await mocks?.stop();
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  it("imports the entry, calls its run() and exits 0", () => {
    expect(run.output, run.output.slice(-4000)).toContain("Running Action");
    expect(run.exitCode, run.output.slice(-4000)).toBe(0);
  });

  it("migrates the generated project and reports it through the stubbed @actions/core", async () => {
    // local-action prints the outputs `core.setOutput` set as a table.
    expect(run.output).toMatch(/'status'\s*│\s*'succeeded'/);
    const reportPath = join(workspace, "reports", "migration-report.json");
    expect(existsSync(reportPath), run.output.slice(-4000)).toBe(true);
    const report = migrationReportSchema.parse(JSON.parse(await readFile(reportPath, "utf8")));
    expect(report.status).toBe("succeeded");
    expect(report.totals.failed).toBe(0);
    expect(mocks.qtest.store.counts().testCases).toBeGreaterThan(0);
  });
});
