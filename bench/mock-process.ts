import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { demoMapping, provisionDemoTarget } from "../src/mock/demo-target.js";

export const repoRoot = process.cwd();
export const cli = join(repoRoot, "bin/ztoq.js");

export interface MockProcess {
  child: ChildProcess;
  zephyr: { url: string; token: string; projectKey: string };
  qtest: { url: string; token: string; projectId: number };
  stop(): Promise<void>;
}

/** `ztoq mock` in its own process, as users run it: the migrator does not share its event loop. */
export async function startMockProcess(args: string[]): Promise<MockProcess> {
  const child = spawn(process.execPath, [cli, "mock", ...args], { stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(out.split("\n")[0] as string);
    });
    child.once("exit", (code) => reject(new Error(`ztoq mock exited ${code}`)));
  });
  const contract = JSON.parse(line);
  return {
    child,
    ...contract,
    stop: async () => {
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

/** Runs `ztoq <args>` to completion; returns its exit code and wall time. */
export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; seconds: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ...env },
  });
  const [code] = await once(child, "exit");
  return { code: code as number | null, seconds: (performance.now() - started) / 1000 };
}

/**
 * Provisions the demo target on running mocks and writes the benchmarks' configuration to
 * `dir/ztoq.config.yml`: both hosts at `rateLimit`, 8 at a time, the demo mapping. Returns its path.
 */
export async function writeBenchConfig(
  dir: string,
  mocks: Parameters<typeof demoMapping>[0] & Parameters<typeof provisionDemoTarget>[0],
  options: { rateLimit: number; reportDir?: string },
): Promise<string> {
  await provisionDemoTarget(mocks);
  const path = join(dir, "ztoq.config.yml");
  const config = {
    zephyr: { rateLimit: options.rateLimit },
    qtest: { rateLimit: options.rateLimit },
    migration: { concurrency: 8 },
    mapping: await demoMapping(mocks),
    ...(options.reportDir && { report: { dir: options.reportDir } }),
  };
  await writeFile(path, stringify(config));
  return path;
}
