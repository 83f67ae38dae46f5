import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { closedPort, runCli } from "../support/cli.js";
import { closeFixtures, expectBundle, expectOneLine, type Setup, setUp } from "./setup.js";

/**
 * A host that never answers the first request is named with host:port and why, in one line, within
 * seconds: refused, unknown and untrusted hosts are not retried (a wrong URL does not mend), exit 3.
 */

afterEach(closeFixtures);
beforeAll(expectBundle);

/** Spawning node and loading the bundle take ~0.5 s of this on 2 cores. */
const FAST_MS = 3_000;

async function migrateWith(setup: Setup, env: Record<string, string>) {
  const args = await setup.args();
  const started = Date.now();
  const result = await runCli(args, { ...setup.f.env, ...env });
  return { result, ms: Date.now() - started };
}

function expectNothingWritten(setup: Setup) {
  expect(setup.f.mocks.qtest.stats.writes).toBe(setup.writesBefore);
  expect(setup.f.mocks.qtest.store.counts().testCases).toBe(0);
}

describe("an unreachable host on first contact", () => {
  it("refused: exit 3 at once, naming qTest, host:port, the cause and the setting", async () => {
    const setup = await setUp();
    const port = await closedPort();
    const { result, ms } = await migrateWith(setup, { ZTOQ_QTEST_URL: `http://127.0.0.1:${port}` });
    const line = expectOneLine(result, 3, /^ztoq: qTest at 127\.0\.0\.1:\d+ is unreachable: connection refused/);
    expect(line).toBe(`ztoq: qTest at 127.0.0.1:${port} is unreachable: connection refused (nothing answered; check qtest.url)`);
    expect(ms).toBeLessThan(FAST_MS);
    expectNothingWritten(setup);
    // The run is recorded as incomplete, with the same words.
    const report = JSON.parse(await readFile(join(setup.f.dir, "migration-report.json"), "utf8")) as {
      status: string;
      error: string;
    };
    expect(report).toMatchObject({ status: "incomplete", error: line.slice("ztoq: ".length) });
    console.info(`refused: ${ms} ms`);
  }, 30_000);

  it("refused on the Zephyr side names Zephyr Scale and zephyr.url", async () => {
    const setup = await setUp();
    const port = await closedPort();
    const { result, ms } = await migrateWith(setup, { ZTOQ_ZEPHYR_URL: `http://127.0.0.1:${port}/v2` });
    expectOneLine(
      result,
      3,
      new RegExp(`^ztoq: Zephyr Scale at 127\\.0\\.0\\.1:${port} is unreachable: connection refused .*zephyr\\.url`),
    );
    expect(ms).toBeLessThan(FAST_MS);
    expectNothingWritten(setup);
  }, 30_000);

  it("name not found: exit 3 at once, naming the host", async () => {
    const setup = await setUp();
    const { result, ms } = await migrateWith(setup, { ZTOQ_QTEST_URL: "http://ztoq-unreachable.invalid:8080" });
    expectOneLine(
      result,
      3,
      /^ztoq: qTest at ztoq-unreachable\.invalid:8080 is unreachable: name not found \((ENOTFOUND|EAI_AGAIN)\).*qtest\.url/,
    );
    expect(ms).toBeLessThan(FAST_MS);
    console.info(`name not found: ${ms} ms`);
  }, 30_000);

  it("a self-signed certificate: exit 3 at once, naming the TLS error", async (context) => {
    try {
      execFileSync("openssl", ["version"], { stdio: "ignore" });
    } catch {
      context.skip();
    }
    const setup = await setUp();
    const dir = setup.f.dir;
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    let requests = 0;
    const server = createServer(
      { key: await readFile(join(dir, "key.pem")), cert: await readFile(join(dir, "cert.pem")) },
      (_req, res) => {
        requests++;
        res.end("{}");
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const { result, ms } = await migrateWith(setup, { ZTOQ_QTEST_URL: `https://127.0.0.1:${port}` });
      expectOneLine(
        result,
        3,
        new RegExp(
          `^ztoq: qTest at 127\\.0\\.0\\.1:${port} is unreachable: TLS certificate error: .*self[- ]signed.*qtest\\.url`,
        ),
      );
      expect(ms).toBeLessThan(FAST_MS);
      expect(requests).toBe(0);
      console.info(`TLS: ${ms} ms`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);
});
