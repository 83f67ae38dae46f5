import * as core from "@actions/core";
import type { ConfigOverrides } from "../config/load.js";
import { type ActionName, allSettings, forAction, type Setting, settings } from "../config/settings.js";
import { setPath } from "../config/values.js";

/**
 * Reads an action's inputs as the settings manifest (`src/config/settings.ts`) declares them. An input
 * wins over `ZTOQ_*` variables, which win over the config file; an input left empty means "not
 * given", so action.yml declares no defaults for the connection inputs and the product's own apply.
 */

/** An input's value; undefined when it is empty. Throws `BadInputError` naming the input. */
export function inputValue<T>(setting: Setting<T>): T | undefined {
  const name = inputName(setting);
  return setting.value.read(core.getInput(name), { kind: "input", name });
}

/** An input's value, or the manifest's default for this action when it is empty. */
export function inputOrDefault<T>(setting: Setting<T>, action: ActionName): T {
  const given = inputValue(setting);
  if (given !== undefined) return given;
  const name = inputName(setting);
  const fallback =
    setting.default === undefined ? undefined : setting.value.read(forAction(setting.default, action), { kind: "input", name });
  if (fallback === undefined) throw new Error(`settings.ts declares no default for the input ${name}`);
  return fallback;
}

/**
 * The inputs that feed the config loader, as overrides and the config file's path. Secrets are
 * masked first, so that no later message or log line can show one.
 */
export function connectionInputs(action: ActionName): { configPath: string | undefined; overrides: ConfigOverrides } {
  const inputs = allSettings().filter(({ setting }) => setting.input?.actions.includes(action));
  for (const { setting } of inputs) {
    if (!setting.secret) continue;
    const value = core.getInput(inputName(setting));
    if (value) core.setSecret(value);
  }
  const overrides: Record<string, unknown> = {};
  for (const { setting } of inputs) {
    const path = setting.config ?? setting.credential;
    if (path === undefined) continue;
    const value = inputValue(setting);
    if (value !== undefined) setPath(overrides, path, value);
  }
  return { configPath: inputValue(settings.config), overrides: overrides as ConfigOverrides };
}

function inputName(setting: Setting): string {
  if (!setting.input) throw new Error("settings.ts declares no action input for this setting");
  return setting.input.name;
}
