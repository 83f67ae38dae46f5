import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { mockEnvironment } from "../src/mock/start.js";
import { runCli, startMockProcess, writeBenchConfig } from "./mock-process.js";

/**
 * Sharding benchmark: the generated 5,000-case project under `ztoq mock --latency 50` (no
 * rate limit), migrated once by one shard and once by two, each against a fresh PostgreSQL database
 * and a fresh mock, at the same concurrency per process. The figure is two shards' wall time ÷ one's.
 */
const ADMIN = process.env.ZTOQ_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function migrateWithShards(count: number): Promise<number> {
  const database = `ztoq_bench_${process.pid}_${count}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const mocks = await startMockProcess(["--generate", "5000", "--seed", "1", "--latency", "50"]);
  const dir = await mkdtemp(join(tmpdir(), "ztoq-bench-shards-"));
  try {
    const configPath = await writeBenchConfig(dir, mocks, { rateLimit: 10_000 });
    const url = new URL(ADMIN);
    url.pathname = `/${database}`;
    const env = {
      ...mockEnvironment(mocks),
      ZTOQ_STATE: url.toString(),
      ZTOQ_LOG_LEVEL: "warn",
    };
    const started = performance.now();
    const runs = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        runCli(
          ["migrate", "--config", configPath, "--report", join(dir, `report-${i + 1}.json`), "--shard", `${i + 1}/${count}`],
          env,
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const failed = runs.filter((r) => r.code !== 0);
    if (failed.length > 0) throw new Error(`${failed.length} shard(s) failed`);
    return seconds;
  } finally {
    await mocks.stop();
    await rm(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

const one = await migrateWithShards(1);
const two = await migrateWithShards(2);
console.log(
  `shards, 5,000 cases @ 50 ms latency: 1 shard ${one.toFixed(1)} s, 2 shards ${two.toFixed(1)} s; ` +
    `ratio ${(two / one).toFixed(3)} (target ≤ 0.6)`,
);
