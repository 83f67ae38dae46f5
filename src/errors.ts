/** Exit codes shared by the CLI and the actions (README, "Exit codes"). */
export const ExitCode = {
  ok: 0,
  /** Verification failed, or entities failed permanently. */
  failed: 1,
  /** Bad input: config, flags, credentials, unknown project, unmapped values. */
  badInput: 2,
  /** Could not finish (network, server errors beyond retries, state store unreachable); safe to re-run. */
  incomplete: 3,
  /** Stopped by SIGINT (Ctrl-C), 128 + 2 as shells report it; safe to re-run. */
  interrupted: 130,
  /** Stopped by SIGTERM, 128 + 15; safe to re-run. */
  terminated: 143,
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

/** The run was stopped by a signal: the work in flight finished and was recorded, nothing new was started. */
export class InterruptedError extends ZtoqError {
  constructor(
    readonly signal: "SIGINT" | "SIGTERM",
    message = `interrupted by ${signal}`,
  ) {
    super(message, signal === "SIGTERM" ? ExitCode.terminated : ExitCode.interrupted);
    this.name = "InterruptedError";
  }
}
