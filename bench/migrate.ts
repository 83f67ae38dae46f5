import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mockEnvironment } from "../src/mock/start.js";
import type { MigrationReport } from "../src/report/migration-report.js";
import { runCli, startMockProcess, writeBenchConfig } from "./mock-process.js";

/**
 * Migration benchmarks:
 * 1. Throughput: 2,000 generated cases under `ztoq mock --rate-limit 50 --latency 20`. The floor is
 *    the qTest writes the mapping cannot avoid at 50 per second; the figure is wall time ÷ floor.
 * 2. Memory: peak RSS migrating 20,000 cases ÷ peak RSS migrating 2,000 (no rate limit).
 */
async function migrateOnce(options: { cases: number; rateLimit?: number; latency?: number }) {
  const mockArgs = ["--generate", String(options.cases), "--seed", "1"];
  if (options.rateLimit) mockArgs.push("--rate-limit", String(options.rateLimit));
  if (options.latency) mockArgs.push("--latency", String(options.latency));
  const mocks = await startMockProcess(mockArgs);
  const dir = await mkdtemp(join(tmpdir(), "ztoq-bench-migrate-"));
  try {
    const configPath = await writeBenchConfig(dir, mocks, { rateLimit: options.rateLimit ?? 10_000, reportDir: dir });
    const env = {
      ...mockEnvironment(mocks),
      ZTOQ_STATE: join(dir, "state.db"),
      ZTOQ_LOG_LEVEL: "warn",
    };
    const { code, seconds } = await runCli(["migrate", "--config", configPath], env);
    const report = JSON.parse(await readFile(join(dir, "migration-report.json"), "utf8")) as MigrationReport;
    if (code !== 0) throw new Error(`migrate exited ${code}: ${report.error}`);
    // Link requests are writes the mapping cannot avoid as well: one per requirement or release with links to make.
    const writes =
      report.totals.created + report.totals.updated + report.preflight.fieldsCreated.length + (report.links?.writes ?? 0);
    return { seconds, writes, report };
  } finally {
    await mocks.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

const throughput = await migrateOnce({ cases: 2000, rateLimit: 50, latency: 20 });
const floor = throughput.writes / 50;
const q = throughput.report.requests.qtest;
console.log(
  `migrate 2,000 cases @ 50 req/s, 20 ms latency: ${throughput.seconds.toFixed(1)} s wall; ` +
    `${throughput.writes} qTest writes → floor ${floor.toFixed(1)} s; ratio ${(throughput.seconds / floor).toFixed(3)} (target ≤ 1.15)`,
);
console.log(
  `  qTest requests ${q.requests} (retries ${q.retries}, throttled ${q.throttled}); Zephyr requests ${throughput.report.requests.zephyr.requests}`,
);

if (process.env.ZTOQ_BENCH_SKIP_MEMORY) process.exit(0);
const small = await migrateOnce({ cases: 2000 });
const large = await migrateOnce({ cases: 20000 });
console.log(
  `peak RSS: 2,000 cases ${mb(small.report.run.peakRssBytes)} (${small.seconds.toFixed(1)} s), ` +
    `20,000 cases ${mb(large.report.run.peakRssBytes)} (${large.seconds.toFixed(1)} s); ` +
    `ratio ${(large.report.run.peakRssBytes / small.report.run.peakRssBytes).toFixed(3)} (target ≤ 1.3)`,
);
