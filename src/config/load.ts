import { createHash } from "node:crypto";
/**
 * Loads the configuration: `ztoq.config.yml` (or `.yaml` / `.json`, or the file named by `--config` or
 * `ZTOQ_CONFIG`, or none), then environment variables, then flags / action inputs, over the defaults.
 *
 * Every problem is a `BadInputError` (exit code 2) with one line that names the file or variable, the
 * field path and what is allowed. No message ever contains a secret's value.
 */
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import YAML from "yaml";
import type { z } from "zod";
import { BadInputError } from "../errors.js";
import { type Config, type ConfigInput, configFileSchema, configSchema } from "./schema.js";

/** Looked for in the working directory, in this order, when no path is given. */
export const configFileNames = ["ztoq.config.yml", "ztoq.config.yaml", "ztoq.config.json"] as const;

/** Environment variables the loader reads. */
export const configEnv = {
  config: "ZTOQ_CONFIG",
  zephyrUrl: "ZTOQ_ZEPHYR_URL",
  zephyrToken: "ZTOQ_ZEPHYR_TOKEN",
  zephyrProject: "ZTOQ_ZEPHYR_PROJECT",
  qtestUrl: "ZTOQ_QTEST_URL",
  qtestToken: "ZTOQ_QTEST_TOKEN",
  qtestUsername: "ZTOQ_QTEST_USERNAME",
  qtestPassword: "ZTOQ_QTEST_PASSWORD",
  qtestProject: "ZTOQ_QTEST_PROJECT",
  state: "ZTOQ_STATE",
} as const;

export type QtestAuth = { kind: "token"; token: string } | { kind: "password"; username: string; password: string };

export type ResolvedConfig = Omit<Config, "zephyr" | "qtest"> & {
  zephyr: Config["zephyr"] & { token: string };
  qtest: Config["qtest"] & { auth: QtestAuth };
  source: {
    /** Absolute path of the config file read, or null when none was (environment variables only). */
    file: string | null;
  };
};

/** A resolved config with the secrets taken out: for logs, reports and the config hash. */
export type PublicConfig = Omit<ResolvedConfig, "zephyr" | "qtest"> & {
  zephyr: Config["zephyr"];
  qtest: Config["qtest"] & { auth: { kind: "token" } | { kind: "password"; username: string } };
};

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | undefined }
    : T;

/**
 * Values from CLI flags or action inputs; they win over everything else. `undefined` and blank strings
 * mean "not given" (an unset action input is an empty string), so callers can pass options as they are.
 */
export type ConfigOverrides = DeepPartial<Omit<ConfigInput, "zephyr" | "qtest">> & {
  zephyr?: (DeepPartial<NonNullable<ConfigInput["zephyr"]>> & { token?: string | undefined }) | undefined;
  qtest?:
    | (DeepPartial<NonNullable<ConfigInput["qtest"]>> & {
        token?: string | undefined;
        username?: string | undefined;
        password?: string | undefined;
      })
    | undefined;
};

export interface LoadConfigOptions {
  /** Config file (the `--config` flag or `config` input); relative to `cwd`. Must exist when given. */
  path?: string | undefined;
  /** Defaults to `process.env`. */
  env?: NodeJS.ProcessEnv | undefined;
  overrides?: ConfigOverrides | undefined;
  /** Where relative paths and the default config file names are resolved. Defaults to `process.cwd()`. */
  cwd?: string | undefined;
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;

  const file = await locateConfigFile(options.path, env, cwd);
  const fileConfig = file ? await readConfigFile(file) : {};
  const fileLabel = file?.display ?? configFileNames[0];

  const fromEnv = readEnvironment(env);
  const fromOverrides = splitOverrides(options.overrides);

  const layers = [{ zephyr: {}, qtest: {} }, fileConfig, fromEnv.values, fromOverrides.values];
  const merged = layers.reduce<Record<string, unknown>>((base, top) => mergeValues(base, top, []), {});
  const parsed = configSchema.safeParse(merged, parseParams);
  if (!parsed.success) {
    const overridePaths = leafPaths(fromOverrides.values);
    const label = (problem: Problem): string => {
      const variableForRequired = problem.required ? requiredVariables[problem.path.join(".")] : undefined;
      if (variableForRequired) return `${problem.path.join(".")} is required: set it in ${fileLabel} or ${variableForRequired}`;
      // A missing key belongs to whoever supplied the object that lacks it.
      const at = problem.required ? problem.path.slice(0, -1) : problem.path;
      if (overridePaths.some((source) => overlaps(source, at))) return renderProblem(`option ${problem.path.join(".")}`, problem);
      const variable = fromEnv.sources.find((source) => overlaps(source.path, at));
      if (variable) return renderEnvProblem(variable.name, problem);
      return renderProblem(`${fileLabel}: ${problem.path.join(".")}`, problem);
    };
    throw new BadInputError(joinProblems(collectProblems(parsed.error.issues).map(label)));
  }

  const zephyrToken = fromOverrides.secrets.zephyrToken ?? fromEnv.secrets.zephyrToken;
  if (zephyrToken === undefined)
    throw new BadInputError(`No Zephyr token: set ${configEnv.zephyrToken} (or the zephyr-token input)`);
  const config = parsed.data;
  return {
    ...config,
    zephyr: { ...config.zephyr, token: zephyrToken },
    qtest: { ...config.qtest, auth: qtestAuth(fromOverrides.secrets, fromEnv.secrets) },
    source: { file: file?.path ?? null },
  };
}

/** The config without its secrets (the Zephyr token, the qTest token or password). */
export function withoutSecrets(config: ResolvedConfig): PublicConfig {
  const { token: _token, ...zephyr } = config.zephyr;
  const { auth, ...qtest } = config.qtest;
  return {
    ...config,
    zephyr,
    qtest: { ...qtest, auth: auth.kind === "token" ? { kind: "token" } : { kind: "password", username: auth.username } },
  };
}

// ---- the file -------------------------------------------------------------------------------------

interface ConfigFileLocation {
  path: string;
  /** How messages name it: relative to the working directory when inside it. */
  display: string;
}

async function locateConfigFile(
  given: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<ConfigFileLocation | null> {
  const explicit = blankToUndefined(given);
  const fromEnv = blankToUndefined(env[configEnv.config]);
  const named = explicit ?? fromEnv;
  if (named !== undefined) {
    const location = fileLocation(resolve(cwd, named), cwd);
    const origin = explicit !== undefined ? "" : ` (from ${configEnv.config})`;
    const kind = await fileKind(location.path);
    if (kind === "missing") throw new BadInputError(`Config file ${location.display} not found${origin}`);
    if (kind === "directory") throw new BadInputError(`Config file ${location.display} is a directory${origin}`);
    return location;
  }
  const present: ConfigFileLocation[] = [];
  for (const name of configFileNames) {
    const location = fileLocation(resolve(cwd, name), cwd);
    if ((await fileKind(location.path)) === "file") present.push(location);
  }
  if (present.length > 1) {
    const names = present.map((location) => location.display).join(" and ");
    throw new BadInputError(`Found ${names}: keep one config file, or name the one to use with ${configEnv.config} or --config`);
  }
  return present[0] ?? null;
}

function fileLocation(path: string, cwd: string): ConfigFileLocation {
  const rel = relative(cwd, path);
  const inside = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  return { path, display: inside ? rel : path };
}

async function fileKind(path: string): Promise<"file" | "directory" | "missing"> {
  try {
    return (await stat(path)).isDirectory() ? "directory" : "file";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR")
      return "missing";
    throw new BadInputError(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
}

/** Reads, parses and validates the file alone, so that its problems are reported under its name. */
async function readConfigFile(file: ConfigFileLocation): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file.path, "utf8");
  } catch (error) {
    throw new BadInputError(`Cannot read config file ${file.display}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  const raw = parseText(text, file);
  if (raw === null || raw === undefined) return {};
  if (!isPlainObject(raw)) {
    throw new BadInputError(
      `${file.display}: expected a mapping of sections (zephyr, qtest, state, migration, mapping, report); got ${describeValue(raw)}`,
    );
  }
  rejectSecrets(raw, file.display);
  const parsed = configFileSchema.safeParse(raw, parseParams);
  if (!parsed.success) {
    const label = (problem: Problem) => renderProblem(`${file.display}: ${problem.path.join(".")}`, problem);
    throw new BadInputError(joinProblems(collectProblems(parsed.error.issues).map(label)));
  }
  const { $schema: _schema, ...config } = parsed.data;
  return config;
}

/** YAML 1.2 (a superset of JSON, so `.json` files too); syntax errors name the line and column. */
function parseText(text: string, file: ConfigFileLocation): unknown {
  const format = file.path.toLowerCase().endsWith(".json") ? "JSON" : "YAML";
  const doc = YAML.parseDocument(text.replace(/^\uFEFF/, ""), { uniqueKeys: true, prettyErrors: true });
  const error = doc.errors[0];
  if (error) {
    // The first line only: the rest is a quote of the file, which could hold a pasted secret.
    const reason = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    const where = error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : "";
    throw new BadInputError(`${file.display}: invalid ${format}${where}: ${reason}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new BadInputError(`${file.display}: invalid ${format}: ${(error as Error).message.split("\n")[0]}`);
  }
}

const secretNames = new Set(["token", "password", "passwd", "secret", "apitoken", "accesstoken", "apikey"]);

/** A key that names a secret: `token`, `apiToken`, `access_token`, `password`, `clientSecret`, … */
function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_]/g, "");
  return secretNames.has(normalized) || /(token|password|secret)$/.test(normalized);
}

/**
 * Keys at these positions are source values (a Zephyr status, a custom field name, an accountId),
 * not settings: a Zephyr custom field may well be called "Token".
 */
function keysAreData(path: readonly string[]): boolean {
  const [section, part, name, sub] = path;
  if (section !== "mapping") return false;
  if (path.length === 2) return ["priorities", "environments", "users", "customFields"].includes(part ?? "");
  if (path.length === 3) return part === "statuses";
  return path.length === 4 && part === "customFields" && name !== undefined && sub === "values";
}

const secretAdvice =
  `secrets must not be in the config file; remove it and set ${configEnv.zephyrToken}, ${configEnv.qtestToken} ` +
  `or ${configEnv.qtestUsername} + ${configEnv.qtestPassword} (or the action inputs zephyr-token, qtest-token, qtest-username, qtest-password)`;

function rejectSecrets(raw: Record<string, unknown>, display: string): void {
  const found = findSecretKey(raw, []);
  if (found) throw new BadInputError(`${display}: ${found.join(".")}: ${secretAdvice}`);
  const state = raw.state;
  if (typeof state === "string" && urlHoldsPassword(state)) {
    throw new BadInputError(
      `${display}: state: the URL holds a password, and secrets must not be in the config file; set ${configEnv.state} (or the state input) instead`,
    );
  }
}

function findSecretKey(value: unknown, path: string[]): string[] | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findSecretKey(item, [...path, String(index)]);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  const data = keysAreData(path);
  for (const [key, item] of Object.entries(value)) {
    if (!data && isSecretKey(key)) return [...path, key];
    const found = findSecretKey(item, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

function urlHoldsPassword(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.password !== "" || url.searchParams.has("password");
}

// ---- environment and overrides --------------------------------------------------------------------

interface Secrets {
  zephyrToken?: string | undefined;
  qtestToken?: string | undefined;
  qtestUsername?: string | undefined;
  qtestPassword?: string | undefined;
}

interface EnvironmentLayer {
  values: Record<string, unknown>;
  /** Which variable set which config path, to name it in messages. */
  sources: { path: string[]; name: string }[];
  secrets: Secrets;
}

function readEnvironment(env: NodeJS.ProcessEnv): EnvironmentLayer {
  const values: Record<string, unknown> = {};
  const sources: EnvironmentLayer["sources"] = [];
  const set = (path: [string, string] | [string], name: string, value: unknown) => {
    const [section, key] = path;
    if (key === undefined) values[section] = value;
    else values[section] = { ...(values[section] as Record<string, unknown> | undefined), [key]: value };
    sources.push({ path, name });
  };
  const read = (name: string) => blankToUndefined(env[name]);

  const zephyrUrl = read(configEnv.zephyrUrl);
  if (zephyrUrl !== undefined) set(["zephyr", "url"], configEnv.zephyrUrl, zephyrUrl);
  const zephyrProject = read(configEnv.zephyrProject);
  if (zephyrProject !== undefined) set(["zephyr", "projectKey"], configEnv.zephyrProject, zephyrProject);
  const qtestUrl = read(configEnv.qtestUrl);
  if (qtestUrl !== undefined) set(["qtest", "url"], configEnv.qtestUrl, qtestUrl);
  const qtestProject = read(configEnv.qtestProject);
  if (qtestProject !== undefined) {
    const id = /^[0-9]+$/.test(qtestProject) ? Number(qtestProject) : Number.NaN;
    if (!Number.isSafeInteger(id) || id <= 0) {
      throw new BadInputError(`${configEnv.qtestProject} must be a positive integer; got ${JSON.stringify(qtestProject)}`);
    }
    set(["qtest", "projectId"], configEnv.qtestProject, id);
  }
  const state = read(configEnv.state);
  if (state !== undefined) set(["state"], configEnv.state, state);

  return {
    values,
    sources,
    secrets: {
      zephyrToken: cleanToken(env[configEnv.zephyrToken]),
      qtestToken: cleanToken(env[configEnv.qtestToken]),
      qtestUsername: read(configEnv.qtestUsername),
      qtestPassword: cleanPassword(env[configEnv.qtestPassword]),
    },
  };
}

function splitOverrides(overrides: ConfigOverrides | undefined): { values: Record<string, unknown>; secrets: Secrets } {
  const { zephyr, qtest, ...rest } = overrides ?? {};
  const { token: zephyrToken, ...zephyrRest } = zephyr ?? {};
  const { token: qtestToken, username, password, ...qtestRest } = qtest ?? {};
  const values = dropUnset({ ...rest, zephyr: zephyrRest, qtest: qtestRest });
  return {
    values: isPlainObject(values) ? values : {},
    secrets: {
      zephyrToken: cleanToken(zephyrToken),
      qtestToken: cleanToken(qtestToken),
      qtestUsername: blankToUndefined(username),
      qtestPassword: cleanPassword(password),
    },
  };
}

/** qTest credentials: a token wins over a username and password; each value by the usual precedence. */
function qtestAuth(overrides: Secrets, env: Secrets): QtestAuth {
  const token = overrides.qtestToken ?? env.qtestToken;
  if (token !== undefined) return { kind: "token", token };
  const username = overrides.qtestUsername ?? env.qtestUsername;
  const password = overrides.qtestPassword ?? env.qtestPassword;
  if (username !== undefined && password !== undefined) return { kind: "password", username, password };
  if (username !== undefined) {
    throw new BadInputError(
      `A qTest username is set but no password: set ${configEnv.qtestPassword} (or the qtest-password input), or use ${configEnv.qtestToken} instead`,
    );
  }
  if (password !== undefined) {
    throw new BadInputError(
      `A qTest password is set but no username: set ${configEnv.qtestUsername} (or the qtest-username input), or use ${configEnv.qtestToken} instead`,
    );
  }
  throw new BadInputError(
    `No qTest credentials: set ${configEnv.qtestToken} (or the qtest-token input), or ${configEnv.qtestUsername} and ${configEnv.qtestPassword} (or the qtest-username and qtest-password inputs)`,
  );
}

function blankToUndefined(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/** Trimmed (secrets pasted into a store often end in a newline), without a pasted `Bearer ` prefix. */
function cleanToken(value: string | undefined): string | undefined {
  return blankToUndefined(blankToUndefined(value)?.replace(/^bearer\s+/i, ""));
}

/** A password is kept exactly as given, unless it is blank. */
function cleanPassword(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

/** Removes `undefined` and blank strings, deeply. */
function dropUnset(value: unknown): unknown {
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const kept = dropUnset(item);
    if (kept !== undefined) defineValue(out, key, kept);
  }
  return out;
}

/** Deep merge of plain objects, `top` winning; a custom field mapping is replaced as a whole. */
function mergeValues(base: unknown, top: unknown, path: string[]): Record<string, unknown> {
  return mergeValue(base, top, path) as Record<string, unknown>;
}

function mergeValue(base: unknown, top: unknown, path: string[]): unknown {
  if (top === undefined) return base;
  if (!isPlainObject(top) || !isPlainObject(base)) return top;
  if (path.length === 3 && path[0] === "mapping" && path[1] === "customFields") return top;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(base)) defineValue(out, key, item);
  for (const [key, item] of Object.entries(top)) {
    defineValue(out, key, mergeValue(Object.hasOwn(out, key) ? out[key] : undefined, item, [...path, key]));
  }
  return out;
}

/** Assignment that treats `__proto__` as an ordinary key. */
function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function leafPaths(value: unknown, path: string[] = []): string[][] {
  if (!isPlainObject(value)) return [path];
  const entries = Object.entries(value);
  if (entries.length === 0) return [];
  return entries.flatMap(([key, item]) => leafPaths(item, [...path, key]));
}

/** One path is a prefix of the other. */
function overlaps(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) if (String(a[index]) !== String(b[index])) return false;
  return true;
}

const requiredVariables: Record<string, string> = {
  "zephyr.projectKey": configEnv.zephyrProject,
  "qtest.url": configEnv.qtestUrl,
  "qtest.projectId": configEnv.qtestProject,
};

// ---- messages -------------------------------------------------------------------------------------

interface Problem {
  path: string[];
  /** Phrased as what is allowed ("expected …"), or what is wrong. */
  message: string;
  required: boolean;
  /** The offending value, already described for a message (secrets in URLs masked). */
  got?: string | undefined;
}

/** Messages for the issues the schema does not word itself. */
const errorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${typeName(issue.expected)}`;
    case "invalid_value":
      return issue.values.length === 1
        ? `expected ${String(issue.values[0])}`
        : `expected one of ${issue.values.map((value) => String(value)).join(", ")}`;
    case "unrecognized_keys": {
      // The allowed keys, for collectProblems to offer.
      const shape = (issue.inst as { shape?: Record<string, unknown> } | undefined)?.shape;
      return shape ? Object.keys(shape).join(", ") : "";
    }
    case "too_small":
      return issue.origin === "string" ? "expected a non-empty string" : `expected at least ${String(issue.minimum)}`;
    case "too_big":
      return `expected at most ${String(issue.maximum)}`;
    default:
      return undefined;
  }
};

const parseParams = { reportInput: true, error: errorMap };

function typeName(expected: string): string {
  switch (expected) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "int":
      return "a whole number";
    case "boolean":
      return "true or false";
    case "object":
    case "record":
      return "a mapping";
    case "array":
      return "a list";
    default:
      return expected;
  }
}

function collectProblems(issues: readonly z.core.$ZodIssue[], base: string[] = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path.map(String)];
    const input = (issue as { input?: unknown }).input;
    if (issue.code === "unrecognized_keys") {
      const allowed = issue.message === "" ? [] : issue.message.split(", ");
      for (const key of issue.keys) {
        const suggestion = closest(key, allowed);
        const hint = suggestion ? ` (did you mean ${suggestion}?)` : "";
        const list = allowed.length > 0 ? `; allowed: ${allowed.join(", ")}` : "";
        problems.push({ path: [...path, key], message: `unknown key${hint}${list}`, required: false });
      }
    } else if (issue.code === "invalid_union" && isPlainObject(input) && issue.errors.length > 0) {
      // A union of objects: explain the branch the input resembles most (fewest unknown keys).
      problems.push(...collectProblems(closestBranch(issue.errors), path));
    } else if (issue.code === "invalid_type" && input === undefined) {
      problems.push({ path, message: "is required", required: true });
    } else {
      // An object-level refinement's input is the whole object it checks, not the value at its path.
      const wholeObject = issue.code === "custom" && typeof input === "object";
      const got = input === undefined || wholeObject ? undefined : describeValue(input);
      problems.push({ path, message: issue.message, required: false, got });
    }
  }
  return problems;
}

function closestBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] {
  const unknownKeys = (issues: readonly z.core.$ZodIssue[]) =>
    issues.reduce(
      (count, issue) => count + (issue.code === "unrecognized_keys" && issue.path.length === 0 ? issue.keys.length : 0),
      0,
    );
  let best = branches[0] ?? [];
  for (const branch of branches) if (unknownKeys(branch) < unknownKeys(best)) best = branch;
  return best;
}

function renderProblem(where: string, problem: Problem): string {
  const got = problem.got === undefined ? "" : `; got ${problem.got}`;
  return `${where}: ${problem.message}${got}`;
}

/** `ZTOQ_ZEPHYR_URL must be an http:// or https:// URL; got "…"`. */
function renderEnvProblem(name: string, problem: Problem): string {
  const got = problem.got === undefined ? "" : `; got ${problem.got}`;
  return problem.message.startsWith("expected ")
    ? `${name} must be ${problem.message.slice("expected ".length)}${got}`
    : `${name}: ${problem.message}${got}`;
}

const maxProblems = 5;

function joinProblems(lines: readonly string[]): string {
  const unique = [...new Set(lines)];
  const shown = unique.slice(0, maxProblems).join("; ");
  const more = unique.length - maxProblems;
  return more > 0 ? `${shown}; and ${more} more problem${more === 1 ? "" : "s"}` : shown;
}

/** A value as a message shows it: strings quoted, passwords in URLs masked, long text cut. */
function describeValue(value: unknown): string {
  if (typeof value === "string") {
    const masked = maskUrlPassword(value);
    return JSON.stringify(masked.length > 80 ? `${masked.slice(0, 77)}...` : masked);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

function maskUrlPassword(value: string): string {
  if (!URL.canParse(value)) return value;
  const url = new URL(value);
  let masked = false;
  if (url.password !== "") {
    url.password = "***";
    masked = true;
  }
  if (url.searchParams.has("password")) {
    url.searchParams.set("password", "***");
    masked = true;
  }
  return masked ? url.toString() : value;
}

function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of allowed) {
    const distance = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, name);
    if (distance <= 2 && distance < key.length / 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Equal hashes mean the same settings; secrets are left out first, so the hash reveals nothing of them. */
export function configHash(config: ResolvedConfig): string {
  return createHash("sha256")
    .update(JSON.stringify(withoutSecrets(config)))
    .digest("hex")
    .slice(0, 16);
}
