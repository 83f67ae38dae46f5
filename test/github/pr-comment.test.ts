import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CommentContext, markerComment, upsertStickyComment } from "../../src/github/pr-comment.js";
import { type GitHubApi, startGitHubApi } from "../support/github-api.js";
import { captureStdout, commands, useEnv } from "./helpers.js";

const OWNER = "acme";
const REPO = "qa-migration";
const PR = 17;

function prContext(eventName = "pull_request"): CommentContext {
  return {
    eventName,
    payload: { number: PR, pull_request: { number: PR } },
    repo: { owner: OWNER, repo: REPO },
  };
}

describe("upsertStickyComment against the GitHub API stand-in", () => {
  const setEnv = useEnv();
  let api: GitHubApi;

  beforeEach(async () => {
    api = await startGitHubApi();
    // getOctokit's default base URL is fixed when @actions/github is imported; ours reads GITHUB_API_URL per call.
    setEnv({ GITHUB_API_URL: api.url });
  });
  afterEach(async () => {
    await api.stop();
  });

  async function upsert(body: string, context = prContext(), token = api.token, marker = "verify:default") {
    const out = captureStdout();
    try {
      const result = await upsertStickyComment({ token, marker, body, context });
      return { result, lines: out.lines() };
    } finally {
      out.restore();
    }
  }

  it("creates the comment, then updates the same one: one comment whose body is the second", async () => {
    api.seed(OWNER, REPO, PR, "LGTM");
    const first = await upsert("## Verification: failed\n3 missing");
    expect(first.result).toMatchObject({ action: "created" });
    const second = await upsert("## Verification: passed");
    expect(second.result).toEqual({ action: "updated", id: first.result.id });

    const mine = api.commentsOn(OWNER, REPO, PR).filter((c) => c.body.includes(markerComment("verify:default")));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.body).toBe("<!-- ztoq:verify:default -->\n## Verification: passed");
    expect(api.commentsOn(OWNER, REPO, PR)).toHaveLength(2);
    expect(api.requests.every((r) => r.authorization === `token ${api.token}`)).toBe(true);
  });

  it("works the same on pull_request_target and keeps markers apart", async () => {
    await upsert("default", prContext("pull_request_target"));
    const other = await upsert("shard 2", prContext(), api.token, "verify:shard-2");
    expect(other.result.action).toBe("created");
    expect(api.commentsOn(OWNER, REPO, PR).map((c) => c.body)).toEqual([
      "<!-- ztoq:verify:default -->\ndefault",
      "<!-- ztoq:verify:shard-2 -->\nshard 2",
    ]);
  });

  it("finds the marker comment on page 2", async () => {
    api.maxPerPage = 2;
    api.seed(OWNER, REPO, PR, "first");
    api.seed(OWNER, REPO, PR, "second");
    const sticky = api.seed(OWNER, REPO, PR, "<!-- ztoq:verify:default -->\nold result", "github-actions[bot]");
    api.seed(OWNER, REPO, PR, "fourth");

    const { result } = await upsert("new result");
    expect(result).toEqual({ action: "updated", id: sticky.id });
    expect(sticky.body).toBe("<!-- ztoq:verify:default -->\nnew result");
    expect(api.commentsOn(OWNER, REPO, PR)).toHaveLength(4);
    const pages = api.requests.filter((r) => r.method === "GET").map((r) => new URL(r.path, api.url).searchParams.get("page"));
    expect(pages).toEqual([null, "2"]);
  });

  it("skips outside a pull request event, without calling the API", async () => {
    const { result, lines } = await upsert("body", { ...prContext("push"), payload: {} });
    expect(result).toEqual({ action: "skipped", reason: "not a pull request event (push)" });
    expect(commands(lines, "warning")).toEqual([]);
    expect(api.requests).toEqual([]);
  });

  it("answers a read-only token (fork PR, 403) with a warning and skipped, never a throw", async () => {
    api.readOnly = true;
    const { result, lines } = await upsert("body");
    expect(result).toEqual({ action: "skipped", reason: "no permission (HTTP 403)" });
    const warnings = commands(lines, "warning");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("Resource not accessible by integration");
    expect(warnings[0]).toContain("pull-requests: write");
    expect(warnings[0]).toContain("workflow_run");
    expect(api.comments).toHaveLength(0);
  });

  it("answers a read-only token on update (403 on PATCH) the same way", async () => {
    const sticky = api.seed(OWNER, REPO, PR, "<!-- ztoq:verify:default -->\nold");
    api.readOnly = true;
    const { result } = await upsert("new");
    expect(result).toMatchObject({ action: "skipped", reason: "no permission (HTTP 403)" });
    expect(sticky.body).toBe("<!-- ztoq:verify:default -->\nold");
  });

  it("turns other API errors (bad credentials) into a warning and skipped", async () => {
    const { result, lines } = await upsert("body", prContext(), "wrong-token");
    expect(result).toEqual({ action: "skipped", reason: "HTTP 401" });
    expect(commands(lines, "warning").join("\n")).toContain("Bad credentials");
  });

  it("turns an unreachable API into a warning and skipped", async () => {
    await api.stop();
    const { result, lines } = await upsert("body");
    expect(result).toMatchObject({ action: "skipped" });
    expect(commands(lines, "warning")).toHaveLength(1);
    api = await startGitHubApi(); // for afterEach
  });

  it("skips with a warning when the token is empty", async () => {
    const { result, lines } = await upsert("body", prContext(), "");
    expect(result).toEqual({ action: "skipped", reason: "no token" });
    expect(commands(lines, "warning")).toHaveLength(1);
    expect(api.requests).toEqual([]);
  });

  it("truncates a body above GitHub's comment limit", async () => {
    const huge = Array.from({ length: 5000 }, (_, i) => `| TC-${i} | missing in target |`).join("\n");
    expect(huge.length).toBeGreaterThan(65_536);
    const { result } = await upsert(huge);
    expect(result.action).toBe("created");
    const body = api.comments[0]?.body ?? "";
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body.startsWith("<!-- ztoq:verify:default -->\n| TC-0 |")).toBe(true);
    expect(body).toContain("truncated");
  });
});

describe("markerComment", () => {
  it("is a hidden HTML comment that cannot be closed early", () => {
    expect(markerComment("verify:default")).toBe("<!-- ztoq:verify:default -->");
    expect(markerComment("a --> b")).toBe("<!-- ztoq:a_-__b -->");
    expect(markerComment("a --> b")).not.toMatch(/--.*--.*--/);
  });
});
