/**
 * Loads the configuration: `ztoq.config.yml` (or `.yaml` / `.json`, or the file named by `--config` or
 * `ZTOQ_CONFIG`, or none), then environment variables, then flags / action inputs, over the defaults.
 *
 * Every problem is a `BadInputError` (exit code 2) with one line that names the file or variable, the
 * field path and what is allowed. No message ever contains a secret's value.
 */
import { BadInputError } from "../errors.js";
import type { QTestAuth } from "../qtest/auth.js";
import { type JiraAuth, resolveJiraAuth, resolveQTestAuth, resolveZephyrToken } from "./credentials.js";
import { configFileNames, locateConfigFile, readConfigFile } from "./file.js";
import { leafPaths, mergeLayers, overlaps, readEnvironment, splitOverrides, variableFor } from "./layers.js";
import { collectProblems, joinProblems, type Problem, parseParams, renderEnvProblem, renderProblem } from "./messages.js";
import { type Config, type ConfigInput, configSchema } from "./schema.js";

export { configFileNames } from "./file.js";
export { configHash, type PublicConfig, withoutSecrets } from "./public-config.js";

export type ResolvedConfig = Omit<Config, "zephyr" | "qtest" | "jira"> & {
  zephyr: Config["zephyr"] & { token: string };
  qtest: Config["qtest"] & { auth: QTestAuth };
  /** Absent without a Jira URL: Jira is optional. */
  jira: (Config["jira"] & { url: string; auth: JiraAuth }) | undefined;
  source: {
    /** Absolute path of the config file read, or null when none was (environment variables only). */
    file: string | null;
  };
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
export type ConfigOverrides = DeepPartial<Omit<ConfigInput, "zephyr" | "qtest" | "jira">> & {
  jira?: (DeepPartial<NonNullable<ConfigInput["jira"]>> & { email?: string | undefined; token?: string | undefined }) | undefined;
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

  // Empty sections, so that a missing project key is reported as zephyr.projectKey, not as a missing section.
  const merged = mergeLayers([{ zephyr: {}, qtest: {} }, fileConfig, fromEnv.values, fromOverrides.values]);
  const parsed = configSchema.safeParse(merged, parseParams);
  if (!parsed.success) {
    const overridePaths = leafPaths(fromOverrides.values);
    const label = (problem: Problem): string => {
      const path = problem.path.join(".");
      const variableForRequired = problem.required ? variableFor(path) : undefined;
      if (variableForRequired) return `${path} is required: set it in ${fileLabel} or ${variableForRequired}`;
      // A missing key belongs to whoever supplied the object that lacks it.
      const at = problem.required ? problem.path.slice(0, -1) : problem.path;
      if (overridePaths.some((source) => overlaps(source, at))) return renderProblem(`option ${path}`, problem);
      const variable = fromEnv.sources.find((source) => overlaps(source.path, at));
      if (variable) return renderEnvProblem(variable.name, problem);
      return renderProblem(`${fileLabel}: ${path}`, problem);
    };
    throw new BadInputError(joinProblems(collectProblems(parsed.error.issues).map(label)));
  }

  const zephyrToken = resolveZephyrToken(fromOverrides.credentials, fromEnv.credentials);
  const config = parsed.data;
  const { url: jiraUrl, ...jiraRest } = config.jira;
  const jiraAuth = resolveJiraAuth(jiraUrl, fromOverrides.credentials, fromEnv.credentials);
  return {
    ...config,
    jira: jiraUrl !== undefined && jiraAuth ? { ...jiraRest, url: jiraUrl, auth: jiraAuth } : undefined,
    zephyr: { ...config.zephyr, token: zephyrToken },
    qtest: { ...config.qtest, auth: resolveQTestAuth(fromOverrides.credentials, fromEnv.credentials) },
    source: { file: file?.path ?? null },
  };
}
