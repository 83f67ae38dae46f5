/**
 * The CLI of the current source, bundled as `npm run build` bundles it (scripts/bundle.mjs) but into a
 * temporary directory: these tests run what the source says now, whether or not dist/ was rebuilt yet.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { type CliResult, startCli } from "./cli.js";

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
  const start: SourceCli["start"] = (args, env, options = {}) => startCli(args, env, { ...options, bin });
  return {
    start,
    run: (args, env, options) => start(args, env, options).done,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
