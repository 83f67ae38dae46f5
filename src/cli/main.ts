import { Command, CommanderError } from "commander";
import { ExitCode, ZtoqError } from "../errors.js";
import { registerDemoCommand } from "./demo-command.js";
import { registerInitCommand } from "./init-command.js";
import { handleInterrupts, type InterruptHandlers } from "./interrupt.js";
import { registerMigrateCommand } from "./migrate-command.js";
import { registerMockCommand } from "./mock-command.js";
import { registerRollbackCommand } from "./rollback-command.js";
import { registerStatusCommand } from "./status-command.js";
import { registerVerifyCommand } from "./verify-command.js";

declare const ZTOQ_VERSION: string;

/** The commands that finish what is in flight on a first SIGINT or SIGTERM, then stop with one line. */
const GRACEFUL = new Set(["migrate", "verify", "rollback"]);

/** Runs the CLI and returns its exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("ztoq")
    .description("Migrate test assets from Zephyr Scale Cloud to Tricentis qTest, and prove it.")
    .version(typeof ZTOQ_VERSION === "string" ? ZTOQ_VERSION : "dev")
    .exitOverride()
    .showHelpAfterError(false);
  let exitCode: number = ExitCode.ok;
  registerMockCommand(program);
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  registerMigrateCommand(program, setExitCode);
  registerStatusCommand(program);
  registerVerifyCommand(program, setExitCode);
  registerDemoCommand(program, setExitCode);
  registerRollbackCommand(program, setExitCode);
  registerInitCommand(program);
  // These stop gracefully, saying what they did; elsewhere (mock, status, init's questions) Ctrl-C keeps
  // its usual meaning, which stops them at once.
  let interrupts: InterruptHandlers | undefined;
  program.hook("preAction", (_program, command) => {
    if (GRACEFUL.has(command.name())) interrupts ??= handleInterrupts();
  });
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message; help and version are not failures.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    }
    if (error instanceof ZtoqError) {
      process.stderr.write(`ztoq: ${error.message}\n`);
      return error.exitCode;
    }
    // A bug, not an input problem: say so in one line; the stack only when asked for.
    const detail = process.env.ZTOQ_LOG_LEVEL === "debug" ? (error as Error)?.stack : (error as Error)?.message;
    process.stderr.write(`ztoq: unexpected error: ${detail ?? String(error)}\n`);
    return ExitCode.incomplete;
  } finally {
    interrupts?.dispose();
  }
}
