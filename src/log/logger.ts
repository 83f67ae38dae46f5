import { openSync, writeSync } from "node:fs";
import { type Logger, pino } from "pino";
import { settings } from "../config/settings.js";
import { BadInputError } from "../errors.js";
import { prepareWritableFile } from "../writable-file.js";
import { stderrScreen, type Terminal } from "./terminal.js";
import { formatLogRecord } from "./text-format.js";

export type { Logger };

export type LogFormat = "json" | "text";

export interface LogOutput {
  /** What stderr shows; by default text on a terminal, JSON where machines read it. */
  format?: LogFormat | undefined;
  /** A file that receives every record as a JSON line, whatever stderr shows. */
  file?: string | undefined;
}

/**
 * Logs on stderr, so stdout stays free for machine-readable output (the mock's start line, reports):
 * JSON records (pino) where machines read them, one readable line per record on a terminal, written
 * above the progress line. The level comes from `ZTOQ_LOG_LEVEL` (default `info`); the format and the
 * file from `output`, else `ZTOQ_LOG_FORMAT` and `ZTOQ_LOG_FILE`. With `destination`, JSON goes there
 * and nowhere else.
 */
export function createLogger(
  bindings: Record<string, unknown> = {},
  destination?: NodeJS.WritableStream,
  output: LogOutput = {},
): Logger {
  return pino(
    {
      level: logLevel(process.env.ZTOQ_LOG_LEVEL) ?? "info",
      base: bindings,
      // Whatever a caller passes, credentials never reach a log line.
      redact: { paths: ["token", "password", "*.token", "*.password", "headers.authorization"], censor: "[redacted]" },
    },
    destination ?? logDestination(resolveLogOutput(output, process.env, Boolean(process.stderr.isTTY)), stderrScreen()),
  );
}

const LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** `ZTOQ_LOG_LEVEL`, checked: pino would throw on an unknown level, and a typo is bad input, not a bug. */
export function logLevel(raw: string | undefined): (typeof LEVELS)[number] | undefined {
  const value = raw?.trim().toLowerCase();
  if (value === undefined || value === "") return undefined;
  if (!(LEVELS as readonly string[]).includes(value)) {
    throw new BadInputError(`ZTOQ_LOG_LEVEL must be one of ${LEVELS.join(", ")}; got ${JSON.stringify(raw)}`);
  }
  return value as (typeof LEVELS)[number];
}

/** The flag, else the environment variable, else what suits the reader of stderr. */
export function resolveLogOutput(
  output: LogOutput,
  env: NodeJS.ProcessEnv,
  stderrIsTTY: boolean,
): { format: LogFormat; file: string | undefined } {
  const format =
    output.format ??
    settings.logFormat.value.read(env[settings.logFormat.env], { kind: "env", name: settings.logFormat.env }) ??
    (stderrIsTTY ? "text" : "json");
  const file = output.file ?? settings.logFile.value.read(env[settings.logFile.env], { kind: "env", name: settings.logFile.env });
  return { format, file };
}

/** pino writes each record, one JSON line, synchronously: to the file as it is, to the screen as asked. */
export function logDestination(
  output: { format: LogFormat; file: string | undefined },
  screen: Terminal,
): { write(line: string): void } {
  let fd: number | undefined;
  if (output.file) {
    const problem = prepareWritableFile(output.file);
    if (problem) throw new BadInputError(`Log file ${output.file}: ${problem.message}`);
    fd = openSync(output.file, "a");
  }
  return {
    write(line: string) {
      if (fd !== undefined) writeSync(fd, line);
      screen.line(output.format === "json" ? line : formatLogRecord(JSON.parse(line)));
    },
  };
}
