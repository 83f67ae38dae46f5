import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { configFileNames, loadConfig } from "../config/load.js";
import { settings } from "../config/settings.js";
import { BadInputError } from "../errors.js";
import { existsError, proposeConfiguration, writeProposal } from "../init/init.js";
import { summarize } from "../init/render.js";
import { createLogger } from "../log/logger.js";
import { prepareWritableFile } from "../writable-file.js";

interface InitFlags {
  config?: string;
  output: string;
  force?: boolean;
}

export function registerInitCommand(program: Command): void {
  program
    .command("init")
    .description(
      "Write a complete, commented configuration proposed from the Zephyr Scale and qTest projects (and an earlier migration); writes nothing to either",
    )
    .addOption(new Option(settings.config.flag.flags, settings.config.flag.help))
    .option("-o, --output <file>", "where to write the configuration", configFileNames[0])
    .option("--force", "overwrite the output file when it exists")
    .action(async (flags: InitFlags) => {
      const output = resolve(flags.output);
      // Before reading anything: a refusal should not cost a full read of both projects.
      if (!flags.force && existsSync(output)) throw existsError(flags.output);
      const problem = prepareWritableFile(output);
      if (problem) throw new BadInputError(`--output ${flags.output}: ${problem.message}`);
      const config = await loadConfig({ ...(flags.config && { path: flags.config }) });
      const { text, proposal } = await proposeConfiguration(config, createLogger({ component: "init" }));
      await writeProposal(output, flags.output, text, Boolean(flags.force));
      process.stdout.write(`${summarize(proposal, flags.output)}\n`);
    });
}
