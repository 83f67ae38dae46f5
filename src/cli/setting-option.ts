/** The CLI flags of the settings manifest, as commander options. */
import { Option } from "commander";
import { type CommandName, forAction, type Setting, settings } from "../config/settings.js";

/** The setting's flag for `command`, with its choices and, when it takes a value, its default. */
export function settingOption(setting: Setting, command: CommandName): Option {
  const { flag } = setting;
  if (!flag?.commands.includes(command)) throw new Error(`settings.ts declares no ${command} flag for this setting`);
  const option = new Option(flag.flags, flag.help);
  if (setting.value.choices) option.choices(setting.value.choices);
  // A switch (`--dry-run`) is simply absent when not given; commander would print "(default: false)".
  // Defaults that differ per action have no meaning for `status` or `rollback`, which are no action.
  const fallback =
    setting.default === undefined || command === "status" || command === "rollback"
      ? undefined
      : forAction(setting.default, command);
  if (fallback !== undefined && option.required) option.default(fallback);
  return option;
}

/** `--wait-seconds`, read as its setting reads every source: a whole number in bounds, or one line naming the flag. */
export function waitSecondsFlag(raw: string | undefined): number | undefined {
  const name = settings.waitSeconds.flag.flags.split(" ")[0] ?? "--wait-seconds";
  return settings.waitSeconds.value.read(raw, { kind: "option", name });
}
