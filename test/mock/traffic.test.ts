import { afterEach, describe, expect, it } from "vitest";
import type { MockOptions } from "../../src/mock/start.js";
import { type RunningMocks, startMocks } from "../../src/mock/start.js";

const running: RunningMocks[] = [];
async function mocks(options: MockOptions): Promise<RunningMocks> {
  const started = await startMocks({ generate: 5, ...options });
  running.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((m) => m.stop()));
});

const zephyrGet = (m: RunningMocks, path = "/priorities") =>
  fetch(`${m.zephyr.url}${path}`, { headers: { authorization: `Bearer ${m.zephyr.token}` } });
const qtestGet = (m: RunningMocks, path = "/test-runs/execution-statuses") =>
  fetch(`${m.qtest.url}/api/v3/projects/${m.qtest.projectId}${path}`, { headers: { authorization: `bearer ${m.qtest.token}` } });

/** What a request ended as: its status, or "drop" when the connection was cut. */
async function outcome(request: Promise<Response>): Promise<number | "drop"> {
  try {
    const response = await request;
    await response.arrayBuffer();
    return response.status;
  } catch {
    return "drop";
  }
}

describe("--rate-limit", () => {
  it("Zephyr answers 429 with Retry-After in whole seconds once the bucket is empty", async () => {
    const m = await mocks({ rateLimitRps: 5 });
    const responses = await Promise.all(Array.from({ length: 30 }, () => zephyrGet(m)));
    const ok = responses.filter((r) => r.status === 200);
    const throttled = responses.filter((r) => r.status === 429);
    expect(ok.length).toBeGreaterThanOrEqual(5);
    expect(ok.length).toBeLessThanOrEqual(7);
    expect(throttled.length).toBe(30 - ok.length);
    for (const r of throttled) {
      expect(r.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
      expect(await r.json()).toEqual({ message: "Too Many Requests" });
    }
    expect(m.zephyr.stats.throttled).toBe(throttled.length);
    // Waiting as told lets the next request through.
    await new Promise((resolve) => setTimeout(resolve, Number(throttled[0]?.headers.get("retry-after")) * 1000));
    expect((await zephyrGet(m)).status).toBe(200);
  });

  it("qTest reports x-ratelimit-remaining-minute on every response and answers 429 at zero", async () => {
    const m = await mocks({ rateLimitRps: 4 });
    const statuses: number[] = [];
    const remaining: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await qtestGet(m);
      await r.arrayBuffer();
      statuses.push(r.status);
      remaining.push(Number(r.headers.get("x-ratelimit-remaining-minute")));
      expect(r.headers.get("x-ratelimit-remaining-month")).toMatch(/^\d+$/);
    }
    const firstThrottled = statuses.indexOf(429);
    expect(firstThrottled).toBeGreaterThanOrEqual(4);
    expect(remaining.slice(0, 4)).toEqual([3, 2, 1, 0]);
    expect(remaining[firstThrottled]).toBe(0);
    // Unlike Zephyr, qTest is not known to send Retry-After; the mock does not either.
    const throttled = await qtestGet(m);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBeNull();
  });

  it("is off by default", async () => {
    const m = await mocks({});
    const responses = await Promise.all(Array.from({ length: 50 }, () => zephyrGet(m)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
  });
});

describe("--fault-rate", () => {
  async function sequence(options: MockOptions, count: number): Promise<(number | "drop")[]> {
    const m = await mocks(options);
    const results: (number | "drop")[] = [];
    // Sequential, so the arrival order (and so the fault sequence) is fixed.
    for (let i = 0; i < count; i++) results.push(await outcome(zephyrGet(m)));
    return results;
  }

  it("answers about that share of requests with 500, 502, 503 or a dropped connection", async () => {
    const results = await sequence({ faultRate: 0.25, seed: 5 }, 240);
    const faults = results.filter((r) => r !== 200);
    expect(faults.length / results.length).toBeGreaterThan(0.15);
    expect(faults.length / results.length).toBeLessThan(0.35);
    expect(new Set(faults)).toEqual(new Set([500, 502, 503, "drop"]));
  });

  it("is reproducible under the same seed and differs under another", async () => {
    const a = await sequence({ faultRate: 0.3, seed: 9 }, 60);
    const b = await sequence({ faultRate: 0.3, seed: 9 }, 60);
    const c = await sequence({ faultRate: 0.3, seed: 10 }, 60);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("sometimes applies a write before failing it, as a real gateway may", async () => {
    const m = await mocks({ faultRate: 1, seed: 3 });
    const results: (number | "drop")[] = [];
    for (let i = 0; i < 20; i++) {
      results.push(
        await outcome(
          fetch(`${m.qtest.url}/api/v3/projects/${m.qtest.projectId}/modules`, {
            method: "POST",
            headers: { authorization: `bearer ${m.qtest.token}`, "content-type": "application/json" },
            body: JSON.stringify({ name: `Module ${i}` }),
          }),
        ),
      );
    }
    expect(results.filter((r) => r === 201)).toEqual([]);
    const applied = m.qtest.store.counts().modules;
    expect(applied).toBe(m.qtest.stats.faultsAfterApply);
    expect(applied).toBeGreaterThan(0);
    expect(applied).toBeLessThan(20);
  });
});

describe("--latency", () => {
  it("delays every response by at least that many milliseconds", async () => {
    const m = await mocks({ latencyMs: 150 });
    const started = performance.now();
    expect((await zephyrGet(m)).status).toBe(200);
    expect((await qtestGet(m)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
  });
});
