import { describe, expect, it } from "vitest";
import { artifactUrl, inActions, isPullRequest } from "../../src/github/context.js";
import { useEnv } from "./helpers.js";

describe("context helpers", () => {
  const setEnv = useEnv();

  it("inActions reads GITHUB_ACTIONS at call time", () => {
    setEnv({ GITHUB_ACTIONS: undefined });
    expect(inActions()).toBe(false);
    setEnv({ GITHUB_ACTIONS: "true" });
    expect(inActions()).toBe(true);
    expect(inActions({ GITHUB_ACTIONS: "1" })).toBe(false);
  });

  it("isPullRequest accepts pull_request and pull_request_target only", () => {
    expect(isPullRequest("pull_request")).toBe(true);
    expect(isPullRequest("pull_request_target")).toBe(true);
    expect(isPullRequest("push")).toBe(false);
    expect(isPullRequest("workflow_run")).toBe(false);
    setEnv({ GITHUB_EVENT_NAME: "pull_request" });
    expect(isPullRequest()).toBe(true);
    setEnv({ GITHUB_EVENT_NAME: undefined });
    expect(isPullRequest()).toBe(false);
  });

  it("artifactUrl links to the run's artifact", () => {
    setEnv({ GITHUB_SERVER_URL: "https://github.com/", GITHUB_REPOSITORY: "acme/qa", GITHUB_RUN_ID: "123456" });
    expect(artifactUrl(42)).toBe("https://github.com/acme/qa/actions/runs/123456/artifacts/42");
    expect(artifactUrl(7, { GITHUB_SERVER_URL: "https://acme.ghe.com", GITHUB_REPOSITORY: "a/b", GITHUB_RUN_ID: "9" })).toBe(
      "https://acme.ghe.com/a/b/actions/runs/9/artifacts/7",
    );
    expect(artifactUrl(7, {})).toBeUndefined();
  });
});
