import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { configuredPacing, formatPace, hostGate, hostPace, pacedHttpOptions } from "./pacing.js";

const logger = pino({ level: "silent" });
const run = { retries: 2, concurrency: 4 };

describe("pacing from the configuration", () => {
  it("gives every client of a host one gate: adaptive without a rate limit, a hard ceiling with one", () => {
    const a = configuredPacing({ url: "http://pace-a.test:8080/v2", timeoutSeconds: 5 }, run, logger);
    const b = configuredPacing({ url: "http://pace-a.test:8080/other", timeoutSeconds: 9 }, run, logger);
    expect(a.gate).toBeDefined();
    expect(b.gate).toBe(a.gate);
    expect(a.gate?.state).toMatchObject({ phase: "start", currentRate: 10, ratePerSecond: Number.POSITIVE_INFINITY });
    const other = configuredPacing({ url: "http://pace-a.test:8081/v2", timeoutSeconds: 5 }, run, logger);
    expect(other.gate).not.toBe(a.gate);
    const capped = configuredPacing({ url: "http://pace-b.test", rateLimit: 25, timeoutSeconds: 5 }, run, logger);
    expect(capped.gate?.state).toMatchObject({ phase: "fixed", currentRate: 25, ratePerSecond: 25 });
    expect(pacedHttpOptions("http://pace-b.test", capped).gate).toBe(capped.gate);
  });

  it("makes a gate of its own for a client built without one", () => {
    const options = { timeoutMs: 1000, retries: 0, concurrency: 2 };
    expect(pacedHttpOptions("http://x.test", options).gate).not.toBe(pacedHttpOptions("http://x.test", options).gate);
  });

  it("reports the pace per host for the progress line", async () => {
    expect(hostPace("http://pace-c.test")).toBeUndefined();
    expect(formatPace({ Zephyr: "http://pace-c.test" })).toBeUndefined();
    const gate = hostGate("http://pace-c.test/v2", { concurrency: 4 });
    for (let i = 0; i < 3; i++) (await gate.acquire()).release();
    expect(hostPace("http://pace-c.test/anything")).toMatchObject({ allowed: 10 });
    expect(formatPace({ Zephyr: "http://pace-c.test/v2", qTest: "http://pace-d.test" })).toBe("Zephyr 3/s (pace 10/s)");
  });
});
