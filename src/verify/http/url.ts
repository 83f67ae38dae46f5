/** The URLs of a check: its two base URLs, checked once, and each request's path appended to them. */
import { BadInputError } from "../../errors.js";
import { redactUrl } from "../../http/errors.js";
import { REFERENCE } from "./env.js";

/**
 * The base URL without trailing slashes; `what` names the setting when it is not an http(s) URL.
 * `written` is the setting as the checks file has it, `${VAR}` references and all: messages quote it
 * (`describeWritten`), never `raw`, which holds the references' values.
 */
export function parseBaseUrl(raw: string, what: string, written: string = raw): URL {
  const shown = describeWritten(written);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadInputError(`${what} is not a URL: "${shown}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new BadInputError(`${what} must be an http or https URL, got "${shown}"`);
  }
  // fetch refuses user info in a URL, and a credential belongs in `headers`, where it is kept out of reports.
  if (url.username !== "" || url.password !== "") {
    throw new BadInputError(`${what} holds credentials; send them in the check's headers instead: "${shown}"`);
  }
  if (url.search !== "" || url.hash !== "") throw new BadInputError(`${what} must hold no query or fragment: "${shown}"`);
  return url;
}

/**
 * `path` (with its query) under `base`, keeping the base's own path: `http://h/api` + `/orders` → `http://h/api/orders`.
 * `shownBase` is how a message names the base (`describeWritten`).
 */
export function requestUrl(base: URL, path: string, what: string, shownBase: string = describeWritten(base.href)): string {
  const joined = `${base.href.replace(/\/+$/, "")}${path.startsWith("/") ? "" : "/"}${path}`;
  let url: URL;
  try {
    url = new URL(joined);
  } catch {
    throw new BadInputError(`${what}: path "${path}" does not make a URL`);
  }
  if (url.origin !== base.origin) throw new BadInputError(`${what}: path "${path}" leaves ${shownBase}`);
  return url.href;
}

/**
 * A base URL as the checks file writes it, for messages and the report: each `${VAR}` reference kept as
 * it is written (its value is a secret, wherever it stands: host, path or query), user info dropped and
 * secret-looking query values masked, no trailing slash. The references stand in as plain words while
 * the URL is read, so the parts around them are masked as in any URL.
 */
export function describeWritten(written: string): string {
  const names: string[] = [];
  const standIns = written.trim().replace(REFERENCE, (_, name: string) => `ztoqref${names.push(name) - 1}x`);
  return redactUrl(standIns)
    .replace(/\/+$/, "")
    .replace(/ztoqref(\d+)x/g, (_, index: string) => `\${${names[Number(index)] ?? ""}}`);
}
