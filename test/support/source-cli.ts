/**
 * The CLI of the current source, bundled as `npm run build` bundles it (scripts/bundle.mjs) but into a
 * temporary directory: these tests run what the source says now, not the committed dist/ bundle, which
 * is rebuilt only when a change is released.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import type { CliResult } from "./cli.js";

export interface SourceCli {
  /** Starts `ztoq <args>` with `env` on top of PATH and HOME only, as `startCli` (test/support/cli.ts) does. */
  start(
    args: readonly string[],
    env: Record<string, string>,
    options?: { cwd?: string },
  ): {
    child: ChildProcess;
    done: Promise<CliResult>;
  };
  run(args: readonly string[], env: Record<string, string>, options?: { cwd?: string }): Promise<CliResult>;
  remove(): Promise<void>;
}

export async function bundleSourceCli(): Promise<SourceCli> {
  const dir = await mkdtemp(join(tmpdir(), "ztoq-cli-"));
  const bin = join(dir, "cli.js");
  await build({
    entryPoints: [join(import.meta.dirname, "..", "..", "src", "cli", "index.ts")],
    outfile: bin,
    bundle: true,
    platform: "node",
    target: "node24",
    format: "esm",
    logLevel: "silent",
    banner: {
      js: "import { createRequire as __ztoqCreateRequire } from 'node:module'; const require = __ztoqCreateRequire(import.meta.url);",
    },
  });
  const start: SourceCli["start"] = (args, env, options = {}) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const done = new Promise<CliResult>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
    return { child, done };
  };
  return {
    start,
    run: (args, env, options) => start(args, env, options).done,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
