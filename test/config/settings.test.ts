import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { registerMigrateCommand } from "../../src/cli/migrate-command.js";
import { registerStatusCommand } from "../../src/cli/status-command.js";
import { registerVerifyCommand } from "../../src/cli/verify-command.js";
import { configJsonSchema } from "../../src/config/json-schema.js";
import { allSettings, type CommandName, declaredDefault, settings } from "../../src/config/settings.js";
import { DEFAULT_FAIL_ON, METRICS, NOT_CARRIED } from "../../src/verify/fail-on.js";

/** The settings manifest is consistent, and the CLI's flags are the ones it declares. */

describe("the settings manifest", () => {
  it("names each input, variable and flag once", () => {
    const names = (pick: (s: ReturnType<typeof allSettings>[number]["setting"]) => string | undefined) =>
      allSettings().flatMap(({ setting }) => pick(setting) ?? []);
    for (const list of [names((s) => s.input?.name), names((s) => s.env), names((s) => s.flag?.flags)]) {
      expect(new Set(list).size).toBe(list.length);
    }
    for (const name of names((s) => s.env)) expect(name).toMatch(/^ZTOQ_[A-Z_]+$/);
  });

  it("keeps secrets and credentials out of the config file", () => {
    for (const { id, setting } of allSettings()) {
      if (setting.secret || setting.credential) expect(setting.config, id).toBeUndefined();
    }
  });

  it("names config paths the published JSON Schema has", () => {
    const schema = configJsonSchema();
    for (const { id, setting } of allSettings()) {
      if (setting.config === undefined) continue;
      const node = setting.config
        .split(".")
        .reduce<unknown>((at, key) => (at as { properties?: Record<string, unknown> } | undefined)?.properties?.[key], schema);
      expect(node, `${id}: ${setting.config}`).toBeDefined();
    }
  });

  it("words fail-on with the metrics and the default of src/verify/fail-on.ts", () => {
    expect(settings.failOn.description).toContain(`"${DEFAULT_FAIL_ON}" (the default`);
    expect(settings.failOn.flag.help).toContain(`(metrics: ${METRICS.join(", ")};`);
    expect(settings.failOn.flag.help).toContain(`${NOT_CARRIED} is not gated unless named`);
    expect(settings.failOn.flag.help).toContain(`Default: ${DEFAULT_FAIL_ON}`);
  });

  it("declares defaults its own value kinds accept", () => {
    for (const { id, setting } of allSettings()) {
      for (const action of setting.input?.actions ?? []) {
        const value = declaredDefault(setting, action);
        if (value === undefined || setting.input?.runnerDefault !== undefined) continue;
        expect(setting.value.read(value, { kind: "input", name: id }), `${id} (${action})`).not.toBeUndefined();
      }
    }
  });
});

describe("the CLI flags", () => {
  const program = new Command("ztoq");
  registerMigrateCommand(program, () => {});
  registerVerifyCommand(program, () => {});
  registerStatusCommand(program);
  const command = (name: CommandName) => program.commands.find((c) => c.name() === name) as Command;

  it.each([
    ["migrate", []],
    ["verify", []],
    ["status", ["--json"]],
  ] as const)("of %s are the manifest's (and %j)", (name, others) => {
    const declared = allSettings().flatMap(({ setting }) => (setting.flag?.commands.includes(name) ? [setting.flag.flags] : []));
    const flags = command(name).options.map((option) => option.flags);
    expect(flags.toSorted()).toEqual([...declared, ...others].toSorted());
  });

  it("carry the choices and defaults of the manifest", () => {
    const mode = command("migrate").options.find((option) => option.long === "--mode");
    expect(mode?.argChoices).toEqual(["full", "incremental"]);
    expect(mode?.defaultValue).toBe(settings.mode.default);
    const dryRun = command("migrate").options.find((option) => option.long === "--dry-run");
    expect(dryRun?.defaultValue).toBeUndefined();
    expect(command("verify").options.find((option) => option.long === "--fail-on")?.description).toBe(settings.failOn.flag.help);
  });
});
