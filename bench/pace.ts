import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { demoMapping, provisionDemoTarget } from "../src/mock/demo-target.js";
import { mockEnvironment } from "../src/mock/start.js";
import type { MigrationReport } from "../src/report/migration-report.js";
import { runCli, startMockProcess } from "./mock-process.js";

/**
 * Pacing that finds the limit: 2,000 generated cases under `ztoq mock --rate-limit 50 --latency 20`
 * with no `rateLimit` configured, so both gates have to discover the 50 per second themselves.
 * Figures: wall time ÷ (the qTest writes the mapping cannot avoid ÷ 50/s), and the share of
 * requests answered 429.
 */
const LIMIT = 50;
const mocks = await startMockProcess(["--generate", "2000", "--seed", "1", "--rate-limit", String(LIMIT), "--latency", "20"]);
const dir = await mkdtemp(join(tmpdir(), "ztoq-bench-pace-"));
try {
  await provisionDemoTarget(mocks);
  const configPath = join(dir, "ztoq.config.yml");
  // No rateLimit anywhere: that is what is measured.
  const config = { migration: { concurrency: 8 }, mapping: await demoMapping(mocks), report: { dir } };
  await writeFile(configPath, stringify(config));
  const env = { ...mockEnvironment(mocks), ZTOQ_STATE: join(dir, "state.db"), ZTOQ_LOG_LEVEL: "warn" };
  const { code, seconds } = await runCli(["migrate", "--config", configPath], env);
  const report = JSON.parse(await readFile(join(dir, "migration-report.json"), "utf8")) as MigrationReport;
  if (code !== 0) throw new Error(`migrate exited ${code}: ${report.error}`);
  // Link requests are writes the mapping cannot avoid as well: one per requirement or release with links to make.
  const writes =
    report.totals.created + report.totals.updated + report.preflight.fieldsCreated.length + (report.links?.writes ?? 0);
  const floor = writes / LIMIT;
  const { zephyr: z, qtest: q } = report.requests;
  const requests = z.requests + q.requests;
  const throttled = z.throttled + q.throttled;
  console.log(
    `pace: 2,000 cases @ ${LIMIT} req/s, 20 ms latency, no rateLimit configured: ${seconds.toFixed(1)} s wall; ` +
      `${writes} qTest writes → floor ${floor.toFixed(1)} s; ratio ${(seconds / floor).toFixed(3)} (target ≤ 1.25)`,
  );
  console.log(
    `  429s ${throttled} ÷ ${requests} requests = ${((throttled / requests) * 100).toFixed(2)}% (target < 2%); ` +
      `Zephyr ${z.throttled} ÷ ${z.requests}, qTest ${q.throttled} ÷ ${q.requests}`,
  );
  console.log(
    `  mean pace ÷ limit: qTest ${(q.requests / seconds / LIMIT).toFixed(3)}, Zephyr ${(z.requests / seconds / LIMIT).toFixed(3)}`,
  );
} finally {
  await mocks.stop();
  await rm(dir, { recursive: true, force: true });
}
