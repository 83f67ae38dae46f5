/**
 * Jira Cloud REST v3 client (optional): resolves the issue ids that Zephyr's links carry to keys and
 * summaries, in bulk, through the shared request layer (its own host gate, timeouts, retries).
 * docs/api-notes.md J holds the facts it relies on.
 */
import type { Logger } from "pino";
import type { ResolvedConfig } from "../config/load.js";
import { BadInputError } from "../errors.js";
import { ApiError, parseResponse, UnexpectedResponseError } from "../http/errors.js";
import { configuredPacing, type PacingOptions, pacedHttpOptions } from "../http/pacing.js";
import { HttpClient } from "../http/request.js";
import type { HttpStats } from "../http/stats.js";
import { type SearchJqlBody, searchJqlPageSchema } from "./schemas.js";

export interface JiraIssueRef {
  id: string;
  key: string;
  summary: string;
}

export interface JiraClientOptions extends PacingOptions {
  /** The site, e.g. `https://example.atlassian.net` (the API lives under `/rest/api/3`). */
  baseUrl: string;
  /** The Atlassian account e-mail and API token, sent as HTTP basic auth. */
  email: string;
  token: string;
}

/** Ids per JQL query: ZTOQ's own bound, which keeps the JQL short; Jira documents no limit on `id in (…)`. */
export const JIRA_ID_CHUNK = 100;
const SEARCH_PATH = "/rest/api/3/search/jql";

export class JiraClient {
  /** The client a run uses, or undefined when the configuration names no Jira. */
  static fromConfig(config: Pick<ResolvedConfig, "jira" | "migration">, logger: Logger): JiraClient | undefined {
    const jira = config.jira;
    if (!jira) return undefined;
    return new JiraClient({
      baseUrl: jira.url,
      email: jira.auth.email,
      token: jira.auth.token,
      ...configuredPacing(jira, config.migration, logger),
    });
  }

  readonly #http: HttpClient;

  constructor(options: JiraClientOptions) {
    const basic = Buffer.from(`${options.email}:${options.token}`).toString("base64");
    this.#http = new HttpClient({ ...pacedHttpOptions(options.baseUrl, options), headers: { authorization: `Basic ${basic}` } });
  }

  /** A copy of the request counters so far. */
  stats(): HttpStats {
    return { ...this.#http.stats };
  }

  /**
   * The issues of `ids` that Jira returns, by id: `POST /rest/api/3/search/jql` with `id in (…)` for
   * at most 100 ids at a time, each query read to its last page. An id Jira does not return (deleted,
   * not visible to the account, not a number) is absent from the map.
   */
  async issues(ids: readonly string[]): Promise<Map<string, JiraIssueRef>> {
    const wanted = [...new Set(ids.map((id) => id.trim()).filter((id) => /^\d+$/.test(id)))];
    const found = new Map<string, JiraIssueRef>();
    for (let start = 0; start < wanted.length; start += JIRA_ID_CHUNK) {
      await this.#resolve(wanted.slice(start, start + JIRA_ID_CHUNK), found);
    }
    return found;
  }

  /**
   * One query's ids into `found`. Jira Data Center answers a JQL naming an issue that does not exist
   * with 400 for the whole query (docs/api-notes.md J2); should Cloud ever do so, the ids are split in
   * halves until the one at fault stands alone, unresolved, and the others still resolve.
   */
  async #resolve(ids: readonly string[], found: Map<string, JiraIssueRef>): Promise<void> {
    try {
      for await (const issue of this.#search(`id in (${ids.join(", ")})`)) found.set(issue.id, issue);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 400)) throw error;
      if (ids.length === 1) return;
      const half = Math.ceil(ids.length / 2);
      await this.#resolve(ids.slice(0, half), found);
      await this.#resolve(ids.slice(half), found);
    }
  }

  /** Every issue a JQL query matches, page by page until `nextPageToken` is absent or `isLast`. */
  async *#search(jql: string): AsyncGenerator<JiraIssueRef> {
    let nextPageToken: string | undefined;
    for (;;) {
      const body: SearchJqlBody = { jql, fields: ["summary"], maxResults: JIRA_ID_CHUNK, nextPageToken };
      const page = await this.#post(body);
      for (const issue of page.issues) yield { id: issue.id, key: issue.key, summary: issue.fields?.summary ?? "" };
      const next = page.nextPageToken ?? undefined;
      if (next === undefined || page.isLast === true) return;
      // A token that does not move would be read forever.
      if (next === nextPageToken)
        throw new UnexpectedResponseError("POST", this.#http.url(SEARCH_PATH), "the same nextPageToken twice");
      nextPageToken = next;
    }
  }

  /** The search is a read, so it is retried like a GET (5xx, 408, timeouts, dropped connections, 429). */
  async #post(body: SearchJqlBody) {
    try {
      const response = await this.#http.request("POST", SEARCH_PATH, { json: body, idempotent: true });
      return parseResponse(searchJqlPageSchema, response.json(), "POST", response.url);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
        throw new BadInputError(
          `Jira rejected the e-mail and API token (HTTP ${error.status}) at ${this.#http.baseUrl}: check jira.url, ZTOQ_JIRA_EMAIL and ZTOQ_JIRA_TOKEN`,
        );
      }
      throw error;
    }
  }
}
