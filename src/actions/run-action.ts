import * as core from "@actions/core";
import { ExitCode, ZtoqError } from "../errors.js";

/**
 * Runs an action body with the product's exit codes: 0 success, 1 failed verdict or entities,
 * 2 bad input, 3 could not finish. Any failure also marks the step failed with one clear message.
 */
export async function runAction(body: () => Promise<{ exitCode: number; failure?: string }>): Promise<void> {
  try {
    const { exitCode, failure } = await body();
    if (exitCode !== ExitCode.ok) core.setFailed(failure ?? `ztoq finished with exit code ${exitCode}`);
    process.exitCode = exitCode;
  } catch (error) {
    if (error instanceof ZtoqError) {
      core.setFailed(error.message);
      process.exitCode = error.exitCode;
      return;
    }
    core.setFailed(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = ExitCode.incomplete;
  }
}
