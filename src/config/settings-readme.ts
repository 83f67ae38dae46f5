/**
 * The README's tables of action inputs and environment variables, generated from the settings
 * manifest. `test/config/readme-settings.test.ts` keeps the README equal to them; `npm run readme`
 * rewrites the sections between the marker comments.
 */
import { type ActionName, allSettings, declaredDefault, forAction, type Setting } from "./settings.js";

const actions: readonly ActionName[] = ["migrate", "verify"];

/** Every action input: which actions take it, its variable, its default and what it does. */
export function inputsTable(): string {
  const rows = allSettings()
    .filter(({ setting }) => setting.input !== undefined)
    .map(({ setting }) => {
      const input = setting.input as NonNullable<Setting["input"]>;
      const taken = actions.filter((action) => input.actions.includes(action));
      return [
        code(input.name),
        taken.length === actions.length ? "both" : taken.join(", "),
        setting.env ? code(setting.env) : "",
        perAction(taken, (action) => {
          const value = declaredDefault(setting, action);
          return value === undefined ? undefined : code(value);
        }),
        perAction(taken, (action) => forAction(setting.description, action)),
      ];
    });
  return table(["input", "actions", "variable", "default", "meaning"], rows);
}

/** Every `ZTOQ_*` variable: where else the same setting can be given, and what it does. */
export function environmentTable(): string {
  const rows = allSettings()
    .filter(({ setting }) => setting.env !== undefined)
    .map(({ setting }) => [
      code(setting.env ?? ""),
      fileColumn(setting),
      setting.input ? code(setting.input.name) : "",
      setting.flag ? `${code(flagSyntax(setting.flag.flags))} (${setting.flag.commands.join(", ")})` : "",
      forAction(setting.description, "migrate"),
    ]);
  return table(["variable", "config file", "input", "flag", "meaning"], rows);
}

function fileColumn(setting: Setting): string {
  if (setting.config !== undefined) return code(setting.config);
  if (setting.secret) return "never: a secret";
  if (setting.credential !== undefined) return "never: a credential";
  if (setting.flag?.flags.includes("--config")) return "never: it names the file";
  // The log settings: logs start before the file is read.
  return "never: flag or variable only";
}

/** `-c, --config <file>` as the README writes flags: `-c, --config FILE`. */
function flagSyntax(flags: string): string {
  return flags.replace(/<([^>]+)>/g, (_, name: string) => name.toUpperCase());
}

/** One cell for the actions that take a setting; each action named when they differ. */
function perAction(taken: readonly ActionName[], cell: (action: ActionName) => string | undefined): string {
  const values = taken.map((action) => ({ action, value: cell(action) }));
  const distinct = new Set(values.map(({ value }) => value));
  if (distinct.size === 1) return values[0]?.value ?? "";
  return values
    .filter(({ value }) => value !== undefined)
    .map(({ action, value }) => `${action}: ${value}`)
    .join("<br>");
}

function code(text: string): string {
  return `\`${text}\``;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(header), `|${header.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}

/** The README sections these tables fill, by marker name. */
export const readmeSections = { "settings:inputs": inputsTable, "settings:environment": environmentTable } as const;

/**
 * `text` with each section between `<!-- BEGIN name … -->` and `<!-- END name -->` replaced by its
 * table; throws when a marker is missing, so a section cannot silently stop being generated.
 */
export function withGeneratedSections(text: string): string {
  let out = text;
  for (const [name, render] of Object.entries(readmeSections)) {
    const begin = `<!-- BEGIN ${name} (generated from src/config/settings.ts: npm run readme) -->`;
    const end = `<!-- END ${name} -->`;
    const from = out.indexOf(begin);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md lacks the markers ${begin} … ${end}`);
    out = `${out.slice(0, from + begin.length)}\n${render()}\n${out.slice(to)}`;
  }
  return out;
}
