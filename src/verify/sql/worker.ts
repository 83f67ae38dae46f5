/**
 * The `sql` check's worker thread (bundled as `dist/sql-worker.js`): runs one comparison and posts its
 * log records, then its outcome or its error, to the thread that started it (`run.ts`).
 */
import { parentPort, workerData } from "node:worker_threads";
import { pino } from "pino";
import { ExitCode, ZtoqError } from "../../errors.js";
import { compareTables } from "./compare-tables.js";
import type { SqlWorkerInput, SqlWorkerMessage } from "./worker-messages.js";

const port = parentPort;
if (port === null) throw new Error("sql-worker runs as a worker thread of a ztoq process");
const post = (message: SqlWorkerMessage) => port.postMessage(message);
const input = workerData as SqlWorkerInput;

// No pid or host: the starting thread logs each record again with its own run id and bindings.
const log = pino({ level: input.logLevel, base: null }, { write: (record: string) => post({ type: "log", record }) });

try {
  const outcome = await compareTables(input.settings, { name: input.name, baseDir: input.baseDir, log });
  post({ type: "done", outcome });
} catch (error) {
  const known = error instanceof ZtoqError;
  post({
    type: "failed",
    message: known ? error.message : `sql check could not finish: ${error instanceof Error ? error.message : String(error)}`,
    exitCode: known ? error.exitCode : ExitCode.incomplete,
  });
}
