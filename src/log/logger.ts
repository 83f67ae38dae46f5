import { type Logger, pino } from "pino";

export type { Logger };

/**
 * Structured JSON logs on stderr, so stdout stays free for machine-readable output (the mock's
 * start line, reports). The level comes from `ZTOQ_LOG_LEVEL` (default `info`).
 */
export function createLogger(bindings: Record<string, unknown> = {}, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level: process.env.ZTOQ_LOG_LEVEL ?? "info",
      base: bindings,
      // Whatever a caller passes, credentials never reach a log line.
      redact: { paths: ["token", "password", "*.token", "*.password", "headers.authorization"], censor: "[redacted]" },
    },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
