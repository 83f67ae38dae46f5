import * as core from "@actions/core";
import { context as actionsContext, getOctokit } from "@actions/github";
import { isPullRequest } from "./context.js";

/**
 * What the sticky comment needs from the workflow context. `@actions/github`'s `context` fits it;
 * note that `context` is built once when the module is imported (its `Context` class is not
 * exported), so tests and callers that know better pass their own.
 */
export interface CommentContext {
  eventName: string;
  payload: { pull_request?: { number: number } | undefined; number?: number | undefined };
  repo: { owner: string; repo: string };
}

export interface StickyCommentInput {
  /** `github-token` input (usually `${{ github.token }}`). */
  token: string;
  /** Identifies this comment among the PR's comments, e.g. `verify:default`. */
  marker: string;
  /** Markdown body; the hidden marker line is added in front of it. */
  body: string;
  /** Default: `@actions/github`'s `context`. */
  context?: CommentContext;
  /** REST API base. Default: `GITHUB_API_URL` read now, else https://api.github.com. */
  apiUrl?: string;
  /** Update the comment if there is one, but create none (a passing verdict on a quiet PR). */
  onlyUpdate?: boolean;
}

export interface StickyCommentResult {
  action: "created" | "updated" | "skipped";
  id?: number;
  reason?: string;
}

/** GitHub refuses issue comments longer than this many characters. */
export const COMMENT_LIMIT_CHARS = 65_536;
const TRUNCATED_NOTE = "\n\n> **Note:** truncated to fit GitHub's comment size limit; the full report is in the run's artifact.";

/** The hidden HTML comment that identifies a sticky comment. */
export function markerComment(marker: string): string {
  // `--` cannot appear inside an HTML comment; keep the marker to a safe alphabet.
  const safe = marker.replace(/[^A-Za-z0-9_.:/-]/g, "_").replace(/-{2,}/g, "-");
  return `<!-- ztoq:${safe} -->`;
}

/**
 * Creates or updates the one comment on the current pull request that carries `marker`.
 * Never throws: outside a pull-request event, without a token, without permission (fork pull
 * requests get a read-only token) or on any API error, it returns `skipped` with a reason (and a
 * warning when something went wrong), because a comment must never fail the gate.
 */
export async function upsertStickyComment(input: StickyCommentInput): Promise<StickyCommentResult> {
  const ctx = input.context ?? actionsContext;
  if (!isPullRequest(ctx.eventName)) {
    return skipped(`not a pull request event (${ctx.eventName || "none"})`);
  }
  const issueNumber = ctx.payload.pull_request?.number ?? ctx.payload.number;
  if (typeof issueNumber !== "number") {
    core.warning("Not commenting: the event payload carries no pull request number.");
    return skipped("no pull request number in the event payload");
  }
  if (!input.token) {
    core.warning("Not commenting on the pull request: no GitHub token (set the `github-token` input).");
    return skipped("no token");
  }
  let owner: string;
  let repo: string;
  try {
    ({ owner, repo } = ctx.repo);
  } catch (error) {
    core.warning(`Not commenting on the pull request: ${message(error)}`);
    return skipped("repository unknown");
  }

  const hidden = markerComment(input.marker);
  const body = limitBody(`${hidden}\n${input.body}`);
  const baseUrl = input.apiUrl ?? (process.env.GITHUB_API_URL || "https://api.github.com");
  try {
    const octokit = getOctokit(input.token, { baseUrl });
    let existing: number | undefined;
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    });
    for await (const page of pages) {
      existing = page.data.find((comment) => comment.body?.includes(hidden))?.id;
      if (existing !== undefined) break;
    }
    if (existing !== undefined) {
      const updated = await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing, body });
      core.info(`Updated pull request comment ${updated.data.html_url}`);
      return { action: "updated", id: updated.data.id };
    }
    if (input.onlyUpdate) return skipped("nothing to update, and nothing worth a new comment");
    const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    core.info(`Created pull request comment ${created.data.html_url}`);
    return { action: "created", id: created.data.id };
  } catch (error) {
    const status = httpStatus(error);
    if (status === 403 || status === 404) {
      core.warning(
        `Could not comment on pull request #${issueNumber} (HTTP ${status}: ${message(error)}). ` +
          "The job needs `permissions: pull-requests: write`. Pull requests from forks always get a read-only token, " +
          "so for those upload the report as an artifact and post the comment from a separate workflow triggered by " +
          "`workflow_run`. The verification result itself is unaffected.",
      );
      return skipped(`no permission (HTTP ${status})`);
    }
    core.warning(`Could not comment on pull request #${issueNumber}: ${message(error)}. The verification result is unaffected.`);
    return skipped(status === undefined ? "error" : `HTTP ${status}`);
  }
}

function skipped(reason: string): StickyCommentResult {
  core.debug(`Pull request comment skipped: ${reason}`);
  return { action: "skipped", reason };
}

function limitBody(body: string): string {
  if (body.length <= COMMENT_LIMIT_CHARS) return body;
  let head = body.slice(0, COMMENT_LIMIT_CHARS - TRUNCATED_NOTE.length);
  const lastBreak = head.lastIndexOf("\n");
  if (lastBreak > 0) head = head.slice(0, lastBreak);
  return `${head}${TRUNCATED_NOTE}`;
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number") return error.status;
  return undefined;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
