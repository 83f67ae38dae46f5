/** The URLs of a check: its two base URLs, checked once, and each request's path appended to them. */
import { BadInputError } from "../../errors.js";
import { redactUrl } from "../../http/errors.js";

/** The base URL without trailing slashes; `what` names the setting when it is not an http(s) URL. */
export function parseBaseUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BadInputError(`${what} is not a URL: "${redactUrl(raw)}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new BadInputError(`${what} must be an http or https URL, got "${redactUrl(raw)}"`);
  }
  // fetch refuses user info in a URL, and a credential belongs in `headers`, where it is kept out of reports.
  if (url.username !== "" || url.password !== "") {
    throw new BadInputError(`${what} holds credentials; send them in the check's headers instead: "${redactUrl(raw)}"`);
  }
  if (url.search !== "" || url.hash !== "")
    throw new BadInputError(`${what} must hold no query or fragment: "${redactUrl(raw)}"`);
  return url;
}

/** `path` (with its query) under `base`, keeping the base's own path: `http://h/api` + `/orders` → `http://h/api/orders`. */
export function requestUrl(base: URL, path: string, what: string): string {
  const joined = `${base.href.replace(/\/+$/, "")}${path.startsWith("/") ? "" : "/"}${path}`;
  let url: URL;
  try {
    url = new URL(joined);
  } catch {
    throw new BadInputError(`${what}: path "${path}" does not make a URL`);
  }
  if (url.origin !== base.origin) throw new BadInputError(`${what}: path "${path}" leaves ${base.origin}`);
  return url.href;
}

/** A base URL as the report shows it: no user info, no secret-looking query values, no trailing slash. */
export function describeBase(base: URL): string {
  return redactUrl(base.href).replace(/\/+$/, "");
}
