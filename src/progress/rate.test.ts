import { describe, expect, it } from "vitest";
import { RateMeter } from "./rate.js";

describe("RateMeter", () => {
  it("promises no ETA in the first seconds, however many items are done", () => {
    const meter = new RateMeter();
    for (let t = 100; t <= 4_000; t += 100) meter.record(t, t);
    expect(meter.eta(1_000, 4_000)).toBeUndefined();
  });

  it("promises none before enough items, however long it runs", () => {
    const meter = new RateMeter();
    for (let t = 1_000; t <= 20_000; t += 1_000) meter.record(Math.floor(t / 2_000), t);
    expect(meter.eta(100, 20_000)).toBeUndefined();
  });

  it("gives an ETA from the smoothed rate once it has settled", () => {
    const meter = new RateMeter();
    for (let t = 100; t <= 8_000; t += 100) meter.record(t / 10, t);
    expect(meter.rate(8_000)).toBeCloseTo(100, 0);
    expect(meter.eta(1_000, 8_000)).toBeCloseTo(10, 0);
  });

  it("smooths a slow start away instead of extrapolating it", () => {
    const meter = new RateMeter();
    // Three slow seconds (connections, bulk reads), then 50 items a second.
    meter.record(1, 3_000);
    for (let t = 3_100; t <= 12_000; t += 100) meter.record(1 + ((t - 3_000) / 100) * 5, t);
    const eta = meter.eta(500, 12_000);
    expect(eta).toBeDefined();
    expect(eta).toBeLessThan(15);
  });

  it("keeps the ETA once settled through a pause between bursts", () => {
    const meter = new RateMeter();
    for (let t = 100; t <= 8_000; t += 100) meter.record(t / 10, t);
    meter.record(800, 10_000);
    expect(meter.eta(100, 10_000)).toBeDefined();
  });
});
