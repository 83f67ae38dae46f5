/**
 * The adaptive gate's state machine on a fake clock: slow start, the cut on the first objection,
 * the climb back and the probe past the last known limit, what `x-ratelimit-remaining-*` does, the
 * ceilings — and a simulated server bucket, to show the machine settles near a limit it was never told.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Permit, RateGate, type RateGateOptions } from "./rate-gate.js";

afterEach(() => {
  vi.useRealTimers();
});

let clock = 0;
const permit = (paced = true, issuedAt = clock): Permit => ({ issuedAt, paced, release: () => {} });
/** `n` responses spread over the next `n / rate` seconds, as a saturated gate would see them. */
function respond(gate: RateGate, n: number, remaining?: number, paced = true): void {
  for (let i = 0; i < n; i++) {
    clock += 1000 / gate.currentRate();
    gate.responded(permit(paced), remaining);
  }
}

function adaptiveGate(options: Partial<RateGateOptions> = {}): RateGate {
  clock = 0;
  return new RateGate({ adaptive: true, concurrency: 8, now: () => clock, random: () => 0.5, ...options });
}

describe("adaptive gate", () => {
  it("starts at the safe rate and grows by a share of itself per second while the rate is the bottleneck", () => {
    const gate = adaptiveGate();
    expect(gate.state).toMatchObject({ currentRate: 10, phase: "start", ratePerSecond: Number.POSITIVE_INFINITY });
    respond(gate, 10, undefined, false);
    expect(gate.currentRate()).toBe(10); // permits the rate did not hold back say nothing about the limit
    const start = clock;
    while (clock - start < 1000) respond(gate, 1);
    expect(gate.currentRate()).toBeGreaterThan(13.5);
    expect(gate.currentRate()).toBeLessThan(15.5); // ≈ 10 · e^0.4
  });

  it("halves on the first 429, pauses for Retry-After, and counts a burst of 429s as one objection", () => {
    const gate = adaptiveGate();
    respond(gate, 200);
    const before = gate.currentRate();
    const inFlight = [permit(), permit(), permit()];
    clock += 5;
    expect(gate.throttled(inFlight[0] as Permit, 1000)).toBe(1000);
    expect(gate.state).toMatchObject({ phase: "steady", pausedForMs: 1000 });
    expect(gate.currentRate()).toBeCloseTo(before / 2);
    gate.throttled(inFlight[1] as Permit, 1000);
    gate.throttled(inFlight[2] as Permit, 1000);
    expect(gate.currentRate()).toBeCloseTo(before / 2);
    expect(gate.counters.throttles).toBe(3);
  });

  it("climbs back quickly towards the rate of the last objection, then probes past it slowly", () => {
    const gate = adaptiveGate({ adaptive: { startRate: 40 } });
    respond(gate, 30);
    clock += 1;
    gate.throttled(permit(), 0); // slow start ends: known limit = the halved rate
    respond(gate, 100);
    const limit = gate.currentRate();
    clock += 1;
    gate.throttled(permit(), 0); // at the known limit: cut by 0.7
    expect(gate.currentRate()).toBeCloseTo(limit * 0.7);
    const cutAt = clock;
    while (clock - cutAt < 3000) respond(gate, 1);
    expect(gate.currentRate()).toBeGreaterThan(limit * 0.88); // most of the gap won back in 3 s
    while (gate.currentRate() < limit) respond(gate, 1);
    const at = clock;
    const rate = gate.currentRate();
    while (clock - at < 5000) respond(gate, 1);
    // Past the limit: 2% of it per second, so 5 s add about a tenth.
    expect(gate.currentRate() - rate).toBeGreaterThan(limit * 0.08);
    expect(gate.currentRate() - rate).toBeLessThan(limit * 0.13);
  });

  it("lowers the known limit when the server objects below it", () => {
    const gate = adaptiveGate({ adaptive: { startRate: 100 } });
    clock += 1;
    gate.throttled(permit(), 0); // slow start ends: known limit 50
    clock += 1;
    gate.throttled(permit(), 0); // at the known limit: it stays 50, the rate drops to 35
    respond(gate, 20);
    const low = gate.currentRate();
    expect(low).toBeLessThan(50);
    clock += 1;
    gate.throttled(permit(), 0); // below it: the limit is lower than thought
    expect(gate.currentRate()).toBeCloseTo(low * 0.7);
    const cutAt = clock;
    while (clock - cutAt < 3000) respond(gate, 1);
    // It climbs back towards 0.85 × the rate of that objection, not towards 50.
    expect(gate.currentRate()).toBeGreaterThan(low * 0.78);
    expect(gate.currentRate()).toBeLessThan(low * 0.9);
  });

  it("stops growing while x-ratelimit-remaining drains, and cuts at most once a second when it is low", () => {
    const gate = adaptiveGate({ adaptive: { startRate: 20 } });
    respond(gate, 10, 50);
    const rate = gate.currentRate();
    respond(gate, 10, 24); // below half of the most seen: slow start overshot, fall back
    expect(gate.state.phase).toBe("steady");
    expect(gate.currentRate()).toBeCloseTo(rate * 0.6);
    const held = gate.currentRate();
    respond(gate, 10, 20);
    expect(gate.currentRate()).toBe(held);
    respond(gate, 1, 2);
    expect(gate.currentRate()).toBeCloseTo(held * 0.9);
    respond(gate, 5, 1); // within a second of the cut: the server's count lags
    expect(gate.currentRate()).toBeCloseTo(held * 0.9);
    clock += 1000;
    respond(gate, 1, 0);
    expect(gate.currentRate()).toBeCloseTo(held * 0.9 * 0.7);
    expect(gate.counters.slowdowns).toBe(2);
    respond(gate, 10, 40); // healthy again: grows
    expect(gate.currentRate()).toBeGreaterThan(held * 0.9 * 0.7);
  });

  it("never passes a configured ceiling, and still adapts below it", () => {
    const gate = adaptiveGate({ ratePerSecond: 25 });
    respond(gate, 500);
    expect(gate.currentRate()).toBe(25);
    clock += 1;
    gate.throttled(permit(), 0);
    expect(gate.currentRate()).toBe(12.5);
    expect(gate.state.rateFactor).toBe(0.5);
  });
});

describe("hard ceiling", () => {
  it("holds every sliding second to the configured rate, bursts after idle time included", async () => {
    vi.useFakeTimers();
    const gate = new RateGate({ ratePerSecond: 10, hardCeiling: true, concurrency: 100, now: () => Date.now() });
    const times: number[] = [];
    const take = (n: number) => {
      for (let i = 0; i < n; i++) {
        void gate.acquire().then((p) => {
          times.push(Date.now());
          p.release();
        });
      }
    };
    take(25);
    await vi.advanceTimersByTimeAsync(2500);
    await vi.advanceTimersByTimeAsync(3000); // idle: the bucket refills its burst
    take(25);
    await vi.advanceTimersByTimeAsync(5000);
    expect(times).toHaveLength(50);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(10);
  });
});

/**
 * A server with a token bucket of `limit` per second (capacity one second's worth), 20 ms away,
 * and `workers` clients looping on it through the gate, on fake timers.
 */
async function simulate(options: { limit: number; seconds: number; remainingHeader: boolean; retryAfter: boolean }) {
  vi.useFakeTimers();
  const gate = new RateGate({ adaptive: true, concurrency: 8, now: () => Date.now() });
  let tokens = options.limit;
  let refilled = Date.now();
  const sent: number[] = [];
  let throttled = 0;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const p = await gate.acquire();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const now = Date.now();
      tokens = Math.min(options.limit, tokens + ((now - refilled) / 1000) * options.limit);
      refilled = now;
      sent.push(now);
      if (tokens < 1) {
        throttled++;
        await new Promise((resolve) => setTimeout(resolve, 10));
        const wait = ((1 - tokens) / options.limit) * 1000;
        gate.throttled(p, options.retryAfter ? Math.max(1, Math.ceil(wait / 1000)) * 1000 : undefined);
      } else {
        tokens -= 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        gate.responded(p, options.remainingHeader ? Math.floor(tokens) : undefined);
      }
      p.release();
    }
  };
  const workers = Array.from({ length: 8 }, worker);
  await vi.advanceTimersByTimeAsync(options.seconds * 1000);
  stop = true;
  await vi.advanceTimersByTimeAsync(5000);
  await Promise.all(workers);
  const last = sent.filter((t) => t > (options.seconds - 30) * 1000 + (sent[0] ?? 0));
  return { throttledShare: throttled / sent.length, lateRate: last.length / 30, overall: sent.length / options.seconds };
}

describe("a simulated server at 50 requests per second", () => {
  it("with Retry-After and no remaining header: few 429s, a pace near the limit", async () => {
    const result = await simulate({ limit: 50, seconds: 120, remainingHeader: false, retryAfter: true });
    expect(result.throttledShare).toBeLessThan(0.02);
    expect(result.lateRate).toBeGreaterThan(0.85 * 50);
  });

  it("with x-ratelimit-remaining and no Retry-After: few 429s, a pace near the limit", async () => {
    const result = await simulate({ limit: 50, seconds: 120, remainingHeader: true, retryAfter: false });
    expect(result.throttledShare).toBeLessThan(0.02);
    expect(result.lateRate).toBeGreaterThan(0.85 * 50);
  });
});
