/**
 * Runs the bundled CLI (`bin/ztoq.js` → `dist/cli.js`, rebuilt by `npm run build`) as a child
 * process, the way a user or a workflow does.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import YAML from "yaml";

export const BIN = join(import.meta.dirname, "..", "..", "bin", "ztoq.js");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  child: ChildProcess;
  /** Settles when the process has exited and its output is closed. */
  done: Promise<CliResult>;
}

/**
 * Starts `ztoq <args>` with `env` on top of a clean environment (PATH and HOME only, so no ZTOQ_*
 * variable of the machine running the tests leaks in). With `terminal`, it runs inside a
 * pseudo-terminal (util-linux `script`), so stdin is a TTY, and `terminal.input` is typed once a
 * `[y/N]` question shows.
 */
export function startCli(
  args: readonly string[],
  env: Record<string, string>,
  options: { cwd?: string; terminal?: { input: string } } = {},
): CliRun {
  const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env };
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
  const child = options.terminal
    ? spawn("script", ["-qec", [process.execPath, BIN, ...args].map(quote).join(" "), "/dev/null"], {
        cwd: options.cwd,
        env: base,
        stdio: ["pipe", "pipe", "pipe"],
      })
    : spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: base, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let answered = false;
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    // Typed once the question is on the screen, as a person would.
    if (options.terminal && !answered && stdout.includes("[y/N]")) {
      answered = true;
      child.stdin?.end(options.terminal.input);
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCli(args: readonly string[], env: Record<string, string>, options: { cwd?: string } = {}): Promise<CliResult> {
  return startCli(args, env, options).done;
}

/** Writes `config` as YAML to `dir/name` and returns the path. */
export async function writeYamlConfig(dir: string, config: unknown, name = "ztoq.config.yml"): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, YAML.stringify(config));
  return path;
}

/**
 * The lines of stderr meant for a person: not the JSON log records (pino) nor the periodic progress
 * lines, which a user reads past.
 */
export function messageLines(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => line.trim() !== "")
    .filter((line) => !isJsonRecord(line))
    .filter((line) => !line.startsWith("[ztoq]"));
}

function isJsonRecord(line: string): boolean {
  if (!line.startsWith("{")) return false;
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * Polls `condition` every `intervalMs` until it holds; rejects after `timeoutMs`, or as soon as `child`
 * (when given) has exited, since then the moment waited for can no longer come.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  options: { child?: ChildProcess; timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (!(await condition())) {
    if (options.child && options.child.exitCode !== null) {
      throw new Error(`the process exited (code ${options.child.exitCode}) before ${what}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 2));
  }
}
