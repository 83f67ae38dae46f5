import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { runCli } from "../support/cli.js";
import { closeFixtures, expectBundle, expectOneLine, type Setup, setUp } from "./setup.js";

/**
 * Absurd input, met where a user meets it (the CLI bundle against the mocks): one line naming what is
 * wrong and what is allowed, exit 2, nothing written to qTest (the mock counts every write) and no
 * state file made. Each case is one an adversarial trial found doing worse.
 */

afterEach(closeFixtures);
beforeAll(expectBundle);

/** Runs `args` with the fixture's environment; nothing may reach qTest or the state. */
async function refused(setup: Setup, args: string[], message: RegExp, env: Record<string, string> = {}) {
  const result = await runCli(args, { ...setup.f.env, ...env });
  const line = expectOneLine(result, 2, message);
  expect(setup.f.mocks.qtest.stats.writes).toBe(setup.writesBefore);
  expect(existsSync(setup.f.statePath)).toBe(false);
  return line;
}

describe("numbers no timer can hold", () => {
  it("qtest.rateLimit: 1e-300 (it flooded the log for 17 minutes)", async () => {
    const setup = await setUp();
    const config = { ...setup.config, qtest: { ...(setup.config.qtest as object), rateLimit: 1e-300 } };
    await refused(
      setup,
      await setup.args(config),
      /^ztoq: .*ztoq\.config\.yml: qtest\.rateLimit: expected a number from 0\.1 to 10000 \(requests per second\); got 1e-300$/,
    );
  }, 30_000);

  it("a huge timeoutSeconds (it failed every request as a network error)", async () => {
    const setup = await setUp();
    const config = { ...setup.config, zephyr: { ...(setup.config.zephyr as object), timeoutSeconds: 1e10 } };
    await refused(
      setup,
      await setup.args(config),
      /zephyr\.timeoutSeconds: expected a number from 0\.1 to 3600 \(seconds\); got 10000000000$/,
    );
  }, 30_000);

  it("a huge threshold in --fail-on (it dumped a raw validation error)", async () => {
    const setup = await setUp();
    const args = [...(await setup.args(setup.config, "verify")), "--fail-on", "missing>0,changed>99999999999999999999"];
    await refused(
      setup,
      args,
      /^ztoq: --fail-on: 'changed>99999999999999999999' is beyond the largest bound; allowed: .*N a whole number from 0 to 9007199254740991/,
    );
    expect(existsSync(join(setup.f.dir, "verification-report.json"))).toBe(false);
  }, 30_000);

  it("an http check's rateLimit or timeoutSeconds out of range", async () => {
    const setup = await setUp();
    const checks = join(setup.f.dir, "checks.yml");
    const check = {
      name: "api",
      kind: "http",
      source: "http://127.0.0.1:1",
      target: "http://127.0.0.1:2",
      requests: [{ id: "a", path: "/" }],
    };
    await writeFile(checks, YAML.stringify({ checks: [{ ...check, rateLimit: 1e-300, timeoutSeconds: 1e10 }] }));
    await refused(
      setup,
      ["verify", "--checks", checks],
      /checks\.0\.rateLimit: expected a number from 0\.1 to 10000 \(requests per second\); got 1e-300; .*checks\.0\.timeoutSeconds: expected a number from 0\.1 to 3600 \(seconds\); got 10000000000$/,
    );
  }, 30_000);
});

describe("a report or a log that cannot be written, found before the first write", () => {
  it("migrate --report naming a directory: exit 2, nothing in qTest, with and without --dry-run", async () => {
    const setup = await setUp();
    const dir = join(setup.f.dir, "reports");
    await mkdir(dir);
    for (const dryRun of [[], ["--dry-run"]]) {
      const line = await refused(
        setup,
        [...(await setup.args()), "--report", dir, ...dryRun],
        /is a directory, not a file: name a file in it, such as .*migration-report\.json$/,
      );
      expect(line).toBe(
        `ztoq: Report ${dir}: is a directory, not a file: name a file in it, such as ${join(dir, "migration-report.json")}`,
      );
    }
  }, 30_000);

  it("its Markdown twin a directory, or a file where a directory should be", async () => {
    const setup = await setUp();
    await mkdir(join(setup.f.dir, "out.md"));
    await refused(
      setup,
      [...(await setup.args()), "--report", join(setup.f.dir, "out.json")],
      /its Markdown twin .*out\.md: is a directory, not a file: choose another name for the report$/,
    );
    const file = join(setup.f.dir, "plain");
    await writeFile(file, "x");
    await refused(setup, [...(await setup.args()), "--report", join(file, "r.json")], /: .*plain is a file, not a directory$/);
  }, 30_000);

  it("verify and rollback refuse it too, before reading or deleting anything", async () => {
    const setup = await setUp();
    const dir = join(setup.f.dir, "reports");
    await mkdir(dir);
    const reads = setup.f.mocks.qtest.stats.requests;
    await refused(setup, [...(await setup.args(setup.config, "verify")), "--report", dir], /is a directory, not a file/);
    await refused(
      setup,
      [...(await setup.args(setup.config, "rollback")), "--yes", "--report", dir],
      /is a directory, not a file/,
    );
    expect(setup.f.mocks.qtest.stats.requests).toBe(reads);
  }, 30_000);

  it("a log at an unknown ZTOQ_LOG_LEVEL: bad input, not an unexpected error", async () => {
    const setup = await setUp();
    await refused(
      setup,
      await setup.args(),
      /^ztoq: ZTOQ_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "verbose"$/,
      { ZTOQ_LOG_LEVEL: "verbose" },
    );
  }, 30_000);

  it("--log-file naming a directory", async () => {
    const setup = await setUp();
    await refused(setup, [...(await setup.args()), "--log-file", setup.f.dir], /^ztoq: Log file .*: is a directory, not a file$/);
  }, 30_000);
});

describe("names longer than qTest takes, refused before the first write", () => {
  it("a 1000-character mapping.rootModule (20 cases had landed in 'Created via API'), with and without --dry-run", async () => {
    const setup = await setUp();
    const mapping = setup.config.mapping as Record<string, unknown>;
    const config = { ...setup.config, mapping: { ...mapping, rootModule: "R".repeat(1000) } };
    for (const dryRun of [[], ["--dry-run"]]) {
      await refused(
        setup,
        [...(await setup.args(config)), ...dryRun],
        /mapping\.rootModule: expected a qTest module name of 1 to 500 characters \(qTest's limit\), not 1000; got "R+\.\.\."$/,
      );
    }
  }, 30_000);

  it("mapping.cycleRoot.name and mapping.markerField", async () => {
    const setup = await setUp();
    const mapping = setup.config.mapping as Record<string, unknown>;
    await refused(
      setup,
      await setup.args({ ...setup.config, mapping: { ...mapping, cycleRoot: { name: "C".repeat(501) } } }),
      /mapping\.cycleRoot\.name: expected a qTest test cycle name of 1 to 500 characters \(qTest's limit\), not 501/,
    );
    await refused(
      setup,
      await setup.args({ ...setup.config, mapping: { ...mapping, markerField: "K".repeat(101) } }),
      /mapping\.markerField: expected the label of a qTest field of 1 to 100 characters \(qTest's limit\), not 101/,
    );
  }, 30_000);

  it("the qTest mock refuses such names as qTest does, so the limits are the ones a run would meet", async () => {
    const setup = await setUp();
    const { url, token, projectId } = setup.f.mocks.qtest;
    const post = (path: string, body: unknown) =>
      fetch(`${url}/api/v3/projects/${projectId}${path}`, {
        method: "POST",
        headers: { authorization: `bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const statuses = [
      (await post("/modules", { name: "R".repeat(501) })).status,
      (await post("/test-cycles", { name: "C".repeat(501) })).status,
      (await post("/settings/test-cases/fields", { label: "K".repeat(101), data_type: 1 })).status,
      (await post("/modules", { name: "R".repeat(500) })).status,
      (await post("/settings/test-cases/fields", { label: "K".repeat(100), data_type: 1 })).status,
    ];
    expect(statuses).toEqual([400, 400, 400, 201, 201]);
  }, 30_000);
});

describe(`a \${VAR} in an http check is a secret wherever it would show`, () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  /** A service that answers with the URL it was asked for: a difference between the two sides carries it. */
  async function echoService(): Promise<string> {
    const server = createServer((request, response) => {
      const port = (server.address() as AddressInfo).port;
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ self: `http://127.0.0.1:${port}${request.url}` }));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("a refusal quotes the base URL as written, not its value", async () => {
    const setup = await setUp();
    const secret = "tenant-key-Zq81-private";
    const checks = join(setup.f.dir, "checks.yml");
    await writeFile(
      checks,
      YAML.stringify({
        checks: [
          {
            name: "api",
            kind: "http",
            source: `http://127.0.0.1:1/api?key=\${API_KEY}`,
            target: "http://127.0.0.1:2/api",
            requests: [{ id: "a", path: "/" }],
          },
        ],
      }),
    );
    const result = await runCli(["verify", "--checks", checks], { ...setup.f.env, API_KEY: secret });
    const line = expectOneLine(result, 2, /source must hold no query or fragment/);
    expect(line).toBe(`ztoq: check "api": source must hold no query or fragment: "http://127.0.0.1:1/api?key=\${API_KEY}"`);
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
  }, 30_000);

  it("the report names the base URLs as written and redacts the value from every finding", async () => {
    const setup = await setUp();
    const [old, rewrite] = [await echoService(), await echoService()];
    const secret = "acme-private-tenant-7731";
    const checks = join(setup.f.dir, "checks.yml");
    const reportPath = join(setup.f.dir, "http-report.json");
    await writeFile(
      checks,
      YAML.stringify({
        checks: [
          {
            name: "api",
            kind: "http",
            source: `${old}/\${TENANT}`,
            target: `${rewrite}/\${TENANT}`,
            requests: [{ id: "orders", path: "/orders" }],
          },
        ],
      }),
    );
    const result = await runCli(["verify", "--checks", checks, "--report", reportPath], { ...setup.f.env, TENANT: secret });
    expect(result.code).toBe(1); // the two services name themselves differently: one finding
    const text = await readFile(reportPath, "utf8");
    const markdown = await readFile(reportPath.replace(/\.json$/, ".md"), "utf8");
    for (const output of [text, markdown, result.stdout, result.stderr]) expect(output).not.toContain(secret);
    const report = JSON.parse(text) as { checks: { source: { description: string }; target: { description: string } }[] };
    expect(report.checks[0]?.source.description).toBe(`${old}/\${TENANT}`);
    expect(report.checks[0]?.target.description).toBe(`${rewrite}/\${TENANT}`);
    expect(text).toContain(`[redacted]/orders`);
  }, 30_000);
});
