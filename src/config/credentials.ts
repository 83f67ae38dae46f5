/**
 * The credentials: never in the config file, each taken from the overrides (flags, action inputs)
 * before the environment, and checked for completeness with a message naming what to set.
 */
import { BadInputError } from "../errors.js";
import type { QTestAuth } from "../qtest/auth.js";
import { settings } from "./settings.js";

/** The credentials one source gave, cleaned (see each setting's value kind); unset ones undefined. */
export interface Credentials {
  zephyrToken?: string | undefined;
  qtestToken?: string | undefined;
  qtestUsername?: string | undefined;
  qtestPassword?: string | undefined;
}

export const credentialIds = ["zephyrToken", "qtestToken", "qtestUsername", "qtestPassword"] as const;

const { zephyrToken, qtestToken, qtestUsername, qtestPassword } = settings;

/** `ZTOQ_QTEST_TOKEN (or the qtest-token input)`. */
function whereToSet(setting: { env: string; input: { name: string } }): string {
  return `${setting.env} (or the ${setting.input.name} input)`;
}

export function resolveZephyrToken(overrides: Credentials, env: Credentials): string {
  const token = overrides.zephyrToken ?? env.zephyrToken;
  if (token === undefined) throw new BadInputError(`No Zephyr token: set ${whereToSet(zephyrToken)}`);
  return token;
}

/** A token wins over a username and password; each value by the usual precedence. */
export function resolveQTestAuth(overrides: Credentials, env: Credentials): QTestAuth {
  const token = overrides.qtestToken ?? env.qtestToken;
  if (token !== undefined) return { kind: "token", token };
  const username = overrides.qtestUsername ?? env.qtestUsername;
  const password = overrides.qtestPassword ?? env.qtestPassword;
  if (username !== undefined && password !== undefined) return { kind: "password", username, password };
  if (username !== undefined) {
    throw new BadInputError(
      `A qTest username is set but no password: set ${whereToSet(qtestPassword)}, or use ${qtestToken.env} instead`,
    );
  }
  if (password !== undefined) {
    throw new BadInputError(
      `A qTest password is set but no username: set ${whereToSet(qtestUsername)}, or use ${qtestToken.env} instead`,
    );
  }
  throw new BadInputError(
    `No qTest credentials: set ${whereToSet(qtestToken)}, or ${qtestUsername.env} and ${qtestPassword.env} (or the ${qtestUsername.input.name} and ${qtestPassword.input.name} inputs)`,
  );
}
