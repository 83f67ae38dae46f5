import { readFile, writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { stringify } from "yaml";
import { BadInputError } from "../errors.js";
import { createLogger } from "../log/logger.js";
import { demoMappingFromStores, provisionDemoStore } from "../mock/demo-target.js";
import { type RunningMocks, startMocks } from "../mock/start.js";
import { prepareWritableFile } from "../writable-file.js";
import { type Snapshot, snapshotSchema } from "../zephyr/snapshot.js";
import { MOCK_LIMITS, numberOption } from "./options.js";

interface MockFlags {
  dataset?: string;
  generate?: number;
  seed?: number;
  latency?: number;
  rateLimit?: number;
  faultRate?: number;
  zephyrPort?: number;
  qtestPort?: number;
  jiraPort?: number;
  demoConfig?: string;
}

export function registerMockCommand(program: Command): void {
  program
    .command("mock")
    .description("Start the Zephyr Scale Cloud, qTest Manager and Jira Cloud mock servers on 127.0.0.1")
    .option("--dataset <file>", "serve this Zephyr project snapshot (JSON)")
    .option(
      "--generate <n>",
      `generate a project of about N test cases, 1 to ${MOCK_LIMITS.generate.max} (default 50)`,
      numberOption("--generate", MOCK_LIMITS.generate),
    )
    .option("--seed <s>", "seed for the generated project and the fault sequence", numberOption("--seed", MOCK_LIMITS.seed))
    .option(
      "--latency <ms>",
      `delay every response by MS milliseconds (0 to ${MOCK_LIMITS.latency.max})`,
      numberOption("--latency", MOCK_LIMITS.latency),
    )
    .option(
      "--rate-limit <rps>",
      `answer 429 above RPS requests per second, per mock (${MOCK_LIMITS.rateLimit.min} to ${MOCK_LIMITS.rateLimit.max})`,
      numberOption("--rate-limit", MOCK_LIMITS.rateLimit),
    )
    .option(
      "--fault-rate <p>",
      "share of requests (0..1) answered 500/502/503 or dropped",
      numberOption("--fault-rate", { min: 0, max: 1 }),
    )
    .option(
      "--zephyr-port <port>",
      "port of the Zephyr mock (default: a free one)",
      numberOption("--zephyr-port", MOCK_LIMITS.port),
    )
    .option("--qtest-port <port>", "port of the qTest mock (default: a free one)", numberOption("--qtest-port", MOCK_LIMITS.port))
    .option(
      "--jira-port <port>",
      "port of the Jira Cloud mock (default: a free one)",
      numberOption("--jira-port", MOCK_LIMITS.port),
    )
    .option(
      "--demo-config <file>",
      "prepare the qTest project as an admin would for the generated project (its custom fields) and write the mapping it needs to FILE",
    )
    .action(async (flags: MockFlags) => {
      if (flags.dataset && flags.generate !== undefined) throw new BadInputError("Use either --dataset or --generate, not both.");
      // Before the mocks start: a file that cannot be written is bad input, found without a server to stop.
      const demoProblem = flags.demoConfig === undefined ? undefined : prepareWritableFile(flags.demoConfig);
      if (demoProblem) throw new BadInputError(`--demo-config ${flags.demoConfig}: ${demoProblem.message}`);
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
        ...(flags.jiraPort !== undefined && { jiraPort: flags.jiraPort }),
      }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "EADDRINUSE")
          throw new BadInputError(`Port already in use: ${error.message.replace(/^.*EADDRINUSE:?\s*/, "")}.`);
        throw error;
      });
      try {
        if (flags.demoConfig) await writeDemoConfig(mocks, flags.demoConfig);
      } catch (error) {
        // Listening servers would keep the process alive after its one line of failure.
        await mocks.stop();
        throw error;
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
        {
          zephyr: mocks.zephyr.url,
          qtest: mocks.qtest.url,
          jira: mocks.jira.url,
          projectKey: mocks.zephyr.projectKey,
          ...counts,
        },
        "mock servers ready",
      );
      log.info({ signal: await stopped }, "stopping mock servers");
      await mocks.stop();
    });
}

/**
 * Prepares the qTest mock and writes the mapping, through the stores rather than over HTTP: the mocks
 * run in this process, and their own --fault-rate or --rate-limit must not fail their preparation.
 */
async function writeDemoConfig(mocks: RunningMocks, file: string): Promise<void> {
  provisionDemoStore(mocks);
  try {
    await writeFile(file, stringify({ mapping: demoMappingFromStores(mocks) }));
  } catch (error) {
    throw new BadInputError(
      `--demo-config ${file}: cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
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
