import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mockEnvironment, startMocks } from "../src/mock/start.js";
import type { MigrationReport } from "../src/report/migration-report.js";
import type { VerificationReport } from "../src/report/verification-report.js";
import { runCli, writeBenchConfig } from "./mock-process.js";

/**
 * Adoption benchmark: the generated 2,000-case project is migrated at full speed, then the state is
 * lost and `ztoq migrate` runs again against both mocks limited to 50 requests/s — it must adopt the
 * whole target by marker, creating nothing. Measured against one `ztoq verify` of the same project
 * under the same limits, the floor a run that reads both sides cannot beat: requests and wall time.
 */
const mocks = await startMocks({ generate: 2000, seed: 1, latencyMs: 20 });
const dir = await mkdtemp(join(tmpdir(), "ztoq-bench-adopt-"));
try {
  const configPath = await writeBenchConfig(dir, mocks, { rateLimit: 50, reportDir: dir });
  const env = { ...mockEnvironment(mocks), ZTOQ_STATE: join(dir, "state.db"), ZTOQ_LOG_LEVEL: "warn" };
  await writeFile(join(dir, "fast.yml"), (await readFile(configPath, "utf8")).replaceAll("rateLimit: 50", "rateLimit: 5000"));
  const migrated = await runCli(["migrate", "--config", join(dir, "fast.yml")], env);
  if (migrated.code !== 0) throw new Error(`migrate exited ${migrated.code}`);

  mocks.zephyr.rateLimit.set(50);
  mocks.qtest.rateLimit.set(50);
  const verified = await runCli(["verify", "--config", configPath], env);
  const verification = JSON.parse(await readFile(join(dir, "verification-report.json"), "utf8")) as VerificationReport;

  const qtestWrites = mocks.qtest.stats.writes;
  for (const suffix of ["", "-wal", "-shm"]) await rm(join(dir, `state.db${suffix}`), { force: true });
  const adopted = await runCli(["migrate", "--config", configPath], env);
  const migration = JSON.parse(await readFile(join(dir, "migration-report.json"), "utf8")) as MigrationReport;

  const requests = (r: { zephyr: { requests: number }; qtest: { requests: number } }) => r.zephyr.requests + r.qtest.requests;
  const adoptRequests = requests(migration.requests);
  if (!verification.cost.requests) throw new Error("the verification report has no request counts");
  const verifyRequests = requests(verification.cost.requests);
  console.log(
    `adopt 2,000 cases with an empty state @ 50 req/s, 20 ms latency: ${adopted.seconds.toFixed(1)} s wall (exit ${adopted.code}), ` +
      `${adoptRequests} requests (Zephyr ${migration.requests.zephyr.requests}, qTest ${migration.requests.qtest.requests}); ` +
      `created ${migration.totals.created}, updated ${migration.totals.updated}, qTest writes ${mocks.qtest.stats.writes - qtestWrites}`,
  );
  console.log(
    `  one verify of the same project: ${verified.seconds.toFixed(1)} s wall, ${verifyRequests} requests; ` +
      `ratios adopt ÷ verify: wall ${(adopted.seconds / verified.seconds).toFixed(3)}, requests ${(adoptRequests / verifyRequests).toFixed(3)} (target ≤ 1)`,
  );
} finally {
  await mocks.stop();
  await rm(dir, { recursive: true, force: true });
}
