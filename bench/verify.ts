import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mockEnvironment, startMocks } from "../src/mock/start.js";
import type { VerificationReport } from "../src/report/verification-report.js";
import { runCli, writeBenchConfig } from "./mock-process.js";

/**
 * Verification benchmark: the generated 2,000-case project is migrated at full speed, then
 * both mocks are limited to 50 requests/s and `ztoq verify` runs. The floor is the reads it made at
 * 50 per second on the busier host (the two hosts are read in parallel); the figure is wall ÷ floor.
 * The mocks run in this process so their rate limit can change between the two runs.
 */
const mocks = await startMocks({ generate: 2000, seed: 1, latencyMs: 20 });
const dir = await mkdtemp(join(tmpdir(), "ztoq-bench-verify-"));
try {
  const configPath = await writeBenchConfig(dir, mocks, { rateLimit: 50, reportDir: dir });
  const env = {
    ...mockEnvironment(mocks),
    ZTOQ_STATE: join(dir, "state.db"),
    ZTOQ_LOG_LEVEL: "warn",
  };
  // Migrate without the limit (the client's own 50/s gate still applies, so lift it too).
  const fast = { ...env, ZTOQ_CONFIG: configPath };
  await writeFile(join(dir, "fast.yml"), (await readFile(configPath, "utf8")).replaceAll("rateLimit: 50", "rateLimit: 5000"));
  const migrated = await runCli(["migrate", "--config", join(dir, "fast.yml")], fast);
  if (migrated.code !== 0) throw new Error(`migrate exited ${migrated.code}`);

  mocks.zephyr.rateLimit.set(50);
  mocks.qtest.rateLimit.set(50);
  const { code, seconds } = await runCli(["verify", "--config", configPath], env);
  const report = JSON.parse(await readFile(join(dir, "verification-report.json"), "utf8")) as VerificationReport;
  const { requests } = report.cost;
  if (!requests) throw new Error("the verification report has no request counts");
  const reads = (host: "zephyr" | "qtest") => requests[host].requests - requests[host].retries;
  const floor = Math.max(reads("zephyr"), reads("qtest")) / 50;
  console.log(
    `verify 2,000 cases @ 50 req/s, 20 ms latency: ${seconds.toFixed(1)} s wall (exit ${code}, ${report.status}); ` +
      `reads Zephyr ${reads("zephyr")}, qTest ${reads("qtest")} → floor ${floor.toFixed(1)} s; ratio ${(seconds / floor).toFixed(3)} (target ≤ 1.2)`,
  );
  console.log(`  throttled: Zephyr ${requests.zephyr.throttled}, qTest ${requests.qtest.throttled}`);
} finally {
  await mocks.stop();
  await rm(dir, { recursive: true, force: true });
}
