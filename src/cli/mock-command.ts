import { readFile, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { stringify } from "yaml";
import { BadInputError } from "../errors.js";
import { createLogger } from "../log/logger.js";
import { demoMapping, provisionDemoTarget } from "../mock/demo-target.js";
import { startMocks } from "../mock/start.js";
import { type Snapshot, snapshotSchema } from "../zephyr/snapshot.js";
import { numberOption } from "./options.js";

interface MockFlags {
  dataset?: string;
  generate?: number;
  seed?: number;
  latency?: number;
  rateLimit?: number;
  faultRate?: number;
  zephyrPort?: number;
  qtestPort?: number;
  demoConfig?: string;
}

export function registerMockCommand(program: Command): void {
  program
    .command("mock")
    .description("Start the Zephyr Scale Cloud and qTest Manager mock servers on 127.0.0.1")
    .option("--dataset <file>", "serve this Zephyr project snapshot (JSON)")
    .option(
      "--generate <n>",
      "generate a project of about N test cases (default 50)",
      numberOption("--generate", { min: 1, integer: true }),
    )
    .option("--seed <s>", "seed for the generated project and the fault sequence", numberOption("--seed", { integer: true }))
    .option("--latency <ms>", "delay every response by MS milliseconds", numberOption("--latency", { min: 0 }))
    .option(
      "--rate-limit <rps>",
      "answer 429 above RPS requests per second, per mock",
      numberOption("--rate-limit", { min: 0.01 }),
    )
    .option(
      "--fault-rate <p>",
      "share of requests (0..1) answered 500/502/503 or dropped",
      numberOption("--fault-rate", { min: 0, max: 1 }),
    )
    .option(
      "--zephyr-port <port>",
      "port of the Zephyr mock (default: a free one)",
      numberOption("--zephyr-port", { min: 0, max: 65535, integer: true }),
    )
    .option(
      "--qtest-port <port>",
      "port of the qTest mock (default: a free one)",
      numberOption("--qtest-port", { min: 0, max: 65535, integer: true }),
    )
    .option(
      "--demo-config <file>",
      "prepare the qTest project as an admin would for the generated project (its custom fields) and write the mapping it needs to FILE",
    )
    .action(async (flags: MockFlags) => {
      if (flags.dataset && flags.generate !== undefined) throw new BadInputError("Use either --dataset or --generate, not both.");
      const log = createLogger({ component: "mock" });
      const dataset = flags.dataset ? await loadSnapshot(flags.dataset) : undefined;
      const mocks = await startMocks({
        ...(dataset && { dataset }),
        ...(flags.generate !== undefined && { generate: flags.generate }),
        ...(flags.seed !== undefined && { seed: flags.seed }),
        ...(flags.latency !== undefined && { latencyMs: flags.latency }),
        ...(flags.rateLimit !== undefined && { rateLimitRps: flags.rateLimit }),
        ...(flags.faultRate !== undefined && { faultRate: flags.faultRate }),
        ...(flags.zephyrPort !== undefined && { zephyrPort: flags.zephyrPort }),
        ...(flags.qtestPort !== undefined && { qtestPort: flags.qtestPort }),
      }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "EADDRINUSE")
          throw new BadInputError(`Port already in use: ${error.message.replace(/^.*EADDRINUSE:?\s*/, "")}.`);
        throw error;
      });
      if (flags.demoConfig) {
        await provisionDemoTarget(mocks);
        await writeFile(flags.demoConfig, stringify({ mapping: await demoMapping(mocks) }));
      }
      // Listen for the stop signals before announcing readiness: a caller may send one at once.
      const stopped = new Promise<NodeJS.Signals>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      process.stdout.write(`${JSON.stringify(mocks.describe())}\n`);
      const counts = {
        testCases: mocks.zephyr.store.testCases().length,
        testCycles: mocks.zephyr.store.testCycles().length,
        testExecutions: mocks.zephyr.store.testExecutions().length,
      };
      log.info(
        { zephyr: mocks.zephyr.url, qtest: mocks.qtest.url, projectKey: mocks.zephyr.projectKey, ...counts },
        "mock servers ready",
      );
      log.info({ signal: await stopped }, "stopping mock servers");
      await mocks.stop();
    });
}

export async function loadSnapshot(path: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new BadInputError(`Cannot read dataset ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BadInputError(`Dataset ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "(root)";
    throw new BadInputError(`Dataset ${path} is not a Zephyr project snapshot: ${where}: ${issue?.message}.`);
  }
  // Served as given, not as parsed, so nothing a schema would normalise is lost.
  return json as Snapshot;
}
