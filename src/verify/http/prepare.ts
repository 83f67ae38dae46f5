/**
 * Everything about a check that can be wrong before a request is sent, found before one is: the base
 * URLs, the request list, every request's URL, the environment variables the headers refer to. A
 * mistake is a `BadInputError` naming the check and the setting; nothing is sent until all is well.
 */
import { BadInputError } from "../../errors.js";
import type { CheckContext } from "../checks/check-kind.js";
import { expandEnv } from "./env.js";
import { compileJsonRules } from "./json-compare.js";
import { headerSecrets, Redactor } from "./redact.js";
import { loadRequests } from "./requests.js";
import type { ResponseRules } from "./response-compare.js";
import type { HttpCheckSettings, HttpRequestSpec } from "./settings.js";
import { describeWritten, parseBaseUrl, requestUrl } from "./url.js";

export interface PreparedRequest {
  id: string;
  method: string;
  /** Lower-case names; the check's headers overlaid by the request's own. */
  headers: Record<string, string>;
  body: string | undefined;
  sourceUrl: string;
  targetUrl: string;
}

export interface PreparedCheck {
  source: URL;
  target: URL;
  /** The base URLs as the checks file writes them, for the report and messages (`describeWritten`). */
  shown: { source: string; target: string };
  requests: PreparedRequest[];
  rules: ResponseRules;
  redactor: Redactor;
}

export async function prepareHttpCheck(
  settings: HttpCheckSettings,
  context: Pick<CheckContext, "name" | "baseDir">,
  env: Readonly<Record<string, string | undefined>>,
): Promise<PreparedCheck> {
  const what = `check "${context.name}"`;
  const secrets: string[] = [];
  // A ${VAR} in a base URL is as secret as one in a header: its value is redacted from every finding,
  // and messages and the report show the URL as written.
  const base = (side: "source" | "target") => {
    const expanded = expandEnv(settings[side], env, `${what}: ${side}`);
    secrets.push(...expanded.secrets);
    return parseBaseUrl(expanded.value, `${what}: ${side}`, settings[side]);
  };
  const source = base("source");
  const target = base("target");
  const shown = { source: describeWritten(settings.source), target: describeWritten(settings.target) };

  const expandHeaders = (headers: Record<string, string> | undefined, where: string) => {
    const out: Record<string, string> = {};
    for (const [name, raw] of Object.entries(headers ?? {})) {
      const expanded = expandEnv(raw, env, `${where} header "${name}"`);
      out[name.toLowerCase()] = expanded.value;
      secrets.push(...headerSecrets(name, expanded.value, expanded.secrets));
    }
    return out;
  };
  const common = expandHeaders(settings.headers, `${what}:`);

  const specs = await loadRequests(settings.requests, context.baseDir, what);
  const requests = specs.map((spec): PreparedRequest => {
    const where = `${what}, request "${spec.id}"`;
    if (spec.body !== undefined && (spec.method === "GET" || spec.method === "HEAD")) {
      throw new BadInputError(`${where}: a ${spec.method} request cannot carry a body`);
    }
    const headers = { "user-agent": "ztoq", ...common, ...expandHeaders(spec.headers, `${where}:`) };
    return {
      id: spec.id,
      method: spec.method,
      headers,
      body: requestBody(spec, headers),
      sourceUrl: requestUrl(source, spec.path, where, shown.source),
      targetUrl: requestUrl(target, spec.path, where, shown.target),
    };
  });

  return {
    source,
    target,
    shown,
    requests,
    rules: { compareHeaders: settings.compareHeaders, json: compileJsonRules(settings.ignore, settings.arrayKeys) },
    redactor: new Redactor(secrets),
  };
}

/** A string body goes as it is; anything else as JSON, declared so unless the request says otherwise. */
function requestBody(spec: HttpRequestSpec, headers: Record<string, string>): string | undefined {
  if (spec.body === undefined) return undefined;
  if (typeof spec.body === "string") return spec.body;
  headers["content-type"] ??= "application/json";
  return JSON.stringify(spec.body);
}
