import { access } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BadInputError } from "../../errors.js";
import type { CheckContext, CheckOutcome } from "../checks/check-kind.js";
import { Findings } from "../checks/findings.js";
import { type ScriptCheckApi, scriptApi } from "./api.js";
import type { ScriptCheckSettings } from "./settings.js";

/** What a script module exports: its check, as its default export. */
type ScriptCheck = (api: ScriptCheckApi) => unknown;

/**
 * Runs a check written in TypeScript or JavaScript: its module is imported (Node runs TypeScript by
 * stripping its types, so a `.ts` file needs no build step) and its default export called with the
 * helpers. What it finds lands in the report and the gate like any built-in check's.
 */
export async function runScriptCheck(settings: ScriptCheckSettings, context: CheckContext): Promise<CheckOutcome> {
  const path = resolve(context.baseDir, settings.module);
  try {
    await access(path);
  } catch {
    throw new BadInputError(`check '${context.name}': module ${settings.module} not found (resolved to ${path})`);
  }
  let check: unknown;
  try {
    check = ((await import(pathToFileURL(path).href)) as { default?: unknown }).default;
  } catch (error) {
    throw new BadInputError(`check '${context.name}': module ${settings.module} cannot be loaded: ${firstLine(error)}`);
  }
  if (typeof check !== "function") {
    throw new BadInputError(`check '${context.name}': module ${settings.module} has no default export function (the check)`);
  }
  const findings = new Findings();
  const { api, counts, descriptions } = scriptApi(findings, { options: settings.options ?? {}, baseDir: context.baseDir });
  try {
    await (check as ScriptCheck)(api);
  } catch (error) {
    // A check that throws did not finish: its verdict cannot be trusted either way.
    throw new BadInputError(`check '${context.name}': ${settings.module} threw: ${firstLine(error)}`);
  }
  return {
    source: { description: descriptions.source, count: counts.source },
    target: { description: descriptions.target, count: counts.target },
    findings,
    method: "script",
    exhaustive: true,
    normalization: { module: settings.module },
    unit: "items",
  };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}
