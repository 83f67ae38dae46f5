import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { type ActionName, allSettings, declaredDefault, forAction } from "../../src/config/settings.js";

/** Both action.yml files declare exactly the inputs of the settings manifest, as it words them. */

const root = join(import.meta.dirname, "..", "..");

interface ActionYml {
  inputs: Record<string, { description?: unknown; required?: unknown; default?: unknown }>;
  runs: { using?: unknown; main?: unknown };
}

const actions: { action: ActionName; file: string; main: string }[] = [
  { action: "migrate", file: "action.yml", main: "dist/migrate.js" },
  { action: "verify", file: "verify/action.yml", main: "../dist/verify.js" },
];

describe.each(actions)("$file", ({ action, file, main }) => {
  const yml = YAML.parse(readFileSync(join(root, file), "utf8")) as ActionYml;
  const expected = allSettings().flatMap(({ setting }) =>
    setting.input?.actions.includes(action)
      ? [
          {
            name: setting.input.name,
            description: forAction(setting.description, action),
            required: setting.input.required ?? false,
            default: declaredDefault(setting, action),
          },
        ]
      : [],
  );

  it(`declares the ${action} inputs of the manifest, no more and no fewer, in its order`, () => {
    expect(Object.keys(yml.inputs)).toEqual(expected.map((input) => input.name));
  });

  it.each(expected)("declares $name with the manifest's description, required flag and default", (input) => {
    const declared = yml.inputs[input.name];
    expect(declared?.description).toBe(input.description);
    expect(declared?.required).toBe(input.required);
    expect(declared?.default).toBe(input.default);
  });

  it(`runs on node24 from ${main}`, () => {
    expect(yml.runs).toEqual({ using: "node24", main });
  });
});
