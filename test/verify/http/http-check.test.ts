/**
 * The http check end to end: two real services on 127.0.0.1 with known differences, the check run
 * through its entry point as the framework runs it (settings parsed by the schema, a context).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadInputError, ExitCode, ZtoqError } from "../../../src/errors.js";
import { createLogger } from "../../../src/log/logger.js";
import type { CheckContext, CheckOutcome } from "../../../src/verify/checks/check-kind.js";
import { runHttpCheck } from "../../../src/verify/http/run.js";
import { type HttpCheckSettingsInput, httpCheckSettingsSchema } from "../../../src/verify/http/settings.js";
import { type Service, startService } from "./services.js";

const TOKEN = "tok-9f8e7d6c5b4a";
let source: Service;
let target: Service;
let dir: string;
let logged = "";

beforeAll(async () => {
  [source, target] = await Promise.all([startService("old"), startService("new")]);
  dir = await mkdtemp(join(tmpdir(), "ztoq-http-check-"));
  process.env.ZTOQ_TEST_API_TOKEN = TOKEN;
});

afterAll(async () => {
  await Promise.all([source.close(), target.close()]);
  await rm(dir, { recursive: true, force: true });
  delete process.env.ZTOQ_TEST_API_TOKEN;
});

function context(name = "api"): CheckContext {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logged += String(chunk);
      done();
    },
  });
  const log = createLogger({ test: true }, sink);
  log.level = "debug";
  return { name, baseDir: dir, log };
}

function run(settings: Partial<HttpCheckSettingsInput>, name?: string): Promise<CheckOutcome> {
  const parsed = httpCheckSettingsSchema.parse({ source: source.url, target: target.url, requests: [], ...settings });
  return runHttpCheck(parsed, context(name));
}

const sample = (outcome: CheckOutcome, key: string) => outcome.findings.samples.find((s) => s.key === key);
const paths = (outcome: CheckOutcome, key: string) => sample(outcome, key)?.differences.map((d) => d.path);

const ALL = `
- { id: orders, path: /orders }
- { id: order-2, path: /orders/2 }
- { id: customer-7, path: /customers/7 }
- { id: legacy, path: /legacy }
- { id: version, path: /version }
- { id: health, path: /health }
- { id: echo, method: post, path: /echo, body: { hello: world } }
- { id: slow, path: /slow }
`;

describe("the http check", () => {
  it("finds each known difference, named by request id and path", async () => {
    await writeFile(join(dir, "requests.yml"), ALL);
    const outcome = await run({
      requests: "requests.yml",
      headers: { authorization: `Bearer \${ZTOQ_TEST_API_TOKEN}` },
      compareHeaders: ["X-API-Version"],
      ignore: ["$.meta.requestId", "items[].updatedAt"],
      arrayKeys: { "$.items": "id" },
      noise: true,
      timeoutSeconds: 0.5,
    });

    // Reordered items are no difference, the inserted one is one (at its target index); noise and ignore absorb the rest.
    expect(sample(outcome, "orders")?.differences).toEqual([
      { path: "$.items[1].price", source: 7, target: 7.5 },
      { path: "$.items[1]", source: undefined, target: expect.objectContaining({ id: 4, name: "nib" }) },
    ]);
    expect(sample(outcome, "order-2")?.differences).toEqual([{ path: "$.currency", source: "EUR", target: undefined }]);
    expect(sample(outcome, "legacy")?.differences).toEqual([
      { path: "status", source: 200, target: 410 },
      { path: "$.error", source: undefined, target: "gone" },
    ]);
    expect(sample(outcome, "version")?.differences).toEqual([{ path: "header.x-api-version", source: "1", target: "2" }]);
    expect(sample(outcome, "health")?.differences).toEqual([{ path: "body", source: "ok", target: "OK" }]);
    expect(paths(outcome, "echo")).toEqual(["$.authorization", "$.auth"]);
    expect(sample(outcome, "slow")?.differences).toEqual([
      { path: "error", source: "HTTP 200", target: "timed out after 0.5 s" },
    ]);
    expect(sample(outcome, "customer-7")).toBeUndefined();

    expect(outcome.findings).toMatchObject({ matched: 1, changed: 7, missing: 0, extra: 0 });
    expect(outcome.source).toEqual({ description: source.url, count: 8 });
    expect(outcome.target).toEqual({ description: target.url, count: 7 });
    expect(outcome).toMatchObject({ unit: "requests", method: "replay+noise", exhaustive: true });
    expect(outcome.normalization.noise).toMatch(/\$\.generatedAt \(1 request\).*\$\.traceId/);
    expect(outcome.normalization.ignore).toContain("$.items[].updatedAt");
    expect(outcome.normalization.arrayKeys).toContain("$.items by id");
    expect(outcome.normalization.compared).toContain("header.x-api-version");
    // Noise is measured for reads only: the POST went to the source once.
    expect(source.hits.get("POST /echo")).toBe(1);
    expect(source.hits.get("GET /orders")).toBe(2);
  });

  it("never lets a header's secret into the outcome or the logs", async () => {
    const outcome = await run({
      requests: [{ id: "echo", method: "POST", path: "/echo", headers: { "x-api-key": "key-literal-123" }, body: "{}" }],
      headers: { authorization: `Bearer \${ZTOQ_TEST_API_TOKEN}` },
    });
    const echoed = sample(outcome, "echo")?.differences;
    expect(echoed).toEqual([
      { path: "$.authorization", source: "[redacted]", target: undefined },
      { path: "$.auth", source: undefined, target: "[redacted]" },
    ]);
    const text = JSON.stringify(outcome, (_k, v) => (v instanceof Map ? [...v] : v));
    expect(text).not.toContain(TOKEN);
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain("key-literal-123");
  });

  it("reports what noise, ignore and arrayKeys absorb when they are not set", async () => {
    const outcome = await run({ requests: [{ id: "orders", path: "/orders" }] });
    // Every changed path is counted, though a sample keeps only the first few differences.
    const changed = [...outcome.findings.changedPaths.keys()];
    expect(changed).toEqual(expect.arrayContaining(["$.generatedAt", "$.traceId", "$.meta.requestId", "$.items[].updatedAt"]));
    // Position by position, one insert and a reordering touch every element's fields.
    expect(changed).toEqual(expect.arrayContaining(["$.items[].id", "$.items[].name", "$.items[].price", "$.items[]"]));
    expect(outcome.method).toBe("replay");
    expect(outcome.normalization.noise).toBeUndefined();
  });

  it("compares a status change and a header change, and matches what is the same", async () => {
    const outcome = await run({
      requests: [
        { id: "legacy", path: "/legacy" },
        { id: "version", path: "/version" },
        { id: "customer", path: "/customers/7" },
      ],
      compareHeaders: ["x-api-version"],
      ignore: ["error"],
    });
    expect(sample(outcome, "legacy")?.differences).toEqual([{ path: "status", source: 200, target: 410 }]);
    expect(paths(outcome, "version")).toEqual(["header.x-api-version"]);
    expect(outcome.findings.matched).toBe(1);
  });

  it("waits out a 429 and compares the answer that follows", async () => {
    const outcome = await run({ requests: [{ id: "throttled", path: "/throttled" }] });
    expect(outcome.findings.matched).toBe(1);
    expect(source.hits.get("GET /throttled")).toBe(2);
  });

  it("makes a request that fails on one side a difference at error", async () => {
    const down = await startService("new");
    await down.close();
    const outcome = await runHttpCheck(
      httpCheckSettingsSchema.parse({ source: source.url, target: down.url, requests: [{ id: "health", path: "/health" }] }),
      context(),
    );
    expect(sample(outcome, "health")?.differences).toEqual([{ path: "error", source: "HTTP 200", target: "connection refused" }]);
    expect(outcome.target.count).toBe(0);
  });

  it("cannot finish (exit 3) when neither service answers any request", async () => {
    const [a, b] = await Promise.all([startService("old"), startService("new")]);
    await Promise.all([a.close(), b.close()]);
    const settings = httpCheckSettingsSchema.parse({
      source: a.url,
      target: b.url,
      requests: [
        { id: "one", path: "/orders" },
        { id: "two", path: "/health" },
      ],
    });
    const failure = await runHttpCheck(settings, context("down")).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ZtoqError);
    expect(failure).not.toBeInstanceOf(BadInputError);
    expect((failure as ZtoqError).exitCode).toBe(ExitCode.incomplete);
    expect((failure as ZtoqError).message).toMatch(/check "down": neither .* answered any of its 2 requests.*connection refused/);
  });
});

describe("bad input (exit 2), named", () => {
  const rejects = async (settings: Partial<HttpCheckSettingsInput>, message: RegExp) => {
    const failure = await run(settings).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BadInputError);
    expect((failure as BadInputError).exitCode).toBe(ExitCode.badInput);
    expect((failure as Error).message).toMatch(message);
  };

  it("a requests file that does not parse", async () => {
    await writeFile(join(dir, "broken.yml"), "- { id: a, path: /x\n- [unclosed");
    await rejects({ requests: "broken.yml" }, /check "api": requests file .*broken\.yml does not parse/);
  });

  it("a requests file that is missing, not a list, or repeats an id", async () => {
    await rejects({ requests: "nowhere.json" }, /requests file .*nowhere\.json: not found/);
    await writeFile(join(dir, "object.json"), '{"id": "a", "path": "/x"}');
    await rejects({ requests: "object.json" }, /object\.json: expected a list of requests/);
    await writeFile(join(dir, "twice.json"), '[{"id": "a", "path": "/x"}, {"id": "a", "path": "/y"}]');
    await rejects({ requests: "twice.json" }, /twice\.json: \[1\]\.id: duplicate request id "a"/);
  });

  it("a bad base URL, a variable not set, a GET with a body", async () => {
    await rejects(
      { source: "ftp://old", requests: [{ id: "a", path: "/x" }] },
      /check "api": source must be an http or https URL/,
    );
    await rejects(
      { requests: [{ id: "a", path: "/x" }], headers: { authorization: `Bearer \${ZTOQ_TEST_UNSET}` } },
      /header "authorization" refers to \$\{ZTOQ_TEST_UNSET\}, which is not set/,
    );
    await rejects({ requests: [{ id: "a", path: "/x", body: { q: 1 } }] }, /request "a": a GET request cannot carry a body/);
  });

  it("duplicate ids written inline are refused by the schema", () => {
    const parsed = httpCheckSettingsSchema.safeParse({
      source: "http://a",
      target: "http://b",
      requests: [
        { id: "a", path: "/x" },
        { id: "a", path: "/y" },
      ],
    });
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["requests", 1, "id"], message: 'duplicate request id "a"' });
  });
});
