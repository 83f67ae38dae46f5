/**
 * The layers a config is merged from, lowest first: the defaults (applied by the schema), the file,
 * the environment, then the overrides (CLI flags, action inputs). Each layer remembers where its
 * values came from, so a problem can be reported under the name the user wrote it with.
 */
import { type Credentials, credentialIds } from "./credentials.js";
import { allSettings, settings } from "./settings.js";
import { defineValue, getPath, isPlainObject, setPath } from "./values.js";

export interface EnvironmentLayer {
  values: Record<string, unknown>;
  /** Which variable set which config path, to name it in messages. */
  sources: { path: string[]; name: string }[];
  credentials: Credentials;
}

/** Every `ZTOQ_*` variable of the settings manifest; blank ones count as unset. */
export function readEnvironment(env: NodeJS.ProcessEnv): EnvironmentLayer {
  const values: Record<string, unknown> = {};
  const sources: EnvironmentLayer["sources"] = [];
  for (const { setting } of allSettings()) {
    // ZTOQ_CONFIG names the file rather than a value in it; credentials are kept apart below.
    if (setting.env === undefined || setting.config === undefined) continue;
    const value = setting.value.read(env[setting.env], { kind: "env", name: setting.env });
    if (value === undefined) continue;
    setPath(values, setting.config, value);
    sources.push({ path: setting.config.split("."), name: setting.env });
  }
  const credentials: Credentials = {};
  for (const id of credentialIds) {
    const { env: name, value } = settings[id];
    credentials[id] = value.read(env[name], { kind: "env", name });
  }
  return { values, sources, credentials };
}

/**
 * The overrides' config values, with `undefined` and blank strings dropped (an unset action input is
 * an empty string), and their credentials apart.
 */
export function splitOverrides(overrides: object | undefined): { values: Record<string, unknown>; credentials: Credentials } {
  const credentials: Credentials = {};
  const paths = new Set<string>();
  for (const id of credentialIds) {
    const { credential, value } = settings[id];
    paths.add(credential);
    const raw = getPath(overrides, credential);
    credentials[id] = value.read(typeof raw === "string" ? raw : undefined, { kind: "option", name: credential });
  }
  const values = dropUnset(overrides ?? {}, paths, []);
  return { values: isPlainObject(values) ? values : {}, credentials };
}

/** Removes `undefined`, blank strings and the values at `skip` (dotted paths), deeply. */
function dropUnset(value: unknown, skip: ReadonlySet<string>, path: readonly string[]): unknown {
  if (typeof value === "string") return value.trim() === "" ? undefined : value;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const at = [...path, key];
    if (skip.has(at.join("."))) continue;
    const kept = dropUnset(item, skip, at);
    if (kept !== undefined) defineValue(out, key, kept);
  }
  return out;
}

/** The layers deep-merged, each winning over the ones before it. */
export function mergeLayers(layers: readonly unknown[]): Record<string, unknown> {
  return layers.reduce<Record<string, unknown>>((base, top) => mergeValue(base, top, []) as Record<string, unknown>, {});
}

/** Deep merge of plain objects, `top` winning; a custom field mapping is replaced as a whole. */
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

/** The path of every value a layer sets. */
export function leafPaths(value: unknown, path: string[] = []): string[][] {
  if (!isPlainObject(value)) return [path];
  const entries = Object.entries(value);
  if (entries.length === 0) return [];
  return entries.flatMap(([key, item]) => leafPaths(item, [...path, key]));
}

/** One path is a prefix of the other. */
export function overlaps(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) if (String(a[index]) !== String(b[index])) return false;
  return true;
}

/** The variable that can supply a config path, e.g. `zephyr.projectKey` → ZTOQ_ZEPHYR_PROJECT. */
export function variableFor(configPath: string): string | undefined {
  return allSettings().find(({ setting }) => setting.config === configPath)?.setting.env;
}
