/**
 * Secrets never go in the config file: it is committed. A key that names a secret anywhere in the
 * file, or a state URL holding a password, stops the run before anything else is read from it.
 */
import { BadInputError } from "../errors.js";
import { settings } from "./settings.js";
import { isPlainObject } from "./values.js";

const secretNames = new Set(["token", "password", "passwd", "secret", "apitoken", "accesstoken", "apikey"]);

/** A key that names a secret: `token`, `apiToken`, `access_token`, `password`, `clientSecret`, … */
function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_]/g, "");
  return secretNames.has(normalized) || /(token|password|secret)$/.test(normalized);
}

/**
 * Keys at these positions are source values (a Zephyr status, a custom field name, an accountId),
 * not settings: a Zephyr custom field may well be called "Token".
 */
function keysAreData(path: readonly string[]): boolean {
  const [section, part, name, sub] = path;
  if (section !== "mapping") return false;
  if (path.length === 2) return ["priorities", "environments", "users", "customFields"].includes(part ?? "");
  if (path.length === 3) return part === "statuses";
  return path.length === 4 && part === "customFields" && name !== undefined && sub === "values";
}

const { zephyrToken, qtestToken, qtestUsername, qtestPassword, state } = settings;

const secretAdvice =
  `secrets must not be in the config file; remove it and set ${zephyrToken.env}, ${qtestToken.env} ` +
  `or ${qtestUsername.env} + ${qtestPassword.env} (or the action inputs ${[zephyrToken, qtestToken, qtestUsername, qtestPassword].map((s) => s.input.name).join(", ")})`;

/** Throws when the parsed file holds a secret; `display` names the file. The value is never quoted. */
export function rejectSecrets(raw: Record<string, unknown>, display: string): void {
  const found = findSecretKey(raw, []);
  if (found) throw new BadInputError(`${display}: ${found.join(".")}: ${secretAdvice}`);
  const location = raw.state;
  if (typeof location === "string" && urlHoldsPassword(location)) {
    throw new BadInputError(
      `${display}: state: the URL holds a password, and secrets must not be in the config file; set ${state.env} (or the ${state.input.name} input) instead`,
    );
  }
}

function findSecretKey(value: unknown, path: string[]): string[] | undefined {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findSecretKey(item, [...path, String(index)]);
      if (found) return found;
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  const data = keysAreData(path);
  for (const [key, item] of Object.entries(value)) {
    if (!data && isSecretKey(key)) return [...path, key];
    const found = findSecretKey(item, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

function urlHoldsPassword(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.password !== "" || url.searchParams.has("password");
}
