/**
 * The `sql` check, run in a worker thread of its own. A merge makes a few short-lived objects per row
 * (the PostgreSQL driver parses COPY one message a row), and V8 grows a thread's young generation with
 * the garbage it sees: on the main thread a 10M-row comparison ended with a 128 MB young generation,
 * its peak RSS 1.6 to 2.8 times a 1M-row one's. A worker's young generation can be capped, which keeps
 * the peak flat whatever the table's size. PostgreSQL reads lose no speed to it; a SQLite side, read a
 * page of rows at a time, pays some 15 % in minor GCs (README, "Performance"). The main thread stays
 * free for the other checks' I/O meanwhile.
 *
 * Run from the TypeScript sources (the tests), there is no worker bundle to start: the comparison runs
 * in the calling thread, the same code. The bundles (`dist/`) always use the worker.
 */
import { Worker } from "node:worker_threads";
import type { Level } from "pino";
import { BadInputError, ExitCode, ZtoqError } from "../../errors.js";
import type { Logger } from "../../log/logger.js";
import type { CheckContext, CheckOutcome } from "../checks/check-kind.js";
import { Findings } from "../checks/findings.js";
import { compareTables } from "./compare-tables.js";
import type { SqlCheckSettings } from "./settings.js";
import type { SqlWorkerInput, SqlWorkerMessage } from "./worker-messages.js";

/**
 * Megabytes (V8 gives a third to each of the two semi-spaces a minor GC copies between). 3 and 6 both
 * held the peak flat from 1M to 10M rows; 6 was the faster of the two at 10M.
 */
const YOUNG_GENERATION_MB = 6;

export async function runSqlCheck(settings: SqlCheckSettings, context: CheckContext): Promise<CheckOutcome> {
  if (import.meta.url.endsWith(".ts")) return compareTables(settings, context);
  return runSqlCheckInWorker(new URL("./sql-worker.js", import.meta.url), settings, context);
}

/** Runs the comparison in a new worker thread started from `bundle` (`dist/sql-worker.js`). */
export function runSqlCheckInWorker(bundle: URL, settings: SqlCheckSettings, context: CheckContext): Promise<CheckOutcome> {
  const input: SqlWorkerInput = { settings, name: context.name, baseDir: context.baseDir, logLevel: context.log.level };
  const worker = new Worker(bundle, { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  return new Promise<CheckOutcome>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: CheckOutcome | ZtoqError) => {
      if (settled) return;
      settled = true;
      if (outcome instanceof ZtoqError) reject(outcome);
      else resolve(outcome);
      // Its connections are closed by now; nothing it still holds is worth waiting for.
      void worker.terminate();
    };
    worker.on("message", (message: SqlWorkerMessage) => {
      if (message.type === "log") relog(context.log, message.record);
      else if (message.type === "done") settle({ ...message.outcome, findings: Findings.from(message.outcome.findings) });
      else
        settle(
          message.exitCode === ExitCode.badInput
            ? new BadInputError(message.message)
            : new ZtoqError(message.message, message.exitCode),
        );
    });
    worker.on("error", (error) => settle(new ZtoqError(`sql check could not finish: ${error.message}`, ExitCode.incomplete)));
    worker.on("exit", (code) =>
      settle(new ZtoqError(`sql check could not finish: its worker thread stopped (exit code ${code})`, ExitCode.incomplete)),
    );
  });
}

/** A record the worker's logger wrote, logged again here, where the run id and the check's bindings are. */
function relog(log: Logger, record: string): void {
  const { level, time: _time, msg, ...fields } = JSON.parse(record) as { level: number; time?: number; msg?: string };
  const label = log.levels.labels[level] as Level | undefined;
  if (label !== undefined) log[label](fields, msg);
}
