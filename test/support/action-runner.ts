/**
 * Runs a bundled JavaScript action (`runs.using: node24`) as a child process, the way the GitHub
 * Actions runner does:
 *
 * - reads the action's `action.yml`, applies each input's `default:` when the step does not give the
 *   input (`${{ github.token }}` renders as the fake job token), and passes every input as
 *   `INPUT_<NAME>` (upper-cased, spaces → `_`, hyphens kept);
 * - creates the `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files, writes the event payload to the file
 *   named by `GITHUB_EVENT_PATH`, and sets the `GITHUB_*` / `RUNNER_*` variables a job step sees;
 * - runs `node <dir of action.yml>/<runs.main>` with this Node (`process.execPath`) in the workspace.
 *
 * The child gets a clean environment (PATH and HOME, then the runner's variables, then `env`), so no
 * ZTOQ_* or GITHUB_* variable of the machine running the tests leaks in.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import YAML from "yaml";

/** The token `${{ github.token }}` renders as; the GitHub API stand-in accepts it by default. */
export const FAKE_GITHUB_TOKEN = "ghs_test_token";
export const TEST_REPOSITORY = "ztoq-org/ztoq-demo";

export interface RunActionOptions {
  /** Path of the action's `action.yml`. */
  actionYml: string;
  /** The step's `with:` — only the inputs given; the others take their `default:`. */
  inputs?: Record<string, string | number | boolean>;
  /** More variables for the step (e.g. the artifact service's env); they win over the runner's. */
  env?: Record<string, string>;
  /** `GITHUB_EVENT_NAME`. Default: `workflow_dispatch`. */
  eventName?: string;
  /** The event payload written to `GITHUB_EVENT_PATH`. Default: `{}`. */
  eventPayload?: unknown;
  /** `GITHUB_WORKSPACE`, and the step's working directory. */
  workspace: string;
  /** `GITHUB_API_URL`: the REST stand-in's URL. Default: https://api.github.com (never reached by tests that leave it). */
  githubApiUrl?: string;
  /** What `${{ github.token }}` renders as. Default: FAKE_GITHUB_TOKEN. */
  githubToken?: string;
  /** `GITHUB_RUN_ID`. Default: a fresh number per call. */
  runId?: string;
  /** Kill the step after this long. Default: 120 s. */
  timeoutMs?: number;
}

export interface ActionResult {
  /** The process exit code (null when killed by a signal). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr split into lines (no empty lines), stdout first. */
  lines: string[];
  /** The step outputs read from `GITHUB_OUTPUT`. */
  outputs: Record<string, string>;
  /** What the step appended to `GITHUB_STEP_SUMMARY`. */
  summary: string;
  /** The variables the step ran with (the `INPUT_*` ones included). */
  env: Record<string, string>;
}

interface ActionDefinition {
  inputs?: Record<string, { default?: unknown; required?: unknown } | null> | null;
  runs?: { using?: unknown; main?: unknown } | null;
}

let runCounter = 0;

/** Runs the action described by `options.actionYml` once, as one workflow step. */
export async function runAction(options: RunActionOptions): Promise<ActionResult> {
  const actionYml = resolve(options.actionYml);
  const definition = YAML.parse(await readFile(actionYml, "utf8")) as ActionDefinition;
  const using = String(definition.runs?.using ?? "");
  if (!/^node\d+$/.test(using)) throw new Error(`${actionYml}: runs.using is "${using}", not a node action`);
  const main = definition.runs?.main;
  if (typeof main !== "string" || main === "") throw new Error(`${actionYml}: runs.main is missing`);
  const entry = resolve(dirname(actionYml), main);

  const githubToken = options.githubToken ?? FAKE_GITHUB_TOKEN;
  const given = options.inputs ?? {};
  const declared = definition.inputs ?? {};
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(declared, name)) throw new Error(`${actionYml} declares no input "${name}"`);
  }
  const inputEnv: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    let value: string | undefined;
    if (Object.hasOwn(given, name)) value = String(given[name]);
    else if (spec?.default !== undefined && spec.default !== null)
      value = renderExpressions(String(spec.default), { githubToken });
    if (value !== undefined) inputEnv[inputVariable(name)] = value;
  }

  // The runner's per-step files live in the runner's temp directory, outside the workspace.
  const runnerTemp = await mkdtemp(join(tmpdir(), "ztoq-runner-"));
  try {
    const fileCommands = join(runnerTemp, "_runner_file_commands");
    await mkdir(fileCommands, { recursive: true });
    const stepId = randomBytes(8).toString("hex");
    const outputPath = join(fileCommands, `set_output_${stepId}`);
    const summaryPath = join(fileCommands, `step_summary_${stepId}`);
    const envPath = join(fileCommands, `set_env_${stepId}`);
    const pathPath = join(fileCommands, `add_path_${stepId}`);
    const statePath = join(fileCommands, `save_state_${stepId}`);
    const eventPath = join(runnerTemp, "_github_workflow", "event.json");
    await mkdir(dirname(eventPath), { recursive: true });
    await writeFile(outputPath, "");
    await writeFile(summaryPath, "");
    for (const file of [envPath, pathPath, statePath]) await writeFile(file, "");
    await writeFile(eventPath, JSON.stringify(options.eventPayload ?? {}, null, 2));
    const toolCache = join(runnerTemp, "_tool");
    await mkdir(toolCache, { recursive: true });

    runCounter += 1;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_ACTION: "__run",
      GITHUB_ACTION_PATH: dirname(actionYml),
      GITHUB_ACTOR: "octocat",
      GITHUB_EVENT_NAME: options.eventName ?? "workflow_dispatch",
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_JOB: "ztoq",
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_ENV: envPath,
      GITHUB_PATH: pathPath,
      GITHUB_STATE: statePath,
      GITHUB_REPOSITORY: TEST_REPOSITORY,
      GITHUB_REPOSITORY_OWNER: TEST_REPOSITORY.split("/")[0] ?? "",
      GITHUB_REF: "refs/heads/main",
      GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
      GITHUB_RUN_ID: options.runId ?? String(7_000_000_000 + process.pid * 100 + runCounter),
      GITHUB_RUN_NUMBER: String(runCounter),
      GITHUB_RUN_ATTEMPT: "1",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_API_URL: options.githubApiUrl ?? "https://api.github.com",
      GITHUB_GRAPHQL_URL: `${options.githubApiUrl ?? "https://api.github.com"}/graphql`,
      GITHUB_WORKFLOW: "ztoq",
      GITHUB_WORKSPACE: options.workspace,
      RUNNER_OS: process.platform === "win32" ? "Windows" : process.platform === "darwin" ? "macOS" : "Linux",
      RUNNER_ARCH: process.arch === "arm64" ? "ARM64" : "X64",
      RUNNER_NAME: "ztoq-test-runner",
      RUNNER_TEMP: runnerTemp,
      RUNNER_TOOL_CACHE: toolCache,
      ...options.env,
      ...inputEnv,
    };

    const child = spawn(process.execPath, [entry], { cwd: options.workspace, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timeoutMs = options.timeoutMs ?? 120_000;
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done, fail) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      child.on("error", (error) => {
        clearTimeout(timer);
        fail(error);
      });
      child.on("close", (exitCode, exitSignal) => {
        clearTimeout(timer);
        done({ code: exitCode, signal: exitSignal });
      });
    });

    return {
      exitCode: code,
      signal,
      stdout,
      stderr,
      lines: `${stdout}\n${stderr}`.split(/\r?\n/).filter((line) => line !== ""),
      outputs: parseOutputFile(await readFile(outputPath, "utf8")),
      summary: await readFile(summaryPath, "utf8"),
      env,
    };
  } finally {
    await rm(runnerTemp, { recursive: true, force: true });
  }
}

/** The variable the runner passes an input in: `INPUT_` + the name upper-cased, spaces as `_`. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** Renders the `${{ … }}` expressions action.yml defaults may hold; only `github.token` is known here. */
function renderExpressions(value: string, context: { githubToken: string }): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => {
    if (expression === "github.token") return context.githubToken;
    throw new Error(`the test runner cannot render the expression \${{ ${expression} }}`);
  });
}

/**
 * Parses a `GITHUB_OUTPUT` file as the runner does: `name<<DELIMITER` blocks (what `@actions/core`
 * writes: `name<<ghadelimiter_<uuid>`, the value's lines, the delimiter alone on a line) and plain
 * `name=value` lines. A later value of the same name wins.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === "") continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    const equals = line.indexOf("=");
    if (heredoc && (equals < 0 || equals > line.indexOf("<<"))) {
      const [, name = "", delimiter = ""] = heredoc;
      const value: string[] = [];
      let closed = false;
      for (i++; i < lines.length; i++) {
        if (lines[i] === delimiter) {
          closed = true;
          break;
        }
        value.push(lines[i] ?? "");
      }
      if (!closed) throw new Error(`GITHUB_OUTPUT: the value of "${name}" is not closed by ${delimiter}`);
      outputs[name] = value.join("\n");
    } else if (equals > 0) {
      outputs[line.slice(0, equals)] = line.slice(equals + 1);
    } else {
      throw new Error(`GITHUB_OUTPUT: invalid line ${JSON.stringify(line)}`);
    }
  }
  return outputs;
}

/** The workflow-command lines (`::error …::…`, `::warning::…`) of one kind among the step's lines. */
export function workflowCommands(result: ActionResult, kind: string): string[] {
  return result.lines.filter((line) => line.startsWith(`::${kind} `) || line.startsWith(`::${kind}::`));
}

export interface WorkflowCommand {
  /** `error`, `warning`, `notice`, `debug`, `add-mask`, `group`, … */
  command: string;
  /** The properties (`title`, `file`, `line`, …), unescaped. */
  properties: Record<string, string>;
  /** The message, unescaped. */
  message: string;
}

/**
 * The workflow commands (`::name key=value,…::message`) the step printed, unescaped the way the
 * runner reads them (`%25` `%0D` `%0A` in both parts, `%3A` `%2C` in properties).
 */
export function parseWorkflowCommands(result: ActionResult): WorkflowCommand[] {
  const commands: WorkflowCommand[] = [];
  for (const line of result.lines) {
    const match = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const [, command = "", rawProperties = "", rawMessage = ""] = match;
    const properties: Record<string, string> = {};
    for (const pair of rawProperties.split(",").filter((p) => p !== "")) {
      const equals = pair.indexOf("=");
      if (equals > 0) properties[pair.slice(0, equals)] = unescapeProperty(pair.slice(equals + 1));
    }
    commands.push({ command, properties, message: unescapeData(rawMessage) });
  }
  return commands;
}

function unescapeData(value: string): string {
  return value.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

function unescapeProperty(value: string): string {
  return value.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
}
