/**
 * The config file: which one (named by `--config` / the `config` input, else `ZTOQ_CONFIG`, else the
 * one default name present in the working directory, else none), read, parsed and checked on its own
 * so that its problems are reported under its name.
 */
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve } from "node:path";
import YAML from "yaml";
import { BadInputError } from "../errors.js";
import { collectProblems, describeValue, joinProblems, type Problem, parseParams, renderProblem } from "./messages.js";
import { configFileSchema } from "./schema.js";
import { rejectSecrets } from "./secrets.js";
import { settings } from "./settings.js";
import { blankToUndefined, isPlainObject } from "./values.js";

/** Looked for in the working directory, in this order, when no path is given. */
export const configFileNames = ["ztoq.config.yml", "ztoq.config.yaml", "ztoq.config.json"] as const;

export interface ConfigFileLocation {
  path: string;
  /** How messages name it: relative to the working directory when inside it. */
  display: string;
}

const configVariable = settings.config.env;

export async function locateConfigFile(
  given: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<ConfigFileLocation | null> {
  const explicit = blankToUndefined(given);
  const fromEnv = blankToUndefined(env[configVariable]);
  const named = explicit ?? fromEnv;
  if (named !== undefined) {
    const location = fileLocation(resolve(cwd, named), cwd);
    const origin = explicit !== undefined ? "" : ` (from ${configVariable})`;
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
    throw new BadInputError(`Found ${names}: keep one config file, or name the one to use with ${configVariable} or --config`);
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

/** The file's settings, checked against the file schema (defaults applied), without `$schema`. */
export async function readConfigFile(file: ConfigFileLocation): Promise<Record<string, unknown>> {
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
export function parseText(text: string, file: ConfigFileLocation): unknown {
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
