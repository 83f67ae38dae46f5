/**
 * `${VAR}` references in a check's settings, expanded from the environment, so a checks file can be
 * committed without the credentials it uses. The values that came from the environment are kept
 * apart: they are secrets, and redact.ts keeps them out of everything the check reports.
 */
import { BadInputError } from "../../errors.js";

export const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface Expanded {
  value: string;
  /** The environment values that went into `value`. */
  secrets: string[];
}

/** `text` with every `${VAR}` replaced; `where` names the setting in the error when a variable is not set. */
export function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>, where: string): Expanded {
  const secrets: string[] = [];
  const value = text.replace(REFERENCE, (_, name: string) => {
    const found = env[name];
    if (found === undefined) throw new BadInputError(`${where} refers to \${${name}}, which is not set in the environment`);
    secrets.push(found);
    return found;
  });
  return { value, secrets };
}
