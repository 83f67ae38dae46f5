/**
 * The shared request layer at unit level: retry policy per method and status, Retry-After,
 * timeouts, the typed error, the rate gate (with a fake clock), and what reaches the logs.
 * HTTP is intercepted with nock; nothing leaves the process.
 */
import { Writable } from "node:stream";
import nock from "nock";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { parseRetryAfter } from "../../src/http/backoff.js";
import { ApiError, isAmbiguous, kindOfStatus, redactUrl } from "../../src/http/errors.js";
import { type Permit, RateGate } from "../../src/http/rate-gate.js";
import { HttpClient, type HttpClientOptions } from "../../src/http/request.js";

const ORIGIN = "http://api.test";

function client(options: Partial<HttpClientOptions> = {}): HttpClient {
  return new HttpClient({
    baseUrl: `${ORIGIN}/v2`,
    gate: new RateGate({ ratePerSecond: 1000, concurrency: 4 }),
    timeoutMs: 2000,
    retries: 3,
    retryBaseMs: 5,
    retryMaxMs: 20,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  vi.useRealTimers();
});
afterAll(() => nock.enableNetConnect());

describe("retries", () => {
  it("retries a GET on 500, 502 and 503 and returns the eventual success", async () => {
    const scope = nock(ORIGIN)
      .get("/v2/things")
      .reply(500, { message: "boom" })
      .get("/v2/things")
      .reply(502)
      .get("/v2/things")
      .reply(503)
      .get("/v2/things")
      .reply(200, { ok: true });
    const http = client();
    const response = await http.request("GET", "/things");
    expect(response.json()).toEqual({ ok: true });
    expect(scope.isDone()).toBe(true);
    expect(http.stats).toMatchObject({ requests: 4, retries: 3, failures: 0, throttled: 0 });
  });

  it("retries PUT and DELETE on a network error and on 504", async () => {
    const scope = nock(ORIGIN)
      .put("/v2/a")
      .replyWithError("socket hang up")
      .put("/v2/a")
      .reply(200, {})
      .delete("/v2/b")
      .reply(504)
      .delete("/v2/b")
      .reply(204);
    const http = client();
    await http.request("PUT", "/a", { json: { x: 1 } });
    await http.request("DELETE", "/b");
    expect(scope.isDone()).toBe(true);
    expect(http.stats.retries).toBe(2);
  });

  it("gives up after `retries` and reports the last status", async () => {
    nock(ORIGIN).get("/v2/down").times(3).reply(503, "unavailable");
    const http = client({ retries: 2 });
    const error = await failure(http.request("GET", "/down"));
    expect(error).toMatchObject({ status: 503, kind: "server", method: "GET", attempts: 3 });
    expect(error.bodyExcerpt).toBe("unavailable");
    expect(http.stats).toMatchObject({ requests: 3, retries: 2, failures: 1 });
  });

  it("does not retry a POST after a 500, a network error or a timeout: the write may have happened", async () => {
    const scope = nock(ORIGIN).post("/v2/create").reply(500, { message: "oops" }).post("/v2/create").reply(201, {});
    const http = client();
    const error = await failure(http.request("POST", "/create", { json: { name: "x" } }));
    expect(error).toMatchObject({ status: 500, kind: "server", attempts: 1 });
    expect(isAmbiguous(error)).toBe(true);
    expect(scope.pendingMocks()).toHaveLength(1);

    nock.cleanAll();
    nock(ORIGIN).post("/v2/create").replyWithError("connection reset").post("/v2/create").reply(201, {});
    const network = await failure(http.request("POST", "/create", { json: {} }));
    expect(network).toMatchObject({ status: null, kind: "network" });
    expect(isAmbiguous(network)).toBe(true);
    expect(nock.pendingMocks()).toHaveLength(1);
    expect(http.stats.requests).toBe(2);
  });

  it("retries a POST after a 429, which the server did not apply", async () => {
    const scope = nock(ORIGIN)
      .post("/v2/create")
      .reply(429, { message: "Too Many Requests" }, { "Retry-After": "0" })
      .post("/v2/create")
      .reply(201, { id: 7 });
    const http = client({ retries: 0 });
    const response = await http.request("POST", "/create", { json: {} });
    expect(response.status).toBe(201);
    expect(scope.isDone()).toBe(true);
    expect(http.stats).toMatchObject({ requests: 2, retries: 1, throttled: 1 });
  });

  it("retries a POST marked idempotent (a search) like a GET", async () => {
    const scope = nock(ORIGIN).post("/v2/search").reply(502).post("/v2/search").reply(200, { items: [] });
    await client().request("POST", "/search", { json: {}, idempotent: true });
    expect(scope.isDone()).toBe(true);
  });

  it("does not retry a 400, 401, 404 or 422", async () => {
    for (const status of [400, 401, 404, 422]) {
      nock(ORIGIN).get("/v2/x").reply(status, { message: "no" }).get("/v2/x").reply(200, {});
      const error = await failure(client().request("GET", "/x"));
      expect(error.status).toBe(status);
      expect(isAmbiguous(error)).toBe(false);
      expect(nock.pendingMocks()).toHaveLength(1);
      nock.cleanAll();
    }
  });

  it("waits for Retry-After after a 429 (the whole gate pauses) and after a 503", async () => {
    const seen: number[] = [];
    nock(ORIGIN)
      .get("/v2/slow")
      .reply(() => {
        seen.push(performance.now());
        return [429, { message: "Too Many Requests" }, { "Retry-After": "1" }];
      })
      .get("/v2/slow")
      .reply(() => {
        seen.push(performance.now());
        return [200, {}];
      });
    const gate = new RateGate({ ratePerSecond: 1000, concurrency: 4 });
    const throttled = vi.spyOn(gate, "throttled");
    await client({ gate }).request("GET", "/slow");
    expect(throttled).toHaveBeenCalledWith(expect.anything(), 1000);
    expect((seen[1] ?? 0) - (seen[0] ?? 0)).toBeGreaterThanOrEqual(950);

    seen.length = 0;
    nock(ORIGIN)
      .get("/v2/busy")
      .reply(() => {
        seen.push(performance.now());
        return [503, {}, { "Retry-After": "1" }];
      })
      .get("/v2/busy")
      .reply(() => {
        seen.push(performance.now());
        return [200, {}];
      });
    await client().request("GET", "/busy");
    // Without Retry-After the backoff here is at most 20 ms.
    expect((seen[1] ?? 0) - (seen[0] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("gives up on 429 after its own budget, with kind throttled", async () => {
    nock(ORIGIN).get("/v2/t").times(3).reply(429, {}, { "Retry-After": "0" });
    const error = await failure(client({ throttleRetries: 2 }).request("GET", "/t"));
    expect(error).toMatchObject({ status: 429, kind: "throttled", attempts: 3 });
    expect(isAmbiguous(error)).toBe(false);
  });
});

describe("timeouts", () => {
  it("turns a slow answer into ApiError kind timeout, retrying a GET but not a POST", async () => {
    nock(ORIGIN).get("/v2/slow").times(2).delay(1000).reply(200, {});
    const http = client({ timeoutMs: 100, retries: 1 });
    const error = await failure(http.request("GET", "/slow"));
    expect(error).toMatchObject({ status: null, kind: "timeout", attempts: 2 });
    expect(isAmbiguous(error)).toBe(true);

    nock.cleanAll();
    nock(ORIGIN).post("/v2/slow").times(2).delay(1000).reply(201, {});
    const post = await failure(http.request("POST", "/slow", { json: {} }));
    expect(post).toMatchObject({ kind: "timeout", attempts: 1 });
    expect(nock.pendingMocks()).toHaveLength(1);
  });
});

describe("ApiError", () => {
  it("maps statuses to kinds and says which failures are ambiguous", () => {
    expect([401, 403, 404, 400, 409, 413, 422, 429, 500, 503].map(kindOfStatus)).toEqual([
      "auth",
      "auth",
      "notFound",
      "badRequest",
      "badRequest",
      "badRequest",
      "badRequest",
      "throttled",
      "server",
      "server",
    ]);
    const at = { method: "POST", url: `${ORIGIN}/x` };
    expect(isAmbiguous(new ApiError({ ...at, status: null, kind: "network" }))).toBe(true);
    expect(isAmbiguous(new ApiError({ ...at, status: null, kind: "timeout" }))).toBe(true);
    expect(isAmbiguous(new ApiError({ ...at, status: 502 }))).toBe(true);
    expect(isAmbiguous(new ApiError({ ...at, status: 429 }))).toBe(false);
    expect(isAmbiguous(new ApiError({ ...at, status: 409 }))).toBe(false);
    expect(isAmbiguous(new Error("not an api error"))).toBe(false);
  });

  it("keeps secrets out of its url and message, and cuts the body short", async () => {
    expect(redactUrl("https://u:p@h.test/a?access_token=s3cret&startAt=10")).toBe(
      "https://h.test/a?access_token=redacted&startAt=10",
    );
    nock(ORIGIN).get("/v2/missing").query(true).reply(404, "x".repeat(1000));
    const error = await failure(client().request("GET", "/missing", { searchParams: { token: "s3cret", projectKey: "DEMO" } }));
    expect(error.kind).toBe("notFound");
    expect(error.url).toContain("projectKey=DEMO");
    expect(`${error.url} ${error.message}`).not.toContain("s3cret");
    expect(error.bodyExcerpt.length).toBeLessThan(310);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", () => now)).toBe(5000);
  });
});

describe("rate gate", () => {
  it("never lets more than `concurrency` requests run at once, and serves waiters in order", async () => {
    const gate = new RateGate({ ratePerSecond: Number.POSITIVE_INFINITY, concurrency: 3 });
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gate.run(async () => {
          order.push(i);
          running++;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 1 + (i % 3)));
          running--;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("paces permits evenly at the configured rate instead of bursting a whole second", async () => {
    vi.useFakeTimers();
    const gate = new RateGate({ ratePerSecond: 10, concurrency: 100, burst: 2, now: () => Date.now() });
    let granted = 0;
    for (let i = 0; i < 30; i++) {
      void gate.acquire().then((permit) => {
        granted++;
        permit.release();
      });
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toBe(2); // the burst
    await vi.advanceTimersByTimeAsync(99);
    expect(granted).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toBe(3);
    await vi.advanceTimersByTimeAsync(900);
    expect(granted).toBe(12); // 2 + 10 per second, never the 30 that are waiting
    await vi.advanceTimersByTimeAsync(1000);
    expect(granted).toBe(22);
  });

  it("pauses everyone for Retry-After after a 429, then resumes at a lower rate and recovers", async () => {
    vi.useFakeTimers();
    const gate = new RateGate({ ratePerSecond: 10, concurrency: 100, burst: 1, now: () => Date.now(), recoveryPerSuccess: 0.25 });
    const permits: Permit[] = [];
    for (let i = 0; i < 40; i++) void gate.acquire().then((permit) => permits.push(permit));
    await vi.advanceTimersByTimeAsync(0);
    expect(permits).toHaveLength(1);
    const first = permits[0] as Permit;
    expect(gate.throttled(first, 2000)).toBe(2000);
    first.release();
    expect(gate.state.rateFactor).toBe(0.5);
    await vi.advanceTimersByTimeAsync(2000);
    expect(permits).toHaveLength(1); // nobody got through during the pause
    // After the pause the bucket starts empty and refills at the halved rate: 5/s, one per 200 ms.
    await vi.advanceTimersByTimeAsync(199);
    expect(permits).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(permits).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(199);
    expect(permits).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(permits).toHaveLength(3);
    // A second 429 answering a permit issued before the cut does not cut again.
    gate.throttled(first, 0);
    expect(gate.state.rateFactor).toBe(0.5);
    // Successes win the rate back.
    gate.responded(permits[1] as Permit);
    gate.responded(permits[2] as Permit);
    expect(gate.state.rateFactor).toBe(1);
  });

  it("backs off exponentially with jitter after 429s without Retry-After", () => {
    const gate = new RateGate({ ratePerSecond: 10, concurrency: 10, throttleBaseMs: 100, random: () => 1, now: () => 0 });
    const fresh = (issuedAt: number): Permit => ({ issuedAt, release: () => {} });
    let clock = 0;
    const at = new RateGate({
      ratePerSecond: 10,
      concurrency: 10,
      throttleBaseMs: 100,
      random: () => 0.5,
      now: () => clock,
    });
    expect(at.throttled(fresh(clock))).toBe(75); // 100 → equal jitter: 50 + 0.5·50
    clock = 1;
    expect(at.throttled(fresh(clock))).toBe(150); // 200 → 100 + 0.5·100
    clock = 2;
    expect(at.throttled(fresh(clock))).toBe(300);
    at.responded(fresh(3));
    clock = 4;
    expect(at.throttled(fresh(clock))).toBe(75); // a success resets the sequence
    expect(gate.throttled(fresh(0))).toBe(100);
  });

  it("slows down when x-ratelimit-remaining reaches 0", () => {
    const gate = new RateGate({ ratePerSecond: 10, concurrency: 10, now: () => 5 });
    gate.responded({ issuedAt: 5, release: () => {} }, 40);
    expect(gate.state.rateFactor).toBe(1);
    gate.responded({ issuedAt: 5, release: () => {} }, 0);
    expect(gate.state.rateFactor).toBeCloseTo(0.7);
  });

  it("passes every attempt, retries included, through the gate", async () => {
    nock(ORIGIN).get("/v2/flaky").reply(500).get("/v2/flaky").reply(500).get("/v2/flaky").reply(200, {});
    const gate = new RateGate({ ratePerSecond: 1000, concurrency: 1 });
    const acquire = vi.spyOn(gate, "acquire");
    await client({ gate }).request("GET", "/flaky");
    expect(acquire).toHaveBeenCalledTimes(3);
    expect(gate.state.active).toBe(0);
  });
});

describe("logging", () => {
  it("writes one debug line per retry with host, method, path, status and attempt — never a secret", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    const logger = pino({ level: "debug" }, sink);
    nock(ORIGIN)
      .get("/v2/items")
      .query(true)
      .reply(500)
      .get("/v2/items")
      .query(true)
      .reply(429, {}, { "Retry-After": "0" })
      .get("/v2/items")
      .query(true)
      .replyWithError("reset")
      .get("/v2/items")
      .query(true)
      .reply(200, {});
    const http = client({ logger, headers: { authorization: "Bearer SECRET-TOKEN-1" } });
    await http.request("GET", "/items", { searchParams: { access_token: "SECRET-QUERY-2", startAt: 0 } });
    nock(ORIGIN).post("/oauth/token").reply(400, { error: "invalid_grant" });
    await failure(http.request("POST", `${ORIGIN}/oauth/token`, { body: "password=SECRET-PASSWORD-3", idempotent: true }));

    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const retries = entries.filter((e) => e.path === "/v2/items");
    expect(retries).toHaveLength(3);
    expect(retries.map((e) => [e.status, e.attempt])).toEqual([
      [500, 1],
      [429, 2],
      [null, 3],
    ]);
    for (const e of retries) expect(e).toMatchObject({ host: "api.test", method: "GET", level: 20 });
    expect(entries.some((e) => e.path === "/oauth/token" && e.status === 400)).toBe(true);
    const all = lines.join("\n");
    expect(all).not.toMatch(/SECRET|authorization|Bearer/i);
  });
});
