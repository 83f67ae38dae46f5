/**
 * What the `sql` check's worker thread and the thread that started it say to each other: the check to
 * run (as `workerData`), then log records as they are written, then the outcome or the error. Both ends
 * are ZTOQ's own, so the shapes are types, not schemas; a structured clone carries them.
 */
import type { ExitCode } from "../../errors.js";
import type { CheckOutcome } from "../checks/check-kind.js";
import type { FindingsData } from "../checks/findings.js";
import type { SqlCheckSettings } from "./settings.js";

export interface SqlWorkerInput {
  settings: SqlCheckSettings;
  name: string;
  baseDir: string;
  /** The starting thread's log level: records below it are not sent at all. */
  logLevel: string;
}

export type SqlWorkerMessage =
  /** One pino record, the JSON line the worker's logger wrote. */
  | { type: "log"; record: string }
  | { type: "done"; outcome: Omit<CheckOutcome, "findings"> & { findings: FindingsData } }
  | { type: "failed"; message: string; exitCode: ExitCode };
