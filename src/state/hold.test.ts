import { describe, expect, it } from "vitest";
import {
  conflicts,
  deadReason,
  describeHold,
  describeProject,
  type Hold,
  projectOf,
  sameProject,
  siteUrl,
  workflowRunOf,
} from "./hold.js";

const hold: Hold = {
  holder: "20250101T000000-abc123",
  command: "migrate",
  shard: null,
  host: "ci-7",
  pid: 4242,
  scope: "boot-1/pid:[1]",
  workflow: null,
  since: "2025-01-01T00:00:00.000Z",
  heartbeatAt: "2025-01-01T00:00:30.000Z",
  stale: false,
};

describe("conflicts", () => {
  it("lets only two shards hold together", () => {
    expect(conflicts({ shard: "1/2" }, { shard: "2/2" })).toBe(false);
    expect(conflicts({ shard: "1/2" }, { shard: "1/2" })).toBe(false);
    expect(conflicts({ shard: null }, { shard: "2/2" })).toBe(true);
    expect(conflicts({ shard: "1/2" }, { shard: null })).toBe(true);
    expect(conflicts({ shard: null }, { shard: null })).toBe(true);
  });
});

describe("deadReason", () => {
  const here = { host: "ci-7", scope: "boot-1/pid:[1]", alive: (pid: number) => pid !== 4242 };
  const server = { staleMs: 60_000, local: false };
  const file = { staleMs: 60_000, local: true };

  it("judges a holder of this machine whose process is gone dead at once", () => {
    expect(deadReason(hold, here, server)).toBe("its process 4242 on ci-7 is gone");
    expect(deadReason(hold, here, file)).toBe("its process 4242 on ci-7 is gone");
    expect(deadReason({ ...hold, pid: 4243 }, here, server)).toBeUndefined();
  });

  it("asks nothing of a pid of another machine, another pid namespace or another boot", () => {
    expect(deadReason({ ...hold, host: "laptop" }, here, server)).toBeUndefined();
    expect(deadReason({ ...hold, scope: "boot-1/pid:[2]" }, here, server)).toBeUndefined();
    expect(deadReason({ ...hold, scope: "boot-2/pid:[1]" }, here, server)).toBeUndefined();
    // Where the system says nothing of scopes, the host name alone decides.
    expect(deadReason({ ...hold, scope: null }, here, server)).toMatch(/is gone/);
    expect(deadReason(hold, { ...here, scope: null }, server)).toMatch(/is gone/);
  });

  it("judges a stale heartbeat dead anywhere, a pid of this machine taken by another process too", () => {
    expect(deadReason({ ...hold, host: "laptop", stale: true }, here, server)).toBe("it has given no sign of life for over 60 s");
    expect(deadReason({ ...hold, pid: 1, stale: true }, here, { ...server, staleMs: 90_000 })).toMatch(/over 90 s/);
    expect(deadReason({ ...hold, pid: 1 }, here, server)).toBeUndefined();
  });

  it("judges a hold in a state file recorded under another boot dead at once: its file was carried here", () => {
    expect(deadReason({ ...hold, host: "runner-3", scope: "boot-9/pid:[1]" }, here, file)).toBe(
      "it was recorded on another machine or before this one restarted (host runner-3), and a state file is only worked on where it lies",
    );
    expect(deadReason({ ...hold, scope: "boot-0/pid:[1]" }, here, file)).toMatch(/before this one restarted/);
    expect(deadReason({ ...hold, host: "runner-3", scope: null }, here, file)).toBe(
      "it was recorded on another machine (runner-3), and a state file is only worked on where it lies",
    );
    // A container of this machine (same boot, its own pid namespace and name) may share the file: its heartbeat decides.
    const sibling = { ...hold, host: "container-1", scope: "boot-1/pid:[7]" };
    expect(deadReason(sibling, here, file)).toBeUndefined();
    expect(deadReason({ ...sibling, stale: true }, here, file)).toMatch(/no sign of life/);
    // A shared server is reached from every machine: another boot says nothing there.
    expect(deadReason({ ...hold, host: "runner-3", scope: "boot-9/pid:[1]" }, here, server)).toBeUndefined();
  });
});

describe("describeHold", () => {
  it("names the command, run, host, pid and since", () => {
    expect(describeHold(hold)).toBe(
      "ztoq migrate (run 20250101T000000-abc123) on host ci-7, pid 4242, since 2025-01-01T00:00:00.000Z",
    );
    expect(describeHold({ ...hold, command: "rollback" })).toMatch(/^ztoq rollback \(run/);
    expect(describeHold({ ...hold, shard: "2/4" })).toMatch(/^ztoq migrate --shard 2\/4 \(run/);
  });

  it("names the GitHub Actions run, with a link, when there is one", () => {
    const workflow = workflowRunOf({
      GITHUB_REPOSITORY: "octo/qa",
      GITHUB_WORKFLOW: "Nightly sync",
      GITHUB_RUN_ID: "123",
      GITHUB_RUN_ATTEMPT: "2",
      GITHUB_SERVER_URL: "https://github.com/",
    });
    expect(describeHold({ ...hold, workflow })).toBe(
      'ztoq migrate (run 20250101T000000-abc123) on host ci-7, pid 4242, GitHub Actions octo/qa workflow "Nightly sync" run 123 attempt 2 (https://github.com/octo/qa/actions/runs/123), since 2025-01-01T00:00:00.000Z',
    );
  });
});

describe("workflowRunOf", () => {
  it("is null outside a GitHub Actions job", () => {
    expect(workflowRunOf({})).toBeNull();
    expect(workflowRunOf({ GITHUB_REPOSITORY: "octo/qa" })).toBeNull();
    expect(workflowRunOf({ GITHUB_RUN_ID: "1", GITHUB_REPOSITORY: " " })).toBeNull();
  });

  it("keeps what the runner says, and null for what it does not", () => {
    expect(workflowRunOf({ GITHUB_REPOSITORY: "octo/qa", GITHUB_RUN_ID: "9" })).toEqual({
      repository: "octo/qa",
      workflow: null,
      runId: "9",
      runAttempt: null,
      serverUrl: null,
    });
  });
});

describe("projects", () => {
  const config = { zephyr: { projectKey: "QA" }, qtest: { url: "HTTPS://Example.qtestnet.com/", projectId: 7 } };

  it("spell one qTest site one way", () => {
    expect(siteUrl("HTTPS://Example.qtestnet.com/")).toBe("https://example.qtestnet.com");
    expect(siteUrl("https://example.com/qtest//")).toBe("https://example.com/qtest");
    expect(siteUrl("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080");
    expect(siteUrl("not a url")).toBe("not a url");
  });

  it("are the same when the Zephyr project, the qTest site and the qTest project are", () => {
    const project = projectOf(config);
    expect(project).toEqual({ zephyrProject: "QA", qtestUrl: "https://example.qtestnet.com", qtestProject: 7 });
    expect(sameProject(project, { ...project, qtestUrl: "https://EXAMPLE.qtestnet.com/" })).toBe(true);
    expect(sameProject(project, { ...project, zephyrProject: "OPS" })).toBe(false);
    expect(sameProject(project, { ...project, qtestProject: 8 })).toBe(false);
    expect(sameProject(project, { ...project, qtestUrl: "https://example.qtestnet.com:8443" })).toBe(false);
    expect(describeProject(project)).toBe("Zephyr project QA → qTest project 7 at https://example.qtestnet.com");
  });
});
