/**
 * Pacing through real HTTP against the mocks: without a configured `rateLimit` the gates find the
 * mocks' limit with few 429s; a configured one is never exceeded, counted where the requests land;
 * Zephyr's `Retry-After` holds every request back.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, type ResolvedConfig } from "../../src/config/load.js";
import { formatPace, hostPace } from "../../src/http/pacing.js";
import { createLogger } from "../../src/log/logger.js";
import { migrate } from "../../src/migrate/run.js";
import { demoMapping, provisionDemoTarget } from "../../src/mock/demo-target.js";
import type { RateLimit } from "../../src/mock/http/token-bucket.js";
import { mockEnvironment, type RunningMocks, startMocks } from "../../src/mock/start.js";
import { Progress } from "../../src/progress/progress.js";
import { ZephyrClient } from "../../src/zephyr/client.js";
import { runCli, writeYamlConfig } from "../support/cli.js";

const log = createLogger({ test: true });
log.level = "warn";
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Arrival {
  at: number;
  throttled: boolean;
  retryAfterMs: number;
}

/** Records every request as the mock's rate limit sees it: when it arrived and whether it was refused. */
function recordArrivals(limit: RateLimit): Arrival[] {
  const arrivals: Arrival[] = [];
  const take = limit.take.bind(limit);
  limit.take = () => {
    const taken = take();
    const throttled = taken !== undefined && !taken.granted;
    arrivals.push({ at: performance.now(), throttled, retryAfterMs: taken && !taken.granted ? taken.retryAfterMs : 0 });
    return taken;
  };
  return arrivals;
}

/** The most arrivals any window of `ms` holds. */
function busiestWindow(arrivals: Arrival[], ms: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < arrivals.length; end++) {
    while ((arrivals[end] as Arrival).at - (arrivals[start] as Arrival).at >= ms) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

async function setUp(options: { generate: number; mockRate: number }) {
  const mocks = await startMocks({ generate: options.generate, seed: 3, rateLimitRps: options.mockRate });
  const dir = await mkdtemp(join(tmpdir(), "ztoq-pacing-"));
  cleanups.push(async () => {
    await mocks.stop();
    await rm(dir, { recursive: true, force: true });
  });
  await provisionDemoTarget(mocks);
  const config = await loadConfig({
    cwd: dir,
    env: { ...mockEnvironment(mocks), ZTOQ_STATE: join(dir, "state.db") },
    overrides: {
      mapping: await demoMapping(mocks),
      migration: { concurrency: 8 },
      zephyr: { timeoutSeconds: 10 },
      qtest: { timeoutSeconds: 10 },
      report: { dir },
    },
  });
  return { mocks, dir, config };
}

async function migrateAll(config: ResolvedConfig, dir: string) {
  const started = performance.now();
  const result = await migrate({
    config,
    mode: "full",
    dryRun: false,
    prune: false,
    reportPath: join(dir, "migration-report.json"),
    log,
    progress: new Progress({ quiet: true }),
  });
  expect(result.exitCode).toBe(0);
  return { report: result.report, seconds: (performance.now() - started) / 1000 };
}

function throttledShare(mocks: RunningMocks): number {
  const stats = [mocks.zephyr.stats, mocks.qtest.stats];
  return stats.reduce((n, s) => n + s.throttled, 0) / stats.reduce((n, s) => n + s.requests, 0);
}

describe("pacing against the mocks", () => {
  it("without a rate limit finds the mocks' 50 per second: under 2% 429s, a pace near the limit", async () => {
    const { mocks, dir, config } = await setUp({ generate: 150, mockRate: 50 });
    const qtestArrivals = recordArrivals(mocks.qtest.rateLimit);
    await migrateAll(config, dir);
    expect(throttledShare(mocks)).toBeLessThan(0.02);
    // Near the limit: some three-second stretch of qTest requests ran at 80% of it or more.
    expect(busiestWindow(qtestArrivals, 3000)).toBeGreaterThanOrEqual(0.8 * 50 * 3);
    const pace = hostPace(config.qtest.url);
    expect(pace?.allowed).toBeGreaterThan(0.7 * 50);
    expect(pace?.allowed).toBeLessThan(1.3 * 50);
    expect(formatPace({ Zephyr: config.zephyr.url, qTest: config.qtest.url })).toMatch(
      /^Zephyr \d+\/s \(pace \d+\/s\) · qTest \d+\/s \(pace \d+\/s\)$/,
    );
  }, 180_000);

  it("never sends more than a configured rate limit below the server's in any second", async () => {
    // The migration runs in its own process, as users run it: in this one, its synchronous SQLite
    // work would hold requests back and then hand them to the mocks bunched, blurring the count.
    const { mocks, dir } = await setUp({ generate: 30, mockRate: 50 });
    const zephyrArrivals = recordArrivals(mocks.zephyr.rateLimit);
    const qtestArrivals = recordArrivals(mocks.qtest.rateLimit);
    // How long this process (where the mocks stamp arrivals) was itself held up at the worst: requests
    // sent meanwhile are stamped together when it resumes, bunched by the receiver, not the sender.
    const receiverPauses = monitorEventLoopDelay({ resolution: 10 });
    receiverPauses.enable();
    const configPath = await writeYamlConfig(dir, {
      zephyr: { rateLimit: 20 },
      qtest: { rateLimit: 20 },
      migration: { concurrency: 8 },
      mapping: await demoMapping(mocks),
      report: { dir },
    });
    const result = await runCli(["migrate", "--config", configPath], {
      ...mockEnvironment(mocks),
      ZTOQ_STATE: join(dir, "state.db"),
      ZTOQ_LOG_LEVEL: "warn",
    });
    receiverPauses.disable();
    expect(result.code, result.stderr).toBe(0);
    expect(qtestArrivals.length).toBeGreaterThan(100);
    // The gate counts a second exactly when it sends; on the way a request may be held back behind
    // others by the scheduler of a busy machine, so the mock's seconds allow 100 ms of that — or the
    // longest pause this receiving process was measured to take, when a loaded machine made it longer
    // (at most 300 ms: a window of 700 ms still shows a gate that lets a second's allowance through twice).
    const slack = Math.min(300, Math.max(100, Math.ceil(receiverPauses.max / 1e6)));
    for (const arrivals of [zephyrArrivals, qtestArrivals]) {
      expect(busiestWindow(arrivals, 1000 - slack)).toBeLessThanOrEqual(20);
      expect(busiestWindow(arrivals, 5000 - slack)).toBeLessThanOrEqual(5 * 20);
    }
    expect(busiestWindow(qtestArrivals, 1000)).toBeGreaterThanOrEqual(15); // and it did use the allowance
  }, 180_000);

  it("honours Retry-After: after a 429 nothing reaches Zephyr until the pause is over", async () => {
    const { mocks, config } = await setUp({ generate: 5, mockRate: 5 });
    const arrivals = recordArrivals(mocks.zephyr.rateLimit);
    const zephyr = ZephyrClient.fromConfig(config, log);
    await Promise.all(Array.from({ length: 30 }, () => zephyr.project()));
    const throttled = arrivals.filter((a) => a.throttled);
    expect(throttled.length).toBeGreaterThan(0);
    for (const refusal of throttled) {
      // The mock's Retry-After is whole seconds, at least 1; requests already on their way may land
      // just after the refusal, none later within the second.
      const early = arrivals.filter((a) => a.at > refusal.at + 100 && a.at < refusal.at + 950);
      expect(early).toEqual([]);
    }
    expect(throttled.length / arrivals.length).toBeLessThan(0.5);
  }, 60_000);
});
