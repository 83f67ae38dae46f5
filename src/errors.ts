/** Exit codes shared by the CLI and the actions (README, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  /** Verification failed, or entities failed permanently. */
  failed: 1,
  /** Bad input: config, flags, credentials, unknown project, unmapped values. */
  badInput: 2,
  /** Could not finish (network, server errors beyond retries, state store unreachable); safe to re-run. */
  incomplete: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error whose message is meant for the user as it is: printed on one line, no stack trace. */
export class ZtoqError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = "ZtoqError";
  }
}

export class BadInputError extends ZtoqError {
  constructor(message: string) {
    super(message, ExitCode.badInput);
  }
}
