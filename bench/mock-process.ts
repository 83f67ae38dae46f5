import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";

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
