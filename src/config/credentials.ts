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
  jiraEmail?: string | undefined;
  jiraToken?: string | undefined;
}

/** Basic-auth credentials of a Jira Cloud account (`e-mail:API token`). */
export interface JiraAuth {
  email: string;
  token: string;
}

export const credentialIds = ["zephyrToken", "qtestToken", "qtestUsername", "qtestPassword", "jiraEmail", "jiraToken"] as const;

const { zephyrToken, qtestToken, qtestUsername, qtestPassword, jiraUrl, jiraEmail, jiraToken } = settings;

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

/**
 * Jira is optional: no URL and no credentials is no Jira. A URL needs both the e-mail and the token;
 * credentials without a URL are a mistake worth naming rather than a setting silently unused.
 */
export function resolveJiraAuth(url: string | undefined, overrides: Credentials, env: Credentials): JiraAuth | undefined {
  const email = overrides.jiraEmail ?? env.jiraEmail;
  const token = overrides.jiraToken ?? env.jiraToken;
  if (url === undefined) {
    if (email === undefined && token === undefined) return undefined;
    throw new BadInputError(
      `Jira credentials are set but no Jira URL: set jira.url in the config file or ${whereToSet(jiraUrl)}, or unset ${jiraEmail.env} and ${jiraToken.env}`,
    );
  }
  if (email !== undefined && token !== undefined) return { email, token };
  const missing = [
    email === undefined ? whereToSet(jiraEmail) : undefined,
    token === undefined ? whereToSet(jiraToken) : undefined,
  ]
    .filter((m) => m !== undefined)
    .join(" and ");
  throw new BadInputError(`jira.url is set but Jira has no credentials: set ${missing}`);
}
